use lambda_proxy::{proxy_handler, Request};

#[derive(Debug)]
struct DbError;

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("database unavailable")
    }
}

#[proxy_handler]
async fn get_user(_req: Request) -> Result<u64, DbError> {
    Err(DbError)
}

fn main() {}
