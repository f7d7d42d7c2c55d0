use lambda_proxy::proxy_handler;

#[proxy_handler(route = "GET /users")]
async fn users(name: impl AsRef<str>) -> String {
    name.as_ref().to_owned()
}

fn main() {}
