//! The guarded handler: an `async` handler's future under the timeout and panic guards
//! ([`Guarded`]), a plain fn under the panic guard ([`guard_sync`], [`respond`]).

use super::finish::{finish, Outcome as Ended, Timeout};
use super::panic::{self, Panic};
use super::timer::timer;
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
        panic::warn_if_abort();
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

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        assert!(
            this.dispatch.is_some(),
            "a `#[proxy_handler]` future was polled after it completed"
        );
        // The handler first, so that one that is ready when its budget ends still counts.
        let outcome = match panic::poll(this.future, cx) {
            Poll::Ready(result) => Ok(result),
            Poll::Pending => {
                // A handler's own budget (`timeout_ms`) starts at its first poll; the timer is
                // only made when the handler is still pending then: one that answers at once
                // reads no clock and needs no timer. On the heap, the timer keeps the future
                // small. The Lambda deadline and the front door's timeout are the exit's.
                if this.started.is_none() {
                    let started = tokio::time::Instant::now();
                    *this.started = Some(started);
                    let timeout_ms = this.inv.config.timeout_ms;
                    if timeout_ms > 0 {
                        let budget = Duration::from_millis(timeout_ms);
                        *this.timer = started
                            .checked_add(budget)
                            .and_then(timer)
                            .map(|sleep| (Box::pin(sleep), budget));
                    }
                }
                match this.timer.as_mut() {
                    Some((sleep, budget)) => match sleep.as_mut().poll(cx) {
                        Poll::Ready(()) => Err(Timeout {
                            elapsed: this.started.map_or(Duration::ZERO, |s| s.elapsed()),
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
        let ended = match outcome {
            Ok(Ok(value)) => match panic::guard(|| dispatch(value, inv)) {
                Ok(response) => Ended::Answered(response),
                Err(payload) => Ended::Panicked(payload),
            },
            Ok(Err(payload)) => Ended::Panicked(payload),
            Err(timeout) => Ended::TimedOut(timeout),
        };
        Poll::Ready(Ok(finish(inv, ended)))
    }
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
    let ended = match outcome
        .0
        .and_then(|value| panic::guard(|| dispatch(value, inv)))
    {
        Ok(response) => Ended::Answered(response),
        Err(payload) => Ended::Panicked(payload),
    };
    Ok(finish(inv, ended))
}
