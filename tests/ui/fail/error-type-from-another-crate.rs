use lambda_proxy::{proxy_handler, Request};

#[proxy_handler]
async fn handler(_req: Request) -> Result<u64, String> {
    Err("no".into())
}

fn main() {}
