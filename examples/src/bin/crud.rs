//! The users service as a Lambda function. Deploy it behind any front door, or run it locally
//! with `cargo lambda watch`.

use lambda_proxy_examples::crud::{app, Store};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    // A route that conflicts with another stops the function here, before it serves anything.
    let app = app(Arc::new(Store::seeded()))?;
    lambda_proxy::run(app).await
}
