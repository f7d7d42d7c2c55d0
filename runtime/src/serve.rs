//! Any tower service with the guarantee of a `#[proxy_handler]`: [`guard`].

use crate::__private::Guarded;
use crate::handler::{HandlerConfig, Invocation};
use http_body_util::BodyExt;
use lambda_http::{Body, Request, Response, Service};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// An error of the service or of its response's body.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The configuration of a guarded service: the defaults of a `#[proxy_handler]` without
/// arguments (the timeout is the deadline's, less the default margin).
static CONFIG: HandlerConfig = HandlerConfig::DEFAULT;

/// Gives a `tower::Service<Request>` (an axum `Router`, a `tower::ServiceBuilder` stack; it must
/// be `Clone + Send + 'static`, its future `Send`, and answer an `http::Response` whose body is an
/// `http_body::Body`) what a `#[proxy_handler]` has, served by [`run`](crate::run):
///
/// - a panic anywhere in the service, or while its body is read, is a 500 problem answer and the
///   process keeps serving;
/// - the deadline-aware timeout answers 504 for the whole service, body included;
/// - an `Err` from the service (from `poll_ready` or `call`), or from its response's body, is a
///   500 problem answer, logged with its `source()` chain and the request id, never sent; so is a
///   body larger than the front door delivers, read no further than its limit;
/// - the answer is normalized for the front door (repeated headers, cookies, header values an
///   envelope cannot carry) and size-checked, at the one exit of `run`.
///
/// The service sees the path within the API in the request's URI, as a
/// [`Router`](crate::Router) matches it ([`path_in_api`](crate::front_door::path_in_api)): without
/// the REST API stage `lambda_http` puts there (so `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` is not
/// needed) and without the named stage of an HTTP API, so that one route table serves every front
/// door and stage. The query string is kept; `RequestExt::raw_http_path` still gives the path
/// the event sent.
///
/// tower layers go inside: `guard(ServiceBuilder::new().layer(..).service(app))`. Each request
/// is served by a clone of the service, as `lambda_http` serves it, so a layer's per-instance
/// state (a rate limit's count) does not carry over from one request to the next.
///
/// `lambda_http::run(guard(app))` works too: the guarded service normalizes and size-checks its
/// own answers, without the process boundary's checks of [`run`](crate::run).
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
pub fn guard<S>(service: S) -> GuardedService<S> {
    GuardedService { service }
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
        let inv = Invocation::begin(&CONFIG, &request);
        within_api(&mut request);
        // The clone is the one `call` consumes, ready or not: tower's contract.
        let mut service = self.service.clone();
        let answer = async move {
            std::future::poll_fn(|cx| service.poll_ready(cx))
                .await
                .map_err(Into::into)?;
            let response = service.call(request).await.map_err(Into::into)?;
            let (parts, body) = response.into_parts();
            let bytes = body
                .collect()
                .await
                .map_err(Into::into)?
                .to_bytes()
                .to_vec();
            // Text or binary as `lambda_http` decides from the headers; what this cannot tell
            // (another charset) the exit leaves to `lambda_http` itself.
            let text = crate::body::sent_as_text(&parts.headers)
                && crate::body::utf8_charset(&parts.headers);
            let body = match text {
                true => match String::from_utf8(bytes) {
                    Ok(text) => Body::Text(text),
                    Err(not_utf8) => Body::Binary(not_utf8.into_bytes()),
                },
                false => Body::Binary(bytes),
            };
            Ok::<_, BoxError>(Response::from_parts(parts, body))
        };
        Box::pin(Guarded::new(inv, answer, |outcome, inv| match outcome {
            Ok(response) => response,
            Err(error) => {
                let log = crate::error::chain(&*error);
                crate::dispatch::fail(&error, &log, inv)
            }
        }))
    }
}

/// Puts the path within the API in the request's URI, the query kept.
fn within_api(request: &mut Request) {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    /// What a URI path cannot hold as it is (HTTP APIs send `rawPath` decoded); `%` stays, as
    /// the path may be encoded already.
    const PATH: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    let path = crate::front_door::path_in_api(request);
    if path == request.uri().path() {
        return;
    }
    let path = utf8_percent_encode(&path, PATH);
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
