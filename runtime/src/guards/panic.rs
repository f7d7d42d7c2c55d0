//! The panic guard: `catch_unwind` around the handler and the building of its answer.

use std::cell::Cell;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Once;
use std::task::{Context, Poll};

/// A panic payload, as `catch_unwind` gives it.
pub(crate) type Panic = Box<dyn std::any::Any + Send>;

/// Runs `f` under the panic guard.
#[inline]
pub(crate) fn guard<T>(f: impl FnOnce() -> T) -> Result<T, Panic> {
    catch_unwind(AssertUnwindSafe(f))
}

thread_local! {
    /// Set while this thread runs code of lambda-proxy's own whose panic is expected and handled:
    /// the hook installed by [`quietly`] passes every other panic on.
    static EXPECTED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` under the panic guard, for a panic that lambda-proxy expects and answers itself (a
/// Tokio runtime without a time driver, an event `lambda_http` cannot convert): the panic never
/// reaches the process's panic hook, so error reporters and stderr see only real panics.
///
/// Installs, once per process, a hook that passes every panic on to the hook that was there
/// before, except one raised inside `quietly` on the same thread.
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, Panic> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Under `panic = "abort"` nothing is caught: the process ends here, and the hook
            // must still say why.
            if cfg!(panic = "abort") || !EXPECTED.get() {
                previous(info);
            }
        }));
    });
    let outer = EXPECTED.replace(true);
    let result = guard(f);
    EXPECTED.set(outer);
    result
}

/// Polls `future` under the panic guard.
#[inline]
pub(crate) fn poll<F>(future: Pin<&mut F>, cx: &mut Context<'_>) -> Poll<Result<F::Output, Panic>>
where
    F: Future + ?Sized,
{
    match guard(|| future.poll(cx)) {
        Ok(Poll::Pending) => Poll::Pending,
        Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
        Err(payload) => Poll::Ready(Err(payload)),
    }
}

/// The text of a panic payload, for the log.
pub(crate) fn message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<a panic payload that is not a string>")
}

/// Under `panic = "abort"` no panic can be caught: say so once per process (cold start).
pub(crate) fn warn_if_abort() {
    if cfg!(panic = "abort") {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            tracing::warn!(
                "built with panic = \"abort\": a panic in a handler ends the process and the client gets the front door's 502; build with panic = \"unwind\" to answer 500 instead"
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_messages() {
        let p: Panic = Box::new("static");
        assert_eq!(message(p.as_ref()), "static");
        let p: Panic = Box::new(String::from("owned"));
        assert_eq!(message(p.as_ref()), "owned");
        let p: Panic = Box::new(42_u8);
        assert_eq!(
            message(p.as_ref()),
            "<a panic payload that is not a string>"
        );
    }
}
