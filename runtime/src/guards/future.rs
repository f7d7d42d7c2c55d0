//! The guarded handler: an `async` handler's future under the timeout and panic guards
//! ([`Guarded`]), a plain fn under the panic guard ([`guard_sync`], [`respond`]).

use super::finish::panicked;
use super::panic::{self, Panic};
use super::timer::Budget;
use crate::handler::Invocation;
use lambda_http::{Body, Response};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

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
        first_poll: bool,
        timer: Option<Pin<Box<Budget>>>,
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
        panic::warn_if_abort();
        Guarded {
            future,
            inv,
            dispatch: Some(dispatch),
            first_poll: true,
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

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        assert!(
            this.dispatch.is_some(),
            "a `#[proxy_handler]` future was polled after it completed"
        );
        // The handler first, so that one that is ready when its budget ends still counts.
        let response = match panic::poll(this.future, cx) {
            Poll::Ready(result) => {
                let inv = &*this.inv;
                let dispatch = this.dispatch.take().expect("checked above");
                answer(
                    inv,
                    result.and_then(|value| panic::guard(|| dispatch(value, inv))),
                )
            }
            Poll::Pending => {
                // A handler's own budget (`timeout_ms`) starts at its first poll, and is only
                // worked out for a handler still pending then. The Lambda deadline and the front
                // door's timeout are the exit's.
                if std::mem::take(this.first_poll) && this.inv.config.timeout_ms > 0 {
                    *this.timer = Budget::start(Duration::from_millis(this.inv.config.timeout_ms));
                }
                let Some(timer) = this.timer.as_mut() else {
                    return Poll::Pending;
                };
                let response =
                    std::task::ready!(timer.as_mut().poll_overrun(cx, this.inv.request_id()));
                // The handler's future is dropped with this one, as the 504 replaces it.
                *this.dispatch = None;
                response
            }
        };
        Poll::Ready(Ok(response))
    }
}

/// The handler's answer, or the 500 for its panic (or its answer's).
fn answer(inv: &Invocation, result: Result<Response<Body>, Panic>) -> Response<Body> {
    result.unwrap_or_else(|payload| panicked(inv, payload))
}

/// How a plain (not `async`) handler ended: with a value or a panic.
pub struct Outcome<T>(Result<T, Panic>);

impl<T> Outcome<T> {
    /// The value, or the panic's payload.
    pub(crate) fn into_result(self) -> Result<T, Panic> {
        self.0
    }
}

/// Runs a plain (not `async`) handler under the panic guard. Blocking code cannot be interrupted,
/// so there is no timeout.
pub fn guard_sync<T>(handler: impl FnOnce() -> T) -> Outcome<T> {
    panic::warn_if_abort();
    Outcome(panic::guard(handler))
}

/// The answer of a plain handler: `dispatch` turns its value into a response (under the panic
/// guard, as `Serialize` impls run there).
pub fn respond<T>(
    inv: &Invocation,
    outcome: Outcome<T>,
    dispatch: impl FnOnce(T, &Invocation) -> Response<Body>,
) -> Result<Response<Body>, Infallible> {
    Ok(answer(
        inv,
        outcome
            .0
            .and_then(|value| panic::guard(|| dispatch(value, inv))),
    ))
}
