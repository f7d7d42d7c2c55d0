use lambda_proxy::{proxy_handler, Path};

#[proxy_handler(route = "GET /items/{id}")]
async fn item<T: serde::de::DeserializeOwned + serde::Serialize>(Path(id): Path<T>) -> T {
    id
}

fn main() {}
