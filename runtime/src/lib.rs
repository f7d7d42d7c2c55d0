//! # lambda-proxy
//!
//! Every outcome of an AWS Lambda HTTP function becomes a valid proxy response.
//!
//! API Gateway, function URLs, ALB and VPC Lattice expect a Lambda function to answer with a JSON
//! envelope (`statusCode`, `headers`, `body` as a string, `isBase64Encoded`). When a function
//! returns anything else, or fails, the client gets a bare `502 Internal server error` and the
//! logs say "Malformed Lambda proxy response". With lambda-proxy, whatever a handler returns and
//! however it fails, the answer is a valid envelope for the front door that sent the event.
//!
//! ```no_run
//! use lambda_proxy::{proxy_handler, HttpError, Path, Router};
//!
//! #[derive(serde::Serialize)]
//! struct User { id: u64, name: String }
//!
//! #[proxy_handler(route = "GET /users/{id}")]
//! async fn get_user(Path(id): Path<u64>) -> Result<User, HttpError> {
//!     match id {
//!         7 => Ok(User { id, name: "Ada".into() }),
//!         _ => Err(HttpError::not_found(format!("no user {id}"))),
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), lambda_proxy::Error> {
//!     lambda_proxy::run(Router::new().route(get_user)?).await
//! }
//! ```
//!
//! # How an invocation goes
//!
//! 1. [`run`] reads the event with lambda-proxy's adapter: an event `lambda_http` cannot read
//!    (a control character in a header, a raw `"` in an HTTP API query string, a URI over 65,534
//!    bytes, a body marked base64 that is not) is answered 400 (414 for the URI), not a bare 502.
//! 2. The app answers: a [`Router`] picks the route and reads its typed inputs ([`Path`],
//!    [`Query`], [`Json`], [`State`], ...), and a [`#[proxy_handler]`](proxy_handler) turns
//!    whatever it returns into a response, by its type (below). A tower service (an axum app)
//!    answers through [`guard`].
//! 3. The [`Exit`] finishes every answer, whoever gave it: the panic guard, the invocation's time
//!    budget (504), CORS, normalization for the front door, the size check on what is sent, and
//!    `HEAD`; then it writes the access record and, when asked, the metrics.
//! 4. The adapter writes the envelope of the event's front door ([`FrontDoor`]).
//!
//! [`run`] serves anything [`Serve`]: a `#[proxy_handler]` fn (or a closure that calls one), a
//! [`Router`], a [`guard`]ed tower service, or any of them wrapped by an [`Exit`] with its
//! settings. The [testing kit](testing) invokes the same values the same way, from the event's
//! bytes to the envelope's.
//!
//! # Return types
//!
//! The answer is chosen by the type, not by how it is spelled (`anyhow::Result<T>` or your own
//! `type ApiResult<T> = Result<T, ApiError>` work):
//!
//! | the handler returns | the answer |
//! | --- | --- |
//! | any `T: Serialize` | `status` (default 200), body = the JSON text of `T`, `content-type: application/json` |
//! | `Result<T, E>` | `Ok(t)` as `t` alone; `Err(e)` through [`ResponseError`]: its status and an `application/problem+json` body |
//! | `Option<T>` | `Some(t)` as `t` alone; `None` is 404 |
//! | `()` | 204 with an empty body (or `status`, e.g. 202) |
//! | [`Response<B>`](Response) | passed through, finished by the exit |
//! | [`Reply<T>`](Reply) | a JSON body with a status and headers chosen at run time |
//! | `(StatusCode, T)` | that status, `T` as the JSON body |
//! | [`Streamed`](stream::Streamed) | server-sent events, JSON lines or bytes, streamed where the front door streams ([`Exit::stream`]), else collected whole ([`stream`]) |
//!
//! `Result` and `Option` nest (`Result<Option<T>, E>`), up to four levels. Other tuples of
//! `Serialize` values, `(u16, T)` included, are JSON arrays. `impl IntoResponse` is refused at the
//! return type: return `Response<Body>`, or the value itself.
//!
//! # Attribute arguments
//!
//! Each has a section, with an example and the equivalent code without the macro, in the
//! documentation of [`proxy_handler`]; every mistake is a compile error at its token.
//!
//! | argument | meaning | checked at compile time |
//! | --- | --- | --- |
//! | `route = "GET /users/{id}"` | a route of a [`Router`]; the parameters are extractors | the method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY), the template (matchit's syntax, `{{`/`}}` for literal braces, each parameter once), a `Path` tuple's arity against the template |
//! | `status = N` | status of a successful answer (and of `()`) | 100..=599; 204/304 only with `()`, `Result<(), E>` or `Response` |
//! | `content_type = "type/subtype"` | content type of a successful JSON body, or of a streamed one | a media type |
//! | `headers("name" = "value", ..)` | headers added to every answer the handler gives itself; a name alone (`headers("location")`) declares one the handler sets at run time, for the OpenAPI document | valid names and printable values; not `content-type`, `content-length`, `transfer-encoding`; no duplicates |
//! | `timeout_ms = N` | the handler's own time budget; past it the answer is 504 | 1..=900000, no suffix; `async fn` only |
//!
//! The time kept back from deadlines is the whole function's: [`Exit::margin`].
//!
//! # Errors
//!
//! `Err(e)` answers through [`ResponseError`] with RFC 9457 problem details
//! (`application/problem+json`, [`HttpError::CONTENT_TYPE`]) that include the Lambda request id
//! as `requestId`:
//!
//! | the error | status | `detail` the client sees |
//! | --- | --- | --- |
//! | [`HttpError`] | its status | the detail given (written for the client) |
//! | [`HttpError::new`] with a status outside 400–599 | 500 | generic; the mistake is logged |
//! | your type, with [`derive@ResponseError`] or by hand | `status()` | 4xx: `Display`; 5xx: generic |
//! | a variant `#[response(transparent)]` around an [`HttpError`] (or any `ResponseError`) | the field's | the field's |
//! | [`Error`], `Box<dyn Error>`, `std::io::Error`, `serde_json::Error`, `anyhow::Error` (feature `anyhow`) | 500 | generic |
//! | `None` | 404 | none |
//! | a `Json`, `Query` or `Path` value that breaks a `validator` constraint (feature `validate`) | 422 | the first broken constraint; `errors` lists each, `{"pointer": "#/name", "detail": ".."}` |
//! | a panic, in the handler or anything around it | 500 | generic |
//! | the invocation's budget runs out | 504 | "The server did not answer in time." |
//! | an answer larger than the front door delivers | 500 | "The response is larger than this endpoint can deliver." |
//!
//! The full error and its `source()` chain, and a panic's message, are logged with `tracing`,
//! with the request id; a 5xx never shows the client more than a generic sentence.
//! [`ProxyRequestExt`] parses JSON bodies and parameters into `Result<T, HttpError>` with precise
//! 4xx answers.
//!
//! # The envelope
//!
//! The exit normalizes every answer for its front door, by the table of [`FrontDoor::profile`]:
//!
//! | front door | headers | `Set-Cookie` |
//! | --- | --- | --- |
//! | REST API, HTTP API 1.0, WebSocket API | every value in `multiValueHeaders` only (a header in both maps can reach the client twice) | every cookie in `multiValueHeaders` |
//! | HTTP API 2.0, function URL | single-value `headers`, repeated values comma-joined | every cookie in `cookies` |
//! | ALB, multi-value mode | every value in `multiValueHeaders` only (the map the load balancer reads) | every cookie |
//! | ALB, single-value mode; VPC Lattice | single-value `headers`, repeated values comma-joined | the first only (a warning is logged) |
//!
//! And for every front door:
//!
//! - a header value that is not printable ASCII (a control character such as CR, LF or tab, or a
//!   byte above 0x7E) is left out with a warning naming the header: such a value cannot be
//!   carried in the envelope, and with plain `lambda_http` it ends the runtime process;
//! - a status outside 100–599 becomes a 500 problem response; 204 and 304 answers have an empty
//!   body; the body is always a JSON string;
//! - a body that fails to serialize (a map with non-string keys, a failing `Serialize` impl)
//!   becomes a 500 problem response, logged;
//! - an envelope larger than the front door's limit (6 MiB; 1 MB for ALB; 128 KB for WebSocket
//!   messages), JSON escaping and base64 growth included, becomes a 500 problem response;
//! - the answer to `HEAD` has the status and headers `GET`'s has, `content-length` included, and
//!   no body.
//!
//! # The time budget
//!
//! An invocation answers 504 when the smallest of these runs out: the Lambda deadline less the
//! margin, the front door's integration timeout less the margin (REST API 29 s, HTTP API 30 s,
//! WebSocket API 29 s, others none; [`Exit::integration_timeout`] for an API configured
//! otherwise), the exit's [`timeout`](Exit::timeout), and a handler's own `timeout_ms`. The margin
//! is 200 ms unless [`Exit::margin`] says otherwise. The timeout can only interrupt a handler at
//! an `.await`: one that blocks its thread (`std::thread::sleep`, a synchronous client) answers
//! late, and the front door answers on its own; run blocking work with
//! `tokio::task::spawn_blocking`. It needs Tokio's time driver (`#[tokio::main]` enables it); on a
//! runtime without one, invocations run without a timeout and a warning is logged once.
//!
//! # Testing and checking
//!
//! With the `testing` feature, [`testing::TestRequest`] builds the event of any front door, runs
//! an app from the event's bytes to the envelope as [`run`] does, and returns the envelope exactly
//! as the runtime posts it; [`testing::Envelope::assert_valid`] runs the checker of
//! `lambda-proxy-cli` on it, the one `lambda-proxy check` runs on any function's responses, in
//! any language.
//!
//! # The API's contract
//!
//! With the `openapi` feature, a [`Router`] writes its OpenAPI 3.1 document from what its
//! handlers already declare (routes, parameter and body types, statuses, headers, error types, doc
//! comments) and serves it ([`Router::openapi`]; the [`openapi`] module has the table of what each
//! part of a handler says). With `validate`, constraints declared with `validator` on the type of
//! a `Json`, `Query` or `Path` are in the document and checked at the door. With `testing` as
//! well, every answer the testing kit gets from a router is held to the router's document.
//! `docs/openapi.md` is the guide.
//!
//! # Who called, and what happened
//!
//! [`Caller<T>`](Caller) reads the identity the front door's authorizer verified (a JWT's or
//! Cognito's claims, a Lambda authorizer's context, the IAM caller) into your type: 401 without
//! one, 403 for claims of another shape. The exit writes one access record per invocation, a
//! `tracing` event with target `lambda_proxy::access` (request id, front door, method, route
//! template, status, duration, bytes, cold start, error kind, X-Ray trace id), on by default
//! ([`Exit::access_log`]); with [`Exit::metrics`], a CloudWatch embedded-metric-format document
//! per invocation ([`metrics`]). `docs/observability.md` is the guide.
//!
//! # Features
//!
//! | feature | what it adds |
//! | --- | --- |
//! | `testing` | the [testing kit](testing), with the checker of `lambda-proxy-cli` |
//! | `anyhow` | `ResponseError` for `anyhow::Error` |
//! | `openapi` | the OpenAPI 3.1 document ([`openapi`]), schemas by `schemars` 1.x |
//! | `validate` | `validator` constraints checked at the door (422) |

#![warn(missing_docs)]

mod adapter;
mod app;
mod body;
mod caller;
mod cors;
mod dispatch;
mod envelope;
mod error;
mod exit;
pub mod front_door;
mod gate;
mod guard;
mod guards;
mod handler;
pub mod metrics;
#[cfg(feature = "openapi")]
pub mod openapi;
mod problem;
mod reply;
mod request;
pub mod router;
mod run;
pub mod stream;

#[doc(hidden)]
pub mod __private;

#[cfg(feature = "testing")]
pub mod testing;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The guides' examples, compiled as doc tests: every Rust block of `docs/`.
#[cfg(doctest)]
pub mod guides {
    #[doc = include_str!("../../docs/migrating.md")]
    pub struct Migrating;
    #[doc = include_str!("../../docs/recipes.md")]
    pub struct Recipes;
    #[doc = include_str!("../../docs/running.md")]
    pub struct Running;
    #[doc = include_str!("../../docs/comparison.md")]
    pub struct Comparison;
    #[doc = include_str!("../../docs/troubleshooting.md")]
    pub struct Troubleshooting;
    #[doc = include_str!("../../docs/testing.md")]
    pub struct Testing;
    #[doc = include_str!("../../docs/compile-errors.md")]
    pub struct CompileErrors;
    #[doc = include_str!("../../docs/openapi.md")]
    pub struct OpenApi;
    #[doc = include_str!("../../docs/observability.md")]
    pub struct Observability;
    #[doc = include_str!("../../docs/streaming.md")]
    pub struct Streaming;
    #[doc = include_str!("../../docs/local-gateway.md")]
    pub struct LocalGateway;
}

pub use app::Serve;
pub use caller::{Authorizer, Caller};
pub use cors::{Cors, CorsBuilder, CorsError};
pub use error::{HttpError, ResponseError};
pub use exit::Exit;
pub use guard::guard;
pub use lambda_proxy_core::FrontDoor;
pub use reply::Reply;
pub use request::ProxyRequestExt;
pub use router::extract::{Json, Path, Query, State};
pub use router::table::Router;
pub use run::run;

/// The types behind [`run`], [`guard`] and [`Exit`], for code that names them.
pub mod serve {
    pub use crate::app::HandlerService;
    pub use crate::exit::{ExitFuture, ExitService};
    pub use crate::guard::{Guardable, GuardedService};
    pub use crate::router::table::RouterFuture;
    pub use crate::run::{Concurrent, Run};
}

#[doc = include_str!("docs/proxy_handler.md")]
pub use lambda_proxy_macros::proxy_handler;

/// Derives [`ResponseError`] from `#[response(...)]` attributes.
///
/// `#[response(status = N)]` (400..=599) on the type sets the status of every variant; on a
/// variant it sets (or overrides) that variant's. `type = "uri"` and `title = ".."` set the
/// problem's `type` and `title` the same way. An enum variant without a status, on an enum without
/// one, is a compile error at the variant. `Display` comes from you, typically from `thiserror`;
/// when the type is a `std::error::Error`, a handler logs its `source()` chain too.
///
/// `#[response(transparent)]` on a variant (or struct) with one field answers exactly as that
/// field's own `ResponseError` does: status, type, title, detail, extensions, headers and log
/// message. It is how one's own error enum carries the [`HttpError`]s of
/// [`ProxyRequestExt::json`] and the parameter helpers without turning every 415 and 422 into one
/// status:
///
/// ```
/// use lambda_proxy::{HttpError, ResponseError};
///
/// #[derive(Debug, thiserror::Error, ResponseError)]
/// enum ApiError {
///     #[error(transparent)]
///     #[response(transparent)]
///     Request(#[from] HttpError),
///     #[error("stock service unavailable")]
///     #[response(status = 503)]
///     Stock,
/// }
///
/// let error = ApiError::from(HttpError::unsupported_media_type("send JSON"));
/// assert_eq!(error.status(), 415);
/// assert_eq!(ApiError::Stock.status(), 503);
/// ```
///
/// ```
/// use lambda_proxy::ResponseError;
///
/// #[derive(Debug, thiserror::Error, ResponseError)]
/// #[response(status = 500)]
/// enum AccountError {
///     #[error("no account {0}")]
///     #[response(status = 404, type = "https://example.com/problems/no-account")]
///     NotFound(u64),
///     #[error("account {0} is frozen")]
///     #[response(status = 409, title = "Account frozen")]
///     Frozen(u64),
///     #[error("ledger unavailable")]
///     Ledger(#[source] std::io::Error),
/// }
///
/// assert_eq!(AccountError::NotFound(7).status(), 404);
/// assert_eq!(AccountError::Ledger(std::io::Error::other("disk")).status(), 500);
/// ```
pub use lambda_proxy_macros::ResponseError;

pub use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
/// The HTTP request a handler receives (`http::Request<Body>`), as in `lambda_http`.
pub use lambda_http::Request;
pub use lambda_http::{Body, Context, Error, RequestExt, Response};

/// The `lambda_http` crate this version is built on.
pub use lambda_http;
