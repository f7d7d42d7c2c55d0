use lambda_proxy::{proxy_handler, Request};

#[proxy_handler]
async fn handler(_req: Request) -> u64 {
    let = 1;
}

fn main() {}
