use lambda_proxy::{proxy_handler, Router, State};
use std::sync::Arc;

struct Db;
struct Cache;

#[proxy_handler(route = "GET /users")]
async fn users(State(_db): State<Arc<Db>>) -> &'static str {
    "users"
}

fn main() -> Result<(), lambda_proxy::router::RouteError> {
    let _router = Router::new().with_state(Arc::new(Cache)).route(users)?;
    Ok(())
}
