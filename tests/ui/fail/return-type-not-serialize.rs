use lambda_proxy::{proxy_handler, Request};

struct User {
    id: u64,
}

#[proxy_handler]
async fn get_user(_req: Request) -> User {
    User { id: 7 }
}

fn main() {}
