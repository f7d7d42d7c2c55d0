//! Testing kit: build the event any front door would send ([`TestRequest`]) or read one from
//! JSON ([`TestEvent`]), run a handler from the event's JSON text to the envelope as
//! [`run`](crate::run) does, and read the envelope exactly as the runtime would post it ([`Envelope`], with [`Envelope::assert_valid`] running the
//! checker).
//!
//! Enabled by the `testing` feature (use it from `[dev-dependencies]`).
//!
//! ```
//! use lambda_proxy::testing::TestRequest;
//! use lambda_proxy::{proxy_handler, Request};
//!
//! #[proxy_handler(status = 201)]
//! async fn create(_req: Request) -> &'static str {
//!     "created"
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let envelope = TestRequest::http_api()
//!     .method("POST")
//!     .path("/things")
//!     .invoke(create)
//!     .await;
//! assert_eq!(envelope.status(), 201);
//! assert_eq!(envelope.body(), r#""created""#);
//! # }
//! ```

use crate::front_door::{CookieRule, FrontDoor};
use base64::Engine as _;
/// The bytes of an event, as the Lambda Runtime API hands them over ([`invoke_bytes`]).
pub use bytes::Bytes;
use lambda_http::request::LambdaRequest;
use lambda_http::{Body, Context, LambdaEvent, Request, Response, Service};
use serde_json::{json, Map, Value};
use std::convert::Infallible;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The request id test events carry unless [`TestRequest::request_id`] sets another.
pub const REQUEST_ID: &str = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";

/// A request as one front door would send it, built step by step.
#[derive(Clone, Debug)]
pub struct TestRequest {
    front_door: FrontDoor,
    alb_multi_value: bool,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    path_params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    cookies: Vec<String>,
    body: Option<Vec<u8>>,
    binary: bool,
    request_id: String,
    deadline_ms: u64,
}

impl TestRequest {
    /// A `GET /` request from `front_door`.
    pub fn new(front_door: FrontDoor) -> Self {
        TestRequest {
            front_door,
            alb_multi_value: false,
            method: "GET".into(),
            path: "/".into(),
            query: Vec::new(),
            path_params: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            binary: false,
            request_id: REQUEST_ID.into(),
            deadline_ms: 0,
        }
    }

    /// From an API Gateway REST API.
    pub fn rest_api() -> Self {
        Self::new(FrontDoor::RestApi)
    }

    /// From an API Gateway HTTP API, payload format 2.0.
    pub fn http_api() -> Self {
        Self::new(FrontDoor::HttpApiV2)
    }

    /// From an API Gateway HTTP API, payload format 1.0.
    pub fn http_api_v1() -> Self {
        Self::new(FrontDoor::HttpApiV1)
    }

    /// From a Lambda function URL.
    pub fn function_url() -> Self {
        Self::new(FrontDoor::FunctionUrl)
    }

    /// From an Application Load Balancer in single-value header mode.
    pub fn alb() -> Self {
        Self::new(FrontDoor::Alb)
    }

    /// From an Application Load Balancer with multi-value headers enabled.
    pub fn alb_multi_value() -> Self {
        TestRequest {
            alb_multi_value: true,
            ..Self::new(FrontDoor::Alb)
        }
    }

    /// From VPC Lattice (event format v2).
    pub fn vpc_lattice() -> Self {
        Self::new(FrontDoor::VpcLattice)
    }

    /// A message on an API Gateway WebSocket API.
    pub fn websocket() -> Self {
        Self::new(FrontDoor::WebSocket)
    }

    /// The HTTP method (ignored by WebSocket messages, which have none).
    pub fn method(mut self, method: &str) -> Self {
        self.method = method.to_ascii_uppercase();
        self
    }

    /// The path, starting with `/`.
    pub fn path(mut self, path: &str) -> Self {
        self.path = path.into();
        self
    }

