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

// A template without parameters.
#[proxy_handler(route = "GET /health")]
async fn health(Path(id): Path<u64>) -> u64 {
    id
}

// Reported with the other argument mistakes, not after them.
#[proxy_handler(route = "GET /a/{id}", status = 99)]
async fn both(Path((a, b)): Path<(u64, u64)>) -> u64 {
    a + b
}

fn main() {}
