//! The router: every route kind and every answer of its own, on every front door and stage
//! shape, with the exact envelope bytes.

mod common;

use common::{http_front_doors, problem, wire, JSON, PROBLEM};
use lambda_proxy::router::{FromRequestParts, PathParams, Route, RouteError};
use lambda_proxy::testing::{Envelope, TestRequest};
use lambda_proxy::{
    proxy_handler, FrontDoor, HeaderMap, HttpError, Json, Method, Path, ProxyRequestExt, Query,
    Request, Router, State,
};
use serde::Deserialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Default)]
struct Counter(AtomicUsize);

#[proxy_handler(route = "GET /users/{id}")]
async fn get_user(Path(id): Path<u64>) -> String {
    format!("user {id}")
}

#[proxy_handler(route = "GET /users/me")]
async fn me() -> &'static str {
    "me"
}

#[proxy_handler(route = "DELETE /users/{id}")]
async fn delete_user(Path(id): Path<u64>, State(counter): State<Arc<Counter>>) -> Option<()> {
    counter.0.fetch_add(1, Ordering::SeqCst);
    (id < 100).then_some(())
}

#[derive(Deserialize)]
struct NewUser {
    name: String,
}

#[proxy_handler(route = "POST /users", status = 201, headers("x-route" = "create"))]
async fn create_user(Json(new): Json<NewUser>) -> String {
    new.name
}

#[proxy_handler(route = "GET /files/{*path}")]
async fn file(Path(path): Path<String>) -> String {
    path
}

#[proxy_handler(route = "GET /pairs/{name}/{n}")]
async fn pair(Path((name, n)): Path<(String, u8)>) -> (String, u8) {
    (name, n)
}

#[derive(Deserialize)]
struct Search {
    q: String,
    tag: Vec<String>,
    page: Option<u32>,
}

#[proxy_handler(route = "GET /search")]
async fn search(Query(search): Query<Search>) -> (String, Vec<String>, Option<u32>) {
    (search.q, search.tag, search.page)
}

#[proxy_handler(route = "ANY /echo")]
async fn echo(method: Method, headers: HeaderMap, body: String) -> String {
    let note = headers
        .get("x-note")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    format!("{method} {note} {body}")
}

#[proxy_handler(route = "GET /sync/{n}")]
fn sync_double(Path(n): Path<u32>) -> u32 {
    n * 2
}

#[proxy_handler(route = "GET /whole/{id}")]
async fn whole(params: PathParams, req: Request) -> String {
    format!(
        "{} {}",
        params.template(),
        req.path_param::<u32>("id").unwrap_or(0)
    )
}

/// Declares the body first: a bad id is still reported before a body that cannot be read.
#[proxy_handler(route = "POST /renames/{id}")]
async fn rename(Json(new): Json<NewUser>, Path(id): Path<u64>) -> String {
    format!("{id} {}", new.name)
}

#[proxy_handler(route = "OPTIONS /custom-options")]
async fn custom_options() -> &'static str {
    "options"
}

/// A handler written the old way, `(req: Request)`, registered with `handle`.
#[proxy_handler]
async fn legacy(req: Request) -> Result<String, HttpError> {
    let id: u32 = req.path_param("id")?;
    Ok(format!("legacy {id}"))
}

fn app() -> Router<Arc<Counter>> {
    Router::new()
        .with_state(Arc::new(Counter::default()))
        .route(get_user)
        .and_then(|r| r.route(me))
        .and_then(|r| r.route(delete_user))
        .and_then(|r| r.route(create_user))
        .and_then(|r| r.route(file))
        .and_then(|r| r.route(pair))
        .and_then(|r| r.route(search))
        .and_then(|r| r.route(echo))
        .and_then(|r| r.route(sync_double))
        .and_then(|r| r.route(whole))
        .and_then(|r| r.route(custom_options))
        .and_then(|r| r.route(rename))
        .and_then(|r| r.handle("GET /legacy/{id}", legacy))
        .expect("the routes do not conflict")
}

async fn each(request: impl Fn(TestRequest) -> TestRequest) -> Vec<Envelope> {
    let mut envelopes = Vec::new();
    for front_door in http_front_doors() {
        let envelope = request(front_door).invoke(app()).await;
        envelope.assert_valid();
        envelopes.push(envelope);
    }
    envelopes
}

/// A request (built on the REST API), and the status, headers and body of its answer.
type Case = (
    TestRequest,
    u16,
    Vec<(&'static str, &'static str)>,
    &'static str,
);

