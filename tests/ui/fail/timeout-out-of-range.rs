use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(timeout_ms = 1000000, margin_ms = -5)]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
