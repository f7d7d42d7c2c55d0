//! Streamed answers: server-sent events, JSON lines and bytes, sent as they are made where the
//! front door streams, with the guarantee kept.
//!
//! A handler (routed or not) returns [`Streamed`], or `Result<Streamed, E>`; its status, content
//! type and headers come from the attribute as for any handler:
//!
//! ```
//! use lambda_proxy::stream::{Event, Streamed};
//! use lambda_proxy::proxy_handler;
//! use serde::Serialize;
//!
//! #[derive(Serialize)]
//! struct Tick {
//!     n: u32,
//! }
//!
//! #[proxy_handler(route = "GET /ticks")]
//! async fn ticks() -> Streamed {
//!     let items = (1..=3).map(|n| Event::new(Tick { n }).name("tick").id(n.to_string()));
//!     Streamed::sse(futures_util::stream::iter(items))
//! }
//! # fn main() {}
//! ```
//!
//! Where the answer goes decides how it travels:
//!
//! - **A front door that streams.** A function URL with `InvokeMode: RESPONSE_STREAM` and a REST
//!   API integration with `responseTransferMode: STREAM` stream, when the exit is told so
//!   ([`Exit::stream`](crate::Exit::stream)): the Lambda invocation mode is the deployment's, and
//!   the event does not tell it. The exit waits for the stream's first item, so that the
//!   prelude (status, headers, cookies), always valid for the front door, goes out with it.
//!   Every answer of such a front door is posted in the streaming format, the buffered routes'
//!   included, whole.
//! - **Any other front door** (HTTP APIs, ALB, VPC Lattice; a function URL or REST API not told
//!   to stream; `lambda_http::run`; the testing kit): the items are collected into one ordinary
//!   answer, within the front door's size limit.
//!
//! What can go wrong, and what the client sees:
//!
//! | when | what happens |
//! | --- | --- |
//! | the handler's `Err`, or the stream's error, before the first item | the whole problem answer of that error (its status, the CORS headers, the request id) |
//! | a panic before the first item | 500 problem answer |
//! | no first item before the deadline | 504 problem answer |
//! | an error, a panic or an unserializable item after the first | the stream ends at once; nothing after the failure is sent; Lambda is told with its error trailers (`Lambda-Runtime-Function-Error-Type`, `-Body`), never with text in the body |
//! | the deadline (the function's, the exit's timeout, REST's 15 minutes) | the same, a margin before it |
//! | more than the front door delivers (function URLs: 200 MiB) | the same, before the chunk that would pass the limit |
//!
//! When Lambda is told of a failure, it ends the client's response without its last chunk: curl
//! reports `transfer closed with outstanding read data remaining` (exit status 18), a browser's
//! `EventSource` fires `error` and reconnects, `fetch` rejects while reading. The reason is
//! logged with the request id; the trailers carry only its kind.
//!
//! A slow client slows the stream: the next item is asked for when the last has been written,
//! so nothing is buffered without bound.

mod encode;
pub(crate) mod flow;

pub use encode::{Event, IntoEvent};

use crate::error::{error_response, ResponseError};
use crate::exit::record::{tagged, Closing, ErrorKind};
use bytes::Bytes;
use futures_core::Stream;
use http::HeaderValue;
use lambda_http::{Body, Response};
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// A streamed answer: a stream of items written as server-sent events, JSON lines, or bytes.
/// Return it from a `#[proxy_handler]` (or `Result<Streamed, E>`); see the [module
/// documentation](self) for how it travels and fails.
#[must_use]
pub struct Streamed {
    pub(crate) content_type: HeaderValue,
    pub(crate) items: Items,
    pub(crate) chunks: Chunks,
}

/// What a stream's chunks are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Items {
    /// Server-sent events.
    Events,
    /// JSON lines: UTF-8 text, whatever `lambda_http` makes of their content type.
    Lines,
    /// Bytes.
    Bytes,
}

/// Marks an answer whose body is text although `lambda_http` would send its content type as
/// base64 (JSON lines): collected whole, it goes in the envelope as text, which every front door
/// delivers as it is (base64 would reach a REST API's client as base64 text unless the API lists
/// the type in its `binaryMediaTypes`).
#[derive(Clone, Copy)]
pub(crate) struct Text;

