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

#[cfg(feature = "openapi")]
mod contract;
mod envelope;
mod event;
mod test_event;

pub use envelope::Envelope;
pub use test_event::{EventError, TestEvent};

use crate::front_door::FrontDoor;
use crate::Serve;
/// The bytes of an event, as the Lambda Runtime API hands them over ([`invoke_bytes`]).
pub use bytes::Bytes;
use lambda_http::request::LambdaRequest;
use lambda_http::{Context, Request};
use lambda_proxy_cli::event::HttpRequest;
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The request id test events carry unless [`TestRequest::request_id`] sets another.
pub const REQUEST_ID: &str = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";

/// A request as one front door would send it, built step by step.
#[derive(Clone, Debug)]
pub struct TestRequest {
    /// The request, as the event writer the local gateway uses too takes it.
    http: HttpRequest,
    request_id: String,
    deadline_ms: u64,
}

impl TestRequest {
    /// A `GET /` request from `front_door`.
    pub fn new(front_door: FrontDoor) -> Self {
        TestRequest {
            http: HttpRequest::new(front_door, "GET", "/"),
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

    /// From an Application Load Balancer in single-value header mode, with the headers the load
    /// balancer adds (`host`, `x-amzn-trace-id`, `x-forwarded-for`, `-port`, `-proto`).
    pub fn alb() -> Self {
        Self::new(FrontDoor::Alb)
    }

    /// From an Application Load Balancer with multi-value headers enabled, with the headers the
    /// load balancer adds.
    pub fn alb_multi_value() -> Self {
        Self::new(FrontDoor::AlbMultiValue)
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
        self.http.method = method.to_ascii_uppercase();
        self
    }

    /// The path, starting with `/`.
    pub fn path(mut self, path: &str) -> Self {
        self.http.path = path.into();
        self
    }

    /// Adds a query parameter (repeat for several values).
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.http.query.push((name.into(), value.into()));
        self
    }

    /// The API Gateway resource (REST API, HTTP API 1.0) or route (HTTP API 2.0) that matched,
    /// such as `/users/{id}` (default: `/{proxy+}` for REST and HTTP API 1.0, the `$default`
    /// route for HTTP API 2.0). The event's `pathParameters` are what API Gateway would extract
    /// from the path with it, so they always agree with the path; building the event panics
    /// when the path does not match the resource. Function URLs, ALB and VPC Lattice have no
    /// resource and ignore it.
    pub fn resource(mut self, template: &str) -> Self {
        self.http.resource = Some(template.into());
        self
    }

    /// The API Gateway stage: for a REST API (default `prod`), where the event's `path` leaves
    /// it out and `requestContext.path` has it; for an HTTP API 2.0 (default `$default`), where a
    /// named stage begins `rawPath`. HTTP API 1.0 events keep `$default` (lambda-proxy tells them
    /// from REST events by it); other front doors have no stages and ignore it.
    pub fn stage(mut self, stage: &str) -> Self {
        self.http.stage = Some(stage.into());
        self
    }

    /// Called through a custom domain whose base-path (API) mapping is `base_path` (`v1`). A REST
    /// API's event `path` begins with `/v1`, while the resource's path parameters do not
    /// include it; an HTTP API's `rawPath` never has the mapping's key (recorded reports:
    /// serverless-express#465), only the domain changes. REST APIs and HTTP APIs only.
    pub fn base_path(mut self, base_path: &str) -> Self {
        self.http.base_path = Some(base_path.trim_matches('/').into());
        self
    }

    /// Sets the value API Gateway sends for path parameter `name` of the [`resource`]
    /// (`TestRequest::resource`), in place of the one read from the path: for a value that
    /// API Gateway decodes differently from how the path spells it. Building the event panics
    /// when `name` is not a parameter of the resource: API Gateway never sends one that is not.
    ///
    /// Function URLs, ALB and VPC Lattice send no path parameters and ignore it.
    ///
    /// [`resource`]: TestRequest::resource
    pub fn path_param(mut self, name: &str, value: &str) -> Self {
        self.http.path_params.push((name.into(), value.into()));
        self
    }

    /// Adds a header (repeat for several values).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.http
            .headers
            .push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// From a page of `origin` (`https://app.example.com`): the `Origin` header a browser sends
    /// with a cross-origin request.
    pub fn origin(self, origin: &str) -> Self {
        self.header("origin", origin)
    }

    /// A CORS preflight from a page of `origin` for a `method` request sending `headers` (none
    /// for `""`): `OPTIONS` with `Origin`, `Access-Control-Request-Method` and, when given,
    /// `Access-Control-Request-Headers`, as a browser sends it.
    pub fn preflight(self, origin: &str, method: &str, headers: &str) -> Self {
        let request = self
            .method("OPTIONS")
            .origin(origin)
            .header("access-control-request-method", method);
        match headers {
            "" => request,
            headers => request.header("access-control-request-headers", headers),
        }
    }

    /// Adds a cookie, `name=value`.
    pub fn cookie(mut self, cookie: &str) -> Self {
        self.http.cookies.push(cookie.into());
        self
    }

    /// A JSON body, with `content-type: application/json`.
    pub fn json(self, body: &impl serde::Serialize) -> Self {
        let text = serde_json::to_string(body).expect("TestRequest::json: body does not serialize");
        self.header("content-type", "application/json").text(&text)
    }

    /// A text body, sent as it is.
    pub fn text(mut self, body: &str) -> Self {
        self.http.body = Some(body.as_bytes().to_vec());
        self.http.binary = false;
        self
    }

    /// A binary body, sent base64-encoded with `isBase64Encoded: true`.
    pub fn binary(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.http.body = Some(body.into());
        self.http.binary = true;
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
        self.http.front_door
    }

    /// The Lambda context the invocation gets.
    pub fn context(&self) -> Context {
        lambda_context(&self.request_id, self.deadline_ms)
    }

    /// A caller verified by `authorizer`, with `claims` (a JSON object: the token's claims, the
    /// Lambda authorizer's context, or the IAM identity's members), placed in the request context
    /// where the front door puts them, and written as it writes them: an HTTP API's JWT
    /// authorizer and a REST API's authorizers send every value as a string (an array as
    /// `"[a b]"`). A JWT's `scope` claim also gives its scopes. Read by [`Caller`](crate::Caller).
    ///
    /// # Panics
    ///
    /// Here, when `claims` is no object. When the event is built ([`event`](TestRequest::event),
    /// [`invoke`](TestRequest::invoke)), when the front door has no such authorizer: an ALB (its OIDC authentication sends
    /// headers, which `Caller` does not read), a function URL or VPC Lattice with another than
    /// IAM, a JWT on a REST API (whose JWTs come from a Cognito user pool authorizer).
    pub fn caller(mut self, authorizer: crate::Authorizer, claims: Value) -> Self {
        assert!(
            claims.is_object(),
            "the claims of a test caller are a JSON object"
        );
        self.http.caller = Some((authorizer, claims));
        self
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
                self.http.front_door
            )
        });
        let request: Request = event.into();
        request.with_lambda_context(ctx)
    }

    /// Runs `app` the way [`run`](crate::run) does, from the event's JSON text to the envelope:
    /// lambda-proxy's adapter reads the event (answering 400 one that cannot be read), calls the
    /// app through its [`Exit`](crate::Exit) and writes the envelope exactly as the runtime posts
    /// it. `app` is anything [`run`](crate::run) serves, here without the `Clone + Send +
    /// 'static` that serving concurrently needs.
    pub async fn invoke(self, app: impl Serve) -> Envelope {
        let json = self.event().to_string();
        invoke_adapter(self.http.front_door, &json, self.context(), app).await
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

/// Runs `app` on the event `json` the way [`run`](crate::run) does, and reads the envelope; with
/// the `openapi` feature, an answer of a router is held to the router's document.
async fn invoke_adapter(
    front_door: FrontDoor,
    json: &str,
    context: Context,
    app: impl Serve,
) -> Envelope {
    let exit = app.into_exit();
    #[cfg(feature = "openapi")]
    let held = contract::Held::of(&exit);
    let raw = invoke_bytes(Bytes::copy_from_slice(json.as_bytes()), context, exit).await;
    let raw = String::from_utf8(raw).expect("serde_json writes UTF-8");
    let envelope = Envelope::parse(front_door, raw);
    #[cfg(feature = "openapi")]
    if let Some(held) = held {
        held.assert_kept(json, &envelope);
    }
    envelope
}

/// The bytes of the envelope [`run`](crate::run) posts for the invocation of `app` with the event
/// `event` (as the Lambda Runtime API hands it over) and `context`: the event read by
/// lambda-proxy's adapter (an event that cannot be read is answered 400), the app called through
/// its exit, the answer written as the front door's envelope, serialized as the runtime does.
///
/// [`TestRequest::invoke`] and [`TestEvent::invoke`] are built on it; it is also what the
/// benchmarks measure.
///
/// # Panics
///
/// If the envelope cannot be serialized (the runtime would fail there; lambda-proxy's envelopes
/// always serialize).
pub async fn invoke_bytes(event: Bytes, context: Context, app: impl Serve) -> Vec<u8> {
    let mut adapter = crate::adapter::Adapter::new(app.into_exit());
    // As `run` does, but for a streamed answer, which is collected whole.
    let event = crate::adapter::event::read_bytes(&event);
    let response = match adapter.answer(event, context, false).await {
        crate::adapter::Answer::Envelope(envelope) => envelope,
        crate::adapter::Answer::Streamed(_) => unreachable!("the testing kit's answers are whole"),
    };
    serde_json::to_vec(&response).unwrap_or_else(|e| {
        panic!("the envelope cannot be serialized ({e}): the Lambda runtime would fail here")
    })
}

/// Keeps a committed copy of `app`'s OpenAPI document current: passes when the file at `path`
/// holds the document as [`Document::to_pretty_json`](crate::openapi::Document::to_pretty_json)
/// writes it; otherwise writes it there and fails, so that the change shows in review and the
/// next run passes. A relative `path` is relative to the package's directory (where `cargo
/// test` runs a test).
///
/// ```no_run
/// # use lambda_proxy::Router;
/// # fn app() -> Router { Router::new() }
/// #[test]
/// fn the_committed_openapi_document_is_current() {
///     lambda_proxy::testing::assert_openapi_file(app(), "openapi.json");
/// }
/// ```
///
/// # Panics
///
/// When `app` declares no document ([`Router::openapi`](crate::Router::openapi)), when the file
/// was missing or stale (after writing it), or when it cannot be written.
#[cfg(feature = "openapi")]
#[track_caller]
pub fn assert_openapi_file(app: impl Serve, path: impl AsRef<std::path::Path>) {
    let path = path.as_ref();
    let Some(document) = crate::openapi::document(app) else {
        panic!("the app serves no OpenAPI document: declare it on its router, `.openapi(\"/openapi.json\", Info::new(..))`");
    };
    let text = document.to_pretty_json();
    let committed = std::fs::read_to_string(path).ok();
    if committed.as_deref() == Some(text.as_str()) {
        return;
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    std::fs::write(path, &text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    match committed {
        None => panic!(
            "{} did not exist: the OpenAPI document is written there now; commit it",
            path.display()
        ),
        Some(_) => panic!(
            "{} was stale: the OpenAPI document changed and is written there now; review the diff and commit it",
            path.display()
        ),
    }
}
