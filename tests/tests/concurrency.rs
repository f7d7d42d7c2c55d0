//! Lambda Managed Instances: with `AWS_LAMBDA_MAX_CONCURRENCY=8`, `lambda_proxy::run` serves
//! invocations concurrently, and every guard is per invocation. A Runtime API on 127.0.0.1 hands
//! out 64 invocations mixing successes, errors, panics, timeouts, oversized answers, bad header
//! values and slow handlers, crossed with every front door, and events `lambda_http` cannot read;
//! each is answered on `response` with its own request id, none on `error`, the process still
//! serves at the end, and the Runtime API saw several in flight at once (counted, not timed). A
//! binary of its own: the environment is the process's.

mod common;

use common::runtime_api::{start_api, Function};
use common::Captured;
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Body, HttpError, Request, RequestExt, Response};
use lambda_proxy_cli::check::check_sized;
use serde_json::Value;
use std::time::Duration;

/// What the handler does, by the `x-case` header; the request id it sees is in every answer.
#[proxy_handler]
async fn handler(req: Request) -> Result<Response<Body>, HttpError> {
    let case = common::case(&req);
    let id = req
        .lambda_context_ref()
        .map(|ctx| ctx.request_id.clone())
        .unwrap_or_default();
    match case.as_str() {
        "panic" => panic!("boom in {id}"),
        "timeout" => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(Response::new(Body::from("late")))
        }
        "slow" => {
            tokio::time::sleep(Duration::from_millis(300)).await;
            Ok(Response::new(Body::from(format!("slow {id}"))))
        }
        "error" => Err(HttpError::conflict(format!("conflict in {id}"))),
        "oversize" => Ok(Response::builder()
            .header("content-type", "text/plain")
            .body(Body::from("x".repeat(7 * 1024 * 1024)))
            .unwrap()),
        "bad-header" => {
            let mut response = Response::new(Body::from(format!("bad header {id}")));
            let value = lambda_proxy::HeaderValue::from_bytes(b"\xff\xfe").unwrap();
            response.headers_mut().insert("x-from-user", value);
            Ok(response)
        }
        _ => {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(Response::new(Body::from(format!("ok {id}"))))
        }
    }
}

const CASES: [(&str, u16); 8] = [
    ("ok", 200),
    ("slow", 200),
    ("error", 409),
    ("panic", 500),
    ("timeout", 504),
    ("oversize", 500),
    ("bad-header", 200),
    ("slow", 200),
];

/// The value of `key="..."` in a log line.
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(&format!("{key}=\""))? + key.len() + 2;
    line[start..].split('"').next()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invocations_run_concurrently_with_guards_of_their_own() {
    // A global subscriber: the runtime runs on a thread of its own.
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let doors = common::front_doors();
    let total = 64;
    // Every outcome on every front door: the door moves on by one each round of the cases.
    let door_of = |i: usize| (i + i / CASES.len()) % doors.len();
    let mut events: Vec<(String, u64, Value)> = (0..total)
        .map(|i| {
            let (case, _) = CASES[i % CASES.len()];
            let request = doors[door_of(i)].clone().header("x-case", case);
            // A real deadline 2 s after `next` answers: the timeout case is cut at 1.8 s.
            (format!("req-{i}"), 2_000, request.event())
        })
        .collect();
    // Events lambda_http cannot read, among them: answered 400 for their own front door while
    // the others are served (the bytes the adapter keeps are per invocation).
    let unreadable = [
        TestRequest::rest_api(),
        TestRequest::http_api(),
        TestRequest::alb(),
        TestRequest::vpc_lattice(),
    ];
    for (k, request) in unreadable.iter().enumerate() {
        let mut event = request.event();
        event["body"] = "not base64!".into();
        event["isBase64Encoded"] = true.into();
        events.push((format!("bad-{k}"), 2_000, event));
    }
    events.push(("bad-none".to_owned(), 2_000, serde_json::json!({})));
    let answers = events.len();
    let api_events = events;
    std::env::set_var("AWS_LAMBDA_MAX_CONCURRENCY", "8");
    let api = start_api("concurrency", api_events).await;
    Function::start(true, || lambda_proxy::run(handler))
        .stop_after(&api, answers)
        .await;

    assert!(api.no_errors(), "posted to the error endpoint");
    let max = api.max_in_flight();
    assert!(max > 1, "one invocation at a time: {max} in flight at most");
    assert!(
        max <= 8,
        "more in flight than AWS_LAMBDA_MAX_CONCURRENCY: {max}"
    );
    let responses = api.responses.lock().unwrap();
    assert_eq!(responses.len(), answers);
    for (id, body) in responses.iter() {
        if let Some(k) = id.strip_prefix("bad-") {
            let envelope: Value = serde_json::from_slice(body).unwrap();
            assert_eq!(envelope["statusCode"], 400, "{id}: {envelope}");
            let text = envelope["body"].as_str().unwrap();
            assert!(
                text.contains(&format!("\"requestId\":\"{id}\"")),
                "{id}: {text}"
            );
            match k.parse::<usize>() {
                // Shaped for its own front door.
                Ok(k) => {
                    let report = check_sized(&envelope, unreadable[k].front_door(), body.len());
                    assert!(report.strict_ok(), "{id}: {report}");
                    assert!(text.contains("not valid base64"), "{id}: {text}");
                }
                Err(_) => assert!(text.contains("not an HTTP request"), "{id}: {text}"),
            }
            continue;
        }
        let i: usize = id.trim_start_matches("req-").parse().unwrap();
        let (case, status) = CASES[i % CASES.len()];
        let front_door = doors[door_of(i)].front_door();
        let envelope: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(envelope["statusCode"], status, "{id} ({case}): {envelope}");
        let report = check_sized(&envelope, front_door, body.len());
        assert!(report.strict_ok(), "{id} ({case}): {report}");
        let text = envelope["body"].as_str().unwrap();
        // Each answer carries its own invocation's id, never another's.
        let own = format!("\"requestId\":\"{id}\"");
        let echoed = format!(" {id}");
        assert!(
            text.contains(&own) || text.ends_with(&echoed) || envelope["isBase64Encoded"] == true,
            "{id} ({case}): {text}"
        );
        assert!(
            !text.contains("boom"),
            "{id}: the panic message reached the client"
        );
    }
    // The 504s were cut by their own deadlines, not one shared clock: all eight are there.
    let timeouts = responses
        .iter()
        .filter(|(_, body)| serde_json::from_slice::<Value>(body).unwrap()["statusCode"] == 504)
        .count();
    assert_eq!(timeouts, total / CASES.len());

    // Interleaved invocations log under their own request id: lambda-proxy's `request_id` field
    // and the span `lambda_runtime` opens per invocation (`requestId`) always agree.
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let ours: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("request_id=\"req-"))
        .collect();
    // Every error, panic, timeout and oversized answer logs a line of lambda-proxy's own.
    assert!(ours.len() >= 4 * total / CASES.len(), "{logs}");
    for line in ours {
        assert_eq!(
            field(line, "request_id"),
            field(line, "requestId"),
            "{line}"
        );
    }
}
