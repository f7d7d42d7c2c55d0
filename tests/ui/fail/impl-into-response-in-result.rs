use lambda_proxy::lambda_http::IntoResponse;
use lambda_proxy::{proxy_handler, Request};

#[proxy_handler]
async fn handler(_req: Request) -> Result<impl IntoResponse, lambda_proxy::Error> {
    Ok("hello")
}

fn main() {}
