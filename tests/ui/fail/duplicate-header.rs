use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(headers("Cache-Control" = "no-store", "cache-control" = "max-age=60"))]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
