use lambda_proxy::{proxy_handler, Request};

// The margin kept back from deadlines is a setting of the whole function: the exit's.
#[proxy_handler(timeout_ms = 5000, margin_ms = 500)]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
