use lambda_proxy::{proxy_handler, Request};
use std::sync::Arc;

struct Db;

#[proxy_handler]
async fn handler(_db: Arc<Db>, _req: Request) -> u64 {
    1
}

fn main() {}
