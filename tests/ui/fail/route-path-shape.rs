use lambda_proxy::{proxy_handler, Path};

// A tuple of two for a template with one parameter: every call would answer 500.
#[proxy_handler(route = "GET /pairs/{id}")]
async fn pair(Path((a, b)): Path<(u64, u64)>) -> u64 {
    a + b
}

// One value for a template with two parameters.
#[proxy_handler(route = "GET /users/{org}/{id}")]
async fn user(Path(id): Path<u64>) -> u64 {
    id
}

fn main() {}
