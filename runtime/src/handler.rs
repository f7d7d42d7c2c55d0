//! What the code `#[proxy_handler]` generates knows: the handler's configuration, fixed at
//! compile time by the attribute ([`HandlerConfig`]), and the invocation, read from the request
//! before the user's code runs ([`Invocation`]).

use crate::front_door::FrontDoor;
use http::{HeaderName, HeaderValue, StatusCode};
use lambda_http::{Body, Request, RequestExt, Response};
use std::cell::Cell;

/// The default margin in milliseconds, [`guards::DEFAULT_MARGIN`](crate::guards::DEFAULT_MARGIN).
pub const DEFAULT_MARGIN_MS: u64 = 200;

/// The default content type of a JSON body.
static JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The compile-time configuration of one handler, built by the macro from its attribute as
/// `HandlerConfig { status: 201, ..HandlerConfig::DEFAULT }`: every default lives in
/// [`HandlerConfig::DEFAULT`].
pub struct HandlerConfig {
    /// Status of a successful answer with a body (`status = N`, default 200).
    pub status: u16,
    /// Status of a successful answer to `()` (`status = N`, default 204).
    pub empty_status: u16,
    /// Content type of a successful JSON body (`content_type = ".."`, default application/json),
    /// validated by the macro and built at compile time. A reference, so that the config has no
    /// destructor and `..HandlerConfig::DEFAULT` works in a static.
    pub content_type: &'static HeaderValue,
    /// Headers added to every answer the handler itself gives (`headers(..)`): names and values
    /// validated by the macro and built at compile time.
    pub headers: &'static [(HeaderName, HeaderValue)],
    /// The handler's own time budget in ms (`timeout_ms = N`); 0 for none.
    pub timeout_ms: u64,
    /// Time kept back from deadlines in ms (`margin_ms = N`).
    pub margin_ms: u64,
}

impl HandlerConfig {
    /// The configuration of a handler without attribute arguments.
    pub const DEFAULT: HandlerConfig = HandlerConfig {
        status: 200,
        empty_status: 204,
        content_type: &JSON,
        headers: &[],
        timeout_ms: 0,
        margin_ms: DEFAULT_MARGIN_MS,
    };

    /// The status of a successful answer with a body. The macro only accepts 100..=599.
    pub(crate) fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK)
    }

    /// The status of a successful answer to `()`.
    pub(crate) fn empty_status(&self) -> StatusCode {
        StatusCode::from_u16(self.empty_status).unwrap_or(StatusCode::NO_CONTENT)
    }

    /// Adds the attribute's headers to an answer of the handler's own. With `overwrite`, they
    /// replace what the answer has; without, they fill in what it does not set.
    pub(crate) fn add_headers(&self, response: &mut Response<Body>, overwrite: bool) {
        for (name, value) in self.headers {
            if overwrite || !response.headers().contains_key(name) {
                response.headers_mut().insert(name.clone(), value.clone());
            }
        }
    }
}

/// A Lambda request id, kept inline: request ids are 36-character UUIDs, and copying one must
/// not cost an allocation per invocation. Read as text only where an answer needs it (a problem
/// body, a log line), not on the way of every answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct RequestId(smallvec::SmallVec<[u8; 40]>);

impl RequestId {
    pub(crate) fn new(id: &str) -> Self {
        RequestId(smallvec::SmallVec::from_slice(id.as_bytes()))
    }

    /// The id, `None` when there is none.
    pub(crate) fn as_str(&self) -> Option<&str> {
        // Copied from a `&str`: always UTF-8.
        std::str::from_utf8(&self.0)
            .ok()
            .filter(|id| !id.is_empty())
    }
}

/// What the wrapper knows about the invocation before the user's code runs.
pub struct Invocation {
    pub(crate) config: &'static HandlerConfig,
    pub(crate) front_door: Option<FrontDoor>,
    /// The Lambda request id, empty when there is none.
    pub(crate) request_id: RequestId,
    /// The Lambda deadline in epoch milliseconds, 0 when there is none.
    pub(crate) deadline_ms: u64,
    /// Whether the answer passes through the exit of lambda-proxy's adapter, which normalizes it
    /// and checks its size (under [`run`](crate::run)); else the handler does both itself.
    pub(crate) exit_ahead: bool,
}

impl Invocation {
    /// Reads the front door, the Lambda request id and the deadline from `request`'s extensions.
    pub fn begin(config: &'static HandlerConfig, request: &Request) -> Self {
        let ctx = request.lambda_context_ref();
        // Under lambda-proxy's adapter, which read the front door from the event already.
        let (exit_ahead, front_door) = match EXIT_AHEAD.get() {
            Some(front_door) => (true, front_door),
            None => (false, FrontDoor::of(request)),
        };
        Invocation {
            config,
            front_door,
            request_id: ctx.map_or_else(RequestId::default, |ctx| RequestId::new(&ctx.request_id)),
            deadline_ms: ctx.map_or(0, |ctx| ctx.deadline),
            exit_ahead,
        }
    }

    /// The Lambda request id, `None` when there is none.
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.request_id.as_str()
    }
}

thread_local! {
    /// Set while lambda-proxy's adapter calls the service: a handler that begins then leaves
    /// normalization and the size check to the adapter's exit, which its answer passes through
    /// anyway (and with it whatever wraps the handler). It holds the front door the adapter read
    /// from the event.
    static EXIT_AHEAD: Cell<Option<Option<FrontDoor>>> = const { Cell::new(None) };
}

/// Marks the handlers that begin on this thread, until the guard is dropped, as answered
/// through the adapter's exit for `front_door` ([`Invocation::exit_ahead`]).
pub(crate) fn exit_ahead(front_door: Option<FrontDoor>) -> ExitAhead {
    ExitAhead(EXIT_AHEAD.replace(Some(front_door)))
}

/// Whether an answer given now passes through the exit of lambda-proxy's adapter.
pub(crate) fn under_adapter() -> bool {
    EXIT_AHEAD.get().is_some()
}

/// See [`exit_ahead`]; restores the previous state when dropped.
pub(crate) struct ExitAhead(Option<Option<FrontDoor>>);

impl Drop for ExitAhead {
    fn drop(&mut self) {
        EXIT_AHEAD.set(self.0);
    }
}

/// Turns the request into the type of the handler's first parameter, which must be the request.
pub fn request<T: IsRequest>(request: Request) -> T {
    T::from_request(request)
}

/// Implemented only by `lambda_proxy::Request`; names the mistake when the first parameter is
/// something else.
#[diagnostic::on_unimplemented(
    message = "the first parameter of a `#[proxy_handler]` fn must be the request, not `{Self}`",
    label = "expected `lambda_proxy::Request` here",
    note = "write `req: lambda_proxy::Request` first; further parameters are passed through after it"
)]
pub trait IsRequest {
    #[doc(hidden)]
    fn from_request(request: Request) -> Self;
}

impl IsRequest for Request {
    fn from_request(request: Request) -> Self {
        request
    }
}
