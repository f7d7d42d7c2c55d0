//! Who called and what happened, through the real `lambda_runtime` loop of `lambda_proxy::run`:
//! with `AWS_LAMBDA_LOG_FORMAT=JSON` and `lambda_runtime`'s own subscriber, every invocation (on
//! every front door, one at a time and then concurrently) writes exactly one access record, in
//! JSON, that names its own invocation, its route template and what went wrong; and exactly one
//! metrics document, valid by the embedded metric format's schema and rules. A binary of its own:
//! the environment and the subscriber are the process's.

mod common;

use common::runtime_api::{start_api, Function};
use common::Captured;
use lambda_proxy::metrics::{Metrics, Recorder, Unit};
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Exit, HttpError, Json, Path, Router};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

#[proxy_handler(route = "GET /users/{id}")]
async fn get_user(Path(id): Path<u64>) -> Option<Value> {
    (id == 7).then(|| json!({ "id": 7, "name": "Ada" }))
}

#[derive(serde::Deserialize)]
struct NewUser {
    #[allow(dead_code)]
    name: String,
}

#[proxy_handler(route = "POST /users", status = 201)]
async fn create_user(metrics: Recorder, Json(_new): Json<NewUser>) -> Result<(), HttpError> {
    metrics
        .add("users_created", 1.0, Unit::Count)
        .map_err(|e| HttpError::internal_server_error("").with_source(e))?;
    metrics
        .add("name_checks", 2.0, Unit::Count)
        .and_then(|()| metrics.add("name_checks", 3.0, Unit::Count))
        .map_err(|e| HttpError::internal_server_error("").with_source(e))
}

#[proxy_handler(route = "GET /conflict")]
async fn conflict() -> Result<(), HttpError> {
    Err(HttpError::conflict("taken"))
}

#[proxy_handler(route = "GET /panic")]
async fn panics() -> &'static str {
    panic!("secret-panic-message")
}

#[proxy_handler(route = "GET /slow")]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(30)).await;
    "late"
}

#[proxy_handler(route = "GET /big")]
async fn big() -> String {
    "x".repeat(7 * 1024 * 1024)
}

fn app(metrics: Captured) -> lambda_proxy::serve::ExitService<Router> {
    let router = Router::new()
        .route(get_user)
        .and_then(|r| r.route(create_user))
        .and_then(|r| r.route(conflict))
        .and_then(|r| r.route(panics))
        .and_then(|r| r.route(slow))
        .and_then(|r| r.route(big))
        .unwrap();
    Exit::new()
        .metrics(
            Metrics::new("tests", "observability")
                .unwrap()
                .writer(metrics),
        )
        .around(router)
}

/// A request, and what its record says: (status, the route that answered, error kind).
type Case = (TestRequest, u16, Option<&'static str>, Option<&'static str>);

fn cases(door: TestRequest) -> Vec<Case> {
    let r = || door.clone().resource("/{proxy+}");
    let user = Some("GET /users/{id}");
    let create = Some("POST /users");
    vec![
        (r().path("/users/7"), 200, user, None),
        // `HEAD` is answered by the `GET` route: the route as declared.
        (r().method("HEAD").path("/users/7"), 200, user, None),
        (r().path("/users/8"), 404, user, Some("not_found")),
        (r().path("/users/x"), 400, user, Some("invalid_request")),
        (
            r().method("POST")
                .path("/users")
                .json(&json!({"name": "Ada"})),
            201,
            create,
            None,
        ),
        (
            r().method("POST").path("/users").json(&json!({"nom": 1})),
            422,
            create,
            Some("invalid_request"),
        ),
        // The router's own answers name no route: a method no route has adds no metric.
        (
            r().method("DELETE").path("/users/7"),
            405,
            None,
            Some("method_not_allowed"),
        ),
        (
            r().method("BREW").path("/users/7"),
            405,
            None,
            Some("method_not_allowed"),
        ),
        (r().path("/nowhere"), 404, None, Some("not_found")),
        (
            r().path("/conflict"),
            409,
            Some("GET /conflict"),
            Some("handler_error"),
        ),
        (r().path("/panic"), 500, Some("GET /panic"), Some("panic")),
        (r().path("/slow"), 504, Some("GET /slow"), Some("timeout")),
        (r().path("/big"), 500, Some("GET /big"), Some("oversize")),
    ]
}

