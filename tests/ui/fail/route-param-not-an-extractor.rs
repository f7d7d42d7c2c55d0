use lambda_proxy::proxy_handler;

#[proxy_handler(route = "GET /users/{id}")]
async fn get_user(id: u64) -> u64 {
    id
}

fn main() {}
