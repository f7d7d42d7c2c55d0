use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(timeout_ms = 3s)]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
