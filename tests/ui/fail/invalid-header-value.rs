use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(headers("x-note" = "line one\nline two"))]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
