use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(headers("content-type" = "text/plain"))]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