    /// Adds a query parameter (repeat for several values).
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a path parameter, as API Gateway extracts it from a route such as `/users/{id}`.
    /// Only REST and HTTP APIs send path parameters; other front doors ignore it.
    pub fn path_param(mut self, name: &str, value: &str) -> Self {
        self.path_params.push((name.into(), value.into()));
        self
    }

    /// Adds a header (repeat for several values).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Adds a cookie, `name=value`.
    pub fn cookie(mut self, cookie: &str) -> Self {
        self.cookies.push(cookie.into());
        self
    }

    /// A JSON body, with `content-type: application/json`.
    pub fn json(self, body: &impl serde::Serialize) -> Self {
        let text = serde_json::to_string(body).expect("TestRequest::json: body does not serialize");
        self.header("content-type", "application/json").text(&text)
    }

    /// A text body, sent as it is.
    pub fn text(mut self, body: &str) -> Self {
        self.body = Some(body.as_bytes().to_vec());
        self.binary = false;
        self
    }

    /// A binary body, sent base64-encoded with `isBase64Encoded: true`.
    pub fn binary(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self.binary = true;
        self
    }

    /// The Lambda request id (default [`REQUEST_ID`]).
    pub fn request_id(mut self, id: &str) -> Self {
        self.request_id = id.into();
        self
    }

    /// The Lambda deadline, `after` from now. Without it the context has deadline 0, as
    /// `Context::default()`.
    pub fn deadline_in(mut self, after: Duration) -> Self {
        self.deadline_ms = epoch_ms_in(after);
        self
    }

    /// The Lambda deadline as raw epoch milliseconds (e.g. `600000`, as `cargo lambda watch`).
    pub fn deadline_ms(mut self, epoch_ms: u64) -> Self {
        self.deadline_ms = epoch_ms;
        self
    }

    /// The front door this request comes from.
    pub fn front_door(&self) -> FrontDoor {
        self.front_door
    }

    /// The Lambda context the invocation gets.
    pub fn context(&self) -> Context {
        lambda_context(&self.request_id, self.deadline_ms)
    }

    fn body_value(&self) -> (Value, bool) {
        match &self.body {
            None => (Value::Null, false),
            Some(bytes) if self.binary => (
                Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
                true,
            ),
            Some(bytes) => (
                Value::String(String::from_utf8_lossy(bytes).into_owned()),
                false,
            ),
        }
    }

    fn header_pairs(&self, with_cookies: bool) -> Vec<(String, String)> {
        let mut pairs = self.headers.clone();
        if with_cookies && !self.cookies.is_empty() {
            pairs.push(("cookie".into(), self.cookies.join("; ")));
        }
        pairs
    }

    fn path_parameters(&self) -> Value {
        nullable(last_values(&self.path_params))
    }

