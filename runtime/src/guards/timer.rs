//! The timer of the timeout guard, and what happens on a Tokio runtime without a time driver.
//!
//! Tokio has no way to ask whether the current runtime has a time driver: creating a timer on
//! one without panics. So timers are created under the panic guard, with the panic kept from the
//! process's panic hook ([`quietly`]); a runtime found to have no driver is remembered, and its
//! handlers run without a timeout, with one warning per process.

use super::panic::quietly;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use tokio::runtime::{Handle, Id};
use tokio::time::{Instant, Sleep};

/// Whether any runtime without a time driver was seen; until then nothing is looked up.
static SEEN_TIMERLESS: AtomicBool = AtomicBool::new(false);
/// The runtimes found to have no time driver, newest last (at most [`REMEMBERED`]).
static TIMERLESS: Mutex<Vec<Id>> = Mutex::new(Vec::new());
/// How many timerless runtimes are remembered; one forgotten is probed again (quietly).
const REMEMBERED: usize = 64;

/// A timer until `deadline`, or `None` when there is no Tokio runtime (a test driving the handler
/// with another executor) or the runtime has no time driver: then the handler runs without a
/// timeout rather than failing.
pub(crate) fn timer(deadline: Instant) -> Option<Sleep> {
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
