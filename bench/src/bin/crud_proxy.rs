//! The CRUD example (`examples/src/crud.rs`, compiled from that very file) as a Lambda function,
//! built here so that it can be linked against lambda-proxy without its `testing` feature
//! (`cargo build --release -p lambda-proxy-bench --no-default-features --bin crud_proxy`).

#[allow(dead_code)]
#[path = "../../../examples/src/crud.rs"]
mod crud;

use crud::{app, Store};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    lambda_proxy::run(app(Arc::new(Store::seeded()))?).await
}