    fn query_string(&self) -> String {
        self.query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The event JSON, as the front door would send it to the function.
    pub fn event(&self) -> Value {
        let (body, is_base64) = self.body_value();
        let headers = self.header_pairs(true);
        match self.front_door {
            FrontDoor::RestApi | FrontDoor::HttpApiV1 => {
                let http_api = self.front_door == FrontDoor::HttpApiV1;
                let stage = if http_api { "$default" } else { "prod" };
                let mut event = json!({
                    "resource": "/{proxy+}",
                    "path": self.path,
                    "httpMethod": self.method,
                    "headers": last_values(&headers),
                    "multiValueHeaders": all_values(&headers),
                    "queryStringParameters": nullable(last_values(&self.query)),
                    "multiValueQueryStringParameters": nullable(all_values(&self.query)),
                    "pathParameters": self.path_parameters(),
                    "stageVariables": null,
                    "requestContext": {
                        "accountId": "123456789012",
                        "apiId": "abcdef1234",
                        "resourceId": if http_api { "$default" } else { "a1b2c3" },
                        "resourcePath": "/{proxy+}",
                        "stage": stage,
                        "requestId": "Ab1Cd2Ef3Gh4Ij=",
                        "httpMethod": self.method,
                        "path": if http_api { self.path.clone() } else { format!("/prod{}", self.path) },
                        "protocol": "HTTP/1.1",
                        "domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
                        "requestTimeEpoch": 1_700_000_000_000_u64,
                        "identity": { "sourceIp": "203.0.113.7", "userAgent": "lambda-proxy-test" }
                    },
                    "body": body,
                    "isBase64Encoded": is_base64
                });
                if http_api {
                    event["version"] = json!("1.0");
                }
                event
            }
            FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl => {
                let url = self.front_door == FrontDoor::FunctionUrl;
                let domain = if url {
                    "abcdefghijklmnopqrstuvwxyz.lambda-url.us-east-1.on.aws"
                } else {
                    "abcdef1234.execute-api.us-east-1.amazonaws.com"
                };
                let mut event = json!({
                    "version": "2.0",
                    "routeKey": "$default",
                    "rawPath": self.path,
                    "rawQueryString": self.query_string(),
                    "headers": joined_values(&self.header_pairs(false)),
                    "requestContext": {
                        "accountId": "123456789012",
                        "apiId": "abcdef1234",
                        "domainName": domain,
                        "domainPrefix": domain.split('.').next().unwrap_or_default(),
                        "http": {
                            "method": self.method,
                            "path": self.path,
                            "protocol": "HTTP/1.1",
                            "sourceIp": "203.0.113.7",
                            "userAgent": "lambda-proxy-test"
                        },
                        "requestId": "Ab1Cd2Ef3Gh4Ij=",
                        "routeKey": "$default",
                        "stage": "$default",
                        "time": "14/Nov/2023:22:13:20 +0000",
                        "timeEpoch": 1_700_000_000_000_u64
                    },
                    "isBase64Encoded": is_base64
                });
                if !self.cookies.is_empty() {
                    event["cookies"] = json!(self.cookies);
                }
                if !self.path_params.is_empty() {
                    event["pathParameters"] = self.path_parameters();
                }
                if !self.query.is_empty() {
                    event["queryStringParameters"] = Value::Object(joined_values(&self.query));
                }
                if !body.is_null() {
                    event["body"] = body;
                }
                event
            }
            FrontDoor::Alb => {
                let mut event = json!({
                    "requestContext": { "elb": { "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdef1234567890" } },
                    "httpMethod": self.method,
                    "path": self.path,
                    "body": if body.is_null() { json!("") } else { body },
                    "isBase64Encoded": is_base64
                });
                if self.alb_multi_value {
                    event["multiValueHeaders"] = Value::Object(all_values(&headers));
                    event["multiValueQueryStringParameters"] =
                        Value::Object(all_values(&self.query));
                } else {
                    event["headers"] = Value::Object(last_values(&headers));
                    event["queryStringParameters"] = Value::Object(last_values(&self.query));
                }
                event
            }
            FrontDoor::VpcLattice => {
                let mut event = json!({
                    "version": "2.0",
                    "path": self.path,
                    "method": self.method,
                    "headers": all_values(&headers),
                    "isBase64Encoded": is_base64,
                    "requestContext": {
                        "serviceNetworkArn": "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0",
                        "serviceArn": "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0",
                        "targetGroupArn": "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0",
                        "identity": { "type": "NONE" },
                        "region": "us-east-1",
                        "timeEpoch": "1700000000000000"
                    }
                });
                if !self.query.is_empty() {
                    event["queryStringParameters"] = Value::Object(all_values(&self.query));
                }
                if !body.is_null() {
                    event["body"] = body;
                }
                event
            }
            FrontDoor::WebSocket => json!({
                "headers": last_values(&headers),
                "multiValueHeaders": all_values(&headers),
                "requestContext": {
                    "routeKey": "$default",
                    "eventType": "MESSAGE",
                    "extendedRequestId": "Ab1Cd2Ef3Gh4Ij=",
                    "requestTime": "14/Nov/2023:22:13:20 +0000",
                    "messageDirection": "IN",
                    "stage": "production",
                    "connectedAt": 1_700_000_000_000_u64,
                    "requestTimeEpoch": 1_700_000_000_000_u64,
                    "identity": { "sourceIp": "203.0.113.7" },
                    "requestId": "Ab1Cd2Ef3Gh4Ij=",
                    "domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
                    "connectionId": "Ab1Cd2Ef3Gh4Ij=",
                    "messageId": "Ab1Cd2Ef3Gh4Ij=",
                    "apiId": "abcdef1234"
                },
                "body": body,
                "isBase64Encoded": is_base64
            }),
        }
    }

    /// The request as a handler receives it under `lambda_http`: the event converted by
    /// `lambda_http`, with the request context and the Lambda [`Context`] in its extensions.
    ///
    /// # Panics
    ///
    /// When `lambda_http` cannot read the event (the tests of lambda-proxy's own answer to such
    /// events use [`invoke`](TestRequest::invoke), which answers them).
    pub fn into_request(self) -> Request {
        use lambda_http::RequestExt;
        let ctx = self.context();
        let event: LambdaRequest = serde_json::from_value(self.event()).unwrap_or_else(|e| {
            panic!(
                "lambda_http does not accept the test event for {}: {e}",
                self.front_door
            )
        });
        let request: Request = event.into();
        request.with_lambda_context(ctx)
    }

    /// Runs `handler` the way [`run`](crate::run) does, from the event's JSON text to the
    /// envelope: lambda-proxy's adapter reads the event (answering 400 one that cannot be read),
    /// calls the handler and writes the envelope exactly as the runtime posts it.
    pub async fn invoke<F, Fut>(self, handler: F) -> Envelope
    where
        F: FnMut(Request) -> Fut,
        Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
    {
        let json = self.event().to_string();
        invoke_adapter(self.front_door, &json, self.context(), handler).await
    }
}

/// The Lambda context of a test invocation.
fn lambda_context(request_id: &str, deadline_ms: u64) -> Context {
    let mut ctx = Context::default();
    ctx.request_id = request_id.to_owned();
    ctx.deadline = deadline_ms;
    ctx.invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:test".into();
    ctx
}

/// Epoch milliseconds `after` from now.
fn epoch_ms_in(after: Duration) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from((now + after).as_millis()).unwrap_or(u64::MAX)
}

