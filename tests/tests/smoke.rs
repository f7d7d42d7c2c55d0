use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, HttpError, Request};

#[derive(serde::Serialize)]
struct User {
    id: u64,
    name: String,
}

#[proxy_handler]
async fn get_user(_req: Request) -> Result<User, HttpError> {
    Ok(User { id: 7, name: "Ada".into() })
}

#[tokio::test]
async fn smoke() {
    for t in [TestRequest::rest_api(), TestRequest::http_api(), TestRequest::http_api_v1(), TestRequest::function_url(), TestRequest::alb(), TestRequest::alb_multi_value(), TestRequest::vpc_lattice(), TestRequest::websocket()] {
        let fd = t.front_door();
        let req = t.clone().into_request();
        println!("{fd:?} -> {:?}", lambda_proxy::FrontDoor::of(&req));
        let env = t.invoke(get_user).await;
        println!("{}", env.raw());
    }
}
