//! An axum app, kept as it is, served with lambda-proxy's guarantee: `lambda_proxy::guard(app)`.
//! A panic is a 500 problem answer and the process keeps serving; the slow route answers 504
//! before the Lambda deadline; every answer is a valid envelope for its front door, and the app
//! sees the same paths on every front door and stage.
//!
//! ```sh
//! cargo lambda watch -p lambda-proxy-examples --bin axum
//! curl -i http://127.0.0.1:9000/lambda-url/axum/users/7
//! ```

use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use std::time::Duration;

async fn get_user(Path(id): Path<u64>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "id": id, "name": "Ada" }))
}

async fn panics() -> &'static str {
    panic!("a bug in an axum handler");
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(3600)).await;
    "too late"
}

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    lambda_proxy::lambda_http::tracing::init_default_subscriber();
    let app = Router::new()
        .route("/users/{id}", get(get_user))
        .route("/panic", get(panics))
        .route("/slow", get(slow));
    lambda_proxy::run(lambda_proxy::guard(app)).await
}
