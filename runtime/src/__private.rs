//! What `#[proxy_handler]` expands to calls into this module. Not public API: it may change in any
//! release, in step with the exactly pinned `lambda-proxy-macros`.
//!
//! # How a return type is turned into a response
//!
//! The generated code does not look at how the return type is spelled (aliases such as
//! `anyhow::Result<T>` must work). It dispatches on the type with auto-ref specialization, as
//! `anyhow` does in `kind.rs`: `(&value).__proxy_kind()` resolves to the most specific of the
//! `*Kind` traits below. `Result` and `Option` are unwrapped one level at a time ([`Step::Next`]);
//! `()`, `Response`, `Reply` and any other type (which must then be `Serialize`) end the walk
//! ([`Step::Done`]). The macro emits a fixed number of levels; [`Leaf`] fills the ones left over.

use crate::error::{error_response, ResponseError};
use crate::front_door::FrontDoor;
use crate::reply::{json_response, Reply};
use crate::{envelope, guards, problem};
use http::{HeaderName, HeaderValue, StatusCode};
use lambda_http::{Body, Request, RequestExt, Response};
use std::convert::Infallible;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, SystemTime};

pub use http;

/// [`guards::DEFAULT_MARGIN`] in milliseconds, for generated code.
pub const DEFAULT_MARGIN_MS: u64 = guards::DEFAULT_MARGIN.as_millis() as u64;

/// The compile-time configuration of one handler, built by the macro from its attribute.
pub struct HandlerConfig {
    /// Status of a successful answer with a body (`status = N`, default 200).
    pub status: u16,
    /// Status of a successful answer to `()` (`status = N`, default 204).
    pub empty_status: u16,
    /// Content type of a successful JSON body (`content_type = ".."`, default application/json),
    /// validated by the macro and built at compile time.
    pub content_type: HeaderValue,
    /// Headers added to every successful answer (`headers(..)`): names and values validated by
    /// the macro and built at compile time.
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
        content_type: HeaderValue::from_static("application/json"),
        headers: &[],
        timeout_ms: 0,
        margin_ms: DEFAULT_MARGIN_MS,
    };

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK)
    }

    fn add_headers(&self, response: &mut Response<Body>, overwrite: bool) {
        for (name, value) in self.headers {
            if overwrite || !response.headers().contains_key(name) {
                response.headers_mut().insert(name.clone(), value.clone());
            }
        }
    }
}

/// What the wrapper knows about the invocation before the user's code runs.
pub struct Invocation {
    config: &'static HandlerConfig,
    front_door: Option<FrontDoor>,
    /// The Lambda request id, empty when there is none. Inline: request ids are 36-character
    /// UUIDs, and copying one must not cost an allocation per invocation.
    request_id: smallvec::SmallVec<[u8; 40]>,
    /// The Lambda deadline in epoch milliseconds, 0 when there is none.
    deadline_ms: u64,
}

impl Invocation {
    /// Reads the front door, the Lambda request id and the deadline from `request`'s extensions.
    pub fn begin(config: &'static HandlerConfig, request: &Request) -> Self {
        warn_if_panics_abort();
        let ctx = request.lambda_context_ref();
        Invocation {
            config,
            front_door: FrontDoor::of(request),
            request_id: ctx.map_or_else(Default::default, |ctx| {
                smallvec::SmallVec::from_slice(ctx.request_id.as_bytes())
            }),
            deadline_ms: ctx.map_or(0, |ctx| ctx.deadline),
        }
    }

    /// The time the handler gets from `start`, when it has a limit.
    fn budget(&self, start: SystemTime) -> Option<Duration> {
        let config = self.config;
        let timeout = (config.timeout_ms > 0).then(|| Duration::from_millis(config.timeout_ms));
        guards::budget(
            self.deadline_ms,
            self.front_door,
            timeout,
            Duration::from_millis(config.margin_ms),
            start,
        )
    }

    fn request_id(&self) -> Option<&str> {
        // Copied from a `String`: always UTF-8.
        std::str::from_utf8(&self.request_id)
            .ok()
            .filter(|id| !id.is_empty())
    }
}

/// A handler that ran out of time: how long it had run, and its budget.
struct Timeout {
    elapsed: Duration,
    budget: Duration,
}

