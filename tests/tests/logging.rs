//! What is logged when a handler fails. In its own test binary: `tracing` caches per call site
//! whether anyone listens, so a subscriber set for one test must not race other tests' threads.

mod common;

use common::Captured;
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Request, ResponseError};

#[derive(Debug, thiserror::Error)]
#[error("query failed for user secret-in-message")]
struct QueryError(#[source] std::io::Error);

impl ResponseError for QueryError {}

#[proxy_handler]
async fn leaky_typed(_req: Request) -> Result<(), QueryError> {
    Err(QueryError(std::io::Error::other(
        "secret-in-source: password=hunter2",
    )))
}

#[tokio::test]
async fn the_full_error_is_logged_with_the_request_id() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let envelope = TestRequest::http_api()
        .request_id("req-log-1")
        .invoke(leaky_typed)
        .await;
    assert_eq!(envelope.status(), 500);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("ERROR"), "{log}");
    assert!(log.contains("req-log-1"), "{log}");
    assert!(
        log.contains("query failed for user secret-in-message: secret-in-source: password=hunter2"),
        "{log}"
    );
}

/// A routed handler served alone whose `Path` struct its template contradicts answers 500 to
/// every call, and each 500 is logged with its request id and why.
#[tokio::test]
async fn a_route_that_cannot_be_served_alone_logs_why_with_each_request_id() {
    #[derive(serde::Deserialize)]
    struct Ids {
        #[allow(dead_code)]
        tenant: String,
    }
    #[proxy_handler(route = "GET /orgs/{id}")]
    async fn lacks_org(lambda_proxy::Path(_ids): lambda_proxy::Path<Ids>) -> &'static str {
        "never"
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    for id in ["req-alone-1", "req-alone-2"] {
        let envelope = TestRequest::http_api()
            .path("/orgs/7")
            .request_id(id)
            .invoke(lacks_org)
            .await;
        assert_eq!(envelope.status(), 500);
    }
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for id in ["req-alone-1", "req-alone-2"] {
        let line = log
            .lines()
            .find(|line| line.contains(id) && line.contains("cannot be served by its route"))
            .unwrap_or_else(|| panic!("no line for {id}: {log}"));
        assert!(line.contains("ERROR") && line.contains("tenant"), "{line}");
    }
}

/// The access record: off with `Exit::access_log(None)`, at the level it is given otherwise, and
/// naming what gave an error answer the handler did not build from an error (a body that cannot
/// be serialized, a `Response` with a 5xx of the app's own).
#[tokio::test]
async fn the_access_record_follows_its_setting_and_names_the_kind_of_error() {
    use lambda_proxy::{Body, Exit, Response, StatusCode};
    use std::collections::HashMap;

    #[proxy_handler]
    async fn unserializable(_req: Request) -> HashMap<(u8, u8), u8> {
        HashMap::from([((1, 2), 3)])
    }
    #[proxy_handler]
    async fn unavailable(_req: Request) -> Response<Body> {
        let mut response = Response::new(Body::from("later"));
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        response
    }

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let records = || -> Vec<String> {
        let text = String::from_utf8(std::mem::take(&mut *captured.0.lock().unwrap())).unwrap();
        text.lines()
            .filter(|line| line.contains(" access "))
            .map(str::to_owned)
            .collect()
    };

    let envelope = TestRequest::http_api()
        .request_id("r-1")
        .invoke(unserializable)
        .await;
    assert_eq!(envelope.status(), 500);
    let seen = records();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("INFO"), "{}", seen[0]);
    assert!(seen[0].contains(r#"error="unserializable""#), "{}", seen[0]);
    assert!(seen[0].contains(r#"request_id="r-1""#), "{}", seen[0]);

    let envelope = TestRequest::http_api().invoke(unavailable).await;
    assert_eq!(envelope.status(), 503);
    let seen = records();
    assert!(seen[0].contains(r#"error="app_error""#), "{seen:?}");

    let quiet = Exit::new().access_log(None);
    TestRequest::http_api()
        .invoke(quiet.around(unavailable))
        .await;
    assert_eq!(records(), Vec::<String>::new(), "no record when it is off");

    let debug = Exit::new().access_log(Some(tracing::Level::DEBUG));
    TestRequest::http_api()
        .invoke(debug.around(unavailable))
        .await;
    let seen = records();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("DEBUG"), "{}", seen[0]);
}