/// The lines of `captured` as JSON.
fn lines(captured: &Captured) -> Vec<Value> {
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_invocation_has_one_access_record_and_one_valid_metrics_document() {
    std::env::set_var("AWS_LAMBDA_LOG_FORMAT", "JSON");
    std::env::set_var("AWS_LAMBDA_LOG_LEVEL", "INFO");
    let logs = Captured::default();
    let writer = logs.clone();
    lambda_proxy::lambda_http::tracing::init_default_subscriber_with_writer(move || writer.clone());
    let metrics = Captured::default();

    // Every front door an API routes (a WebSocket event is not routed: its 404 is recorded too).
    let doors = common::front_doors();
    let mut expected: BTreeMap<String, (u16, Option<&str>, Option<&str>)> = BTreeMap::new();
    let mut phases: Vec<Vec<(String, u64, Value)>> = vec![Vec::new(), Vec::new()];
    for (phase, events) in phases.iter_mut().enumerate() {
        for (d, door) in doors.iter().enumerate() {
            for (c, (request, status, route, error)) in cases(door.clone()).into_iter().enumerate()
            {
                let id = format!("p{phase}-d{d}-c{c}");
                let (status, route, error) =
                    if request.front_door() == lambda_proxy::FrontDoor::WebSocket {
                        (404, None, Some("not_found"))
                    } else {
                        (status, route, error)
                    };
                expected.insert(id.clone(), (status, route, error));
                events.push((id, 1_000, request.event()));
            }
        }
    }
    // An event no front door sent: answered 400, recorded as unreadable.
    phases[1].push(("p1-unreadable".into(), 2_000, json!({})));
    expected.insert(
        "p1-unreadable".into(),
        (400, None, Some("unreadable_event")),
    );

    // One invocation at a time, then eight at once (Lambda Managed Instances).
    let mut answered = 0;
    for (phase, events) in phases.into_iter().enumerate() {
        let n = events.len();
        answered += n;
        if phase == 1 {
            std::env::set_var("AWS_LAMBDA_MAX_CONCURRENCY", "8");
        }
        let api = start_api("observability", events).await;
        let serving = metrics.clone();
        Function::start(true, move || lambda_proxy::run(app(serving)))
            .stop_after(&api, n)
            .await;
        assert!(api.no_errors());
        assert_eq!(api.responses.lock().unwrap().len(), n);
        if phase == 1 {
            let max = api.max_in_flight();
            assert!(max > 1, "served one at a time: {max}");
        }
    }

    // The access records: one per invocation, each naming its own.
    let records: Vec<Value> = lines(&logs)
        .into_iter()
        .filter(|line| line["fields"]["message"] == "access")
        .collect();
    assert_eq!(records.len(), answered, "one record per invocation");
    let ids: std::collections::BTreeSet<&str> = records
        .iter()
        .map(|r| r["fields"]["request_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), answered, "each invocation recorded once");
    let mut cold = 0;
    for record in &records {
        let fields = &record["fields"];
        let id = fields["request_id"].as_str().unwrap();
        assert_eq!(record["level"], "INFO", "{record}");
        // The span `lambda_runtime` opens per invocation agrees, also when eight run at once.
        assert_eq!(record["span"]["requestId"], id, "{record}");
        let (status, route, error) = expected[id];
        assert_eq!(fields["status"], status, "{record}");
        assert_eq!(fields["route"].as_str(), route, "{record}");
        assert_eq!(fields["error"].as_str(), error, "{record}");
        assert!(fields["duration_ms"].is_number(), "{record}");
        assert!(fields["response_bytes"].is_u64(), "{record}");
        assert!(
            fields["front_door"].is_string() || id == "p1-unreadable",
            "{record}"
        );
        if id != "p1-unreadable" {
            assert!(fields["method"].is_string(), "{record}");
        }
        cold += usize::from(fields["cold_start"] == true);
        assert!(
            !record.to_string().contains("secret-panic-message") || fields["message"] != "access"
        );
    }
    assert_eq!(cold, 1, "one cold start per process");

    // The metrics: one valid document per invocation.
    let schema = common::emf::schema();
    let documents = lines(&metrics);
    assert_eq!(
        documents.len(),
        answered,
        "one metrics document per invocation"
    );
    let mut cold = 0;
    for document in &documents {
        let broken = common::emf::violations(&schema, document);
        assert!(broken.is_empty(), "{broken:?}\n{document}");
        let id = document["request_id"].as_str().unwrap();
        let (status, route, _) = expected[id];
        assert_eq!(
            document["_aws"]["CloudWatchMetrics"][0]["Namespace"],
            "tests"
        );
        assert_eq!(document["service"], "observability");
        assert_eq!(
            document["status_class"],
            format!("{}xx", status / 100),
            "{document}"
        );
        assert_eq!(document["errors"], u8::from(status >= 500), "{document}");
        assert_eq!(document["route"], route.unwrap_or("-"), "{document}");
        if status == 201 {
            assert_eq!(document["users_created"], 1, "{document}");
            assert_eq!(document["name_checks"], json!([2, 3]), "{document}");
        }
        cold += usize::from(document["cold_start"] == 1);
    }
    assert_eq!(cold, 1);
}
