use lambda_proxy::proxy_handler;

#[proxy_handler(route = "FETCH /users")]
async fn fetch() -> &'static str {
    "users"
}

fn main() {}
