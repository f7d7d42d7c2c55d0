//! `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` changes the URI `lambda_http` builds, not the routes: a
//! binary of its own, since it sets the process environment.

use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Path, Request, Router};

#[proxy_handler(route = "GET /users/{id}")]
async fn get_user(Path(id): Path<u64>) -> String {
    format!("user {id}")
}

#[proxy_handler]
async fn uri(req: Request) -> String {
    req.uri().to_string()
}

#[tokio::test]
async fn the_ignore_stage_variable_changes_nothing() {
    // `lambda_http` puts the stage in the URI unless this variable is set; the router reads
    // the resource, so both settings route the same. The only test of this binary.
    for set in [false, true] {
        if set {
            // SAFETY: tests in this binary do not read the environment concurrently.
            unsafe { std::env::set_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true") };
        }
        let envelope = TestRequest::rest_api()
            .path("/users/7")
            .invoke(Router::new().route(get_user).unwrap())
            .await;
        assert_eq!(envelope.body(), r#""user 7""#);
        let request = TestRequest::rest_api().path("/users/7").into_request();
        assert_eq!(lambda_proxy::front_door::path_in_api(&request), "/users/7");
        // The URI a handler receives is the one `lambda_http` builds: with the REST stage
        // unless the variable is set (an HTTP API's named stage is in its raw path).
        for staged in [TestRequest::rest_api(), TestRequest::http_api()] {
            let staged = staged.stage("dev").path("/users/7");
            let event = serde_json::to_string(&staged.event()).unwrap();
            let upstream = lambda_proxy::lambda_http::request::from_str(&event).unwrap();
            let envelope = staged.invoke(uri).await;
            assert_eq!(envelope.body(), format!("{:?}", upstream.uri().to_string()));
        }
        let rest = TestRequest::rest_api().stage("dev").path("/users/7");
        let expected = if set {
            "https://abcdef1234.execute-api.us-east-1.amazonaws.com/users/7"
        } else {
            "https://abcdef1234.execute-api.us-east-1.amazonaws.com/dev/users/7"
        };
        assert_eq!(rest.invoke(uri).await.body(), format!("{expected:?}"));
    }
    // SAFETY: as above.
    unsafe { std::env::remove_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH") };
}
