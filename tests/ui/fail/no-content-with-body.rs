use lambda_proxy::{proxy_handler, HttpError, Request};

#[derive(serde::Serialize)]
struct User {
    id: u64,
}

#[proxy_handler(status = 204)]
async fn delete_user(_req: Request) -> Result<User, HttpError> {
    Ok(User { id: 7 })
}

fn main() {}
