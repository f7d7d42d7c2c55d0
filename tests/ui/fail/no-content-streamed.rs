use lambda_proxy::stream::Streamed;
use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(status = 204)]
async fn events(_req: Request) -> Streamed {
    Streamed::json_lines(futures_util::stream::iter([1, 2, 3]))
}

fn main() {}
