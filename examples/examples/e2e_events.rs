//! Writes the events `tests/e2e/run.sh` sends with `cargo lambda invoke`, built by
//! `lambda_proxy::testing::TestRequest` exactly as each front door sends them:
//!
//! ```sh
//! cargo run -q -p lambda-proxy-examples --example e2e_events -- tests/e2e/events
//! ```
//!
//! With `--check` it writes nothing and fails when a file differs from what `TestRequest` builds
//! today, so the committed events cannot drift from the testing kit.

use lambda_proxy::testing::TestRequest;
use std::path::PathBuf;
use std::process::ExitCode;

/// A `TestRequest` constructor: `TestRequest::rest_api` and the others.
type NewRequest = fn() -> TestRequest;

/// The browser app the users service answers with CORS headers.
const APP: &str = "https://app.example.com";

/// The front doors, by the name the files and `lambda-proxy check --front-door` use.
const FRONT_DOORS: [(&str, NewRequest); 4] = [
    ("rest", TestRequest::rest_api),
    ("http2", TestRequest::http_api),
    ("alb", TestRequest::alb),
    ("alb-multi", TestRequest::alb_multi_value),
];

/// One request per route the script checks the envelope of.
fn requests(front_door: NewRequest) -> Vec<(&'static str, TestRequest)> {
    vec![
        ("ok", front_door().path("/ok")),
        ("headers", front_door().path("/headers")),
        ("binary", front_door().path("/binary")),
        ("internal", front_door().path("/internal")),
        (
            "echo",
            front_door()
                .method("POST")
                .path("/echo")
                .json(&serde_json::json!({ "text": "hi", "count": 2 })),
        ),
        ("user", front_door().path("/users/1")),
    ]
}

/// The users route under the stage shapes a router must see through: a REST API on another
/// stage and behind a custom domain's base path, an HTTP API on a named stage, a method the
/// path does not have, and `OPTIONS` (which the emulator's function URL answers itself).
fn stage_shapes() -> Vec<(&'static str, TestRequest)> {
    vec![
        (
            "rest-user-staged",
            TestRequest::rest_api().stage("v2").path("/users/1"),
        ),
        (
            "rest-user-base-path",
            TestRequest::rest_api().base_path("api").path("/users/1"),
        ),
        (
            "http2-user-staged",
            TestRequest::http_api().stage("prod").path("/users/1"),
        ),
        (
            "rest-user-wrong-method",
            TestRequest::rest_api().method("PUT").path("/users/1"),
        ),
        (
            "http2-users-options",
            TestRequest::http_api().method("OPTIONS").path("/users"),
        ),
        // `HEAD`: `GET`'s status and headers, with the length of its body, and no body.
        (
            "http2-user-head",
            TestRequest::http_api().method("HEAD").path("/users/1"),
        ),
        // CORS for the browser app of examples/src/crud.rs, on every kind of answer.
        (
            "rest-cors-user",
            TestRequest::rest_api().path("/users/1").origin(APP),
        ),
        (
            "http2-cors-user",
            TestRequest::http_api().path("/users/1").origin(APP),
        ),
        (
            "http2-cors-other-origin",
            TestRequest::http_api()
                .path("/users/1")
                .origin("https://evil.example"),
        ),
        (
            "http2-cors-preflight",
            TestRequest::http_api()
                .path("/users/1")
                .preflight(APP, "DELETE", "content-type"),
        ),
        (
            "http2-cors-error",
            TestRequest::http_api().path("/users/abc").origin(APP),
        ),
        (
            "alb-cors-panic",
            TestRequest::alb().path("/panic").origin(APP),
        ),
        (
            "http2-cors-timeout",
            TestRequest::http_api().path("/slow").origin(APP),
        ),
    ]
}

/// Events a front door can deliver and `lambda_http` cannot read or convert: lambda-proxy answers
/// them 400 instead of the front door's bare 502.
fn unreadable() -> Vec<(&'static str, serde_json::Value)> {
    let mut bad_header = TestRequest::rest_api().path("/ok").event();
    bad_header["headers"]["x-bad"] = "a\u{1}b".into();
    bad_header["multiValueHeaders"]["x-bad"] = serde_json::json!(["a\u{1}b"]);
    let mut bad_query = TestRequest::http_api().path("/ok").event();
    bad_query["rawQueryString"] = "a=\"b\"".into();
    let mut bad_base64 = TestRequest::alb().method("POST").path("/echo").event();
    bad_base64["body"] = "this is not base64!".into();
    bad_base64["isBase64Encoded"] = true.into();
    vec![
        ("rest-bad-header", bad_header),
        ("http2-bad-query", bad_query),
        ("alb-bad-base64", bad_base64),
    ]
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut check = false;
    let mut dir = None;
    for arg in args.by_ref() {
        match arg.as_str() {
            "--check" => check = true,
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: e2e_events [--check] DIR");
        return ExitCode::from(2);
    };
    let mut stale = 0;
    let mut events = Vec::new();
    for (door, front_door) in FRONT_DOORS {
        for (route, request) in requests(front_door) {
            events.push((format!("{door}-{route}"), request.event()));
        }
    }
    for (name, request) in stage_shapes() {
        events.push((name.to_owned(), request.event()));
    }
    events.extend(
        unreadable()
            .into_iter()
            .map(|(name, event)| (name.to_owned(), event)),
    );
    for (name, event) in events {
        let path = dir.join(format!("{name}.json"));
        let mut text = serde_json::to_string_pretty(&event).expect("events serialize");
        text.push('\n');
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                eprintln!("{} differs from what TestRequest builds", path.display());
                stale += 1;
            }
        } else if let Err(error) = std::fs::write(&path, text) {
            eprintln!("cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if stale > 0 {
        eprintln!(
            "regenerate with: cargo run -q -p lambda-proxy-examples --example e2e_events -- {}",
            dir.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
