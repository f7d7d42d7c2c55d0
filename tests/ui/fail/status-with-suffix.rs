use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(status = 201u8)]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
