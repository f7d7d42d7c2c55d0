use lambda_proxy::{proxy_handler, Caller};

struct Claims {
    sub: String,
}

#[proxy_handler(route = "GET /me")]
async fn me(caller: Caller<Claims>) -> String {
    caller.claims.sub
}

fn main() {}
