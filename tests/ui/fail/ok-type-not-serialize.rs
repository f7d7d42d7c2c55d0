use lambda_proxy::{proxy_handler, HttpError, Request};

struct User {
    id: u64,
}

#[proxy_handler]
async fn get_user(_req: Request) -> Result<User, HttpError> {
    Ok(User { id: 7 })
}

fn main() {}
