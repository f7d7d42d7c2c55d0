//! The timer of a time budget ([`Budget`]), and what happens on a Tokio runtime without a time
//! driver.
//!
//! Tokio has no way to ask whether the current runtime has a time driver: creating a timer on
//! one without panics. So timers are created under the panic guard, with the panic kept from the
//! process's panic hook ([`quietly`]); a runtime found to have no driver is remembered, and its
//! handlers run without a timeout, with one warning per process.

use super::panic::quietly;
use lambda_http::{Body, Response};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::runtime::{Handle, Id};
use tokio::time::{Instant, Sleep};

pin_project_lite::pin_project! {
    /// A time budget, running: the exit's for the invocation, or a handler's own (`timeout_ms`).
    /// Made only for a future still pending after its first poll, and on the heap, so that a
    /// future that answers at once reads no clock and stays small.
    pub(crate) struct Budget {
        #[pin]
        sleep: Sleep,
        started: Instant,
        budget: Duration,
    }
}

impl Budget {
    /// `budget` from now; `None` when no timer can be made ([`timer`]) or the end is past what an
    /// `Instant` holds (`Exit::timeout(Duration::MAX)`), which is no budget.
    pub(crate) fn start(budget: Duration) -> Option<Pin<Box<Budget>>> {
        let started = Instant::now();
        let sleep = timer(started.checked_add(budget)?)?;
        Some(Box::pin(Budget {
            sleep,
            started,
            budget,
        }))
    }

    /// The time since the budget started, if it has run out: read from the clock, for a caller
    /// whose work is always ready (the timer fires only when the runtime gets to run it).
    pub(crate) fn overdue(&self) -> Option<Duration> {
        let elapsed = self.started.elapsed();
        (elapsed >= self.budget).then_some(elapsed)
    }

    /// Ready with the time since the budget started, once it has run out.
    pub(crate) fn poll_expired(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Duration> {
        let this = self.project();
        std::task::ready!(this.sleep.poll(cx));
        Poll::Ready(this.started.elapsed())
    }

    /// The 504 for the request `request_id`, once the budget has run out.
    pub(crate) fn poll_overrun(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        request_id: Option<&str>,
    ) -> Poll<Response<Body>> {
        let this = self.project();
        std::task::ready!(this.sleep.poll(cx));
        Poll::Ready(super::timed_out_answer(
            request_id,
            this.started.elapsed(),
            *this.budget,
        ))
    }
}

/// Whether any runtime without a time driver was seen; until then nothing is looked up.
static SEEN_TIMERLESS: AtomicBool = AtomicBool::new(false);
/// The runtimes found to have no time driver, newest last (at most [`REMEMBERED`]).
static TIMERLESS: Mutex<Vec<Id>> = Mutex::new(Vec::new());
/// How many timerless runtimes are remembered; one forgotten is probed again (quietly).
const REMEMBERED: usize = 64;

/// A timer until `deadline`, or `None` when there is no Tokio runtime (a test driving the handler
/// with another executor) or the runtime has no time driver: then the handler runs without a
/// timeout rather than failing.
fn timer(deadline: Instant) -> Option<Sleep> {
    let handle = Handle::try_current().ok()?;
    let id = handle.id();
    if SEEN_TIMERLESS.load(Ordering::Acquire) && timerless().contains(&id) {
        return None;
    }
    match quietly(|| tokio::time::sleep_until(deadline)) {
        Ok(sleep) => Some(sleep),
        Err(_) => {
            remember(id);
            static ONCE: Once = Once::new();
            ONCE.call_once(|| {
                tracing::warn!(
                    "the Tokio runtime has no time driver (enable it with `enable_time` or `enable_all`): handlers run without a timeout"
                );
            });
            None
        }
    }
}

fn timerless() -> std::sync::MutexGuard<'static, Vec<Id>> {
    TIMERLESS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn remember(id: Id) {
    let mut ids = timerless();
    if !ids.contains(&id) {
        if ids.len() == REMEMBERED {
            ids.remove(0);
        }
        ids.push(id);
    }
    SEEN_TIMERLESS.store(true, Ordering::Release);
}
