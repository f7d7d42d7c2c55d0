use lambda_proxy::{proxy_handler, State};
use std::sync::Arc;

struct Store;

#[proxy_handler(route = "GET /count")]
async fn count(State(_store): State<Arc<Store>>) -> u64 {
    7
}

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    // The state comes from `Router::with_state`: alone, the handler has none.
    lambda_proxy::run(count).await
}
