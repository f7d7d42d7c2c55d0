// Only the argument is wrong: the handler is still expanded (with the default arguments), so the
// one error is at the argument, not also where the handler is used.
use lambda_proxy::{proxy_handler, Request};

#[proxy_handler(status = 99)]
async fn handler(_req: Request) -> u64 {
    1
}

fn main() {
    let _ = lambda_proxy::run(handler);
}
