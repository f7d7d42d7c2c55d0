use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(headers("x-api-version" = 2))]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