impl fmt::Debug for Streamed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Streamed")
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

/// The chunks of a streamed answer, encoded, or why they stopped.
pub(crate) type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Failure>> + Send>>;

const EVENT_STREAM: HeaderValue = HeaderValue::from_static("text/event-stream");
const NDJSON: HeaderValue = HeaderValue::from_static("application/x-ndjson");
const OCTET_STREAM: HeaderValue = HeaderValue::from_static("application/octet-stream");

impl Streamed {
    /// Server-sent events (`text/event-stream`): each item one event, its JSON as the `data:`
    /// line; an [`Event`] gives the event a name and an id.
    pub fn sse<S>(items: S) -> Streamed
    where
        S: Stream + Send + 'static,
        S::Item: IntoEvent,
    {
        Streamed::new(
            EVENT_STREAM,
            Items::Events,
            encode::infallible(items, encode::event),
        )
    }

    /// Server-sent events from a stream that can fail: an `Err` before the first item is the
    /// error's own problem answer; after it, the stream ends as the module documentation says.
    pub fn try_sse<S, T, E>(items: S) -> Streamed
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        T: IntoEvent + 'static,
        E: ResponseError + Send + 'static,
    {
        Streamed::new(
            EVENT_STREAM,
            Items::Events,
            encode::fallible(items, encode::event),
        )
    }

    /// JSON lines (`application/x-ndjson`): each item's JSON, then a line feed.
    pub fn json_lines<S>(items: S) -> Streamed
    where
        S: Stream + Send + 'static,
        S::Item: serde::Serialize,
    {
        Streamed::new(
            NDJSON,
            Items::Lines,
            encode::infallible(items, encode::line),
        )
    }

    /// JSON lines from a stream that can fail.
    pub fn try_json_lines<S, T, E>(items: S) -> Streamed
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        T: serde::Serialize + 'static,
        E: ResponseError + Send + 'static,
    {
        Streamed::new(NDJSON, Items::Lines, encode::fallible(items, encode::line))
    }

    /// Bytes as they come, with the attribute's `content_type` (`application/octet-stream`
    /// without one).
    pub fn bytes<S>(chunks: S) -> Streamed
    where
        S: Stream + Send + 'static,
        S::Item: Into<Bytes>,
    {
        Streamed::new(
            OCTET_STREAM,
            Items::Bytes,
            encode::infallible(chunks, encode::raw),
        )
    }

    /// Bytes from a stream that can fail (a file, an upstream response).
    pub fn try_bytes<S, B, E>(chunks: S) -> Streamed
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: ResponseError + Send + 'static,
    {
        Streamed::new(
            OCTET_STREAM,
            Items::Bytes,
            encode::fallible(chunks, encode::raw),
        )
    }

    fn new(content_type: HeaderValue, items: Items, chunks: Chunks) -> Streamed {
        Streamed {
            content_type,
            items,
            chunks,
        }
    }

    /// The response that carries this stream to the exit: the head, with the stream in its
    /// extensions ([`Pending`]) and an empty body.
    pub(crate) fn into_response(
        self,
        status: http::StatusCode,
        content_type: Option<&HeaderValue>,
    ) -> Response<Body> {
        let mut response = Response::new(Body::Empty);
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            content_type.cloned().unwrap_or(self.content_type),
        );
        match self.items {
            // Nothing between the function and the client may keep events back.
            Items::Events => {
                headers.insert(
                    http::header::CACHE_CONTROL,
                    HeaderValue::from_static("no-cache"),
                );
            }
            Items::Lines => {
                response.extensions_mut().insert(Text);
            }
            Items::Bytes => {}
        }
        response.extensions_mut().insert(Pending::new(self.chunks));
        response
    }
}

/// A stream on its way through the exit, in a response's extensions (which take only `Clone +
/// Sync` values): taken out once.
#[derive(Clone)]
pub(crate) struct Pending(Arc<Mutex<Option<Flowing>>>);

