use lambda_proxy::proxy_handler;

#[proxy_handler]
struct Handler;

fn main() {}