/// Under `panic = "abort"` no panic can be caught: say so once per process (cold start).
fn warn_if_panics_abort() {
    if cfg!(panic = "abort") {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            tracing::warn!(
                "built with panic = \"abort\": a panic in a handler ends the process and the client gets the front door's 502; build with panic = \"unwind\" to answer 500 instead"
            );
        });
    }
}

/// How a plain (not `async`) handler ended: with a value or a panic.
pub struct Outcome<T>(Result<T, Panic>);

pin_project_lite::pin_project! {
    /// The future of an `async` handler: runs the user's future under the timeout and panic
    /// guards, then turns its value into the answer.
    ///
    /// A named future rather than an `async` block, so that the user's future is stored once, in
    /// place: an `async` wrapper holds its arguments (the 256-byte request, or the user's future)
    /// next to its own locals, and `lambda_http` boxes the whole future on every invocation.
    pub struct Guarded<F, D> {
        #[pin]
        future: F,
        inv: Invocation,
        dispatch: Option<D>,
        started: Option<tokio::time::Instant>,
        timer: Option<(Pin<Box<tokio::time::Sleep>>, Duration)>,
    }
}

impl<F, D> Guarded<F, D>
where
    F: Future,
    D: FnOnce(F::Output, &Invocation) -> Response<Body>,
{
    /// Guards `future`; `dispatch` turns its value into a response (under the panic guard, as
    /// `Serialize` impls run there).
    #[inline]
    pub fn new(inv: Invocation, future: F, dispatch: D) -> Self {
        Guarded {
            future,
            inv,
            dispatch: Some(dispatch),
            started: None,
            timer: None,
        }
    }
}

impl<F, D> Future for Guarded<F, D>
where
    F: Future,
    D: FnOnce(F::Output, &Invocation) -> Response<Body>,
{
    type Output = Result<Response<Body>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        assert!(
            this.dispatch.is_some(),
            "a `#[proxy_handler]` future was polled after it completed"
        );
        let first_poll = this.started.is_none();
        let started = *this.started.get_or_insert_with(tokio::time::Instant::now);
        // The handler first, so that one that is ready when the budget ends still counts.
        let outcome = match poll_guarded(this.future, cx) {
            Poll::Ready(result) => Ok(result),
            Poll::Pending => {
                // The budget and its timer are only worked out when the handler is still pending
                // after its first poll: a handler that answers at once reads no wall clock and
                // needs no timer, and one that waits on I/O can afford a small allocation. On
                // the heap, the timer keeps the future 112 bytes smaller.
                if first_poll {
                    // The wall-clock time the handler started, for the Lambda deadline.
                    let start = SystemTime::now()
                        .checked_sub(started.elapsed())
                        .unwrap_or(SystemTime::UNIX_EPOCH);
                    *this.timer = this.inv.budget(start).and_then(|budget| {
                        timer(started + budget).map(|sleep| (Box::pin(sleep), budget))
                    });
                }
                match this.timer.as_mut() {
                    Some((sleep, budget)) => match sleep.as_mut().poll(cx) {
                        Poll::Ready(()) => Err(Timeout {
                            elapsed: started.elapsed(),
                            budget: *budget,
                        }),
                        Poll::Pending => return Poll::Pending,
                    },
                    None => return Poll::Pending,
                }
            }
        };
        let inv = &*this.inv;
        let dispatch = this.dispatch.take().expect("checked above");
        let result = outcome.map(|result| {
            result.and_then(|value| catch_unwind(AssertUnwindSafe(|| dispatch(value, inv))))
        });
        Poll::Ready(Ok(finish(inv, result)))
    }
}

/// Runs a plain (not `async`) handler under the panic guard. Blocking code cannot be interrupted,
/// so there is no timeout.
pub fn guard_sync<T>(handler: impl FnOnce() -> T) -> Outcome<T> {
    Outcome(catch_unwind(AssertUnwindSafe(handler)))
}

/// The answer: `dispatch` turns the handler's value into a response (under the panic guard, as
/// `Serialize` impls run there); then the response is normalized for the front door and
/// size-checked.
pub fn respond<T>(
    inv: &Invocation,
    outcome: Outcome<T>,
    dispatch: impl FnOnce(T, &Invocation) -> Response<Body>,
) -> Result<Response<Body>, Infallible> {
    let result = outcome
        .0
        .and_then(|value| catch_unwind(AssertUnwindSafe(|| dispatch(value, inv))));
    Ok(finish(inv, Ok(result)))
}

