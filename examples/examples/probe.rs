use lambda_proxy::testing::TestRequest;
use lambda_proxy_examples::crud::{app, Store};
use std::sync::Arc;
#[tokio::main]
async fn main() {
    let e = TestRequest::function_url()
        .method("POST")
        .path("/users")
        .header("content-type", "application/json")
        .binary(vec![0xff, 0xfe, b':', 0x0b, 0x17])
        .invoke(app(Arc::new(Store::seeded())).unwrap())
        .await;
    println!("{}", e.raw());
}
