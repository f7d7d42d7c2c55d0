//! The users service answers every route, and every mistake, with the right envelope.

use lambda_proxy::testing::{Envelope, TestRequest};
use lambda_proxy_examples::crud::{app, Store, BROWSER_APP};
use std::sync::Arc;

async fn call(store: &Arc<Store>, request: TestRequest) -> Envelope {
    request.invoke(app(store.clone()).unwrap()).await
}

#[tokio::test]
async fn create_get_delete_round_trip() {
    let store = Arc::new(Store::seeded());
    let created = call(
        &store,
        TestRequest::http_api()
            .method("POST")
            .path("/users")
            .json(&serde_json::json!({ "name": "Barbara" })),
    )
    .await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.header("location").as_deref(), Some("/users/4"));
    assert_eq!(created.body(), r#"{"id":4,"name":"Barbara"}"#);

    let got = call(&store, TestRequest::rest_api().path("/users/4")).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.body(), r#"{"id":4,"name":"Barbara"}"#);

    let deleted = call(&store, TestRequest::alb().method("DELETE").path("/users/4")).await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(deleted.body(), "");

    let gone = call(&store, TestRequest::function_url().path("/users/4")).await;
    assert_eq!(gone.status(), 404);
    assert_eq!(
        gone.header("content-type").as_deref(),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn list_has_cache_header() {
    let store = Arc::new(Store::seeded());
    let list = call(&store, TestRequest::vpc_lattice().path("/users")).await;
    assert_eq!(list.status(), 200);
    assert_eq!(list.header("cache-control").as_deref(), Some("max-age=10"));
    let users: Vec<serde_json::Value> = list.json_body().unwrap();
    assert_eq!(users.len(), 3);
}

#[tokio::test]
async fn client_mistakes_are_4xx_with_details() {
    let store = Arc::new(Store::seeded());
    let bad_id = call(&store, TestRequest::http_api().path("/users/abc")).await;
    assert_eq!(bad_id.status(), 400);
    let problem: serde_json::Value = bad_id.json_body().unwrap();
    assert_eq!(
        problem["detail"],
        r#"path parameter "id": expected an unsigned integer, got "abc""#
    );

    let bad_json = call(
        &store,
        TestRequest::http_api()
            .method("POST")
            .path("/users")
            .header("content-type", "application/json")
            .text("{\"name\":"),
    )
    .await;
    assert_eq!(bad_json.status(), 400);

    let wrong_shape = call(
        &store,
        TestRequest::http_api()
            .method("POST")
            .path("/users")
            .json(&serde_json::json!({ "name": 7 })),
    )
    .await;
    assert_eq!(wrong_shape.status(), 422);

    let empty_name = call(
        &store,
        TestRequest::http_api()
            .method("POST")
            .path("/users")
            .json(&serde_json::json!({ "name": "" })),
    )
    .await;
    assert_eq!(empty_name.status(), 422);
    let problem: serde_json::Value = empty_name.json_body().unwrap();
    assert_eq!(
        problem["errors"],
        serde_json::json!([{ "pointer": "#/name", "detail": "must have 1 to 64 characters" }])
    );

    let put = call(
        &store,
        TestRequest::rest_api().method("PUT").path("/users/1"),
    )
    .await;
    assert_eq!(put.status(), 405);
    assert_eq!(
        put.header("allow").as_deref(),
        Some("GET, DELETE, HEAD, OPTIONS")
    );
    let patch = call(
        &store,
        TestRequest::http_api().method("PATCH").path("/users"),
    )
    .await;
    assert_eq!(patch.status(), 405);
    assert_eq!(
        patch.header("allow").as_deref(),
        Some("GET, POST, HEAD, OPTIONS")
    );

    let unknown = call(&store, TestRequest::http_api().path("/orders")).await;
    assert_eq!(unknown.status(), 404);
    let problem: serde_json::Value = unknown.json_body().unwrap();
    assert_eq!(problem["detail"], r#"no route for path "/orders""#);
}

#[tokio::test]
async fn events_from_files() {
    // The events tests/e2e/run.sh sends with `cargo lambda invoke`.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/events");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let event = lambda_proxy::testing::TestEvent::from_file(&path)
            .unwrap()
            .deadline_in(std::time::Duration::from_secs(5));
        let envelope = event.invoke(app(Arc::new(Store::seeded())).unwrap()).await;
        envelope.assert_valid();
        seen += 1;
    }
    assert!(seen >= 3);
    let error = lambda_proxy::testing::TestEvent::from_json(r#"{"hello": "world"}"#).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("not an HTTP event: its requestContext names no front door"),
        "{error}"
    );
    assert!(lambda_proxy::testing::TestEvent::from_json("{").is_err());
}

#[tokio::test]
async fn a_handler_that_takes_state_is_served_by_its_router() {
    // Serving `get_user` alone is a compile error (its state comes from the router's
    // `with_state`): tests/ui/fail/routed-state-served-alone.rs.
    let store = Arc::new(Store::seeded());
    let routed = call(&store, TestRequest::rest_api().path("/users/1")).await;
    assert_eq!(routed.body(), r#"{"id":1,"name":"Ada"}"#);
}

#[tokio::test]
async fn the_browser_app_gets_cors_headers_on_every_answer() {
    let store = Arc::new(Store::seeded());
    let from_app = |request: TestRequest| request.header("origin", BROWSER_APP);
    for request in [
        TestRequest::http_api().path("/users/1"),
        TestRequest::rest_api().path("/users/abc"),
        TestRequest::alb().path("/users/42"),
        TestRequest::function_url().method("PUT").path("/users/1"),
        TestRequest::vpc_lattice().path("/orders"),
    ] {
        let envelope = call(&store, from_app(request)).await;
        envelope.assert_valid();
        assert_eq!(
            envelope.header("access-control-allow-origin").as_deref(),
            Some(BROWSER_APP)
        );
        assert_eq!(
            envelope
                .header("access-control-allow-credentials")
                .as_deref(),
            Some("true")
        );
        assert!(envelope
            .header("vary")
            .unwrap_or_default()
            .contains("origin"));
    }
    // Preflights for DELETE /users/{id} and for POST /users with a JSON body.
    for (path, method) in [("/users/1", "DELETE"), ("/users", "POST")] {
        let preflight = call(
            &store,
            from_app(TestRequest::http_api().method("OPTIONS").path(path))
                .header("access-control-request-method", method)
                .header("access-control-request-headers", "content-type"),
        )
        .await;
        assert_eq!(preflight.status(), 204);
        assert!(preflight
            .header("access-control-allow-methods")
            .unwrap()
            .contains(method));
        assert_eq!(
            preflight.header("access-control-allow-headers").as_deref(),
            Some("content-type")
        );
    }
    // Another origin: served, without CORS headers.
    let other = call(
        &store,
        TestRequest::http_api()
            .path("/users/1")
            .header("origin", "https://evil.example"),
    )
    .await;
    assert_eq!(other.status(), 200);
    assert_eq!(other.header("access-control-allow-origin"), None);
}

#[test]
fn the_committed_openapi_document_is_current() {
    // `examples/openapi/crud.json`: what `GET /openapi.json` serves (without `servers`), kept
    // in the repository so that a change of the contract shows in review.
    let app = app(Arc::new(Store::seeded())).unwrap();
    lambda_proxy::testing::assert_openapi_file(app, "openapi/crud.json");
}

#[tokio::test]
async fn the_document_is_served_with_the_url_the_client_used() {
    let store = Arc::new(Store::seeded());
    let served = call(
        &store,
        TestRequest::rest_api().stage("dev").path("/openapi.json"),
    )
    .await;
    assert_eq!(served.status(), 200);
    assert_eq!(
        served.header("content-type").as_deref(),
        Some("application/json")
    );
    let document: serde_json::Value = served.json_body().unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["servers"],
        serde_json::json!([{ "url": "https://abcdef1234.execute-api.us-east-1.amazonaws.com/dev" }])
    );
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("openapi/crud.json").unwrap()).unwrap();
    assert_eq!(document["paths"], committed["paths"]);
}

#[tokio::test]
async fn constraints_are_checked_at_the_door() {
    let store = Arc::new(Store::seeded());
    let too_long = call(
        &store,
        TestRequest::http_api()
            .method("POST")
            .path("/users")
            .json(&serde_json::json!({ "name": "x".repeat(65) })),
    )
    .await;
    assert_eq!(too_long.status(), 422);
    // 64 characters of two bytes each: within the limit, which counts characters.
    let wide = call(
        &store,
        TestRequest::http_api()
            .method("POST")
            .path("/users")
            .json(&serde_json::json!({ "name": "é".repeat(64) })),
    )
    .await;
    assert_eq!(wide.status(), 201);
    let limit = call(
        &store,
        TestRequest::function_url()
            .path("/users")
            .query("limit", "0"),
    )
    .await;
    assert_eq!(limit.status(), 422);
    let problem: serde_json::Value = limit.json_body().unwrap();
    assert_eq!(
        problem["errors"],
        serde_json::json!([{ "pointer": "#/limit", "detail": "must be from 1 to 100" }])
    );
}

#[tokio::test]
async fn me_answers_the_callers_subject_and_401_without_one() {
    use lambda_proxy::Authorizer;
    let store = Arc::new(Store::seeded());
    let claims = serde_json::json!({"sub": "user-7", "email": "ada@example.com"});
    for request in [
        TestRequest::http_api().caller(Authorizer::Jwt, claims.clone()),
        TestRequest::rest_api().caller(Authorizer::CognitoUserPool, claims.clone()),
        TestRequest::http_api().caller(Authorizer::Lambda, claims.clone()),
    ] {
        let me = call(&store, request.path("/me")).await;
        assert_eq!(me.status(), 200, "{}", me.body());
        assert_eq!(me.body(), r#"{"sub":"user-7"}"#);
    }
    let nobody = call(&store, TestRequest::http_api().path("/me")).await;
    assert_eq!(nobody.status(), 401);
    assert_eq!(
        nobody.header("content-type").as_deref(),
        Some("application/problem+json")
    );
}
