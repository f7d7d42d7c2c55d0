//! The stream binary as Lambda runs it, behind a function URL that streams: served by a Runtime
//! API of the tests' own, which records what Lambda would see (the response mode, each chunk and
//! when it came, the trailers).

#[allow(dead_code)]
mod process;

use base64::Engine as _;
use lambda_proxy::testing::TestRequest;
use process::runtime_api::Posted;
use serde_json::Value;
use std::time::Duration;

/// The prelude of a streamed answer and its body, as text.
fn split(posted: &Posted) -> (Value, String) {
    let (prelude, body) = posted.streamed();
    (prelude, String::from_utf8(body).unwrap())
}

/// The error type a streamed answer's trailers name, if any.
fn error_type(posted: &Posted) -> Option<&str> {
    posted.error_type()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_binary_streams_on_its_function_url_and_keeps_the_guarantee() {
    let url = |path: &str| TestRequest::function_url().path(path);
    let requests = [
        (
            "count",
            url("/count").query("n", "4").query("ms", "150"),
            3_000,
        ),
        ("fail-early", url("/fail-early"), 3_000),
        ("fail-late", url("/fail-late"), 3_000),
        ("slow", url("/slow-stream"), 1_500),
        ("user", url("/users/1"), 3_000),
        ("missing", url("/users/2"), 3_000),
        (
            "count-http-api",
            TestRequest::http_api()
                .path("/count")
                .query("n", "3")
                .query("ms", "10"),
            3_000,
        ),
    ];
    let events = requests
        .iter()
        .map(|(id, request, deadline)| (id.to_string(), *deadline, request.event()))
        .collect();
    let served = process::serve("stream", env!("CARGO_BIN_EXE_stream"), events).await;

    // Four events, each a chunk of its own, 150 ms apart; the prelude went out with the first.
    let count = served.posted("count");
    let (prelude, body) = split(count);
    assert_eq!(prelude["statusCode"], 200);
    assert_eq!(prelude["headers"]["content-type"], "text/event-stream");
    assert_eq!(prelude["headers"]["cache-control"], "no-cache");
    assert!(prelude.get("body").is_none() && prelude.get("isBase64Encoded").is_none());
    let expected: String = (1..=4)
        .map(|n| format!("event: count\nid: {n}\ndata: {{\"n\":{n}}}\n\n"))
        .collect();
    assert_eq!(body, expected);
    assert_eq!(count.chunks.len(), 4, "{:?}", count.chunks);
    for pair in count.chunks.windows(2) {
        let gap = pair[1].1 - pair[0].1;
        assert!(gap >= Duration::from_millis(100), "{:?}", count.chunks);
    }
    assert_eq!(error_type(count), None);
    assert!(count
        .trailer_header
        .as_deref()
        .is_some_and(|t| t.contains("Lambda-Runtime-Function-Error-Type")));

    // Before the first item: the error's own whole answer, no trailer.
    let early = served.posted("fail-early");
    let (prelude, body) = split(early);
    assert_eq!(prelude["statusCode"], 503);
    assert_eq!(
        prelude["headers"]["content-type"],
        "application/problem+json"
    );
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["status"], 503);
    assert_eq!(problem["requestId"], "fail-early");
    assert_eq!(error_type(early), None);

    // After two items: those two, nothing after the failure, and the trailers.
    let late = served.posted("fail-late");
    let (prelude, body) = split(late);
    assert_eq!(prelude["statusCode"], 200);
    assert_eq!(body, "data: {\"n\":1}\n\ndata: {\"n\":2}\n\n");
    assert_eq!(error_type(late), Some("LambdaProxy.StreamError"));
    let (_, encoded) = late
        .trailers
        .iter()
        .find(|(name, _)| name == "lambda-runtime-function-error-body")
        .expect("the error body trailer");
    let error: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(error["errorType"], "LambdaProxy.StreamError");
    assert!(!error["errorMessage"].as_str().unwrap().contains("upstream"));

    // One item, then the deadline (1.5 s, less the 200 ms margin) ends it.
    let slow = served.posted("slow");
    let (_, body) = split(slow);
    assert_eq!(body, "data: {\"n\":1}\n\n");
    assert_eq!(error_type(slow), Some("LambdaProxy.Timeout"));
    assert!(
        slow.ended >= Duration::from_millis(1_000),
        "{:?}",
        slow.ended
    );
    assert!(
        slow.ended < Duration::from_millis(1_500),
        "{:?}",
        slow.ended
    );

    // A buffered route under the streaming function: whole, in the streaming format.
    let (prelude, body) = split(served.posted("user"));
    assert_eq!(prelude["statusCode"], 200);
    assert_eq!(prelude["headers"]["content-type"], "application/json");
    assert_eq!(body, r#"{"id":1,"name":"Ada"}"#);
    let (prelude, body) = split(served.posted("missing"));
    assert_eq!(prelude["statusCode"], 404);
    assert!(body.contains("\"status\":404"));

    // Behind an HTTP API, which does not stream: the events collected into one envelope.
    let http = served.posted("count-http-api");
    assert_eq!(http.mode, None);
    let envelope: Value = serde_json::from_slice(&http.body).unwrap();
    assert_eq!(envelope["statusCode"], 200);
    assert_eq!(envelope["headers"]["content-type"], "text/event-stream");
    let expected: String = (1..=3)
        .map(|n| format!("event: count\nid: {n}\ndata: {{\"n\":{n}}}\n\n"))
        .collect();
    assert_eq!(envelope["body"], expected);

    // One access record per answer; a streamed one written when its stream ended, with the
    // bytes sent after the prelude, the whole duration, and what ended it early.
    let lines = served.lines();
    let record = |id: &str| {
        let records: Vec<&Value> = lines
            .iter()
            .filter(|l| l["fields"]["message"] == "access" && l["fields"]["request_id"] == id)
            .collect();
        assert_eq!(records.len(), 1, "{id}: {records:?}");
        records[0]["fields"].clone()
    };
    let count = record("count");
    assert_eq!(count["status"], 200);
    assert_eq!(count["response_bytes"], expected_count_bytes());
    assert!(count["duration_ms"].as_f64().unwrap() >= 450.0, "{count}");
    assert!(count.get("error").is_none(), "{count}");
    let late = record("fail-late");
    assert_eq!(
        (&late["status"], &late["error"]),
        (&200.into(), &"handler_error".into())
    );
    assert_eq!(late["response_bytes"], 2 * "data: {\"n\":1}\n\n".len());
    let slow = record("slow");
    assert_eq!(slow["error"], "timeout");
    assert!(slow["duration_ms"].as_f64().unwrap() >= 1_000.0, "{slow}");
    assert_eq!(record("fail-early")["status"], 503);
    assert_eq!(
        record("user")["response_bytes"],
        r#"{"id":1,"name":"Ada"}"#.len()
    );
    assert_eq!(record("count-http-api")["status"], 200);
}

/// The bytes of `/count?n=4`'s four events.
fn expected_count_bytes() -> usize {
    (1..=4)
        .map(|n| format!("event: count\nid: {n}\ndata: {{\"n\":{n}}}\n\n").len())
        .sum()
}
