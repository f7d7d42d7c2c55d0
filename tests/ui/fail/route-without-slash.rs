use lambda_proxy::proxy_handler;

#[proxy_handler(route = "GET users")]
async fn users() -> &'static str {
    "users"
}

fn main() {}
