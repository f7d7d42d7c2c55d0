use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(headers("cache control" = "no-store"))]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
