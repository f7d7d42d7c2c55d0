//! The crud binary as Lambda runs it, out of the box: served by a Runtime API of the tests' own
//! with `AWS_LAMBDA_LOG_FORMAT=JSON`, it writes one JSON access record per request (through
//! `lambda_runtime`'s subscriber) and one metrics document under the namespace `crud`, valid by
//! the embedded metric format's schema and rules; `GET /me` answers the caller's subject.

#[path = "../../tests/tests/common/emf.rs"]
mod emf;
#[path = "../../tests/tests/common/runtime_api.rs"]
#[allow(dead_code)]
mod runtime_api;

use lambda_proxy::testing::TestRequest;
use lambda_proxy::Authorizer;
use serde_json::{json, Value};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crud_binary_writes_access_records_and_metrics() {
    let jwt = json!({"sub": "user-7", "email": "ada@example.com"});
    let requests = [
        (
            "list",
            TestRequest::http_api().path("/users"),
            200,
            Some("/users"),
        ),
        (
            "get",
            TestRequest::rest_api()
                .path("/users/1")
                .resource("/{proxy+}"),
            200,
            Some("/users/{id}"),
        ),
        (
            "me",
            TestRequest::http_api()
                .path("/me")
                .caller(Authorizer::Jwt, jwt),
            200,
            Some("/me"),
        ),
        (
            "anonymous",
            TestRequest::function_url().path("/me"),
            401,
            Some("/me"),
        ),
        (
            "invalid",
            TestRequest::http_api()
                .method("POST")
                .path("/users")
                .json(&json!({"name": ""})),
            422,
            Some("/users"),
        ),
        ("unknown", TestRequest::alb().path("/nowhere"), 404, None),
    ];
    let events = requests
        .iter()
        .map(|(id, request, ..)| (id.to_string(), 3_000, request.event()))
        .collect();
    let api = runtime_api::start_api("crud", events).await;
    let mut crud = Command::new(env!("CARGO_BIN_EXE_crud"))
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("AWS_LAMBDA_LOG_LEVEL", "INFO")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while api.responses.lock().unwrap().len() < requests.len() {
        assert!(
            Instant::now() < deadline,
            "the crud binary did not answer every event"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Its last lines are written before its answer is posted.
    tokio::time::sleep(Duration::from_millis(200)).await;
    crud.kill().unwrap();
    let mut stdout = String::new();
    crud.stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    crud.wait().unwrap();

    if std::env::var_os("SHOW_STDOUT").is_some() {
        eprintln!("{stdout}");
    }
    let lines: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let records: Vec<&Value> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "access")
        .collect();
    let documents: Vec<&Value> = lines.iter().filter(|l| l.get("_aws").is_some()).collect();
    assert_eq!(records.len(), requests.len(), "{stdout}");
    assert_eq!(documents.len(), requests.len(), "{stdout}");
    let schema = emf::schema();
    for (id, _, status, route) in &requests {
        let record = records
            .iter()
            .find(|r| r["fields"]["request_id"] == *id)
            .unwrap_or_else(|| panic!("no access record for {id}: {stdout}"));
        assert_eq!(record["fields"]["status"], *status, "{record}");
        assert_eq!(record["fields"]["route"].as_str(), *route, "{record}");
        assert_eq!(record["span"]["requestId"], *id, "{record}");
        let document = documents
            .iter()
            .find(|d| d["request_id"] == *id)
            .unwrap_or_else(|| panic!("no metrics for {id}: {stdout}"));
        let broken = emf::violations(&schema, document);
        assert!(broken.is_empty(), "{broken:?}: {document}");
        assert_eq!(
            document["_aws"]["CloudWatchMetrics"][0]["Namespace"],
            "crud"
        );
        assert_eq!(document["service"], "users");
    }
    let answers = api.responses.lock().unwrap();
    let me = answers.iter().find(|(id, _)| id == "me").unwrap();
    let me: Value = serde_json::from_slice(&me.1).unwrap();
    assert_eq!(me["body"], r#"{"sub":"user-7"}"#);
}