/// A panic payload, as `catch_unwind` gives it.
type Panic = Box<dyn std::any::Any + Send>;

/// Polls `future` inside `catch_unwind`.
#[inline]
fn poll_guarded<F>(
    future: Pin<&mut F>,
    cx: &mut std::task::Context<'_>,
) -> Poll<Result<F::Output, Panic>>
where
    F: Future + ?Sized,
{
    match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
        Ok(Poll::Pending) => Poll::Pending,
        Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
        Err(payload) => Poll::Ready(Err(payload)),
    }
}

/// The answer for an outcome, normalized and size-checked. Not generic, so that it is compiled
/// once, not once per handler.
fn finish(
    inv: &Invocation,
    outcome: Result<Result<Response<Body>, Panic>, Timeout>,
) -> Response<Body> {
    let rid = inv.request_id();
    let mut response = match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(payload)) => {
            tracing::error!(
                request_id = rid.unwrap_or(""),
                panic = guards::panic_message(payload.as_ref()),
                "the handler panicked; answering 500"
            );
            problem::response(StatusCode::INTERNAL_SERVER_ERROR, None, rid)
        }
        Err(Timeout { elapsed, budget }) => {
            tracing::warn!(
                request_id = rid.unwrap_or(""),
                elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
                budget_ms = u64::try_from(budget.as_millis()).unwrap_or(u64::MAX),
                "the handler did not finish within its time budget; answering 504"
            );
            problem::response(
                StatusCode::GATEWAY_TIMEOUT,
                Some("The server did not answer in time."),
                rid,
            )
        }
    };
    envelope::normalize(inv.front_door, rid, &mut response);
    let Err(size) = guards::check_size(inv.front_door, &response) else {
        return response;
    };
    tracing::error!(
        request_id = rid.unwrap_or(""),
        size,
        limit = guards::size_limit(inv.front_door),
        "the response is larger than the front door delivers; answering 500"
    );
    response = problem::response(
        StatusCode::INTERNAL_SERVER_ERROR,
        Some("The response is larger than this endpoint can deliver."),
        rid,
    );
    envelope::normalize(inv.front_door, rid, &mut response);
    response
}

/// A timer until `deadline`, or `None` (and a warning, once) when the Tokio runtime has no time
/// driver: then the handler runs without a timeout rather than failing.
fn timer(deadline: tokio::time::Instant) -> Option<tokio::time::Sleep> {
    // Outside any Tokio runtime (a test driving the handler with another executor) there is no
    // timer to use.
    tokio::runtime::Handle::try_current().ok()?;
    let sleep = catch_unwind(|| tokio::time::sleep_until(deadline));
    if sleep.is_err() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            tracing::warn!(
                "the Tokio runtime has no time driver (enable it with `enable_time` or `enable_all`): handlers run without a timeout"
            );
        });
    }
    sleep.ok()
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

/// One step of the walk through the return type.
pub enum Step<T, E = Leaf> {
    /// The answer is known.
    Done(Response<Body>),
    /// A `Result` or `Option` was unwrapped; dispatch on the inner value next.
    Next(T),
    /// An `Err`: answered by [`fail`], after the generated code has chosen how to log it (with
    /// the `source()` chain when `E` is a `std::error::Error`, which only the concrete type can
    /// tell).
    Fail(E),
}

/// The value at levels past the end of the walk, and the error of steps that cannot fail. It has
/// no values, so those arms never run.
pub enum Leaf {}

impl std::fmt::Display for Leaf {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {}
    }
}

impl ResponseError for Leaf {}

/// Answers an `Err` through [`ResponseError`], logging `log`.
pub fn fail<E: ResponseError>(error: &E, log: &str, inv: &Invocation) -> Response<Body> {
    error_response(error, log, inv.request_id())
}

/// A response body must be `Serialize`; this trait names the mistake when it is not.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a JSON response body",
    label = "`{Self}` does not implement `serde::Serialize`",
    note = "derive it with `#[derive(serde::Serialize)]`, or build the answer yourself and return `lambda_proxy::Response<lambda_proxy::Body>`"
)]
pub trait ProxyBody {
    /// The JSON text of the body.
    fn to_json(&self) -> serde_json::Result<String>;
}

impl<T: serde::Serialize + ?Sized> ProxyBody for T {
    #[inline]
    fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }
}

