use lambda_proxy::{proxy_handler, Request};

struct Service;

impl Service {
    #[proxy_handler]
    async fn handle(&self, _req: Request) -> u64 {
        1
    }
}

fn main() {}
