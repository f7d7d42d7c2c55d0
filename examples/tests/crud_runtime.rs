//! The crud binary as Lambda runs it, out of the box: served by a Runtime API of the tests' own
//! with `AWS_LAMBDA_LOG_FORMAT=JSON`, it writes one JSON access record per request (through
//! `lambda_runtime`'s subscriber) and one metrics document under the namespace `crud`, valid by
//! the embedded metric format's schema and rules; `GET /me` answers the caller's subject.

#[allow(dead_code)]
mod process;

use lambda_proxy::testing::TestRequest;
use lambda_proxy::Authorizer;
use process::emf;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crud_binary_writes_access_records_and_metrics() {
    let jwt = json!({"sub": "user-7", "email": "ada@example.com"});
    let requests = [
        (
            "list",
            TestRequest::http_api().path("/users"),
            200,
            Some("GET /users"),
        ),
        (
            "get",
            TestRequest::rest_api()
                .path("/users/1")
                .resource("/{proxy+}"),
            200,
            Some("GET /users/{id}"),
        ),
        (
            "me",
            TestRequest::http_api()
                .path("/me")
                .caller(Authorizer::Jwt, jwt),
            200,
            Some("GET /me"),
        ),
        (
            "anonymous",
            TestRequest::function_url().path("/me"),
            401,
            Some("GET /me"),
        ),
        (
            "invalid",
            TestRequest::http_api()
                .method("POST")
                .path("/users")
                .json(&json!({"name": ""})),
            422,
            Some("POST /users"),
        ),
        ("unknown", TestRequest::alb().path("/nowhere"), 404, None),
    ];
    let events = requests
        .iter()
        .map(|(id, request, ..)| (id.to_string(), 3_000, request.event()))
        .collect();
    let served = process::serve("crud", env!("CARGO_BIN_EXE_crud"), events).await;

    let lines = served.lines();
    let records: Vec<&Value> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "access")
        .collect();
    let documents: Vec<&Value> = lines.iter().filter(|l| l.get("_aws").is_some()).collect();
    assert_eq!(records.len(), requests.len(), "{}", served.stdout);
    assert_eq!(documents.len(), requests.len(), "{}", served.stdout);
    let schema = emf::schema();
    for (id, _, status, route) in &requests {
        let record = records
            .iter()
            .find(|r| r["fields"]["request_id"] == *id)
            .unwrap_or_else(|| panic!("no access record for {id}: {}", served.stdout));
        assert_eq!(record["fields"]["status"], *status, "{record}");
        assert_eq!(record["fields"]["route"].as_str(), *route, "{record}");
        assert_eq!(record["span"]["requestId"], *id, "{record}");
        let document = documents
            .iter()
            .find(|d| d["request_id"] == *id)
            .unwrap_or_else(|| panic!("no metrics for {id}: {}", served.stdout));
        let broken = emf::violations(&schema, document);
        assert!(broken.is_empty(), "{broken:?}: {document}");
        assert_eq!(
            document["_aws"]["CloudWatchMetrics"][0]["Namespace"],
            "crud"
        );
        assert_eq!(document["service"], "users");
    }
    assert_eq!(served.envelope("me")["body"], r#"{"sub":"user-7"}"#);
}