/// Runs `handler` on the event `json` the way [`run`](crate::run) does, and reads the envelope.
async fn invoke_adapter<F, Fut>(
    front_door: FrontDoor,
    json: &str,
    context: Context,
    handler: F,
) -> Envelope
where
    F: FnMut(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
{
    let raw = invoke_bytes(Bytes::copy_from_slice(json.as_bytes()), context, handler).await;
    let raw = String::from_utf8(raw).expect("serde_json writes UTF-8");
    Envelope::parse(front_door, raw)
}

/// The bytes of the envelope [`run`](crate::run) posts for the invocation of `handler` with the
/// event `event` (as the Lambda Runtime API hands it over) and `context`: the event read by
/// lambda-proxy's adapter (an event that cannot be read is answered 400), the handler called, the
/// answer normalized and written as the front door's envelope, serialized as the runtime does.
///
/// [`TestRequest::invoke`] and [`TestEvent::invoke`] are built on it; it is also what the
/// benchmarks measure.
///
/// # Panics
///
/// If the envelope cannot be serialized (the runtime would fail there; lambda-proxy's envelopes
/// always serialize).
pub async fn invoke_bytes<F, Fut>(event: Bytes, context: Context, handler: F) -> Vec<u8>
where
    F: FnMut(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
{
    use crate::adapter::event::{keep_raw_event, Event};
    let mut adapter = crate::adapter::Adapter::new(lambda_http::service_fn(handler));
    // As `lambda_runtime` does: the event read from its bytes (without a check for trailing
    // input) and the service called at once, the bytes kept meanwhile.
    let kept = keep_raw_event(event.clone());
    // `from_slice` also fails on trailing input, which `lambda_runtime` does not check: an event
    // it reads is read here too (its Deserialize keeps the error of one it cannot).
    let payload = serde_json::from_slice::<Event>(&event).unwrap_or_else(|error| Event {
        request: None,
        error: Some(error.to_string()),
    });
    let future = adapter.call(LambdaEvent::new(payload, context));
    drop(kept);
    let response = match future.await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    serde_json::to_vec(&response).unwrap_or_else(|e| {
        panic!("the envelope cannot be serialized ({e}): the Lambda runtime would fail here")
    })
}

/// An event read from JSON, such as a file captured from a real invocation or written for
/// `cargo lambda invoke --data-file`.
///
/// ```
/// use lambda_proxy::testing::{TestEvent, TestRequest};
/// use lambda_proxy::{proxy_handler, FrontDoor, Request};
///
/// #[proxy_handler]
/// async fn hello(_req: Request) -> &'static str {
///     "hello"
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let json = TestRequest::alb().path("/hello").event().to_string();
/// let event = TestEvent::from_json(&json).unwrap();
/// assert_eq!(event.front_door(), FrontDoor::Alb);
/// let envelope = event.invoke(hello).await;
/// assert_eq!(envelope.status(), 200);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct TestEvent {
    json: String,
    front_door: FrontDoor,
    request_id: String,
    deadline_ms: u64,
}

/// Why an event could not be used.
#[non_exhaustive]
#[derive(Debug)]
pub enum EventError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The text is not JSON.
    Json(serde_json::Error),
    /// Not the event of any front door (why).
    NotAnHttpEvent(String),
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventError::Io(e) => write!(f, "cannot read the event: {e}"),
            EventError::Json(e) => write!(f, "the event is not JSON: {e}"),
            EventError::NotAnHttpEvent(e) => write!(f, "not an HTTP event: {e}"),
        }
    }
}

