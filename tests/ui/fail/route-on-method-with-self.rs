use lambda_proxy::proxy_handler;

struct Api;

impl Api {
    #[proxy_handler(route = "GET /users")]
    async fn users(&self) -> &'static str {
        "users"
    }
}

fn main() {}
