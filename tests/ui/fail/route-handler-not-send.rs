use lambda_proxy::{proxy_handler, Path};
use std::rc::Rc;

#[proxy_handler(route = "GET /users/{id}")]
async fn get_user(Path(id): Path<u64>) -> u64 {
    let shared = Rc::new(id);
    tokio::task::yield_now().await;
    *shared
}

fn main() {}
