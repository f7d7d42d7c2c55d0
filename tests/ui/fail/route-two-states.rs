use lambda_proxy::{proxy_handler, State};
use std::sync::Arc;

#[proxy_handler(route = "GET /users")]
async fn users(State(_a): State<Arc<u8>>, State(_b): State<Arc<u16>>) -> &'static str {
    "users"
}

fn main() {}