#[tokio::test]
async fn routes_answer_with_the_exact_envelope_on_every_front_door() {
    let cases: Vec<Case> = vec![
        (
            TestRequest::new(FrontDoor::RestApi).path("/users/7"),
            200,
            vec![JSON],
            r#""user 7""#,
        ),
        (
            TestRequest::new(FrontDoor::RestApi).path("/users/me"),
            200,
            vec![JSON],
            r#""me""#,
        ),
        (
            TestRequest::new(FrontDoor::RestApi).path("/files/a/b%20c.txt"),
            200,
            vec![JSON],
            r#""a/b c.txt""#,
        ),
        (
            TestRequest::new(FrontDoor::RestApi).path("/pairs/x/9"),
            200,
            vec![JSON],
            r#"["x",9]"#,
        ),
        (
            TestRequest::new(FrontDoor::RestApi)
                .path("/search")
                .query("q", "tea")
                .query("tag", "a")
                .query("page", "2"),
            200,
            vec![JSON],
            r#"["tea",["a"],2]"#,
        ),
        (
            TestRequest::new(FrontDoor::RestApi).path("/sync/21"),
            200,
            vec![JSON],
            "42",
        ),
        (
            TestRequest::new(FrontDoor::RestApi).path("/whole/5"),
            200,
            vec![JSON],
            r#""/whole/{id} 5""#,
        ),
        (
            TestRequest::new(FrontDoor::RestApi).path("/legacy/3"),
            200,
            vec![JSON],
            r#""legacy 3""#,
        ),
        (
            TestRequest::new(FrontDoor::RestApi)
                .method("POST")
                .path("/users")
                .json(&serde_json::json!({ "name": "Ada" })),
            201,
            vec![JSON, ("x-route", "create")],
            r#""Ada""#,
        ),
        (
            TestRequest::new(FrontDoor::RestApi)
                .method("DELETE")
                .path("/users/7"),
            204,
            vec![],
            "",
        ),
    ];
    for (template, status, headers, body) in cases {
        for front_door in http_front_doors() {
            let request = rebase(&template, front_door);
            let envelope = request.invoke(app()).await;
            envelope.assert_valid();
            assert_eq!(
                envelope.raw(),
                wire(envelope.front_door(), status, &headers, body),
                "{template:?}"
            );
        }
    }
}

/// `template` (built on the REST API) as `front_door` sends it.
fn rebase(template: &TestRequest, front_door: TestRequest) -> TestRequest {
    let event = template.event();
    let mut request = front_door.method(event["httpMethod"].as_str().unwrap());
    request = request.path(event["path"].as_str().unwrap());
    if let Some(query) = event["multiValueQueryStringParameters"].as_object() {
        for (name, values) in query {
            for value in values.as_array().unwrap() {
                request = request.query(name, value.as_str().unwrap());
            }
        }
    }
    if let Some(headers) = event["multiValueHeaders"].as_object() {
        for (name, values) in headers {
            for value in values.as_array().unwrap() {
                request = request.header(name, value.as_str().unwrap());
            }
        }
    }
    if let Some(body) = event["body"].as_str() {
        request = request.text(body);
    }
    request
}

#[tokio::test]
async fn repeated_query_keys_fill_a_vec() {
    // ALB in single-value mode sends only the last value of a repeated key: that is the front
    // door's limit, which its multi-value mode lifts.
    let repeating = [
        TestRequest::rest_api(),
        TestRequest::http_api_v1(),
        TestRequest::http_api(),
        TestRequest::function_url(),
        TestRequest::alb_multi_value(),
        TestRequest::vpc_lattice(),
    ];
    for request in repeating {
        let envelope = request
            .path("/search")
            .query("q", "caf\u{e9} au lait")
            .query("tag", "a")
            .query("tag", "b&c")
            .invoke(app())
            .await;
        assert_eq!(
            envelope.body(),
            r#"["café au lait",["a","b&c"],null]"#,
            "{}",
            envelope.front_door()
        );
    }
}

