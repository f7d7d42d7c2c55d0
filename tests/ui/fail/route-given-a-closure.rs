use lambda_proxy::{proxy_handler, Path, Router};

#[proxy_handler(route = "GET /users/{id}")]
async fn get_user(Path(id): Path<u64>) -> u64 {
    id
}

fn main() -> Result<(), lambda_proxy::router::RouteError> {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let _router = Router::new().route(move |req| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        get_user(req)
    })?;
    Ok(())
}
