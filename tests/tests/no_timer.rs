//! A Tokio runtime without a time driver cannot time a handler out: the handler runs without a
//! timeout (and a warning is logged once) instead of the guard's panic ending the invocation, and
//! finding that out never reaches the process's panic hook. A binary of its own, because it counts every panic the
//! hook sees, and other tests panic on purpose.

use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Request};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[proxy_handler]
async fn waits_for_a_wakeup(_req: Request) -> &'static str {
    // Pending at the first poll, so the guard wants a timer; woken by another task.
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        tokio::task::yield_now().await;
        let _ = tx.send(());
    });
    let _ = rx.await;
    "woken"
}

static HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);

#[test]
fn the_time_driver_probe_never_reaches_the_panic_hook() {
    // An error reporter, as services install them: it must see real panics only.
    std::panic::set_hook(Box::new(|_| {
        HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
    }));
    for _ in 0..2 {
        // A new runtime each time: each is probed, and remembered, on its own.
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for _ in 0..3 {
            let request = TestRequest::function_url().deadline_in(Duration::from_secs(10));
            let envelope = rt.block_on(request.invoke(waits_for_a_wakeup));
            assert_eq!(envelope.status(), 200, "{}", envelope.raw());
            assert_eq!(envelope.body(), r#""woken""#);
        }
    }
    assert_eq!(HOOK_CALLS.load(Ordering::SeqCst), 0);

    // A runtime with timers still times handlers out after the timerless ones.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let slow = TestRequest::function_url().deadline_in(Duration::from_secs(1));
    let envelope = rt.block_on(slow.invoke(never_answers));
    assert_eq!(envelope.status(), 504, "{}", envelope.raw());

    // And a real panic still reaches the hook.
    let _ = std::panic::catch_unwind(|| panic!("a real one"));
    assert_eq!(HOOK_CALLS.load(Ordering::SeqCst), 1);
}

#[proxy_handler]
async fn never_answers(_req: Request) -> &'static str {
    std::future::pending::<()>().await;
    "never"
}
