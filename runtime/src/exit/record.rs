//! The access record: one structured `tracing` event per invocation, written by the exit once the
//! answer is final (after CORS, normalization, the size check and `HEAD`) or, for a streamed
//! answer, by its stream when it ends ([`Closing`]); and the kinds of error answers it names.

use super::service::Call;
use crate::handler::RequestId;
use http::{HeaderValue, Method};
use lambda_http::{Body, Request, Response};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tracing::Level;

/// The `tracing` target of the access records: filter them with it
/// (`RUST_LOG=info,lambda_proxy::access=off`).
pub(crate) const TARGET: &str = "lambda_proxy::access";

/// The level of the access records unless [`Exit::access_log`](crate::Exit::access_log) sets
/// another.
pub(crate) const DEFAULT_LEVEL: Level = Level::INFO;

/// What gave an error answer, for the access record and the metrics: never the details, which
/// are logged where the error happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// An input the route reads was refused (a path parameter, the query, the body, a
    /// constraint, the caller): 400, 401, 403, 413, 415, 422.
    InvalidRequest,
    /// No route for the path (404), or a WebSocket event under a router.
    NotFound,
    /// The path has no route for the method (405).
    MethodNotAllowed,
    /// The handler's `Err`, answered through its `ResponseError`.
    Handler,
    /// The handler's answer could not be serialized (500).
    Unserializable,
    /// The handler, an extractor or the service panicked (500).
    Panic,
    /// The invocation's time budget ran out (504).
    Timeout,
    /// The answer was larger than the front door delivers (500).
    Oversize,
    /// The event could not be read as an HTTP request (400, 414).
    UnreadableEvent,
    /// A streamed answer whose delivery stopped before its end: the connection to the Lambda
    /// Runtime API failed.
    Aborted,
}

impl ErrorKind {
    /// The name the record writes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::NotFound => "not_found",
            ErrorKind::MethodNotAllowed => "method_not_allowed",
            ErrorKind::Handler => "handler_error",
            ErrorKind::Unserializable => "unserializable",
            ErrorKind::Panic => "panic",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Oversize => "oversize",
            ErrorKind::UnreadableEvent => "unreadable_event",
            ErrorKind::Aborted => "aborted",
        }
    }

    /// The kind of `response`'s error: the one it was tagged with where it was made, else
    /// `app_error` for a 4xx or 5xx the app built itself (a `Response`, a tower service's);
    /// `None` for any other status.
    pub(crate) fn of(response: &Response<Body>) -> Option<&'static str> {
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            return None;
        }
        Some(
            response
                .extensions()
                .get::<ErrorKind>()
                .map_or("app_error", |kind| kind.name()),
        )
    }
}

/// `response`, tagged with what gave it.
#[inline]
pub(crate) fn tagged(mut response: Response<Body>, kind: ErrorKind) -> Response<Body> {
    response.extensions_mut().insert(kind);
    response
}

/// Whether no invocation of this process has been recorded yet (one process is one execution
/// environment: its first invocation is the cold start, whichever exit records it).
static COLD: AtomicBool = AtomicBool::new(true);

/// What the record of one invocation knows before the answer, taken when the exit is called.
pub(crate) struct Start {
    at: Instant,
    method: Option<Method>,
    /// The route that answered, as declared (`GET /users/{id}`): a router's.
    pub(crate) route: Option<Arc<str>>,
    /// Cloned (measured cheaper than a copy inline, which every move of the future pays).
    trace_id: Option<HeaderValue>,
    cold: bool,
    /// The time of the start in epoch milliseconds, when metrics are written (the timestamp of
    /// their document).
    timestamp_ms: u64,
    /// Whether metrics are written: the app is then called and polled with
    /// [`recorder`](Start::recorder) as the thread's current one.
    pub(crate) metrics: bool,
    /// The metrics the handler added, once it asked for a recorder.
    pub(crate) recorder: Option<crate::metrics::Recorder>,
}

