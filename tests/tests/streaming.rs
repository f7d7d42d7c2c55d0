//! Streamed answers through the real `lambda_runtime` loop (`lambda_proxy::run`), against the
//! tests' own Runtime API, which records what Lambda would see: a panic, an item that does not
//! serialize and an SSE field that cannot be sent, before and after the first item; the REST
//! API's prelude; `HEAD`; a stream collected past the limit of a front door that does not
//! stream; and the front doors `Exit::stream` refuses.

mod common;

use common::runtime_api::{start_api, Function, Posted};
use futures_util::stream::{self, StreamExt};
use lambda_proxy::stream::{Event, Streamed};
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Exit, FrontDoor, Request};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// A value whose `Serialize` fails.
struct Unserializable;

impl Serialize for Unserializable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        BTreeMap::from([((1, 2), 3)]).serialize(serializer)
    }
}

/// One item (`x-case: late-*`) or none (`early-*`) before the failure the case names.
#[proxy_handler]
async fn handler(req: Request) -> Streamed {
    let case = common::case(&req);
    let first = case
        .starts_with("late")
        .then(|| serde_json::json!({"n": 1}));
    let lead = stream::iter(first.map(|v| Event::new(v).name("first")));
    match case
        .trim_start_matches("late-")
        .trim_start_matches("early-")
    {
        "panic" => Streamed::sse(lead.chain(stream::once(async {
            panic!("the secret in the panic");
            #[allow(unreachable_code)]
            Event::new(serde_json::json!({}))
        }))),
        "unserializable" => Streamed::json_lines(stream::iter([Unserializable])),
        "bad-name" => Streamed::sse(lead.chain(stream::iter([
            Event::new(serde_json::json!({})).name("two\nlines"),
        ]))),
        "big" => Streamed::bytes(stream::iter((0..8).map(|_| vec![b'x'; 1024 * 1024]))),
        _ => Streamed::sse(lead.chain(stream::iter([Event::new(serde_json::json!({"n": 2}))]))),
    }
}

fn split(posted: &Posted) -> (Value, Vec<u8>) {
    posted.streamed()
}