/// A handler with `status = 204` or `304` cannot also return a body.
#[diagnostic::on_unimplemented(
    message = "a handler whose `status` carries no body (204 or 304) cannot return `{Self}`",
    label = "this return type would carry a body",
    note = "return `()` (or `Result<(), E>`) for an empty answer, or choose another `status`"
)]
pub trait NoBody {
    /// Never called: nothing implements this trait.
    fn no_body(self) -> Response<Body>;
}

macro_rules! kind {
    ($(#[$doc:meta])* $trait:ident => $tag:ident) => {
        $(#[$doc])*
        pub struct $tag;
        #[doc = concat!("Selects [`", stringify!($tag), "`].")]
        pub trait $trait {
            #[doc = concat!("Returns [`", stringify!($tag), "`].")]
            #[inline]
            fn __proxy_kind(&self) -> $tag {
                $tag
            }
        }
    };
}

kind!(
    /// `Result<T, E>`: `Err` through [`ResponseError`], `Ok` dispatched further.
    ResultKind => ResultTag
);
kind!(
    /// `Option<T>`: `None` is 404, `Some` dispatched further.
    OptionKind => OptionTag
);
kind!(
    /// `()`: an empty answer, 204 unless the attribute says otherwise.
    UnitKind => UnitTag
);
kind!(
    /// `Response<B>`: passed through (and normalized).
    ResponseKind => ResponseTag
);
kind!(
    /// [`Reply<T>`]: body, status and headers chosen at run time.
    ReplyKind => ReplyTag
);
kind!(
    /// Levels past the end of the walk.
    LeafKind => LeafTag
);
kind!(
    /// Anything else: a JSON body, which must be `Serialize`. Implemented for `&T`, so it is the
    /// fallback when no other kind matches.
    BodyKind => BodyTag
);

impl<T, E> ResultKind for Result<T, E> {}
impl<T> OptionKind for Option<T> {}
impl UnitKind for () {}
impl<B> ResponseKind for Response<B> {}
impl<T> ReplyKind for Reply<T> {}
impl LeafKind for Leaf {}
impl<T: ?Sized> BodyKind for &T {}

impl ResultTag {
    /// Splits a `Result`.
    #[inline]
    pub fn split<T, E: ResponseError>(self, value: Result<T, E>, _inv: &Invocation) -> Step<T, E> {
        match value {
            Ok(value) => Step::Next(value),
            Err(error) => Step::Fail(error),
        }
    }
}

impl OptionTag {
    /// Splits an `Option`.
    #[inline]
    pub fn split<T>(self, value: Option<T>, inv: &Invocation) -> Step<T> {
        match value {
            Some(value) => Step::Next(value),
            None => Step::Done(problem::response(
                StatusCode::NOT_FOUND,
                None,
                inv.request_id(),
            )),
        }
    }
}

impl UnitTag {
    /// The empty answer.
    #[inline]
    pub fn split(self, _value: (), inv: &Invocation) -> Step<Leaf> {
        let status =
            StatusCode::from_u16(inv.config.empty_status).unwrap_or(StatusCode::NO_CONTENT);
        let mut response = Response::new(Body::Text(String::new()));
        *response.status_mut() = status;
        inv.config.add_headers(&mut response, true);
        Step::Done(response)
    }
}

impl ResponseTag {
    /// The user's own response; the attribute's headers fill in what it does not set.
    #[inline]
    pub fn split<B: Into<Body>>(self, value: Response<B>, inv: &Invocation) -> Step<Leaf> {
        let mut response = value.map(Into::into);
        inv.config.add_headers(&mut response, false);
        Step::Done(response)
    }
}

impl ReplyTag {
    /// A [`Reply`].
    #[inline]
    pub fn split<T: ProxyBody>(self, value: Reply<T>, inv: &Invocation) -> Step<Leaf> {
        let mut response = value.into_response(
            inv.config.status(),
            &inv.config.content_type,
            inv.request_id(),
        );
        if response.status().is_success() {
            inv.config.add_headers(&mut response, false);
        }
        Step::Done(response)
    }
}

impl LeafTag {
    /// Unreachable: there is no `Leaf` value.
    #[inline]
    pub fn split(self, value: Leaf, _inv: &Invocation) -> Step<Leaf> {
        match value {}
    }
}

impl BodyTag {
    /// A JSON body.
    #[inline]
    pub fn split<T: ProxyBody>(self, value: T, inv: &Invocation) -> Step<Leaf> {
        let mut response = json_response(
            &value,
            inv.config.status(),
            &inv.config.content_type,
            inv.request_id(),
        );
        if response.status().is_success() {
            inv.config.add_headers(&mut response, true);
        }
        Step::Done(response)
    }

    /// A JSON body where the attribute's status allows none: always a compile error.
    pub fn split_empty<T: NoBody>(self, value: T, _inv: &Invocation) -> Step<Leaf> {
        Step::Done(value.no_body())
    }
}

impl ReplyTag {
    /// A [`Reply`] where the attribute's status allows no body: always a compile error.
    pub fn split_empty<T>(self, value: Reply<T>, _inv: &Invocation) -> Step<Leaf>
    where
        Reply<T>: NoBody,
    {
        Step::Done(value.no_body())
    }
}

impl ResultTag {
    /// As `split`, under an attribute `status` that carries no body.
    #[inline]
    pub fn split_empty<T, E: ResponseError>(
        self,
        value: Result<T, E>,
        inv: &Invocation,
    ) -> Step<T, E> {
        self.split(value, inv)
    }
}

impl OptionTag {
    /// As `split`, under an attribute `status` that carries no body.
    #[inline]
    pub fn split_empty<T>(self, value: Option<T>, inv: &Invocation) -> Step<T> {
        self.split(value, inv)
    }
}

impl UnitTag {
    /// As `split`, under an attribute `status` that carries no body.
    #[inline]
    pub fn split_empty(self, value: (), inv: &Invocation) -> Step<Leaf> {
        self.split(value, inv)
    }
}

impl ResponseTag {
    /// As `split`; the response's own status decides whether it has a body.
    #[inline]
    pub fn split_empty<B: Into<Body>>(self, value: Response<B>, inv: &Invocation) -> Step<Leaf> {
        self.split(value, inv)
    }
}

impl LeafTag {
    /// Unreachable: there is no `Leaf` value.
    #[inline]
    pub fn split_empty(self, value: Leaf, _inv: &Invocation) -> Step<Leaf> {
        match value {}
    }
}

/// The last level of the walk: only [`Leaf`] may arrive here.
#[diagnostic::on_unimplemented(
    message = "the return type nests `Result` and `Option` too deeply for `#[proxy_handler]`",
    label = "at most 4 levels of `Result`/`Option` around the body are supported",
    note = "flatten the return type, for example turn `Option<Option<T>>` into `Option<T>`"
)]
pub trait EndOfWalk {
    /// Never runs: `Leaf` has no values.
    fn end_of_walk(self) -> Response<Body>;
}

