//! Shared pieces of the lambda-proxy benchmarks (see `BENCHMARKS.md` at the workspace root): the
//! payload, the three handlers being compared, and one invocation through `lambda_http`'s adapter,
//! event JSON bytes in, envelope JSON bytes out.

use lambda_http::http::header::CONTENT_TYPE;
use lambda_http::request::LambdaRequest;
use lambda_http::{service_fn, Adapter, Body, Context, IntoResponse, LambdaEvent, Request};
use lambda_http::{Response, Service};
use lambda_proxy::{proxy_handler, HttpError};
use serde::Serialize;
use std::fmt::Debug;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub mod routes;

/// The request id every benchmark invocation carries.
pub const REQUEST_ID: &str = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";

/// One record of the payload: about 100 bytes of JSON.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// Id.
    pub id: u64,
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Whether the account is active.
    pub active: bool,
    /// A score.
    pub score: f64,
    /// Tags.
    pub tags: Vec<String>,
}

/// What every handler returns: a page of records. It borrows the records (built once, outside
/// the timed loop) so that each handler's cost is producing the answer, not building the data.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Page {
    /// The records.
    pub items: &'static [Record],
    /// How many there are.
    pub total: usize,
}

/// The three body sizes compared.
pub const SIZES: [(&str, usize); 3] = [("100B", 1), ("10KB", 86), ("1MB", 8_640)];

/// A page of `n` records (leaked: built once per benchmark).
pub fn page(n: usize) -> Page {
    let items: Vec<Record> = (0..n as u64)
        .map(|i| Record {
            id: 100_000 + i,
            name: format!("User {i:05}"),
            email: format!("user{i:05}@example.com"),
            active: i % 3 != 0,
            score: (i % 1000) as f64 / 8.0,
            tags: vec!["beta".to_owned(), "eu".to_owned()],
        })
        .collect();
    Page {
        items: Box::leak(items.into_boxed_slice()),
        total: n,
    }
}

/// (a) lambda-proxy: the value itself; the macro makes the envelope.
#[proxy_handler]
pub async fn proxy(_req: Request, page: Page) -> Result<Page, HttpError> {
    Ok(page)
}

/// (b) plain lambda_http as its docs show it: a `serde_json::Value` answered through
/// `IntoResponse`.
pub async fn docs(_req: Request, page: Page) -> Result<serde_json::Value, lambda_http::Error> {
    Ok(serde_json::to_value(page)?)
}

/// (c) plain lambda_http, hand-optimized: the JSON text straight into `Body::Text`.
pub async fn optimized(_req: Request, page: Page) -> Result<Response<Body>, lambda_http::Error> {
    let body = serde_json::to_string(&page)?;
    Ok(Response::builder()
        .header(CONTENT_TYPE, "application/json")
        .body(Body::Text(body))?)
}

/// A Lambda deadline `after` from now, in epoch milliseconds, as the runtime sets it.
pub fn deadline_in(after: Duration) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from((now + after).as_millis()).unwrap_or(u64::MAX)
}

/// One invocation as `lambda_http::run` performs it: parse the event bytes, build the context,
/// run `handler` through `lambda_http::Adapter`, serialize the envelope.
///
/// # Panics
///
/// If the event does not parse, the handler fails, or the envelope does not serialize.
pub async fn invoke<F, Fut, R, E>(event: &[u8], handler: F) -> Vec<u8>
where
    F: FnMut(Request) -> Fut,
    Fut: Future<Output = Result<R, E>> + Send,
    R: IntoResponse,
    E: Debug,
{
    let payload: LambdaRequest = read_event(event);
    let mut context = Context::default();
    context.request_id = REQUEST_ID.to_owned();
    context.deadline = deadline_in(Duration::from_secs(30));
    let mut adapter = Adapter::from(service_fn(handler));
    let response = adapter
        .call(LambdaEvent::new(payload, context))
        .await
        .expect("the handler answers");
    serde_json::to_vec(&response).expect("the envelope serializes")
}

/// One invocation as `lambda_http::run(service)` performs it for a tower service such as an
/// axum `Router`: as [`invoke`], with the service in place of `service_fn(handler)`.
///
/// # Panics
///
/// As [`invoke`].
pub async fn invoke_service<S, R>(event: &[u8], service: S) -> Vec<u8>
where
    S: Service<Request, Response = R>,
    S::Future: Send,
    S::Error: Debug,
    R: IntoResponse,
{
    let payload: LambdaRequest = read_event(event);
    let mut context = Context::default();
    context.request_id = REQUEST_ID.to_owned();
    context.deadline = deadline_in(Duration::from_secs(30));
    let mut adapter = Adapter::from(service);
    let response = adapter
        .call(LambdaEvent::new(payload, context))
        .await
        .expect("the service answers");
    serde_json::to_vec(&response).expect("the envelope serializes")
}

