use lambda_proxy::{proxy_handler, Reply, Request};

#[proxy_handler(status = 201, headers(location))]
async fn handler(_req: Request) -> Reply<u64> {
    Reply::new(7).header("location", "/things/7")
}

fn main() {}
