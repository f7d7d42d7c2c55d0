//! The smallest lambda-proxy function: `GET /?name=Ada` answers `{"message":"Hello, Ada!"}`.

use lambda_proxy::{proxy_handler, Request, RequestExt};

#[derive(serde::Serialize)]
struct Greeting {
    message: String,
}

#[proxy_handler]
async fn hello(req: Request) -> Greeting {
    let params = req.query_string_parameters();
    let name = params.first("name").unwrap_or("world");
    Greeting {
        message: format!("Hello, {name}!"),
    }
}

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    lambda_proxy::run(hello).await
}
