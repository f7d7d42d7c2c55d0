use lambda_proxy::{proxy_handler, Path};

#[proxy_handler(route = "GET /users/{id}/posts/{id}")]
async fn post(Path(ids): Path<(u64, u64)>) -> (u64, u64) {
    ids
}

fn main() {}
