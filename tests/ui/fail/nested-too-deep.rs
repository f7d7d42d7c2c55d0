use lambda_proxy::{proxy_handler, Request};

#[proxy_handler]
async fn handler(_req: Request) -> Option<Option<Option<Option<Option<u64>>>>> {
    None
}

fn main() {}