/// A stream, the chunk the exit already took from it, and the record to write when it ends.
pub(crate) struct Flowing {
    pub(crate) first: Option<Bytes>,
    pub(crate) chunks: Chunks,
    pub(crate) closing: Option<Closing>,
}

impl Pending {
    fn new(chunks: Chunks) -> Pending {
        Pending::with(Flowing {
            first: None,
            chunks,
            closing: None,
        })
    }

    pub(crate) fn with(flowing: Flowing) -> Pending {
        Pending(Arc::new(Mutex::new(Some(flowing))))
    }

    /// The stream of `response`, taken out of it; `None` for an answer that is not streamed.
    #[inline]
    pub(crate) fn take(response: &mut Response<Body>) -> Option<Flowing> {
        let pending = response.extensions_mut().remove::<Pending>()?;
        let mut slot = pending
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.take()
    }

    /// Hands `closing` to the stream of `response`, which writes it when it ends; gives it back
    /// when `response` has no stream to flow.
    pub(crate) fn close_with(response: &Response<Body>, closing: Closing) -> Option<Closing> {
        let Some(pending) = response.extensions().get::<Pending>() else {
            return Some(closing);
        };
        let mut slot = pending
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match slot.as_mut() {
            Some(flowing) => {
                flowing.closing = Some(closing);
                None
            }
            None => Some(closing),
        }
    }
}

/// Why a stream stopped before its end.
pub(crate) enum Failure {
    /// The stream's own `Err`.
    Error(Box<dyn FailedWith + Send>),
    /// An item whose `Serialize` failed.
    Unserializable(serde_json::Error, &'static str),
    /// An SSE event whose name or id has a line break (or, for an id, a NUL), which would end
    /// the field early.
    BadField(&'static str),
}

/// A stream's error, kept with its type: answered through its [`ResponseError`] before the first
/// byte, logged after it.
pub(crate) trait FailedWith {
    fn answer(&self, request_id: Option<&str>) -> Response<Body>;
    fn log_message(&self) -> String;
}

impl<E: ResponseError> FailedWith for E {
    fn answer(&self, request_id: Option<&str>) -> Response<Body> {
        tagged(
            error_response(self, &self.log_message(), request_id),
            ErrorKind::Handler,
        )
    }

    fn log_message(&self) -> String {
        ResponseError::log_message(self)
    }
}

impl Failure {
    /// The whole answer for a failure before the first byte, logged.
    pub(crate) fn answer(&self, request_id: Option<&str>) -> Response<Body> {
        match self {
            Failure::Error(error) => error.answer(request_id),
            Failure::Unserializable(..) | Failure::BadField(_) => {
                self.log(request_id, "before its first item; answering 500");
                tagged(
                    crate::problem::response(
                        http::StatusCode::INTERNAL_SERVER_ERROR,
                        None,
                        request_id,
                    ),
                    ErrorKind::Unserializable,
                )
            }
        }
    }

    /// Logs the failure with the request id; `when` says where the stream was.
    pub(crate) fn log(&self, request_id: Option<&str>, when: &str) {
        let request_id = request_id.unwrap_or("");
        match self {
            Failure::Error(error) => tracing::error!(
                request_id,
                error = error.log_message(),
                "the stream failed {when}"
            ),
            Failure::Unserializable(error, type_name) => tracing::error!(
                request_id,
                type_name,
                %error,
                "a stream item could not be serialized to JSON {when}"
            ),
            Failure::BadField(field) => tracing::error!(
                request_id,
                field,
                "a server-sent event's {field} has a line break, which would end it early {when}"
            ),
        }
    }

    /// The error type Lambda is told for a failure after the first byte.
    pub(crate) fn error_type(&self) -> &'static str {
        match self {
            Failure::Error(_) => "LambdaProxy.StreamError",
            Failure::Unserializable(..) | Failure::BadField(_) => "LambdaProxy.Unserializable",
        }
    }

    /// The kind the access record names.
    pub(crate) fn kind(&self) -> ErrorKind {
        match self {
            Failure::Error(_) => ErrorKind::Handler,
            Failure::Unserializable(..) | Failure::BadField(_) => ErrorKind::Unserializable,
        }
    }
}
