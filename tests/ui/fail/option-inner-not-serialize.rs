use lambda_proxy::{proxy_handler, Request};

struct User {
    id: u64,
}

#[proxy_handler]
fn find_user(_req: Request) -> Option<User> {
    None
}

fn main() {}
