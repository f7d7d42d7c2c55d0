//! The users service as a Lambda function. Deploy it behind any front door, or run it locally
//! with `cargo lambda watch`.

use lambda_proxy_examples::crud::{route, Store};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    let store = Arc::new(Store::seeded());
    lambda_proxy::run(move |req| route(req, store.clone())).await
}