impl Start {
    /// The start of the invocation of `request` (`None` for an event that could not be read).
    pub(crate) fn of(request: Option<&Request>, metrics: bool) -> Self {
        // The environment is read once, on the first invocation: an environment initialized
        // ahead of its invocations (provisioned concurrency) has no cold start to report.
        let cold = COLD.load(Ordering::Relaxed)
            && COLD.swap(false, Ordering::Relaxed)
            && std::env::var_os("AWS_LAMBDA_INITIALIZATION_TYPE")
                .is_none_or(|kind| kind != "provisioned-concurrency");

        let timestamp_ms = if metrics {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        } else {
            0
        };
        let (method, trace_id) = match request {
            Some(request) => (
                Some(request.method().clone()),
                request.headers().get(X_AMZN_TRACE_ID).cloned(),
            ),
            None => (None, None),
        };
        Start {
            at: Instant::now(),
            method,
            route: None,
            trace_id,
            cold,
            timestamp_ms,
            metrics,
            recorder: None,
        }
    }

    /// Makes this invocation's recorder the thread's current one, when metrics are written; give
    /// what it returns to [`Start::leave`].
    #[inline]
    pub(crate) fn enter(&mut self) -> Option<crate::metrics::Entered> {
        self.metrics
            .then(|| crate::metrics::enter(&mut self.recorder))
    }

    /// Ends [`Start::enter`].
    #[inline]
    pub(crate) fn leave(&mut self, entered: Option<crate::metrics::Entered>) {
        if let Some(entered) = entered {
            self.recorder = crate::metrics::leave(entered);
        }
    }

    /// The facts of the finished invocation, for the record and the metrics.
    pub(crate) fn finished<'a>(&'a self, call: &'a Call, response: &Response<Body>) -> Done<'a> {
        let body_bytes = match response.body() {
            Body::Empty => 0,
            Body::Text(text) => text.len(),
            Body::Binary(bytes) => bytes.len(),
            // `Body` is non-exhaustive; a later kind is counted as empty.
            _ => 0,
        };
        let facts = Facts {
            request_id: &call.request_id,
            front_door: call.front_door,
            status: response.status().as_u16(),
        };
        self.done(facts, body_bytes, ErrorKind::of(response))
    }

    fn done<'a>(
        &'a self,
        facts: Facts<'a>,
        body_bytes: usize,
        error: Option<&'static str>,
    ) -> Done<'a> {
        Done {
            request_id: facts.request_id.as_str().unwrap_or(""),
            front_door: facts.front_door.map(crate::FrontDoor::name),
            method: self.method.as_ref().map(Method::as_str),
            route: self.route.as_deref(),
            status: facts.status,
            duration: self.at.elapsed(),
            timestamp_ms: self.timestamp_ms,
            body_bytes,
            cold_start: self.cold,
            error,
            trace_id: self.trace_id.as_ref().and_then(|v| v.to_str().ok()),
        }
    }
}

/// What the record takes from the call and the answer.
struct Facts<'a> {
    request_id: &'a RequestId,
    front_door: Option<crate::FrontDoor>,
    status: u16,
}

/// The record (and the metrics document) of a streamed answer, written when its stream ends,
/// the first to know its bytes, its duration and whether it failed after its head.
pub(crate) struct Closing {
    start: Start,
    request_id: RequestId,
    front_door: Option<crate::FrontDoor>,
    pub(crate) status: u16,
    /// The kind of the head's error, for a 4xx or 5xx head.
    head_error: Option<&'static str>,
    level: Option<Level>,
    metrics: Option<crate::metrics::Metrics>,
}

impl Closing {
    /// The record of `response` to `call`, whose stream is still to flow.
    pub(crate) fn new(
        start: Start,
        call: &Call,
        response: &Response<Body>,
        level: Option<Level>,
        metrics: Option<crate::metrics::Metrics>,
    ) -> Closing {
        Closing {
            start,
            request_id: call.request_id.clone(),
            front_door: call.front_door,
            status: response.status().as_u16(),
            head_error: ErrorKind::of(response),
            level,
            metrics,
        }
    }

