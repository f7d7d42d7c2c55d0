//! # lambda-proxy
//!
//! Every outcome of an AWS Lambda HTTP handler becomes a valid proxy response.
//!
//! API Gateway, function URLs, ALB and VPC Lattice expect a Lambda function to answer with a JSON
//! envelope (`statusCode`, `headers`, `body` as a string, `isBase64Encoded`). When a function
//! returns anything else, or fails, the client gets a bare `502 Internal server error` and the
//! logs say "Malformed Lambda proxy response". `#[proxy_handler]` rewrites a handler so that
//! whatever it returns, and however it fails, the answer is a valid envelope for the front door
//! that sent the event.
//!
//! ```no_run
//! use lambda_proxy::{proxy_handler, HttpError, Request};
//!
//! #[derive(serde::Serialize)]
//! struct User { id: u64, name: String }
//!
//! #[proxy_handler]
//! async fn get_user(_req: Request) -> Result<User, HttpError> {
//!     Ok(User { id: 7, name: "Ada".into() })
//! }
//!
//! #[proxy_handler(status = 201, headers("cache-control" = "no-store"))]
//! async fn create_user(_req: Request) -> Result<User, HttpError> {
//!     Err(HttpError::conflict("a user with that name exists"))
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), lambda_proxy::Error> {
//!     lambda_proxy::run(get_user).await
//! }
//! ```
//!
//! The rewritten handler is a fn with the same name that takes the `Request` and returns a future
//! of `Result<Response<Body>, Infallible>`, used exactly like an `async fn` (it borrows what an
//! `async fn` would, and is `Send` when the handler's body is): give it to [`run`], to
//! `lambda_http::run(service_fn(..))`, or call it from a test.
//!
//! ## Return types
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
//! | [`Response<B>`](Response) | passed through, normalized |
//! | [`Reply<T>`](Reply) | a JSON body with a status and headers chosen at run time |
//! | `(StatusCode, T)` | that status, `T` as the JSON body |
//!
//! `Result` and `Option` nest (`Result<Option<T>, E>`), up to four levels. Other tuples of
//! `Serialize` values, `(u16, T)` included, are JSON arrays.
//!
//! ## Attribute arguments
//!
//! Each has a section, with an example and the equivalent code without the macro, in the
//! documentation of [`proxy_handler`].
//!
//! | argument | meaning | checked at compile time |
//! | --- | --- | --- |
//! | `route = "GET /users/{id}"` | a route of a [`Router`]; the parameters are extractors | the method, the template |
//! | `status = N` | status of a successful answer | 100..=599; 204/304 only with `()` |
//! | `content_type = "type/subtype"` | content type of a successful JSON body | a valid media type |
//! | `headers("name" = "value", ..)` | headers added to every answer the handler gives itself | valid HTTP names and values |
//! | `timeout_ms = N` | the handler's own time budget; past it the answer is 504 | 1..=900000, no suffix; `async fn` only |
//! | `margin_ms = N` | time kept back from deadlines (default 200) | 0..=60000, no suffix; `async fn` only |
//!
//! ## Many routes in one function
//!
//! A [`Router`] serves a whole API from one function: `#[proxy_handler(route = "GET
//! /users/{id}")]` handlers whose parameters are typed inputs ([`Path`], [`Query`], [`Json`],
//! [`State`], ...), read before the handler runs and answered 4xx when they cannot be; the
//! router's own 404, 405, `HEAD` and `OPTIONS` answers; the same route table for every front door
//! and stage ([`router`] has the rule). Route mistakes are compile errors in the attribute, or a
//! [`RouteError`] when the router is built in `main`.
//!
//! A [`Cors`] policy on the router puts the CORS headers on every answer the function gives, the
//! guards' 500 and 504 included, and answers preflights.
//!
//! An existing axum app, or any `tower::Service<Request>`, gets the same guarantee without a
//! rewrite through [`guard`]: `lambda_proxy::run(lambda_proxy::guard(app))`.
//!
//! ## The process boundary
//!
//! [`run`] drives the Lambda runtime with lambda-proxy's own adapter: an event `lambda_http`
//! cannot read or convert (a control character in a header value, a raw `"` in an HTTP API
//! query string, a URI over 65,534 bytes, a body marked base64 that is not) is answered 400 (414
//! for the URI) instead of reaching the client as the front door's bare 502, and every answer,
//! headers added after the handler included, is normalized and size-checked at one exit before
//! the envelope is written. On Lambda Managed Instances (`AWS_LAMBDA_MAX_CONCURRENCY` above 1) it
//! serves invocations concurrently, every guard per invocation; its handler is a [`Handler`]
//! (`Clone + Send + 'static`).
//!
//! ## The envelope
//!
//! Before the envelope is written, the answer is normalized for its front door:
//!
//! - HTTP API 2.0, function URLs, ALB and VPC Lattice have a single-value `headers` map, where
//!   `lambda_http` would keep only the first of repeated values: they are comma-joined instead.
//!   `Set-Cookie` is never joined: HTTP API 2.0 and function URLs send every cookie in `cookies`,
//!   ALB sends all of them in `multiValueHeaders` (single-value mode can send only the first), VPC
//!   Lattice can send only the first (a warning is logged).
//! - REST APIs, HTTP APIs with payload 1.0 and WebSocket APIs get every header in
//!   `multiValueHeaders` only, never in both maps.
//! - A header value that is not printable ASCII (control characters such as CR, LF or tab, or
//!   bytes above 0x7E) is left out and a warning naming the header is logged. Such a value cannot
//!   be carried in the envelope, and with plain `lambda_http` it ends the runtime process.
//! - A status outside 100–599 becomes a 500 problem response; 204 and 304 answers have an empty
//!   body; the body is always a JSON string.
//! - A body that fails to serialize (a map with non-string keys, a failing `Serialize` impl)
//!   becomes a 500 problem response, logged with `tracing`.
//!
//! ## Guards
//!
//! A handler that runs past its budget (the Lambda deadline, the front door's integration timeout,
//! or `timeout_ms`, less the margin) answers 504; a panic answers 500; an envelope over the front
//! door's size limit answers 500. See [`guards`]; a handler that blocks its thread cannot be timed
//! out (run blocking work with `tokio::task::spawn_blocking`).
//!
//! ## Front doors
//!
//! What differs between the services that invoke a function over HTTP (the envelope's header
//! maps, where cookies go, the size limit, the integration timeout) is one table,
//! [`FrontDoor::profile`], that every part of this crate reads.
//!
//! ## Layout
//!
//! One module per concern: `adapter` (the process boundary: reading the event, the one exit,
//! writing the envelope), [`front_door`] (the table above), `envelope` (normalization),
//! [`guards`] (timeout, panic, size: the one exit of every handler), `dispatch` (from a return
//! type to a response, by type), `body` (JSON bodies), [`error`](ResponseError) and [`problem`]
//! (RFC 9457 answers), [`request`] (reading the request), [`router`] (routes, typed inputs),
//! [`check`] (the envelope checker: input, rules, [`check::catalogue`]) and `testing`. `__private` is only the list of what generated
//! code calls.
//!
//! ## Testing and checking
//!
//! With the `testing` feature, [`testing::TestRequest`] builds the event of any front door, runs a
//! handler from the event's bytes to the envelope as [`run`] does and returns the envelope exactly
//! as the runtime posts it; [`testing::Envelope::assert_valid`] runs the checker on it. The checker itself,
//! [`check`], diagnoses any function's response (any language) for any front door; the
//! `lambda-proxy-check` binary of this crate is its command line.
//!
//! ## Errors
//!
//! `Err(e)` answers through [`ResponseError`] with RFC 9457 problem details
//! (`application/problem+json`) that include the Lambda request id as `requestId`:
//!
//! | the error | status | `detail` the client sees |
//! | --- | --- | --- |
//! | [`HttpError`] | its status | the detail given (written for the client) |
//! | [`HttpError::new`] with a status outside 400–599 | 500 | generic; the mistake is logged |
//! | your type, with [`derive@ResponseError`] or by hand | `status()` | 4xx: `Display`; 5xx: generic |
//! | a variant `#[response(transparent)]` around an [`HttpError`] (or any `ResponseError`) | the field's | the field's |
//! | [`Error`], `Box<dyn Error>`, `std::io::Error`, `serde_json::Error`, `anyhow::Error` (feature `anyhow`) | 500 | generic |
//! | `None` | 404 | none |
//!
//! The full error and its `source()` chain are logged with `tracing`, with the request id; a 5xx
//! never shows the client more than a generic sentence. [`ProxyRequestExt`] parses JSON bodies and
//! parameters into `Result<T, HttpError>` with precise 4xx answers.

#![warn(missing_docs)]

mod adapter;
mod body;
pub mod check;
mod cors;
mod dispatch;
mod envelope;
mod error;
pub mod front_door;
pub mod guards;
mod handler;
pub mod problem;
mod reply;
pub mod request;
pub mod router;
mod run;
mod serve;

#[doc(hidden)]
pub mod __private;

#[cfg(feature = "testing")]
pub mod testing;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

pub use cors::{Cors, CorsBuilder, CorsError, CorsFuture, CorsService, WithCors};
pub use error::{HttpError, ResponseError};
pub use front_door::FrontDoor;
pub use reply::Reply;
pub use request::ProxyRequestExt;
pub use router::{
    FromRequest, FromRequestParts, Json, Path, PathParams, Query, Route, RouteError, Router, State,
};
pub use run::{run, runtime, Handler};
pub use serve::{guard, Guardable, GuardedService};

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
