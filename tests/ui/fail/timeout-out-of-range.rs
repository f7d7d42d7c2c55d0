use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(timeout_ms = 1000000)]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
