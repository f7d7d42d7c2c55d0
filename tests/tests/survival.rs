//! The real `lambda_runtime` loop, driven through `lambda_proxy::run` against a small Runtime API
//! served on 127.0.0.1: ok, panic, timeout, oversize, serialization failure, bad header value,
//! ok again; then events `lambda_http` cannot read or convert, on every front door that can send
//! them, each followed by an ordinary event. Every invocation is answered on the `response`
//! endpoint with a valid envelope, none on the `error` endpoint, and the process is still serving
//! at the end.

mod common;

use common::runtime_api::{start_api, Function};
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Body, FrontDoor, HttpError, Request, Response};
use lambda_proxy_cli::check::check_sized;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

/// What the handler does, chosen by the `x-case` header.
#[proxy_handler]
async fn handler(req: Request) -> Result<Response<Body>, HttpError> {
    let case = common::case(&req);
    match case.as_str() {
        "panic" => panic!("boom"),
        "timeout" => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(Response::new(Body::from("late")))
        }
        "oversize" => Ok(Response::builder()
            .header("content-type", "text/plain")
            .body(Body::from("x".repeat(7 * 1024 * 1024)))
            .unwrap()),
        "bad-header" => {
            let mut response = Response::new(Body::from("ok"));
            let value = lambda_proxy::HeaderValue::from_bytes(b"\xff\xfe").unwrap();
            response.headers_mut().insert("x-from-user", value);
            Ok(response)
        }
        "unserializable" => {
            let map = BTreeMap::from([((1, 2), 3)]);
            let json = serde_json::to_string(&map)
                .map_err(|e| HttpError::internal_server_error("").with_source(e))?;
            Ok(Response::new(Body::from(json)))
        }
        _ => Ok(Response::builder()
            .header("content-type", "application/json")
            .body(Body::from(r#"{"ok":true}"#))
            .unwrap()),
    }
}

/// An event a front door can deliver and `lambda_http` cannot read or convert, built from
/// `request`'s event by `spoil`.
fn spoiled(request: TestRequest, spoil: impl Fn(&mut Value)) -> Value {
    let mut event = request.event();
    spoil(&mut event);
    event
}

/// Sets header `name` to `value` in every header map of the event.
fn bad_header(name: &'static str, value: &'static str) -> impl Fn(&mut Value) {
    move |event: &mut Value| {
        for key in ["headers", "multiValueHeaders"] {
            if let Some(map) = event[key].as_object_mut() {
                let multi =
                    key == "multiValueHeaders" || map.values().next().is_some_and(Value::is_array);
                let value = if multi {
                    serde_json::json!([value])
                } else {
                    serde_json::json!(value)
                };
                map.insert(name.to_owned(), value);
            }
        }
        if event.get("headers").is_none() && event.get("multiValueHeaders").is_none() {
            event["headers"] = serde_json::json!({ name: value });
        }
    }
}

fn not_base64(event: &mut Value) {
    event["body"] = Value::String("this is not base64!".into());
    event["isBase64Encoded"] = Value::Bool(true);
}

/// What each case must answer, and on which front door.
struct Case {
    name: String,
    front_door: FrontDoor,
    event: Value,
    status: u16,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut push = |name: &str, request: TestRequest, event: Value, status: u16| {
        cases.push(Case {
            name: name.to_owned(),
            front_door: request.front_door(),
            event,
            status,
        });
    };
    for (case, request, status) in [
        ("ok", TestRequest::rest_api(), 200),
        ("panic", TestRequest::http_api(), 500),
        ("timeout", TestRequest::alb(), 504),
        ("oversize", TestRequest::function_url(), 500),
        ("unserializable", TestRequest::vpc_lattice(), 500),
        ("bad-header", TestRequest::websocket(), 200),
        ("ok", TestRequest::http_api_v1(), 200),
    ] {
        let event = request.clone().header("x-case", case).event();
        push(case, request, event, status);
    }
    let ok = |request: &TestRequest| request.clone().header("x-case", "ok").event();
    let long_query = "q=".to_owned() + &"a".repeat(70_000);
    for request in [
        TestRequest::rest_api(),
        TestRequest::http_api(),
        TestRequest::function_url(),
        TestRequest::alb(),
    ] {
        let door = request.front_door();
        push(
            &format!("control character in a header value ({door})"),
            request.clone(),
            spoiled(request.clone(), bad_header("x-bad", "a\u{1}b")),
            400,
        );
        push("ok", request.clone(), ok(&request), 200);
        push(
            &format!("space in a header name ({door})"),
            request.clone(),
            spoiled(request.clone(), bad_header("x bad", "1")),
            400,
        );
        push("ok", request.clone(), ok(&request), 200);
    }
    for request in [TestRequest::http_api(), TestRequest::function_url()] {
        for raw in ["a=\"b\"", "a=<b>", "a=\u{7f}"] {
            let door = request.front_door();
            let event = spoiled(request.clone(), |event| {
                event["rawQueryString"] = Value::String(raw.to_owned());
            });
            push(
                &format!("{raw:?} in the raw query string ({door})"),
                request.clone(),
                event,
                400,
            );
        }
        push("ok", request.clone(), ok(&request), 200);
    }
    for request in common::front_doors() {
        let door = request.front_door();
        let long = request.clone().query("q", &long_query["q=".len()..]);
        // WebSocket messages have no query string, so no URI to be too long.
        if door != FrontDoor::WebSocket {
            push(
                &format!("a URI over 65,534 bytes ({door})"),
                request.clone(),
                long.event(),
                414,
            );
        }
        push(
            &format!("a body marked base64 that is not ({door})"),
            request.clone(),
            spoiled(request.clone(), not_base64),
            400,
        );
        push("ok", request.clone(), ok(&request), 200);
    }
    cases
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_runtime_survives_every_failure() {
    let cases = cases();
    let events = (cases.iter().enumerate())
        // A real deadline 2 s after `next` answers: the timeout case is cut at 1.8 s.
        .map(|(i, case)| (format!("req-{i}"), 2_000, case.event.clone()))
        .collect();
    let api = start_api("survival", events).await;
    Function::start(false, || lambda_proxy::run(handler))
        .stop_after(&api, cases.len())
        .await;

    assert!(
        api.no_errors(),
        "posted to the error endpoint: {:?}",
        api.errors.lock().unwrap()
    );
    let responses = api.responses.lock().unwrap();
    assert_eq!(responses.len(), cases.len());
    for (i, case) in cases.iter().enumerate() {
        let name = &case.name;
        let (id, body) = &responses[i];
        assert_eq!(id, &format!("req-{i}"));
        let envelope: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(envelope["statusCode"], case.status, "{name}: {envelope}");
        assert!(envelope["body"].is_string(), "{name}: {envelope}");
        assert!(body.len() < 6 * 1024 * 1024, "{name}");
        // The value that is not printable ASCII was dropped, and the header with it.
        let headers = format!("{} {}", envelope["headers"], envelope["multiValueHeaders"]);
        assert!(!headers.contains("x-from-user"), "{name}: {headers}");
        assert!(!String::from_utf8_lossy(body).contains("boom"), "{name}");
        // A valid envelope for the front door, by the checker's strict contract.
        let report = check_sized(&envelope, case.front_door, body.len());
        assert!(report.strict_ok(), "{name}: {report}\n{envelope}");
        if case.status >= 400 && case.status < 500 {
            let problem: Value = serde_json::from_str(envelope["body"].as_str().unwrap()).unwrap();
            assert_eq!(problem["status"], case.status, "{name}");
            assert_eq!(problem["requestId"], format!("req-{i}"), "{name}");
            // The offending bytes are never echoed.
            let text = envelope["body"].as_str().unwrap();
            for bad in [
                "x-bad",
                "x bad",
                "<b>",
                "\\u0001",
                "aaaaaaaa",
                "this is not base64",
            ] {
                assert!(!text.contains(bad), "{name}: {text}");
            }
        }
    }
}
