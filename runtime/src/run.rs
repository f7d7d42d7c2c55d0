//! Starting the Lambda runtime.

use lambda_http::{Body, Error, Request, Response};
use std::convert::Infallible;
use std::future::Future;

/// Starts the Lambda runtime with `handler` and serves invocations until the process ends.
///
/// `handler` is a `#[proxy_handler]` fn, or a closure that calls one (to pass shared state):
///
/// ```no_run
/// use lambda_proxy::{proxy_handler, Request};
/// use std::sync::Arc;
///
/// struct Db;
///
/// #[proxy_handler]
/// async fn count(_req: Request, _db: Arc<Db>) -> u64 {
///     42
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), lambda_proxy::Error> {
///     let db = Arc::new(Db);
///     lambda_proxy::run(move |req| count(req, db.clone())).await
/// }
/// ```
///
/// This is `lambda_http::run(lambda_http::service_fn(handler))`; the handler can equally be given
/// to `lambda_http` directly.
///
/// # Errors
///
/// Returns the runtime's error if it cannot talk to the Lambda Runtime API.
///
/// # Panics
///
/// As `lambda_http::run`, when the Lambda environment variables (`AWS_LAMBDA_RUNTIME_API` and
/// others) are missing, that is, outside Lambda or an emulator such as `cargo lambda watch`.
pub async fn run<F, Fut>(handler: F) -> Result<(), Error>
where
    F: FnMut(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
{
    lambda_http::run(lambda_http::service_fn(handler)).await
}
