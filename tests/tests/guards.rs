//! Guards: the timeout (on tokio's paused clock), panics, and the size limit, for every front door.

mod common;

use common::{front_doors, problem, wire, PROBLEM};
use lambda_proxy::testing::{Envelope, TestRequest};
use lambda_proxy::{proxy_handler, Body, Exit, FrontDoor, Request, Response};
use std::time::Duration;

/// Sleeps for the number of ms in the `x-sleep-ms` header, then answers `"done"`.
#[proxy_handler]
async fn sleepy(req: Request) -> &'static str {
    let ms: u64 = req
        .headers()
        .get("x-sleep-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    "done"
}

fn sleeping(request: TestRequest, ms: u64) -> TestRequest {
    request.header("x-sleep-ms", &ms.to_string())
}

/// How long the invocation took on the (paused) tokio clock, and its envelope.
async fn timed(request: TestRequest) -> (Duration, Envelope) {
    let start = tokio::time::Instant::now();
    let envelope = request.invoke(sleepy).await;
    (start.elapsed(), envelope)
}

fn timed_out(envelope: &Envelope) {
    assert_eq!(envelope.status(), 504, "{}", envelope.raw());
    assert_eq!(
        envelope.raw(),
        wire(
            envelope.front_door(),
            504,
            &[PROBLEM],
            &problem(
                504,
                "Gateway Timeout",
                Some("The server did not answer in time.")
            )
        )
    );
}