impl std::error::Error for EventError {}

impl TestEvent {
    /// Reads an event from JSON text.
    ///
    /// # Errors
    ///
    /// When the text is not JSON, or not an event of a front door `lambda_http` knows.
    pub fn from_json(json: &str) -> Result<Self, EventError> {
        serde_json::from_str::<serde::de::IgnoredAny>(json).map_err(EventError::Json)?;
        // The front door from the event's own members, as lambda-proxy reads an event that
        // `lambda_http` rejects: such events are tested too.
        let front_door = crate::adapter::event::probe(json.as_bytes()).ok_or_else(|| {
            EventError::NotAnHttpEvent(
                "its requestContext names no front door (API Gateway, function URL, ALB, VPC Lattice)".into(),
            )
        })?;
        Ok(TestEvent {
            json: json.to_owned(),
            front_door,
            request_id: REQUEST_ID.into(),
            deadline_ms: 0,
        })
    }

    /// Reads an event from a JSON file.
    ///
    /// # Errors
    ///
    /// When the file cannot be read, or as [`from_json`](TestEvent::from_json).
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Self, EventError> {
        Self::from_json(&std::fs::read_to_string(path).map_err(EventError::Io)?)
    }

    /// The front door that sends this event.
    pub fn front_door(&self) -> FrontDoor {
        self.front_door
    }

    /// The Lambda request id (default [`REQUEST_ID`]).
    pub fn request_id(mut self, id: &str) -> Self {
        self.request_id = id.into();
        self
    }

    /// The Lambda deadline as epoch milliseconds (default 0: none).
    pub fn deadline_ms(mut self, epoch_ms: u64) -> Self {
        self.deadline_ms = epoch_ms;
        self
    }

    /// The Lambda deadline, `after` from now.
    pub fn deadline_in(mut self, after: Duration) -> Self {
        self.deadline_ms = epoch_ms_in(after);
        self
    }

    /// Runs `handler` as [`run`](crate::run) does, as [`TestRequest::invoke`] does.
    pub async fn invoke<F, Fut>(self, handler: F) -> Envelope
    where
        F: FnMut(Request) -> Fut,
        Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
    {
        let context = lambda_context(&self.request_id, self.deadline_ms);
        invoke_adapter(self.front_door, &self.json, context, handler).await
    }
}

fn last_values(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.insert(k.clone(), Value::String(v.clone()));
    }
    map
}