    /// The invocation's start, whose recorder is the current one while the stream is polled.
    pub(crate) fn start(&mut self) -> &mut Start {
        &mut self.start
    }

    /// Writes the record and the metrics: `body_bytes` sent after the prelude, and what ended
    /// the stream early, if anything did.
    pub(crate) fn close(self, body_bytes: u64, failure: Option<ErrorKind>) {
        let facts = Facts {
            request_id: &self.request_id,
            front_door: self.front_door,
            status: self.status,
        };
        let body_bytes = usize::try_from(body_bytes).unwrap_or(usize::MAX);
        let error = failure.map(ErrorKind::name).or(self.head_error);
        let done = self.start.done(facts, body_bytes, error);
        if let Some(level) = self.level {
            done.write(level);
        }
        if let Some(metrics) = &self.metrics {
            metrics.write(&done, self.start.recorder.as_ref());
        }
    }
}

const X_AMZN_TRACE_ID: http::HeaderName = http::HeaderName::from_static("x-amzn-trace-id");

/// The facts of one finished invocation.
pub(crate) struct Done<'a> {
    pub(crate) request_id: &'a str,
    pub(crate) front_door: Option<&'static str>,
    pub(crate) method: Option<&'a str>,
    pub(crate) route: Option<&'a str>,
    pub(crate) status: u16,
    pub(crate) duration: std::time::Duration,
    /// The start in epoch milliseconds (0 when metrics are not written).
    pub(crate) timestamp_ms: u64,
    pub(crate) body_bytes: usize,
    pub(crate) cold_start: bool,
    pub(crate) error: Option<&'static str>,
    pub(crate) trace_id: Option<&'a str>,
}

/// Calls `$mac!(target: TARGET, <level>, ...)` with the level `$level` chosen at run time: a
/// `tracing` call site has one level.
macro_rules! at_level {
    ($level:expr, $mac:ident!($($rest:tt)*)) => {
        match $level {
            Level::ERROR => tracing::$mac!(target: TARGET, Level::ERROR, $($rest)*),
            Level::WARN => tracing::$mac!(target: TARGET, Level::WARN, $($rest)*),
            Level::INFO => tracing::$mac!(target: TARGET, Level::INFO, $($rest)*),
            Level::DEBUG => tracing::$mac!(target: TARGET, Level::DEBUG, $($rest)*),
            Level::TRACE => tracing::$mac!(target: TARGET, Level::TRACE, $($rest)*),
        }
    };
}

/// Whether a subscriber takes access records at `level`: when none does, the exit reads no clock
/// for them.
#[inline]
pub(crate) fn enabled(level: Level) -> bool {
    match level {
        Level::ERROR => tracing::enabled!(target: TARGET, Level::ERROR),
        Level::WARN => tracing::enabled!(target: TARGET, Level::WARN),
        Level::INFO => tracing::enabled!(target: TARGET, Level::INFO),
        Level::DEBUG => tracing::enabled!(target: TARGET, Level::DEBUG),
        Level::TRACE => tracing::enabled!(target: TARGET, Level::TRACE),
    }
}

impl Done<'_> {
    /// Writes the access record at `level`.
    pub(crate) fn write(&self, level: Level) {
        at_level!(
            level,
            event!(
                request_id = self.request_id,
                front_door = self.front_door,
                method = self.method,
                route = self.route,
                status = self.status,
                // Whole microseconds, divided once: `0.113`, not `0.11343199999999999`.
                duration_ms = self.duration.as_micros() as f64 / 1000.0,
                response_bytes = self.body_bytes,
                cold_start = self.cold_start,
                error = self.error,
                xray_trace_id = self.trace_id,
                "access"
            )
        );
    }
}
