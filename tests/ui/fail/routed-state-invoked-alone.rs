use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, State};
use std::sync::Arc;

struct Store;

#[proxy_handler(route = "GET /count")]
async fn count(State(_store): State<Arc<Store>>) -> u64 {
    7
}

#[tokio::main]
async fn main() {
    // The testing kit serves what `run` serves: the state comes from `Router::with_state`.
    let _ = TestRequest::rest_api().path("/count").invoke(count).await;
}