fn all_values(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in pairs {
        let entry = map.entry(k.clone()).or_insert_with(|| json!([]));
        if let Value::Array(values) = entry {
            values.push(Value::String(v.clone()));
        }
    }
    map
}

fn joined_values(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in pairs {
        match map.get_mut(k) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(v);
            }
            _ => {
                map.insert(k.clone(), Value::String(v.clone()));
            }
        }
    }
    map
}

fn nullable(map: Map<String, Value>) -> Value {
    if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    }
}

/// A response envelope as the Lambda runtime posts it.
#[derive(Clone, Debug)]
pub struct Envelope {
    front_door: FrontDoor,
    raw: String,
    json: Value,
}

impl Envelope {
    fn parse(front_door: FrontDoor, raw: String) -> Self {
        let json = serde_json::from_str(&raw).unwrap_or(Value::Null);
        Envelope {
            front_door,
            raw,
            json,
        }
    }

    /// The front door the envelope is for.
    pub fn front_door(&self) -> FrontDoor {
        self.front_door
    }

    /// The exact JSON text the runtime posts.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The envelope as a JSON value.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// `statusCode` (0 if it is missing or not a number).
    pub fn status(&self) -> u16 {
        self.json["statusCode"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0)
    }

    /// Every value of header `name` (case-insensitive) as the client would receive it: from
    /// `multiValueHeaders` where the front door reads it, else from `headers`; `Set-Cookie` from
    /// `cookies` on HTTP API 2.0 and function URLs.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        let name = name.to_ascii_lowercase();
        let uses_cookies = self.front_door.format().cookies() == CookieRule::CookiesArray;
        if uses_cookies && name == "set-cookie" {
            return self.cookies();
        }
        let find = |map: &Value| -> Option<Value> {
            map.as_object()?
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&name))
                .map(|(_, v)| v.clone())
        };
        let multi = find(&self.json["multiValueHeaders"]);
        match multi {
            Some(Value::Array(values)) if !values.is_empty() => values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => find(&self.json["headers"])
                .and_then(|v| v.as_str().map(str::to_owned))
                .into_iter()
                .collect(),
        }
    }

    /// Header `name`, its values joined with `, ` (`None` when absent).
    pub fn header(&self, name: &str) -> Option<String> {
        let values = self.header_values(name);
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// The `cookies` array (HTTP API 2.0 and function URLs).
    pub fn cookies(&self) -> Vec<String> {
        self.json["cookies"]
            .as_array()
            .map(|c| {
                c.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `isBase64Encoded`.
    pub fn is_base64_encoded(&self) -> bool {
        self.json["isBase64Encoded"].as_bool().unwrap_or(false)
    }

    /// The `body` string as sent (base64 text when [`is_base64_encoded`](Self::is_base64_encoded)).
    pub fn body(&self) -> &str {
        self.json["body"].as_str().unwrap_or("")
    }

    /// The body bytes the client receives, base64-decoded where needed.
    pub fn body_bytes(&self) -> Vec<u8> {
        if self.is_base64_encoded() {
            base64::engine::general_purpose::STANDARD
                .decode(self.body())
                .unwrap_or_default()
        } else {
            self.body().as_bytes().to_vec()
        }
    }

    /// Runs the [checker](crate::check) on this envelope for its front door.
    pub fn check(&self) -> crate::check::Report {
        crate::check::check_sized(&self.json, self.front_door, self.raw.len())
    }

    /// Asserts that the envelope meets lambda-proxy's strict contract for its front door.
    ///
    /// # Panics
    ///
    /// With every finding of the [checker](crate::check), when there is one.
    #[track_caller]
    pub fn assert_valid(&self) -> &Self {
        let report = self.check();
        assert!(
            report.strict_ok(),
            "the envelope does not meet the strict contract:\n{report}\nenvelope: {}",
            self.raw
        );
        self
    }

    /// The body parsed as JSON.
    ///
    /// # Errors
    ///
    /// When the body is not JSON of type `T`.
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_slice(&self.body_bytes())
    }
}