/// The path of `lambda_proxy::run`: the event bytes read by lambda-proxy's adapter,
/// `handler` called, the envelope written and serialized.
#[cfg(feature = "events")]
pub async fn invoke_proxy_run(
    event: &lambda_proxy::testing::Bytes,
    handler: impl lambda_proxy::Serve,
) -> Vec<u8> {
    let mut context = Context::default();
    context.request_id = REQUEST_ID.to_owned();
    context.deadline = deadline_in(Duration::from_secs(30));
    lambda_proxy::testing::invoke_bytes(event.clone(), context, handler).await
}

/// The event bytes of `GET /items` from a REST API (`"rest"`) or an HTTP API 2.0 (`"http2"`), as
/// the testing kit writes them (5 headers); or a typical event as API Gateway sends it
/// (`"rest-typical"`: 3.3 KB, 19 headers in both maps, a full request context;
/// `"http2-typical"`: 1.7 KB; and `"alb-typical"`, `"lattice-typical"`, `"websocket-typical"`),
/// from `bench/events/`.
#[cfg(feature = "events")]
pub fn event(front_door: &str) -> Vec<u8> {
    match front_door {
        "rest-typical" => include_bytes!("../events/rest-typical.json").to_vec(),
        "http2-typical" => include_bytes!("../events/http2-typical.json").to_vec(),
        "alb-typical" => include_bytes!("../events/alb-typical.json").to_vec(),
        "lattice-typical" => include_bytes!("../events/lattice-typical.json").to_vec(),
        "websocket-typical" => include_bytes!("../events/websocket-typical.json").to_vec(),
        "websocket-connect" => include_bytes!("../events/websocket-connect.json").to_vec(),
        _ => event_at(front_door, "/items"),
    }
}

/// The event of `bytes`, read as `lambda_runtime` reads it: through `serde_path_to_error`,
/// without a check for trailing input.
pub fn read_event<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> T {
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(bytes))
        .expect("the event parses")
}

/// [`event_at`], from a browser page at `https://app.example.com` (an `Origin` header).
#[cfg(feature = "events")]
pub fn event_from_browser(front_door: &str, path: &str) -> Vec<u8> {
    let mut event: serde_json::Value =
        serde_json::from_slice(&event_at(front_door, path)).expect("an event");
    let origin = "https://app.example.com";
    event["headers"]["origin"] = origin.into();
    if event
        .get("multiValueHeaders")
        .is_some_and(|m| m.is_object())
    {
        event["multiValueHeaders"]["origin"] = serde_json::json!([origin]);
    }
    serde_json::to_vec(&event).expect("the event serializes")
}

/// The event bytes of `GET path` from a REST API (`"rest"`) or an HTTP API 2.0 (`"http2"`), with
/// the headers a browser or curl sends.
#[cfg(feature = "events")]
pub fn event_at(front_door: &str, path: &str) -> Vec<u8> {
    use lambda_proxy::testing::TestRequest;
    let request = match front_door {
        "rest" => TestRequest::rest_api(),
        "http2" => TestRequest::http_api(),
        other => panic!("no such front door in the benchmarks: {other}"),
    };
    let event = request
        .path(path)
        .header("accept", "application/json")
        .header("host", "abcdef1234.execute-api.us-east-1.amazonaws.com")
        .header("user-agent", "curl/8.5.0")
        .header("x-forwarded-for", "203.0.113.7")
        .event();
    serde_json::to_vec(&event).expect("the event serializes")
}

/// The front doors compared.
pub const FRONT_DOORS: [&str; 2] = ["rest", "http2"];

/// The events of the event-reading comparison (BENCHMARKS.md §13): as the front doors send them
/// (`bench/events/`), and the testing kit's.
pub const EVENTS: [&str; 8] = [
    "rest-typical",
    "http2-typical",
    "alb-typical",
    "lattice-typical",
    "websocket-typical",
    "websocket-connect",
    "rest",
    "http2",
];

/// The configuration of a handler without attribute arguments, for the guard measurements.
pub static CONFIG: lambda_proxy::__private::HandlerConfig =
    lambda_proxy::__private::HandlerConfig::DEFAULT;

/// The small response the guard measurements wrap.
pub fn small_response() -> lambda_proxy::Response<lambda_proxy::Body> {
    lambda_proxy::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(lambda_proxy::Body::Text(
            r#"{"id":7,"name":"Ada"}"#.to_owned(),
        ))
        .expect("a valid response")
}

/// What a handler's own guards add to an invocation: `Invocation::begin`, then `Guarded`
/// (catch_unwind, and the timer of `timeout_ms` were the future pending) around an already-ready
/// future, as `#[proxy_handler]` generates them. The exit's work (normalization, the size check,
/// the deadline budget) is not in it: it is in (run).
pub async fn guarded(
    request: &lambda_proxy::Request,
) -> lambda_proxy::Response<lambda_proxy::Body> {
    use lambda_proxy::__private::{Guarded, Invocation};
    let inv = Invocation::begin(&CONFIG, request);
    let future = Guarded::new(inv, async { small_response() }, |response, _| response);
    match future.await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}
