//! The users service as a Lambda function. Deploy it behind any front door, or run it locally
//! with `cargo lambda watch`.
//!
//! Out of the box it writes an access record per request through `lambda_runtime`'s subscriber
//! (JSON under `AWS_LAMBDA_LOG_FORMAT=JSON`) and CloudWatch metrics under the namespace `crud`.

use lambda_proxy::Exit;
use lambda_proxy_examples::crud::{app, metrics, Store};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    lambda_proxy::lambda_http::tracing::init_default_subscriber();
    // A route that conflicts with another stops the function here, before it serves anything.
    let app = Exit::new()
        .metrics(metrics())
        .around(app(Arc::new(Store::seeded()))?);
    lambda_proxy::run(app).await
}
