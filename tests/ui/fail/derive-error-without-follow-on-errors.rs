// A mistake in `#[response(..)]` is reported there alone: a fallback impl keeps the handlers that
// return the type from adding "`ResponseError` is not implemented" errors.
use lambda_proxy::{proxy_handler, Request, ResponseError};

#[derive(Debug, thiserror::Error, ResponseError)]
#[response(status = 200)]
#[error("out of stock")]
struct OutOfStock;

#[proxy_handler]
async fn order(_req: Request) -> Result<u64, OutOfStock> {
    Err(OutOfStock)
}

fn main() {
    let _ = lambda_proxy::run(order);
}