#[tokio::test]
async fn an_unknown_path_is_404_naming_it() {
    for envelope in each(|r| r.path("/nope/x")).await {
        assert_eq!(
            envelope.raw(),
            wire(
                envelope.front_door(),
                404,
                &[PROBLEM],
                &problem(404, "Not Found", Some(r#"no route for path "/nope/x""#))
            )
        );
    }
}

#[tokio::test]
async fn another_method_is_405_with_allow() {
    for envelope in each(|r| r.method("PUT").path("/users/7")).await {
        assert_eq!(
            envelope.raw(),
            wire(
                envelope.front_door(),
                405,
                &[PROBLEM, ("allow", "GET, DELETE, HEAD, OPTIONS")],
                &problem(
                    405,
                    "Method Not Allowed",
                    Some(r#"method PUT is not allowed on "/users/7""#)
                )
            )
        );
    }
    let post_only = each(|r| r.method("GET").path("/users")).await;
    for envelope in post_only {
        assert_eq!(envelope.status(), 405);
        assert_eq!(envelope.header("allow").as_deref(), Some("POST, OPTIONS"));
    }
}

#[tokio::test]
async fn head_is_served_by_get_without_a_body() {
    // The `GET` answer's status and headers, with the length of its body (`"user 7"`).
    for envelope in each(|r| r.method("HEAD").path("/users/7")).await {
        assert_eq!(
            envelope.raw(),
            wire(
                envelope.front_door(),
                200,
                &[JSON, ("content-length", "8")],
                ""
            )
        );
    }
}

#[tokio::test]
async fn options_without_a_route_is_204_with_allow() {
    for envelope in each(|r| r.method("OPTIONS").path("/users/7")).await {
        assert_eq!(
            envelope.raw(),
            wire(
                envelope.front_door(),
                204,
                &[("allow", "GET, DELETE, HEAD, OPTIONS")],
                ""
            )
        );
    }
    // A route of its own wins.
    for envelope in each(|r| r.method("OPTIONS").path("/custom-options")).await {
        assert_eq!(envelope.body(), r#""options""#);
    }
    // `ANY` takes every method, OPTIONS too.
    for envelope in each(|r| r.method("OPTIONS").path("/echo").text("x")).await {
        assert_eq!(envelope.body(), r#""OPTIONS  x""#);
    }
}

#[tokio::test]
async fn any_method_routes_take_every_method() {
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        for envelope in each(|r| {
            r.method(method)
                .path("/echo")
                .header("x-note", "n")
                .text("hi")
        })
        .await
        {
            assert_eq!(envelope.body(), format!(r#""{method} n hi""#));
        }
    }
}

#[tokio::test]
async fn rejections_are_4xx_problems_naming_the_parameter() {
    let cases: Vec<(TestRequest, u16, &str)> = vec![
        (
            TestRequest::rest_api().path("/users/abc"),
            400,
            r#"path parameter "id": expected an unsigned integer, got "abc""#,
        ),
        (
            TestRequest::rest_api().path("/pairs/x/300"),
            400,
            r#"path parameter "n": expected an unsigned integer up to 255, got "300""#,
        ),
        (
            TestRequest::rest_api().path("/search").query("tag", "a"),
            400,
            r#"query parameter "q" is missing"#,
        ),
        (
            TestRequest::rest_api()
                .path("/search")
                .query("q", "x")
                .query("tag", "a")
                .query("page", "two"),
            400,
            r#"query parameter "page": expected an unsigned 32-bit integer, got "two""#,
        ),
        (
            TestRequest::rest_api()
                .method("POST")
                .path("/users")
                .header("content-type", "application/json")
                .text("{\"name\":"),
            400,
            "the request body is not valid JSON: EOF while parsing a value at line 1 column 8",
        ),
        (
            TestRequest::rest_api()
                .method("POST")
                .path("/users")
                .json(&serde_json::json!({ "name": 7 })),
            422,
            "invalid value at `name`: invalid type: integer `7`, expected a string at line 1 column 9",
        ),
        (
            TestRequest::rest_api()
                .method("POST")
                .path("/users")
                .header("content-type", "text/plain")
                .text("Ada"),
            415,
            r#"expected a JSON body (content-type: application/json), got content-type "text/plain""#,
        ),
    ];
    for (template, status, detail) in cases {
        for front_door in http_front_doors() {
            let request = rebase(&template, front_door);
            let envelope = request.invoke(app()).await;
            envelope.assert_valid();
            let body: serde_json::Value = envelope.json_body().unwrap();
            assert_eq!(
                (envelope.status(), body["detail"].as_str().unwrap_or("")),
                (status, detail),
                "{}",
                envelope.raw()
            );
            assert_eq!(envelope.header("content-type").as_deref(), Some(PROBLEM.1));
        }
    }
}

#[tokio::test]
async fn state_is_shared_by_every_request() {
    let app = app();
    for id in ["1", "2", "300"] {
        let envelope = TestRequest::http_api()
            .method("DELETE")
            .path(&format!("/users/{id}"))
            .invoke(app.clone())
            .await;
        assert_eq!(envelope.status(), if id == "300" { 404 } else { 204 });
    }
    let counter = app_counter(&app).await;
    assert_eq!(counter, 3);
}

/// The number of deletes the router's state counted, read through a route.
async fn app_counter(app: &Router<Arc<Counter>>) -> usize {
    #[proxy_handler(route = "GET /count")]
    async fn count(State(counter): State<Arc<Counter>>) -> usize {
        counter.0.load(Ordering::SeqCst)
    }
    // A copy of the router shares the state; the route is added to the copy only.
    let envelope = TestRequest::http_api()
        .path("/count")
        .invoke(app.clone().route(count).unwrap())
        .await;
    envelope.body().parse().unwrap()
}

#[tokio::test]
async fn stage_shapes_match_the_same_routes() {
    let shapes = [
        TestRequest::rest_api().path("/users/7"),
        TestRequest::rest_api().stage("v2").path("/users/7"),
        TestRequest::rest_api().base_path("v1").path("/users/7"),
        TestRequest::rest_api()
            .resource("/users/{id}")
            .path("/users/7"),
        TestRequest::rest_api()
            .base_path("api")
            .resource("/users/{id}")
            .path("/users/7"),
        TestRequest::http_api_v1().path("/users/7"),
        TestRequest::http_api().path("/users/7"),
        TestRequest::http_api().stage("prod").path("/users/7"),
        TestRequest::http_api()
            .resource("/{proxy+}")
            .path("/users/7"),
        TestRequest::http_api()
            .base_path("v1")
            .resource("/{proxy+}")
            .path("/users/7"),
        TestRequest::http_api()
            .stage("prod")
            .resource("/users/{id}")
            .path("/users/7"),
        TestRequest::function_url().path("/users/7"),
        TestRequest::alb().path("/users/7"),
        TestRequest::vpc_lattice().path("/users/7"),
    ];
    for request in shapes {
        let shown = format!("{request:?}");
        let envelope = request.invoke(app()).await;
        assert_eq!(
            (envelope.status(), envelope.body()),
            (200, r#""user 7""#),
            "{shown}"
        );
    }
    // The stage itself is never part of the route: `/prod` alone is the root.
    let root = TestRequest::http_api()
        .stage("prod")
        .path("/")
        .invoke(app())
        .await;
    assert_eq!(root.status(), 404);
    let body: serde_json::Value = root.json_body().unwrap();
    assert_eq!(body["detail"], r#"no route for path "/""#);
}

#[tokio::test]
async fn websocket_events_are_outside_the_router() {
    let envelope = TestRequest::websocket().text("hello").invoke(app()).await;
    envelope.assert_valid();
    assert_eq!(envelope.status(), 404);
}

#[tokio::test]
async fn a_routed_handler_called_alone_matches_its_own_route() {
    let direct = TestRequest::alb().path("/users/5").invoke(get_user).await;
    assert_eq!(direct.body(), r#""user 5""#);
    let elsewhere = TestRequest::alb().path("/orders/5").invoke(get_user).await;
    elsewhere.assert_valid();
    assert_eq!(elsewhere.status(), 404);
    // Its own one-route router checks the method too.
    let wrong = TestRequest::alb()
        .method("POST")
        .path("/users/5")
        .invoke(get_user)
        .await;
    assert_eq!(wrong.status(), 405);
    assert_eq!(wrong.header("allow").as_deref(), Some("GET, HEAD, OPTIONS"));
    let head = TestRequest::alb()
        .method("HEAD")
        .path("/users/5")
        .invoke(get_user)
        .await;
    assert_eq!((head.status(), head.body()), (200, ""));
    // A handler whose state comes from a router cannot be served alone: a compile error
    // (tests/ui/fail/routed-state-served-alone.rs).
}

#[test]
fn mistakes_in_the_table_are_errors_naming_both_routes() {
    #[proxy_handler(route = "GET /users/{name}")]
    async fn by_name(Path(name): Path<String>) -> String {
        name
    }
    #[proxy_handler(route = "GET /users/{id}")]
    async fn get_again(Path(id): Path<u64>) -> u64 {
        id
    }
    let conflict = Router::new()
        .route(get_user)
        .unwrap()
        .route(by_name)
        .unwrap_err();
    assert_eq!(
        conflict.to_string(),
        r#"route "GET /users/{name}" (by_name) conflicts with the route "/users/{id}" (get_user): the two match the same paths"#
    );
    let twice = Router::new()
        .route(get_user)
        .unwrap()
        .route(get_again)
        .unwrap_err();
    assert_eq!(
        twice.to_string(),
        r#"route "GET /users/{id}" (get_again) is already served by get_user"#
    );
    let cases = [
        ("FETCH /users", "unknown method \"FETCH\""),
        ("/users", "has no method"),
        ("GET users", "the path must start with `/`"),
        ("GET /a/{id}/{id}", "the parameter `id` appears twice"),
        (
            "GET /files/{*path}/more",
            "Catch-all parameters are only allowed at the end",
        ),
        ("GET /a/{", "route \"GET /a/{\""),
    ];
    for (line, why) in cases {
        let error: RouteError = Router::new().handle(line, legacy).unwrap_err();
        assert!(error.to_string().contains(why), "{line}: {error}");
    }
}

#[tokio::test]
async fn nest_puts_a_router_under_a_prefix() {
    let v1 = Router::new().route(get_user).unwrap().route(me).unwrap();
    let app = Router::new().nest("/v1", v1).unwrap();
    let nested = TestRequest::http_api()
        .path("/v1/users/7")
        .invoke(app.clone())
        .await;
    assert_eq!(nested.body(), r#""user 7""#);
    let bare = TestRequest::http_api().path("/users/7").invoke(app).await;
    assert_eq!(bare.status(), 404);
    #[proxy_handler(route = "GET /")]
    async fn root() -> &'static str {
        "root"
    }
    let v2 = Router::new().route(root).unwrap();
    let app = Router::new().nest("/v2", v2).unwrap();
    let envelope = TestRequest::alb().path("/v2").invoke(app).await;
    assert_eq!(envelope.body(), r#""root""#);
    for prefix in ["v1", "/v1/", "", "/{tenant}"] {
        let error = Router::new().nest(prefix, Router::new()).unwrap_err();
        assert!(error.to_string().contains("nest prefix"), "{error}");
    }
}

#[test]
fn every_method_the_attribute_accepts_the_router_accepts() {
    #[proxy_handler(route = "GET /m")]
    async fn m_get() {}
    #[proxy_handler(route = "POST /m")]
    async fn m_post() {}
    #[proxy_handler(route = "PUT /m")]
    async fn m_put() {}
    #[proxy_handler(route = "PATCH /m")]
    async fn m_patch() {}
    #[proxy_handler(route = "DELETE /m")]
    async fn m_delete() {}
    #[proxy_handler(route = "HEAD /m")]
    async fn m_head() {}
    #[proxy_handler(route = "OPTIONS /m")]
    async fn m_options() {}
    #[proxy_handler(route = "ANY /m")]
    async fn m_any() {}
    let router = Router::new()
        .route(m_get)
        .and_then(|r| r.route(m_post))
        .and_then(|r| r.route(m_put))
        .and_then(|r| r.route(m_patch))
        .and_then(|r| r.route(m_delete))
        .and_then(|r| r.route(m_head))
        .and_then(|r| r.route(m_options))
        .and_then(|r| r.route(m_any))
        .unwrap();
    assert_eq!(format!("{router:?}").matches("/m").count(), 8);
}

#[test]
fn a_router_is_a_tower_service_for_lambda_http() {
    fn service<S>(_: &S)
    where
        S: lambda_proxy::lambda_http::Service<
                Request,
                Response = lambda_proxy::Response<lambda_proxy::Body>,
                Error = std::convert::Infallible,
            > + Clone
            + Send
            + 'static,
        S::Future: Send,
    {
    }
    service(&app());
}

#[tokio::test]
async fn head_through_an_any_route_has_no_body() {
    for envelope in each(|r| r.method("HEAD").path("/echo").text("x")).await {
        assert_eq!(envelope.status(), 200);
        assert_eq!(envelope.body(), "");
    }
}

#[tokio::test]
async fn a_parameter_that_is_not_utf8_is_400() {
    for request in [
        TestRequest::alb(),
        TestRequest::function_url(),
        TestRequest::vpc_lattice(),
    ] {
        let envelope = request.path("/files/a%FF").invoke(app()).await;
        envelope.assert_valid();
        let body: serde_json::Value = envelope.json_body().unwrap();
        assert_eq!(
            (envelope.status(), body["detail"].as_str().unwrap()),
            (
                400,
                r#"path parameter "path" is not valid UTF-8 once decoded"#
            )
        );
    }
}

#[tokio::test]
async fn paths_beyond_ascii_route_on_every_front_door() {
    for envelope in each(|r| r.path("/files/caf%C3%A9/men%C3%BC.txt")).await {
        assert_eq!(
            envelope.body(),
            r#""café/menü.txt""#,
            "{}",
            envelope.front_door()
        );
    }
    // API Gateway sends the REST path as the client wrote it, which may be raw UTF-8.
    let raw = TestRequest::rest_api()
        .path("/files/ä b")
        .invoke(app())
        .await;
    assert_eq!(raw.body(), r#""ä b""#);
}

#[tokio::test]
async fn head_parameters_are_checked_before_the_body() {
    let envelope = TestRequest::http_api()
        .method("POST")
        .path("/renames/abc")
        .header("content-type", "text/plain")
        .text("not json")
        .invoke(app())
        .await;
    let body: serde_json::Value = envelope.json_body().unwrap();
    assert_eq!(
        (envelope.status(), body["detail"].as_str().unwrap()),
        (
            400,
            r#"path parameter "id": expected an unsigned integer, got "abc""#
        )
    );
    let ok = TestRequest::http_api()
        .method("POST")
        .path("/renames/3")
        .json(&serde_json::json!({ "name": "Ada" }))
        .invoke(app())
        .await;
    assert_eq!(ok.body(), r#""3 Ada""#);
}

#[tokio::test]
async fn under_lambda_http_s_own_adapter_the_exit_answers_the_same_envelopes() {
    // `lambda_http::run(Exit::new().around(app))`: the router's own answers and its handlers'
    // are finished by the exit as a tower service, to the same bytes (ALB left out: `lambda_http`
    // writes both of its header maps).
    for front_door in http_front_doors()
        .into_iter()
        .filter(|r| !matches!(r.front_door(), FrontDoor::Alb | FrontDoor::AlbMultiValue))
    {
        for request in [
            front_door.clone().path("/users/7"),
            front_door.clone().path("/nope"),
            front_door.clone().method("PUT").path("/users/7"),
            front_door.clone().method("OPTIONS").path("/users/7"),
            front_door.clone().path("/users/abc"),
        ] {
            let raw =
                common::through_lambda_http(&request, lambda_proxy::Exit::new().around(app()))
                    .await;
            let ours = request.invoke(app()).await;
            assert_eq!(raw, ours.raw(), "{}", ours.front_door());
            ours.assert_valid();
        }
    }
}

/// An extractor of one's own: the caller's tenant from a header.
struct Tenant(String);

impl FromRequestParts for Tenant {
    fn from_request_parts(request: &Request, _route: &Route<'_>) -> Result<Self, HttpError> {
        match request.headers().get("x-tenant").map(|v| v.to_str()) {
            Some(Ok("panic")) => panic!("an extractor bug, with db-password=hunter2"),
            Some(Ok(tenant)) => Ok(Tenant(tenant.to_owned())),
            _ => Err(HttpError::bad_request(r#"header "x-tenant" is missing"#)),
        }
    }
}

#[proxy_handler(route = "GET /tenants/me")]
async fn tenant(Tenant(tenant): Tenant) -> String {
    tenant
}

#[tokio::test]
async fn extractors_of_ones_own_reject_and_panic_like_handlers() {
    let app = || Router::new().route(tenant).unwrap();
    for front_door in http_front_doors() {
        let ok = front_door
            .clone()
            .path("/tenants/me")
            .header("x-tenant", "acme")
            .invoke(app())
            .await;
        assert_eq!(ok.body(), r#""acme""#);
        let missing = front_door.clone().path("/tenants/me").invoke(app()).await;
        let body: serde_json::Value = missing.json_body().unwrap();
        assert_eq!(
            (missing.status(), body["detail"].as_str().unwrap()),
            (400, r#"header "x-tenant" is missing"#)
        );
        let panicked = front_door
            .path("/tenants/me")
            .header("x-tenant", "panic")
            .invoke(app())
            .await;
        panicked.assert_valid();
        assert_eq!(panicked.status(), 500);
        assert!(!panicked.raw().contains("hunter2"), "{}", panicked.raw());
    }
}

/// A body larger than any front door delivers, for the `HEAD` size check.
#[proxy_handler(route = "GET /big")]
async fn big() -> String {
    "x".repeat(7 * 1024 * 1024)
}

/// `HEAD` answers have no body (RFC 9110 §9.3.2), the router's own 404 and 405 included, and the
/// status `GET` would have: a body too large for the front door is the same 500 for `HEAD`.
#[tokio::test]
async fn head_answers_have_no_body_and_get_s_status() {
    let app = || app().route(big).unwrap();
    for front_door in http_front_doors() {
        for (path, status) in [
            ("/nope", 404),
            ("/users", 405),
            ("/big", 500),
            ("/users/7", 200),
        ] {
            let envelope = front_door
                .clone()
                .method("HEAD")
                .path(path)
                .invoke(app())
                .await;
            envelope.assert_valid();
            assert_eq!(envelope.status(), status, "{path} {}", envelope.raw());
            assert_eq!(envelope.body(), "", "{path} {}", envelope.raw());
        }
        // The 405 still says what is allowed.
        let envelope = front_door.method("HEAD").path("/users").invoke(app()).await;
        assert_eq!(envelope.header("allow").as_deref(), Some("POST, OPTIONS"));
    }
}

/// Bytes that are not UTF-8 once decoded are the client's 400 in a query, as in a path, naming
/// the parameter. The front doors that pass the query on encoded: HTTP API 2.0 and function URLs
/// (`rawQueryString`), ALB (which does not decode it).
#[tokio::test]
async fn a_query_value_that_is_not_utf8_is_a_400_naming_it() {
    #[proxy_handler(route = "GET /tags")]
    async fn tags(
        Query(all): Query<std::collections::HashMap<String, String>>,
    ) -> Vec<(String, String)> {
        all.into_iter().collect()
    }
    // (ALB passes the query encoded too, but `lambda_http` decodes it, lossily, before
    // lambda-proxy sees it: `%FF` arrives as U+FFFD there.)
    let encoded_query = [TestRequest::http_api(), TestRequest::function_url()];
    for front_door in encoded_query {
        for (path, query, name) in [
            ("/search", "q=%FF&tag=a", "q"),
            ("/tags", "name=%FF", "name"),
        ] {
            let request = front_door.clone().path(path);
            let mut event = request.event();
            match request.front_door() {
                FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl => {
                    event["rawQueryString"] = query.into();
                }
                other => unreachable!("{other}"),
            }
            let envelope = lambda_proxy::testing::TestEvent::from_json(&event.to_string())
                .unwrap()
                .invoke(app().route(tags).unwrap())
                .await;
            envelope.assert_valid();
            assert_eq!(envelope.status(), 400, "{}", envelope.raw());
            let problem: serde_json::Value = envelope.json_body().unwrap();
            assert_eq!(
                problem["detail"],
                format!("query parameter {name:?} is not valid UTF-8 once decoded"),
                "{}",
                envelope.front_door()
            );
        }
    }
}

/// An encoded slash stays inside its segment: `/seg/a%2Fb` is `/seg/{name}` with `name` `a/b`,
/// on a REST API whose `pathParameters.proxy` keeps the encoding (as recorded events show) and
/// on one that sends it decoded; an axum app under `guard` sees the encoded path.
#[tokio::test]
async fn an_encoded_slash_stays_in_its_segment() {
    #[proxy_handler(route = "GET /seg/{name}")]
    async fn seg(Path(name): Path<String>) -> String {
        name
    }
    let request = TestRequest::rest_api().path("/seg/a%2Fb");
    assert_eq!(request.event()["pathParameters"]["proxy"], "seg/a%2Fb");
    let decoded = request.clone().path_param("proxy", "seg/a/b");
    for request in [request, decoded] {
        let envelope = request
            .clone()
            .invoke(Router::new().route(seg).unwrap())
            .await;
        assert_eq!(
            (envelope.status(), envelope.body()),
            (200, r#""a/b""#),
            "{}",
            envelope.raw()
        );
        let axum_app = axum::Router::new().route(
            "/seg/{name}",
            axum::routing::get(|uri: axum::http::Uri| async move { uri.path().to_owned() }),
        );
        let envelope = request.invoke(lambda_proxy::guard(axum_app)).await;
        assert_eq!(envelope.body(), "/seg/a%2Fb");
    }
}

/// An HTTP API's named stage begins `rawPath`, on the execute-api host and behind a custom
/// domain alike (recorded reports: serverless-express#465, aws-lambda-rust-runtime#919): it is
/// removed once, so that a path that begins with the stage's name is kept.
#[tokio::test]
async fn an_http_api_s_named_stage_is_removed_once_on_every_domain() {
    #[proxy_handler(route = "GET /items/{id}")]
    async fn item(Path(id): Path<u64>) -> u64 {
        id
    }
    #[proxy_handler(route = "GET /v1/items/{id}")]
    async fn v1_item(Path(id): Path<u64>) -> String {
        format!("v1 {id}")
    }
    let app = || Router::new().route(item).unwrap().route(v1_item).unwrap();
    for request in [
        TestRequest::http_api().stage("v1"),
        TestRequest::http_api().stage("v1").base_path("orders"),
    ] {
        let event = request.clone().path("/items/7").event();
        assert_eq!(event["rawPath"], "/v1/items/7");
        let plain = request.clone().path("/items/7").invoke(app()).await;
        assert_eq!(plain.body(), "7", "{}", plain.raw());
        let prefixed = request.path("/v1/items/7").invoke(app()).await;
        assert_eq!(prefixed.body(), r#""v1 7""#, "{}", prefixed.raw());
    }
}

/// `{{` and `}}` are literal braces (matchit's escape) for the macro and the router alike: they
/// match the client's braces on every front door.
#[tokio::test]
async fn escaped_braces_are_literal() {
    #[proxy_handler(route = "GET /a/{{x}}/{{x}}")]
    async fn literal() -> &'static str {
        "literal"
    }
    let app = Router::new()
        .route(literal)
        .unwrap()
        .handle("GET /b/{{y}}", legacy)
        .unwrap();
    for front_door in http_front_doors() {
        let envelope = front_door
            .clone()
            .path("/a/{x}/{x}")
            .invoke(app.clone())
            .await;
        assert_eq!(envelope.body(), r#""literal""#, "{}", envelope.raw());
        let envelope = front_door.clone().path("/b/{y}").invoke(app.clone()).await;
        assert_eq!(
            envelope.status(),
            500,
            "legacy reads an `id` the route lacks: {}",
            envelope.raw()
        );
        let envelope = front_door.path("/a/x/x").invoke(app.clone()).await;
        assert_eq!(envelope.status(), 404);
    }
}

/// A `Path` struct whose fields the template does not have is a `RouteError` naming the field
/// when the route is added, not a 500 on every call; a field with a default may be absent.
#[test]
fn a_path_struct_the_template_contradicts_is_a_route_error() {
    #[derive(Deserialize)]
    struct Ids {
        #[allow(dead_code)]
        org: String,
        #[allow(dead_code)]
        id: u64,
    }
    #[derive(Deserialize)]
    struct Optional {
        #[allow(dead_code)]
        id: u64,
        #[serde(default)]
        #[allow(dead_code)]
        version: Option<u32>,
    }
    #[proxy_handler(route = "GET /orgs/{org}/users/{id}")]
    async fn fits(Path(_ids): Path<Ids>) -> &'static str {
        "ok"
    }
    #[proxy_handler(route = "GET /users/{id}")]
    async fn lacks_org(Path(_ids): Path<Ids>) -> &'static str {
        "never"
    }
    #[proxy_handler(route = "GET /things/{id}")]
    async fn defaults(Path(_ids): Path<Optional>) -> &'static str {
        "ok"
    }
    assert!(Router::new().route(fits).is_ok());
    assert!(Router::new().route(defaults).is_ok());
    let error = Router::new().route(lacks_org).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"route "GET /users/{id}" (lacks_org): `Path<router::a_path_struct_the_template_contradicts_is_a_route_error::Ids>` does not fit the template's parameters (`id`): path parameter "org" is missing"#
    );
}

/// A routed handler served alone whose `Path` struct its template contradicts cannot run: it
/// answers 500 and says nothing of why to the client (`logging.rs` checks what is logged).
#[tokio::test]
async fn a_path_struct_mismatch_served_alone_is_a_500() {
    #[derive(Deserialize)]
    struct Ids {
        #[allow(dead_code)]
        org: String,
    }
    #[proxy_handler(route = "GET /users/{id}")]
    async fn lacks_org_alone(Path(_ids): Path<Ids>) -> &'static str {
        "never"
    }
    for _ in 0..2 {
        let envelope = TestRequest::alb()
            .path("/users/7")
            .invoke(lacks_org_alone)
            .await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 500);
        assert!(!envelope.body().contains("org"), "{}", envelope.body());
    }
}
