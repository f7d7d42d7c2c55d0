use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(status = 99, content_type = "", timeout = 5, headers("x-ok" = "1", "bad name" = "v"))]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {}
