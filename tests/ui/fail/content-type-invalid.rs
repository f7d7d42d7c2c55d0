use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(content_type = "json")]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
