use lambda_proxy::proxy_handler;

#[proxy_handler(route = "GET /files/{*path}/meta")]
async fn meta() -> &'static str {
    "meta"
}

fn main() {}
