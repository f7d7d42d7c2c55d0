use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(timeout_ms = 1000)]
fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
