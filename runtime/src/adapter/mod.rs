//! The process boundary: from the event bytes the Lambda Runtime API hands over to the envelope
//! posted back, every answer of [`run`](crate::run) passes through here.
//!
//! `lambda_http` fails before any handler runs on events a front door can deliver (a header value
//! with a control character, a raw `"` in an HTTP API query string, a URI over 65,534 bytes, a
//! body marked base64 that is not): the runtime posts to `/error` and the client gets the front
//! door's bare 502. Here the event is read so that a failure still yields an answer:
//!
//! 1. [`event::read_bytes`] reads the event's bytes as `lambda_runtime` fetched them, and never
//!    fails. An API Gateway event (REST, HTTP API, function URL) is read in one
//!    pass by lambda-proxy's own reader ([`read`]) into the event type `lambda_http` would have
//!    read; any other event, or one that reader leaves, is read as `lambda_http` reads it. An
//!    event neither reads keeps the error, and its bytes are read again, lightly, for the front
//!    door ([`event::probe`]).
//! 2. The conversion into an `http::Request` (URI, base64 body, extensions), `lambda_http`'s,
//!    runs under a panic guard ([`convert`]).
//! 3. The request goes to the app through its exit (`crate::exit`), which finishes every answer;
//!    the answer is written as the front door's envelope ([`answer`]), or in Lambda's streaming
//!    format, and posted ([`post`]).
//!
//! A failure to read the event is answered 400 (414 for a URI that is too long) with a problem
//! body that says what was wrong without echoing the offending bytes, logged at warn level with
//! the reason, and finished by the app's exit like any answer (its CORS headers, for the `Origin`
//! the event's bytes show); the process keeps serving.

pub(crate) mod answer;
pub(crate) mod convert;
pub(crate) mod event;
pub(crate) mod post;
mod read;
mod service;

pub(crate) use service::Adapter;
#[cfg(feature = "testing")]
pub(crate) use service::Answer;
