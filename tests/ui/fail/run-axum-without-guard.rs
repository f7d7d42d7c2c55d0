#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    lambda_proxy::run(app).await
}