impl EndOfWalk for Leaf {
    fn end_of_walk(self) -> Response<Body> {
        match self {}
    }
}

/// Ends the walk: compiles only for [`Leaf`].
#[inline]
pub fn end_of_walk<T: EndOfWalk>(value: T) -> Response<Body> {
    value.end_of_walk()
}

/// The status of a `#[derive(ResponseError)]` arm, validated (400..=599) by the derive.
#[inline]
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Logs an error with its `source()` chain when it is a `std::error::Error`.
pub struct ChainTag;
/// Logs an error through `Display` alone.
pub struct DisplayTag;

/// Selects [`ChainTag`] for `std::error::Error` types.
pub trait ChainKind {
    /// Returns [`ChainTag`].
    #[inline]
    fn __proxy_log_kind(&self) -> ChainTag {
        ChainTag
    }
}
impl<E: std::error::Error> ChainKind for E {}

/// Selects [`DisplayTag`] for everything else.
pub trait DisplayKind {
    /// Returns [`DisplayTag`].
    #[inline]
    fn __proxy_log_kind(&self) -> DisplayTag {
        DisplayTag
    }
}
impl<T: std::fmt::Display + ?Sized> DisplayKind for &T {}

impl ChainTag {
    /// [`ResponseError::log_message`], with the `source()` chain added when the implementation
    /// kept the default (the `Display` text alone).
    pub fn log_message<E: std::error::Error + ResponseError>(self, error: &E) -> String {
        let own = error.log_message();
        if error.source().is_some() && own == error.to_string() {
            crate::error::chain(error)
        } else {
            own
        }
    }
}

impl DisplayTag {
    /// [`ResponseError::log_message`].
    pub fn log_message<E: ResponseError + ?Sized>(self, error: &E) -> String {
        error.log_message()
    }
}
