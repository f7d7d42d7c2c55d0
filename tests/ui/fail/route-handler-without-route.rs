use lambda_proxy::{proxy_handler, Request, Router};

#[proxy_handler]
async fn users(_req: Request) -> &'static str {
    "users"
}

fn main() -> Result<(), lambda_proxy::router::RouteError> {
    let _router = Router::new().route(users)?;
    Ok(())
}
