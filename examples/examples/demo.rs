//! Runs sample events through the users service, offline: for each, the request as the front door
//! sends it, the envelope the function posts back and the access record it logs. No AWS account
//! needed.
//!
//! `cargo run -p lambda-proxy-examples --example demo`

use lambda_proxy::testing::{Envelope, TestEvent, TestRequest};
use lambda_proxy::Authorizer;
use lambda_proxy_examples::crud::{app, Store};
use std::sync::{Arc, Mutex};

/// What the subscriber writes: the access records, shown after each envelope.
#[derive(Clone, Default)]
struct Records(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Records {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The envelope the function posts, the checker's verdict (the last line of its report) and the
/// access record of the invocation.
fn show(envelope: &Envelope, records: &Records) {
    println!("   envelope   : {}", envelope.raw());
    let report = envelope.check().to_string();
    println!(
        "   checker    : {}",
        report.lines().last().unwrap_or_default()
    );
    let written = std::mem::take(
        &mut *records
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    for line in String::from_utf8_lossy(&written).lines() {
        println!("   record     : {}", line.trim());
    }
    println!();
}

#[tokio::main]
async fn main() {
    // The access records, as a function's subscriber would write them (here without the time).
    let records = Records::default();
    let writer = records.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_env_filter("lambda_proxy::access=info")
        .without_time()
        .with_target(false)
        .with_ansi(false)
        .init();
    let store = Arc::new(Store::seeded());
    let samples = [
        (
            "list users (REST API)",
            TestRequest::rest_api().path("/users"),
        ),
        (
            "get user 1 (HTTP API 2.0)",
            TestRequest::http_api().path("/users/1"),
        ),
        (
            "get a user that does not exist (function URL)",
            TestRequest::function_url().path("/users/42"),
        ),
        (
            "a non-numeric id (ALB)",
            TestRequest::alb().path("/users/abc"),
        ),
        (
            "create a user (HTTP API 2.0)",
            TestRequest::http_api()
                .method("POST")
                .path("/users")
                .json(&serde_json::json!({ "name": "Barbara" })),
        ),
        (
            "create with a body that is not JSON (REST API)",
            TestRequest::rest_api()
                .method("POST")
                .path("/users")
                .header("content-type", "application/json")
                .text("{\"name\": "),
        ),
        (
            "create with a name the type's constraint refuses (function URL)",
            TestRequest::function_url()
                .method("POST")
                .path("/users")
                .json(&serde_json::json!({ "name": "" })),
        ),
        (
            "delete user 2 (VPC Lattice)",
            TestRequest::vpc_lattice().method("DELETE").path("/users/2"),
        ),
        (
            "a method the path does not allow (HTTP API 1.0)",
            TestRequest::http_api_v1().method("PUT").path("/users/1"),
        ),
        (
            "who the caller is, from an HTTP API JWT authorizer's claims",
            TestRequest::http_api()
                .path("/me")
                .caller(Authorizer::Jwt, serde_json::json!({ "sub": "user-7" })),
        ),
        (
            "who the caller is, without an authorizer (function URL)",
            TestRequest::function_url().path("/me"),
        ),
        (
            "a WebSocket message, for which the service has no route",
            TestRequest::websocket().text("hello"),
        ),
    ];
    for (title, request) in samples {
        let front_door = request.front_door();
        let event = request.event();
        let method = event["httpMethod"]
            .as_str()
            .or(event["method"].as_str())
            .or(event["requestContext"]["http"]["method"].as_str())
            .unwrap_or("MESSAGE");
        let path = event["path"]
            .as_str()
            .or(event["rawPath"].as_str())
            .unwrap_or("");
        println!("── {title}");
        println!("   front door : {front_door}");
        println!("   request    : {method} {path}");
        if let Some(body) = event["body"].as_str().filter(|b| !b.is_empty()) {
            println!("   body       : {body}");
        }
        show(
            &request
                .invoke(app(store.clone()).expect("the routes do not conflict"))
                .await,
            &records,
        );
    }
    // An event a front door can deliver and lambda_http cannot read: a control character in a
    // header value. With plain lambda_http the client gets the front door's bare 502.
    let mut event = TestRequest::http_api().path("/users/1").event();
    event["headers"]["x-note"] = "line one\u{1}".into();
    println!("── an event lambda_http cannot read: a control character in a header (HTTP API 2.0)");
    println!("   front door : {}", lambda_proxy::FrontDoor::HttpApiV2);
    println!("   request    : GET /users/1, header x-note with the byte 0x01");
    let event = TestEvent::from_json(&event.to_string()).expect("an HTTP API event");
    show(
        &event
            .invoke(app(store.clone()).expect("the routes do not conflict"))
            .await,
        &records,
    );
    // The service's OpenAPI document, as it serves it behind a REST API's stage.
    let served = TestRequest::rest_api()
        .stage("dev")
        .path("/openapi.json")
        .invoke(app(store.clone()).expect("the routes do not conflict"))
        .await;
    let document: serde_json::Value = served.json_body().expect("a JSON document");
    println!("── the OpenAPI document, written from the handlers (REST API, stage dev)");
    println!("   request    : GET /openapi.json");
    println!(
        "   answer     : {}, {} bytes of OpenAPI {}",
        served.status(),
        served.body().len(),
        document["openapi"].as_str().unwrap_or("?")
    );
    println!("   servers    : {}", document["servers"]);
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        let operations = item.as_object().into_iter().flatten();
        for (method, operation) in operations.filter(|(key, _)| !key.starts_with("x-")) {
            let statuses: Vec<&String> = operation["responses"]
                .as_object()
                .map(|r| r.keys().collect())
                .unwrap_or_default();
            println!(
                "   {:<6} {:<14} {:<12} answers {}",
                method.to_uppercase(),
                path,
                operation["operationId"].as_str().unwrap_or(""),
                statuses
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
    }
    println!();
    println!("Each envelope above is exactly what the function posts to the Lambda Runtime API,");
    println!("checked by lambda_proxy_cli::check for the front door it answers, and each answer");
    println!("of the service checked against its OpenAPI document by the testing kit. The records");
    println!("are the exit's, one per invocation: JSON under Lambda's JSON log format.");
}