#[tokio::test(start_paused = true)]
async fn front_door_limits_without_a_lambda_deadline() {
    for request in front_doors() {
        let front_door = request.front_door();
        let (elapsed, envelope) = timed(sleeping(request, 120_000)).await;
        match front_door {
            FrontDoor::RestApi | FrontDoor::WebSocket => {
                timed_out(&envelope);
                assert_eq!(elapsed, Duration::from_millis(28_800), "{front_door}");
            }
            FrontDoor::HttpApiV1 | FrontDoor::HttpApiV2 => {
                timed_out(&envelope);
                assert_eq!(elapsed, Duration::from_millis(29_800), "{front_door}");
            }
            // No integration timeout: the handler may take as long as it needs.
            _ => {
                assert_eq!(envelope.status(), 200, "{front_door}");
                assert_eq!(elapsed, Duration::from_millis(120_000));
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_lambda_deadline_minus_the_margin() {
    for request in front_doors() {
        let request = sleeping(request.deadline_in(Duration::from_secs(10)), 60_000);
        let (elapsed, envelope) = timed(request).await;
        timed_out(&envelope);
        // 10 s minus the 200 ms margin, less the real time spent building the request.
        assert!(elapsed <= Duration::from_millis(9_800), "{elapsed:?}");
        assert!(elapsed >= Duration::from_millis(9_700), "{elapsed:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_fast_handler_is_untouched() {
    for request in front_doors() {
        let request = sleeping(request.deadline_in(Duration::from_secs(10)), 1_000);
        let (elapsed, envelope) = timed(request).await;
        assert_eq!(envelope.status(), 200);
        assert_eq!(envelope.body(), r#""done""#);
        assert_eq!(elapsed, Duration::from_millis(1_000));
    }
}

#[tokio::test(start_paused = true)]
async fn a_handler_finishing_just_inside_the_margin_is_not_cut() {
    // Budget: 3 s − 200 ms margin ≈ 2.8 s; the handler needs 2.75 s.
    let request = sleeping(
        TestRequest::function_url().deadline_in(Duration::from_secs(3)),
        2_750,
    );
    let (_, envelope) = timed(request).await;
    assert_eq!(envelope.status(), 200, "{}", envelope.raw());
}

#[tokio::test(start_paused = true)]
async fn bogus_deadlines_mean_no_deadline() {
    for deadline in [0, 600_000, 1, u64::MAX] {
        // cargo lambda watch sends 600000; Context::default() has 0.
        let request = sleeping(TestRequest::function_url().deadline_ms(deadline), 5_000);
        let (elapsed, envelope) = timed(request).await;
        assert_eq!(envelope.status(), 200, "deadline {deadline}");
        assert_eq!(elapsed, Duration::from_millis(5_000));
    }
}

#[proxy_handler(timeout_ms = 1500)]
async fn quick_or_nothing(_req: Request) -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "too late"
}

#[tokio::test(start_paused = true)]
async fn the_attribute_s_timeout() {
    let start = tokio::time::Instant::now();
    let envelope = TestRequest::alb().invoke(quick_or_nothing).await;
    timed_out(&envelope);
    assert_eq!(start.elapsed(), Duration::from_millis(1_500));
    // A deadline further away does not extend it; a nearer one cuts it shorter.
    let start = tokio::time::Instant::now();
    let envelope = TestRequest::rest_api()
        .deadline_in(Duration::from_secs(1))
        .invoke(quick_or_nothing)
        .await;
    timed_out(&envelope);
    assert!(
        start.elapsed() <= Duration::from_millis(800),
        "{:?}",
        start.elapsed()
    );
}

/// The exit's settings are values, given where the app is served: the margin, a timeout of the
/// whole invocation, and integration timeouts other than the defaults.
#[tokio::test(start_paused = true)]
async fn the_exit_s_settings() {
    // Deadline in 5 s, margin 2 s: the handler gets 3 s at most... of which it needs 2.5 s.
    let margin = Exit::new().margin(Duration::from_secs(2));
    let request = sleeping(
        TestRequest::alb().deadline_in(Duration::from_secs(5)),
        2_500,
    );
    let envelope = request.invoke(margin.around(sleepy)).await;
    assert_eq!(envelope.status(), 200);
    // Deadline in 4 s: 2 s left after the margin, not enough.
    let request = sleeping(
        TestRequest::alb().deadline_in(Duration::from_secs(4)),
        2_500,
    );
    timed_out(&request.invoke(margin.around(sleepy)).await);

    // A timeout of the whole invocation, whatever the deadlines allow.
    let start = tokio::time::Instant::now();
    let exit = Exit::new().timeout(Duration::from_millis(700));
    timed_out(
        &sleeping(TestRequest::function_url(), 5_000)
            .invoke(exit.around(sleepy))
            .await,
    );
    assert_eq!(start.elapsed(), Duration::from_millis(700));

    // A REST API whose integration timeout was raised to 60 s: a 40 s answer is delivered.
    let raised = Exit::new().integration_timeout(FrontDoor::RestApi, Some(Duration::from_secs(60)));
    let request = sleeping(TestRequest::rest_api(), 40_000);
    let envelope = request.clone().invoke(raised.around(sleepy)).await;
    assert_eq!(envelope.status(), 200);
    // Without the setting, the default 29 s applies (the override is a value, not process state).
    timed_out(&request.invoke(sleepy).await);
    // No integration timeout at all for an HTTP API is taken as said.
    let none = Exit::new().integration_timeout(FrontDoor::HttpApiV2, None);
    let envelope = sleeping(TestRequest::http_api(), 40_000)
        .invoke(none.around(sleepy))
        .await;
    assert_eq!(envelope.status(), 200);
}

#[proxy_handler]
async fn panics(req: Request) -> &'static str {
    match req.headers().get("x-panic").and_then(|v| v.to_str().ok()) {
        Some("string") => panic!("secret-panic-message {}", 42),
        Some("any") => std::panic::panic_any(42_u32),
        _ => "fine",
    }
}

struct ExplodingBody;

impl serde::Serialize for ExplodingBody {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        panic!("secret-serialize-panic")
    }
}

#[proxy_handler]
async fn panics_while_serializing(_req: Request) -> ExplodingBody {
    ExplodingBody
}

#[tokio::test]
async fn panics_become_500_and_leak_nothing() {
    let generic = problem(500, "Internal Server Error", None);
    for request in front_doors() {
        for kind in ["string", "any"] {
            let envelope = request.clone().header("x-panic", kind).invoke(panics).await;
            assert_eq!(
                envelope.raw(),
                wire(envelope.front_door(), 500, &[PROBLEM], &generic)
            );
        }
        let envelope = request.clone().invoke(panics_while_serializing).await;
        assert_eq!(
            envelope.raw(),
            wire(envelope.front_door(), 500, &[PROBLEM], &generic)
        );
        assert!(!envelope.raw().contains("secret"));
        // The same handler keeps answering after a panic.
        let envelope = request.invoke(panics).await;
        assert_eq!(envelope.body(), r#""fine""#);
    }
}

/// A body of `x-size` bytes: text, or binary when `x-binary` is set.
#[proxy_handler]
async fn sized(req: Request) -> Response<Body> {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let size: usize = header("x-size").and_then(|v| v.parse().ok()).unwrap_or(0);
    match header("x-binary") {
        Some(_) => Response::builder()
            .header("content-type", "application/octet-stream")
            .body(Body::Binary(vec![0xAB; size]))
            .unwrap(),
        None => Response::builder()
            .header("content-type", "text/plain")
            .body(Body::Text("x".repeat(size)))
            .unwrap(),
    }
}

async fn size_status(request: TestRequest, size: usize, binary: bool) -> (u16, usize) {
    let mut request = request.header("x-size", &size.to_string());
    if binary {
        request = request.header("x-binary", "1");
    }
    let envelope = request.invoke(sized).await;
    (envelope.status(), envelope.raw().len())
}

#[tokio::test]
async fn oversized_answers_become_500_before_the_front_door_sees_them() {
    let mib = 1024 * 1024;
    for request in front_doors() {
        let front_door = request.front_door();
        let limit = front_door.size_limit();
        // Just under the limit: delivered, and the real envelope is within it.
        let (status, len) = size_status(request.clone(), limit - 600, false).await;
        assert_eq!(status, 200, "{front_door}");
        assert!(len <= limit, "{front_door}: {len} > {limit}");
        // Over it: a small 500 instead.
        let (status, len) = size_status(request.clone(), limit + 1, false).await;
        assert_eq!((status, len < 1000), (500, true), "{front_door}");
    }
    // Base64 growth counts: 4.5 MiB of binary is 6 MiB of base64.
    let (status, _) = size_status(TestRequest::http_api(), 4 * mib, true).await;
    assert_eq!(status, 200);
    let (status, _) = size_status(TestRequest::http_api(), 5 * mib, true).await;
    assert_eq!(status, 500);
}

#[proxy_handler]
async fn escaped(_req: Request) -> String {
    // 1.2 million control characters serialize as 7.2 MB of `\u0001` escapes.
    "\u{1}".repeat(1_200_000)
}

#[tokio::test]
async fn json_escaping_counts_toward_the_limit() {
    let envelope = TestRequest::function_url().invoke(escaped).await;
    assert_eq!(envelope.status(), 500);
}

#[proxy_handler]
fn sync_panics(_req: Request) -> u8 {
    panic!("secret-sync-panic")
}

#[tokio::test]
async fn a_plain_fn_handler_that_panics_answers_500() {
    for request in front_doors() {
        let envelope = request.invoke(sync_panics).await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 500);
        assert!(!envelope.raw().contains("secret"));
    }
}

#[proxy_handler]
async fn holds_state(_req: Request, state: std::sync::Arc<Vec<u8>>) -> usize {
    state.len()
}

/// The same handler in plain `lambda_http`, for the size comparison below.
async fn holds_state_plain(_req: Request, state: std::sync::Arc<Vec<u8>>) -> usize {
    state.len()
}

/// `lambda_http` boxes the handler's future on every invocation: the guards must keep it small.
/// It holds the request once, like a plain `async fn`'s future, plus the guards' state (it was
/// 2,000 bytes with the guard's timer inline, then 992 with the request held twice: by the
/// wrapper and by the user's fn).
#[test]
fn the_generated_future_holds_the_request_once() {
    let future = holds_state(Request::default(), std::sync::Arc::new(vec![1]));
    let size = std::mem::size_of_val(&future);
    let plain = std::mem::size_of_val(&holds_state_plain(
        Request::default(),
        std::sync::Arc::new(vec![1]),
    ));
    let request = std::mem::size_of::<Request>();
    assert!(
        size < plain + request,
        "the handler's future is {size} bytes; a plain one is {plain}, the request {request}"
    );
    // Under glibc's per-thread cache of small blocks (1,032 bytes).
    assert!(size <= 1032, "the handler's future is {size} bytes");
}

/// A handler's future that has answered says so plainly when polled again, instead of polling the
/// user's finished future.
#[test]
#[should_panic(expected = "a `#[proxy_handler]` future was polled after it completed")]
fn polling_a_finished_handler_again_is_a_clear_panic() {
    use std::future::Future;
    let mut future = std::pin::pin!(holds_state(
        Request::default(),
        std::sync::Arc::new(vec![1])
    ));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    assert!(future.as_mut().poll(&mut cx).is_ready());
    let _ = future.as_mut().poll(&mut cx);
}

// A Tokio runtime without a time driver: tests/tests/no_timer.rs (a binary of its own, as it
// counts the panics the process's hook sees).

/// Under `run` (the path `TestRequest::invoke` takes), a panic in what wraps a handler, before
/// or after it, is answered 500 like the handler's own, not posted to `/error`.
#[tokio::test]
async fn a_panic_around_the_handler_is_answered_too() {
    #[proxy_handler]
    async fn fine(_req: Request) -> &'static str {
        "fine"
    }
    let before =
        |_req: Request| -> std::future::Ready<Result<Response<Body>, std::convert::Infallible>> {
            panic!("secret in the wrapper")
        };
    let after = |req: Request| async move {
        let answer = fine(req).await;
        if answer.is_ok() {
            panic!("secret after the handler");
        }
        answer
    };
    for request in common::front_doors() {
        let envelope = request.clone().invoke(before).await;
        assert_eq!(envelope.assert_valid().status(), 500);
        assert!(!envelope.raw().contains("secret"));
        let envelope = request.invoke(after).await;
        assert_eq!(envelope.assert_valid().status(), 500);
        assert!(!envelope.raw().contains("secret"));
    }
}

/// A budget past what an `Instant` holds is no budget, not a panic.
#[tokio::test(start_paused = true)]
async fn a_huge_exit_timeout_is_no_timeout() {
    let exit = Exit::new().timeout(Duration::MAX);
    let envelope = sleeping(TestRequest::function_url(), 5_000)
        .invoke(exit.around(sleepy))
        .await;
    assert_eq!(envelope.status(), 200, "{}", envelope.raw());
}