fn error_type(posted: &Posted) -> Option<&str> {
    posted.error_type()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_failures_reach_lambda_as_it_defines_them() {
    for door in [
        FrontDoor::HttpApiV1,
        FrontDoor::HttpApiV2,
        FrontDoor::Alb,
        FrontDoor::VpcLattice,
        FrontDoor::WebSocket,
    ] {
        let error = Exit::new().stream(door).unwrap_err().to_string();
        assert!(error.contains("does not stream"), "{error}");
    }

    let url = |case: &str| {
        TestRequest::function_url()
            .path("/s")
            .header("x-case", case)
    };
    let cases = [
        ("early-panic", url("early-panic")),
        ("late-panic", url("late-panic")),
        ("early-unserializable", url("early-unserializable")),
        ("late-bad-name", url("late-bad-name")),
        (
            "rest",
            TestRequest::rest_api()
                .path("/s")
                .header("x-case", "late-ok"),
        ),
        ("head", url("late-ok").method("HEAD")),
        (
            "http-big",
            TestRequest::http_api().path("/s").header("x-case", "big"),
        ),
    ];
    let events = cases
        .iter()
        .map(|(id, request)| (id.to_string(), 5_000, request.event()))
        .collect();
    let api = start_api("streaming", events).await;
    // The function runs on a thread of its own: the subscriber is the process's.
    let captured = common::Captured::default();
    let writer = captured.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish(),
    )
    .unwrap();
    Function::start(true, || async {
        let app = Exit::new()
            .stream(FrontDoor::FunctionUrl)?
            .stream(FrontDoor::RestApi)?
            .around(handler);
        lambda_proxy::run(app).await
    })
    .stop_after(&api, cases.len())
    .await;
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let posted = api.posted.lock().unwrap().clone();
    let find = |id: &str| posted.iter().find(|p| p.id == id).unwrap().clone();
    // Every answer, streamed or whole, names the invocation it answers as the Runtime API did.
    assert_eq!(posted.len(), cases.len());
    for answer in &posted {
        let expected = format!("inv-{}", answer.id);
        assert_eq!(answer.invocation_id.as_deref(), Some(expected.as_str()));
    }

    // Before the first item: whole 500 answers, no trailers.
    for id in ["early-panic", "early-unserializable"] {
        let answer = find(id);
        let (prelude, body) = split(&answer);
        assert_eq!(prelude["statusCode"], 500, "{id}");
        let problem: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["requestId"], id);
        assert_eq!(error_type(&answer), None, "{id}");
    }

    // After it: the first event, then the trailers naming the kind, nothing of the reason.
    for (id, kind) in [
        ("late-panic", "LambdaProxy.Panic"),
        ("late-bad-name", "LambdaProxy.Unserializable"),
    ] {
        let answer = find(id);
        let (prelude, body) = split(&answer);
        assert_eq!(prelude["statusCode"], 200);
        assert_eq!(body, b"event: first\ndata: {\"n\":1}\n\n", "{id}");
        assert_eq!(error_type(&answer), Some(kind), "{id}");
        let trailers = format!("{:?}", answer.trailers);
        assert!(!trailers.contains("secret"));
    }
    assert!(!String::from_utf8_lossy(&find("late-panic").body).contains("secret"));
    assert!(
        logs.contains("the secret in the panic"),
        "the panic is logged"
    );
    assert!(logs.contains("line break"), "the bad field is logged");

    // The REST API's prelude: its header map, and the whole stream.
    let (prelude, body) = split(&find("rest"));
    assert_eq!(prelude["statusCode"], 200);
    assert_eq!(
        prelude["multiValueHeaders"]["content-type"],
        serde_json::json!(["text/event-stream"])
    );
    assert_eq!(
        body,
        b"event: first\ndata: {\"n\":1}\n\ndata: {\"n\":2}\n\n".to_vec()
    );

    // `HEAD`: the head, no body.
    let (prelude, body) = split(&find("head"));
    assert_eq!(prelude["statusCode"], 200);
    assert!(body.is_empty());

    // Behind an HTTP API, 8 MiB collected: past the 6 MiB limit, the usual 500.
    let big = find("http-big");
    assert_eq!(big.mode, None);
    let envelope: Value = serde_json::from_slice(&big.body).unwrap();
    assert_eq!(envelope["statusCode"], 500);
    assert!(big.body.len() < 4096);
}

/// Rows of a CSV export, as bytes with the attribute's content type and headers.
#[proxy_handler(content_type = "text/csv", headers("content-disposition" = "attachment"))]
async fn export(_req: Request) -> Streamed {
    Streamed::bytes(stream::iter(["id,name\n", "1,Ada\n"]))
}

/// JSON lines.
#[proxy_handler]
async fn lines(_req: Request) -> Streamed {
    Streamed::json_lines(stream::iter([
        serde_json::json!({"n": 1}),
        serde_json::json!({"n": 2}),
    ]))
}

/// Bytes that are not UTF-8.
#[proxy_handler]
async fn binary(_req: Request) -> Streamed {
    Streamed::bytes(stream::iter([vec![0xff_u8, 0xfe], vec![0x00]]))
}

/// Where nothing streams (here the testing kit), the items are one ordinary answer: the
/// attribute's content type and headers, JSON lines, and bytes that are not text as base64.
#[tokio::test]
async fn collected_streams_are_ordinary_answers() {
    let envelope = TestRequest::http_api().invoke(export).await;
    envelope.assert_valid();
    assert_eq!(envelope.header("content-type"), Some("text/csv".into()));
    assert_eq!(
        envelope.header("content-disposition"),
        Some("attachment".into())
    );
    assert_eq!(envelope.body(), "id,name\n1,Ada\n");

    let envelope = TestRequest::rest_api().invoke(lines).await;
    envelope.assert_valid();
    assert_eq!(
        envelope.header("content-type"),
        Some("application/x-ndjson".into())
    );
    assert_eq!(envelope.body(), "{\"n\":1}\n{\"n\":2}\n");

    let envelope = TestRequest::function_url().invoke(binary).await;
    envelope.assert_valid();
    assert_eq!(
        envelope.header("content-type"),
        Some("application/octet-stream".into())
    );
    assert_eq!(envelope.body_bytes(), [0xff, 0xfe, 0x00]);
}
