//! Any tower service with the guarantee of a `#[proxy_handler]`: [`guard`].

use crate::exit::ExitService;
use crate::handler::RequestId;
use http_body_util::BodyExt;
use lambda_http::{Body, Request, Response, Service};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// An error of the service or of its response's body.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Gives a `tower::Service<Request>` (an axum `Router`, a `tower::ServiceBuilder` stack; it must
/// be `Clone + Send + 'static`, its future `Send`, and answer an `http::Response` whose body is an
/// `http_body::Body`) what a `#[proxy_handler]` has: the service through an [`Exit`](crate::Exit),
/// for [`run`](crate::run), the testing kit, or `lambda_http::run`.
///
/// - an `Err` from the service (from `poll_ready` or `call`), or from its response's body, is a
///   500 problem answer, logged with its `source()` chain and the request id, never sent; so is a
///   body larger than the front door delivers, read no further than any front door delivers;
/// - the exit answers a panic anywhere in the service (or while its body is read) 500 and keeps
///   the process serving, answers 504 when the invocation's budget runs out (body included), and
///   normalizes, CORS-decorates and size-checks the answer on what is sent. Its settings are the
///   default's; `Exit::new().cors(policy).around(guard(app))` gives them.
///
/// The service sees the path within the API in the request's URI, as a
/// [`Router`](crate::Router) matches it ([`path_in_api`](crate::front_door::path_in_api)): without
/// the REST API stage `lambda_http` puts there (so `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` is not
/// needed) and without the named stage of an HTTP API, so that one route table serves every front
/// door and stage. The query string is kept; `RequestExt::raw_http_path` still gives the path
/// the event sent.
///
/// tower layers go inside: `guard(ServiceBuilder::new().layer(..).service(app))`; a compression
/// layer there is fine, as the size limit applies to what leaves the function. Each request is
/// served by a clone of the service, as `lambda_http` serves it, so a layer's per-instance state
/// (a rate limit's count) does not carry over from one request to the next.
///
/// The response body may be any `http_body::Body` (axum's, `String`, `Full<Bytes>`); it is read
/// whole, as a Lambda proxy response carries it, and sent as text or base64 by its content type,
/// as `lambda_http` decides.
///
/// ```no_run
/// use axum::routing::get;
///
/// #[tokio::main]
/// async fn main() -> Result<(), lambda_proxy::Error> {
///     let app = axum::Router::new().route("/hello", get(|| async { "hello" }));
///     lambda_proxy::run(lambda_proxy::guard(app)).await
/// }
/// ```
pub fn guard<S: Guardable>(service: S) -> ExitService<GuardedService<S>> {
    ExitService::new(GuardedService { service })
}

/// A tower service [`guard`] serves: `Clone + Send + 'static`, its future `Send`, its error
/// any error, its response an `http::Response` whose body is an `http_body::Body` (an axum
/// `Router`, a `tower::ServiceBuilder` stack). Implemented for every such service.
pub trait Guardable:
    Service<
        Request,
        Response = http::Response<Self::Body>,
        Future: Send + 'static,
        Error: Into<BoxError>,
    > + Clone
    + Send
    + 'static
{
    /// The response's body.
    type Body: http_body::Body<Data: Send, Error: Into<BoxError>> + Send + 'static;
}

impl<S, B> Guardable for S
where
    S: Service<Request, Response = http::Response<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    type Body = B;
}

/// A tower service with the guarantee of a `#[proxy_handler]`: see [`guard`].
#[derive(Clone, Debug)]
pub struct GuardedService<S> {
    service: S,
}

impl<S: Guardable> Service<Request> for GuardedService<S> {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Readiness is the service's, awaited in the guarded future (its error is answered).
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let request_id = RequestId::of(&request);
        within_api(&mut request);
        // The clone is the one `call` consumes, ready or not: tower's contract.
        let mut service = self.service.clone();
        Box::pin(async move {
            Ok(match answer(&mut service, request).await {
                Ok(Some(response)) => response,
                // Stopped reading at the limit: the exit's answer for an oversized one.
                Ok(None) => crate::exit::too_large(request_id.as_str(), BODY_LIMIT + 1, BODY_LIMIT),
                Err(error) => {
                    let log = crate::error::chain(&*error);
                    crate::exit::record::tagged(
                        crate::error::error_response(&error, &log, request_id.as_str()),
                        crate::exit::record::ErrorKind::Handler,
                    )
                }
            })
        })
    }
}

/// How much of a body is read at most: no front door delivers more (JSON escaping and base64
/// only make an envelope larger than its body); the exit checks the front door's own limit on
/// what is read.
const BODY_LIMIT: usize = crate::front_door::LAMBDA_RESPONSE_LIMIT;

/// The service's answer, its body read whole as text or binary, as `lambda_http` decides from
/// the headers; `None` for a body longer than [`BODY_LIMIT`], read no further.
async fn answer<S: Guardable>(
    service: &mut S,
    request: Request,
) -> Result<Option<Response<Body>>, BoxError> {
    std::future::poll_fn(|cx| service.poll_ready(cx))
        .await
        .map_err(Into::into)?;
    let response = service.call(request).await.map_err(Into::into)?;
    let (parts, body) = response.into_parts();
    let bytes = match http_body_util::Limited::new(body, BODY_LIMIT)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => return Ok(None),
        Err(error) => return Err(error),
    };
    // What this cannot tell (another charset) the adapter leaves to `lambda_http` itself.
    let text =
        crate::body::sent_as_text(&parts.headers) && crate::body::utf8_charset(&parts.headers);
    let body = match text {
        true => match String::from_utf8(bytes) {
            Ok(text) => Body::Text(text),
            Err(not_utf8) => Body::Binary(not_utf8.into_bytes()),
        },
        false => Body::Binary(bytes),
    };
    Ok(Some(Response::from_parts(parts, body)))
}

/// Puts the path within the API in the request's URI, the query kept.
fn within_api(request: &mut Request) {
    let path = crate::front_door::path_in_api(request);
    if path == request.uri().path() {
        return;
    }
    let path_and_query = match request.uri().query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    let mut parts = request.uri().clone().into_parts();
    match path_and_query.parse() {
        Ok(path_and_query) => {
            parts.path_and_query = Some(path_and_query);
            if let Ok(uri) = http::Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
        // Over the URI's length limit: the URI `lambda_http` built is kept.
        Err(error) => tracing::warn!(
            %error,
            "the path within the API does not fit a URI; the service sees lambda_http's"
        ),
    }
}
