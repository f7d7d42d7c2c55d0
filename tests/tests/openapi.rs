//! The OpenAPI document: what each part of a handler's signature and attribute says in it, the
//! library's own answers, CORS, the served document's `servers` for every front door, and the
//! testing kit holding answers to it.
#![cfg(feature = "openapi")]

use lambda_proxy::openapi::{self, Document, ErrorStatuses, Info, Input, Operation};
use lambda_proxy::router::{FromRequestParts, Route};
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{
    proxy_handler, Body, Cors, Exit, HttpError, Json, Path, Query, Reply, Request, Response,
    ResponseError, Router, StatusCode,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Serialize, JsonSchema)]
struct User {
    id: u64,
    name: String,
}

/// A body whose request and answer schemas differ: `nickname` may be left out of a request.
#[derive(Serialize, Deserialize, JsonSchema)]
struct Profile {
    name: String,
    #[serde(default)]
    nickname: String,
}

#[derive(Deserialize, JsonSchema, validator::Validate)]
struct Search {
    /// Words to look for.
    q: String,
    #[validate(range(min = 1, max = 50))]
    limit: Option<u32>,
    #[serde(default)]
    #[allow(dead_code)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct NoSchema {
    #[allow(dead_code)]
    value: String,
}

#[derive(Serialize)]
struct Plain {
    value: String,
}

#[derive(Debug, thiserror::Error, ResponseError)]
enum AccountError {
    #[error("no account")]
    #[response(status = 404)]
    Missing,
    #[error("frozen")]
    #[response(status = 409)]
    Frozen,
    #[error(transparent)]
    #[response(transparent)]
    Other(#[from] HttpError),
}

/// The caller's tenant, from a header: described by its `Input`.
struct Tenant;

impl FromRequestParts for Tenant {
    fn from_request_parts(request: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
        match request.headers().contains_key("x-tenant") {
            true => Ok(Tenant),
            false => Err(HttpError::unauthorized("no tenant")),
        }
    }
}

impl Input for Tenant {
    fn describe(operation: &mut Operation<'_>) {
        operation.header("x-tenant", true, "The caller's tenant.");
        operation.status(StatusCode::UNAUTHORIZED, "No `x-tenant` header.");
    }
}

/// An extractor that does not describe itself.
struct Secret;

impl FromRequestParts for Secret {
    fn from_request_parts(_: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
        Ok(Secret)
    }
}

/// One user.
///
/// Answers 404 when there is none,
/// and 400 for an id that is not a number.
#[proxy_handler(route = "GET /users/{id}")]
async fn get_user(Path(id): Path<u64>) -> Option<User> {
    (id == 7).then(|| User {
        id,
        name: "Ada".into(),
    })
}

#[proxy_handler(route = "GET /orgs/{org}/users/{id}")]
async fn org_user(Path((org, id)): Path<(String, u32)>) -> String {
    format!("{org}/{id}")
}

#[derive(Deserialize, JsonSchema)]
struct FileKey {
    bucket: String,
    key: String,
}

#[proxy_handler(route = "GET /files/{bucket}/{*key}")]
async fn get_file(Path(file): Path<FileKey>) -> String {
    format!("{}/{}", file.bucket, file.key)
}

#[proxy_handler(route = "GET /search")]
async fn search(Query(search): Query<Search>, _tenant: Tenant) -> Vec<String> {
    vec![search.q]
}

#[proxy_handler(route = "PUT /profile", status = 202, headers("cache-control" = "no-store"))]
async fn put_profile(Json(profile): Json<Profile>) -> Profile {
    profile
}

#[proxy_handler(route = "POST /users", status = 201, headers("location"))]
async fn create_user(Json(profile): Json<Profile>) -> Result<Reply<User>, AccountError> {
    match profile.name.as_str() {
        "frozen" => Err(AccountError::Frozen),
        "" => Err(HttpError::unprocessable_entity("empty name").into()),
        name => Ok(Reply::new(User {
            id: 8,
            name: name.into(),
        })
        .header("location", "/users/8")),
    }
}

#[proxy_handler(route = "DELETE /users/{id}")]
async fn delete_user(Path(_id): Path<u64>) -> Result<(), AccountError> {
    Err(AccountError::Missing)
}

#[proxy_handler(route = "POST /upsert")]
async fn upsert(Json(new): Json<NoSchema>) -> (StatusCode, Plain) {
    (
        StatusCode::CREATED,
        Plain {
            value: new.value.clone(),
        },
    )
}

#[proxy_handler(route = "GET /raw", content_type = "application/vnd.raw+json")]
async fn raw(_secret: Secret) -> Response<Body> {
    Response::new(Body::from("raw"))
}

#[proxy_handler(route = "POST /notes")]
async fn notes(text: String) -> Result<String, lambda_proxy::Error> {
    Ok(text)
}

#[proxy_handler(route = "ANY /anything")]
async fn anything() -> serde_json::Value {
    json!({ "ok": true })
}

#[proxy_handler(route = "GET /opaque")]
async fn opaque() -> impl Serialize {
    vec![1, 2, 3]
}

fn every_kind() -> Router {
    Router::new()
        .route(get_user)
        .and_then(|r| r.route(org_user))
        .and_then(|r| r.route(get_file))
        .and_then(|r| r.route(search))
        .and_then(|r| r.route(put_profile))
        .and_then(|r| r.route(create_user))
        .and_then(|r| r.route(delete_user))
        .and_then(|r| r.route(upsert))
        .and_then(|r| r.route(raw))
        .and_then(|r| r.route(notes))
        .and_then(|r| r.route(anything))
        .and_then(|r| r.route(opaque))
        .and_then(|r| {
            r.handle("GET /plain/{name}", |_req: Request| async {
                Ok(Response::new(Body::from("plain")))
            })
        })
        .and_then(|r| r.openapi("/openapi.json", Info::new("every kind", "1.2.3")))
        .unwrap()
}

fn document() -> Document {
    openapi::document(every_kind()).unwrap()
}

fn operation<'d>(document: &'d Document, method: &str, path: &str) -> &'d Value {
    document
        .operation(method, path)
        .unwrap_or_else(|| panic!("no {method} {path} in {}", document.to_pretty_json()))
}

fn statuses(operation: &Value) -> Vec<&str> {
    operation["responses"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn the_document_is_openapi_3_1_with_the_info_given() {
    let document = document().to_json();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["info"],
        json!({ "title": "every kind", "version": "1.2.3" })
    );
    assert!(document.get("servers").is_none());
    // Written in OpenAPI's order, with a final newline.
    let text = openapi::document(every_kind()).unwrap().to_pretty_json();
    let keys: Vec<usize> = ["\"openapi\"", "\"info\"", "\"paths\"", "\"components\""]
        .iter()
        .map(|k| text.find(k).unwrap())
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    assert!(text.ends_with("}\n"));
    // Only a router that declares one has a document.
    assert!(openapi::document(Router::new().route(get_user).unwrap()).is_none());
    assert!(openapi::document(get_user).is_none());
}

#[test]
fn the_doc_comment_is_the_summary_and_the_description() {
    let document = document();
    let get = operation(&document, "get", "/users/{id}");
    assert_eq!(get["operationId"], "get_user");
    assert_eq!(get["summary"], "One user.");
    assert_eq!(
        get["description"],
        "Answers 404 when there is none,\nand 400 for an id that is not a number."
    );
    assert!(operation(&document, "get", "/search")
        .get("summary")
        .is_none());
}

#[test]
fn path_parameters_have_the_schemas_of_their_type() {
    let document = document();
    let id = &operation(&document, "get", "/users/{id}")["parameters"][0];
    assert_eq!(id["name"], "id");
    assert_eq!(id["in"], "path");
    assert_eq!(id["required"], true);
    assert_eq!(id["schema"]["type"], "integer");
    // u64's bounds, which schemars leaves out.
    assert_eq!(id["schema"]["maximum"], json!(u64::MAX));
    let tuple = &operation(&document, "get", "/orgs/{org}/users/{id}")["parameters"];
    assert_eq!(tuple[0]["name"], "org");
    assert_eq!(tuple[0]["schema"]["type"], "string");
    assert_eq!(tuple[1]["schema"]["format"], "uint32");
    assert_eq!(tuple[1]["schema"]["maximum"], json!(u32::MAX));
    // A catch-all is a parameter of the OpenAPI path; a struct's fields by name.
    let file = &operation(&document, "get", "/files/{bucket}/{key}")["parameters"];
    // The router's template beside a path that says less, for the contract check.
    assert_eq!(
        document.paths()["/files/{bucket}/{key}"]["x-lambda-proxy-template"],
        "/files/{bucket}/{*key}"
    );
    assert!(document.paths()["/users/{id}"]
        .get("x-lambda-proxy-template")
        .is_none());
    assert_eq!(file[0]["name"], "bucket");
    assert_eq!(file[1]["name"], "key");
    assert_eq!(file[1]["schema"]["type"], "string");
    // A route added with `handle`: its parameters as strings.
    let plain = &operation(&document, "get", "/plain/{name}")["parameters"][0];
    assert_eq!(plain["schema"], json!({ "type": "string" }));
}

#[test]
fn query_parameters_are_the_fields_of_their_type() {
    let document = document();
    let search = operation(&document, "get", "/search");
    let parameters = search["parameters"].as_array().unwrap();
    let find = |name: &str, location: &str| {
        parameters
            .iter()
            .find(|p| p["name"] == name && p["in"] == location)
            .unwrap_or_else(|| panic!("no {location} parameter {name}: {parameters:?}"))
    };
    assert_eq!(find("q", "query")["required"], true);
    assert_eq!(
        find("q", "query")["schema"]["description"],
        "Words to look for."
    );
    // `Option` and `#[serde(default)]`: not required, and no `null` to send.
    let limit = find("limit", "query");
    assert!(limit.get("required").is_none());
    assert_eq!(limit["schema"]["type"], "integer");
    assert_eq!(
        (
            limit["schema"]["minimum"].clone(),
            limit["schema"]["maximum"].clone()
        ),
        (json!(1), json!(50))
    );
    assert_eq!(find("tags", "query")["schema"]["type"], "array");
    // The custom extractor's header and answer.
    assert_eq!(find("x-tenant", "header")["required"], true);
    let codes = statuses(search);
    assert!(
        codes.contains(&"401") && codes.contains(&"422"),
        "{codes:?}"
    );
}

#[test]
fn bodies_have_the_schema_of_their_type_by_its_contract() {
    let document = document();
    let put = operation(&document, "put", "/profile");
    assert_eq!(put["requestBody"]["required"], true);
    let request = &put["requestBody"]["content"]["application/json"]["schema"];
    let answer = &put["responses"]["202"]["content"]["application/json"]["schema"];
    // `#[serde(default)]` makes the two differ: the request's is `ProfileInput`.
    assert_eq!(request["$ref"], "#/components/schemas/ProfileInput");
    assert_eq!(answer["$ref"], "#/components/schemas/Profile");
    let schemas = &document.components()["schemas"];
    assert_eq!(schemas["ProfileInput"]["required"], json!(["name"]));
    assert_eq!(schemas["Profile"]["required"], json!(["name", "nickname"]));
    // The attribute's header, with its value.
    assert_eq!(
        put["responses"]["202"]["headers"]["cache-control"]["schema"],
        json!({ "type": "string", "const": "no-store" })
    );
    for status in ["400", "413", "415", "422"] {
        assert!(put["responses"].get(status).is_some(), "{status}");
    }
    // A type without a schema: any JSON, and the document says which type.
    let upsert = operation(&document, "post", "/upsert");
    let open = &upsert["requestBody"]["content"]["application/json"]["schema"];
    assert!(
        open["description"].as_str().unwrap().contains("NoSchema"),
        "{open}"
    );
    // `(StatusCode, T)`: any 2xx.
    let two = &upsert["responses"]["2XX"]["content"]["application/json"]["schema"];
    assert!(
        two["description"].as_str().unwrap().contains("Plain"),
        "{two}"
    );
    // Text: any content type.
    let notes = operation(&document, "post", "/notes");
    assert_eq!(
        notes["requestBody"]["content"]["*/*"]["schema"]["type"],
        "string"
    );
    assert_eq!(notes["requestBody"]["required"], false);
}

#[test]
fn every_status_the_handler_and_the_library_can_answer() {
    let document = document();
    let library = ["400", "414", "500", "504"];
    let create = operation(&document, "post", "/users");
    let codes = statuses(create);
    // The attribute's status and any 2xx for a `Reply`; each variant of the derived error,
    // and 4XX/5XX for its transparent `HttpError`; the body's; the library's.
    for expected in [
        "201", "2XX", "409", "404", "4XX", "5XX", "413", "415", "422",
    ]
    .iter()
    .chain(&library)
    {
        assert!(codes.contains(expected), "{expected}: {codes:?}");
    }
    assert_eq!(
        create["responses"]["201"]["headers"]["location"]["required"],
        true
    );
    let delete = statuses(operation(&document, "delete", "/users/{id}"));
    assert!(
        delete.contains(&"204") && delete.contains(&"409"),
        "{delete:?}"
    );
    assert!(!delete.contains(&"200"));
    let get = operation(&document, "get", "/users/{id}");
    assert_eq!(statuses(get), ["200", "400", "404", "414", "500", "504"]);
    assert_eq!(
        get["responses"]["404"]["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/Problem"
    );
    // `lambda_proxy::Error`: 500 only.
    let notes = statuses(operation(&document, "post", "/notes"));
    assert!(
        !notes.contains(&"4XX") && notes.contains(&"500"),
        "{notes:?}"
    );
    // A `Response` of its own: any answer; and its extractor that says nothing: any error.
    let raw = statuses(operation(&document, "get", "/raw"));
    assert!(
        raw.contains(&"default") && raw.contains(&"4XX") && raw.contains(&"5XX"),
        "{raw:?}"
    );
    // An `impl Trait` the description cannot name: any JSON at the status.
    let opaque = operation(&document, "get", "/opaque");
    assert!(
        opaque["responses"]["200"]["content"]["application/json"]["schema"]["description"]
            .as_str()
            .unwrap()
            .contains("impl Trait")
    );
}

#[test]
fn any_route_and_handle_routes_and_the_document_s_own() {
    let document = document();
    // Every method OpenAPI has an operation for: an `ANY` route answers them all.
    for method in [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ] {
        let op = operation(&document, method, "/anything");
        assert_eq!(op["operationId"], format!("anything_{method}"));
    }
    let plain = operation(&document, "get", "/plain/{name}");
    assert_eq!(plain["operationId"], "get_plain_name");
    assert!(statuses(plain).contains(&"default"));
    let own = operation(&document, "get", "/openapi.json");
    assert_eq!(own["operationId"], "openapi");
}

#[test]
fn error_types_list_their_statuses() {
    let mut statuses = ErrorStatuses::default();
    AccountError::statuses(&mut statuses);
    let mut expected = ErrorStatuses::default();
    expected
        .status(StatusCode::NOT_FOUND)
        .status(StatusCode::CONFLICT)
        .any_client_error()
        .any_server_error();
    assert_eq!(statuses, expected);
    let mut http = ErrorStatuses::default();
    HttpError::statuses(&mut http);
    let mut any = ErrorStatuses::default();
    any.any_client_error().any_server_error();
    assert_eq!(http, any);
}

#[test]
fn cors_headers_on_every_answer_once() {
    let cors = browser_app();
    let app = Exit::new().cors(cors).around(every_kind());
    let document = openapi::document(app).unwrap();
    let headers = &document.components()["headers"];
    assert_eq!(headers["Vary"]["required"], true);
    assert_eq!(
        headers["AccessControlAllowCredentials"]["schema"]["const"],
        "true"
    );
    for (_, item) in document.paths().as_object().unwrap() {
        // Each operation; `x-lambda-proxy-template` is the route's template beside a path.
        for (_, op) in item
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| !k.starts_with("x-"))
        {
            for (_, response) in op["responses"].as_object().unwrap() {
                assert_eq!(
                    response["headers"]["access-control-allow-origin"]["$ref"],
                    "#/components/headers/AccessControlAllowOrigin"
                );
            }
        }
    }
    // Without a policy, none.
    assert!(crate::document().components().get("headers").is_none());
}

/// The CORS policy of a browser app with credentials that reads `location`.
fn browser_app() -> Cors {
    Cors::builder()
        .allow_origins(["https://app.example.com"])
        .allow_credentials()
        .expose_headers(["location"])
        .build()
        .unwrap()
}

#[test]
fn a_router_that_declares_a_document_cannot_be_nested_and_its_path_is_checked() {
    let inner = Router::new()
        .route(get_user)
        .unwrap()
        .openapi("/openapi.json", Info::new("inner", "1"))
        .unwrap();
    let error = Router::new().nest("/v1", inner).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("declare the document on the outer router"),
        "{error}"
    );
    let error = Router::new()
        .route(get_user)
        .unwrap()
        .openapi("/users/{id}", Info::new("t", "1"))
        .unwrap_err();
    assert!(error.to_string().contains("already served"), "{error}");
    let error = every_kind()
        .openapi("/v2/openapi.json", Info::new("t", "2"))
        .unwrap_err();
    assert!(error.to_string().contains("it has one document"), "{error}");
    assert!(Router::new()
        .openapi("openapi.json", Info::new("t", "1"))
        .is_err());
}

async fn served(request: TestRequest) -> Value {
    let envelope = request.path("/openapi.json").invoke(every_kind()).await;
    assert_eq!(envelope.status(), 200, "{}", envelope.raw());
    envelope.json_body().unwrap()
}

#[tokio::test]
async fn the_served_document_names_the_url_the_client_used() {
    let execute_api = "https://abcdef1234.execute-api.us-east-1.amazonaws.com";
    let cases = [
        (TestRequest::rest_api(), format!("{execute_api}/prod")),
        (
            TestRequest::rest_api().stage("dev"),
            format!("{execute_api}/dev"),
        ),
        (
            TestRequest::rest_api().base_path("v1"),
            "https://api.example.com/v1".to_owned(),
        ),
        (TestRequest::http_api(), execute_api.to_owned()),
        (
            TestRequest::http_api().stage("beta"),
            format!("{execute_api}/beta"),
        ),
        (TestRequest::http_api_v1(), execute_api.to_owned()),
        // Behind a custom domain, an HTTP API's mapping is not in the event: relative.
        (TestRequest::http_api().base_path("v1"), ".".to_owned()),
        (
            TestRequest::function_url(),
            "https://abcdefghijklmnopqrstuvwxyz.lambda-url.us-east-1.on.aws".to_owned(),
        ),
        (
            TestRequest::alb().header("host", "lb.example.com"),
            "https://lb.example.com".to_owned(),
        ),
        (
            TestRequest::vpc_lattice().header("host", "svc.example.com"),
            "https://svc.example.com".to_owned(),
        ),
    ];
    for (request, url) in cases {
        let front_door = request.front_door();
        let document = served(request).await;
        assert_eq!(document["servers"], json!([{ "url": url }]), "{front_door}");
        assert_eq!(document["info"]["title"], "every kind");
    }
}

#[tokio::test]
async fn servers_given_in_the_info_are_served_as_they_are() {
    let app = Router::new()
        .route(get_user)
        .unwrap()
        .openapi(
            "/docs/openapi.json",
            Info::new("t", "1").server("https://api.example.com/v2"),
        )
        .unwrap();
    let document = openapi::document(app.clone()).unwrap().to_json();
    assert_eq!(
        document["servers"],
        json!([{ "url": "https://api.example.com/v2" }])
    );
    let envelope = TestRequest::rest_api()
        .path("/docs/openapi.json")
        .invoke(app)
        .await;
    let served: Value = envelope.json_body().unwrap();
    assert_eq!(served, document);
}

#[tokio::test]
async fn the_document_route_needs_the_exit_that_builds_it() {
    use lambda_proxy::lambda_http::Service;
    // Served without an exit (a tower stack of one's own): the document was never built.
    let mut router = every_kind();
    let request = TestRequest::http_api().path("/openapi.json").into_request();
    let response = router.call(request).await.unwrap();
    assert_eq!(response.status(), 500);
}

#[tokio::test]
async fn the_testing_kit_holds_answers_to_the_document() {
    // Each of these keeps the promise.
    let app = every_kind;
    let ok = [
        TestRequest::http_api().path("/users/7"),
        TestRequest::http_api().path("/users/8"),
        TestRequest::http_api().path("/users/x"),
        TestRequest::rest_api().method("DELETE").path("/users/1"),
        TestRequest::http_api()
            .method("POST")
            .path("/users")
            .json(&json!({ "name": "frozen" })),
        TestRequest::http_api()
            .method("POST")
            .path("/users")
            .json(&json!({ "name": "Ada" })),
        TestRequest::http_api()
            .method("POST")
            .path("/users")
            .json(&json!({ "name": "" })),
        TestRequest::function_url().path("/search").query("q", "a"),
        TestRequest::function_url()
            .path("/search")
            .query("q", "a")
            .query("limit", "0")
            .header("x-tenant", "t"),
        TestRequest::alb().method("PATCH").path("/anything"),
        TestRequest::alb().method("TRACE").path("/anything"),
        TestRequest::http_api().method("HEAD").path("/users/7"),
        TestRequest::http_api().method("TRACE").path("/users/7"),
        TestRequest::http_api().path("/nowhere"),
        TestRequest::http_api().path("/files/b/a/b/c"),
    ];
    for request in ok {
        request.invoke(app()).await;
    }
}

#[proxy_handler(route = "GET /teapot")]
async fn teapot() -> Reply<String> {
    Reply::new("short and stout".into()).status(StatusCode::IM_A_TEAPOT)
}

#[tokio::test]
#[should_panic(expected = "status 418 is not documented")]
async fn an_answer_the_document_does_not_list_fails_the_test() {
    TestRequest::http_api()
        .path("/teapot")
        .invoke(Router::new().route(teapot).unwrap())
        .await;
}

#[proxy_handler(route = "POST /located", status = 201, headers("location"))]
async fn forgets_location() -> Reply<String> {
    Reply::new("created".into())
}

#[tokio::test]
#[should_panic(expected = "no `location` header")]
async fn a_declared_header_the_answer_lacks_fails_the_test() {
    TestRequest::http_api()
        .method("POST")
        .path("/located")
        .invoke(Router::new().route(forgets_location).unwrap())
        .await;
}

/// Answers the document cannot know, which the testing kit must not refuse.
mod opaque_answers {
    use super::*;

    #[proxy_handler(route = "GET /text", headers("cache-control" = "no-store"))]
    async fn text(Path(()): Path<()>) -> Response<Body> {
        // A hand-built 400 in plain text, and a header of its own over the attribute's.
        let mut response = Response::new(Body::from("no"));
        *response.status_mut() = StatusCode::BAD_REQUEST;
        response
            .headers_mut()
            .insert("content-type", "text/plain".parse().unwrap());
        response
            .headers_mut()
            .insert("cache-control", "max-age=5".parse().unwrap());
        response
    }

    #[proxy_handler(route = "PUT /empty", headers("x-version" = "2"))]
    async fn empty() -> Reply<User> {
        Reply::new(User {
            id: 1,
            name: "Ada".into(),
        })
        .status(StatusCode::NO_CONTENT)
        .header("x-version", "3")
    }

    #[tokio::test]
    async fn the_kit_accepts_what_the_document_leaves_open() {
        let router = Router::new()
            .route(text)
            .and_then(|r| r.route(empty))
            .and_then(|r| {
                r.handle("DELETE /plain", |_req: Request| async {
                    let mut response = Response::new(Body::Empty);
                    *response.status_mut() = StatusCode::NO_CONTENT;
                    Ok(response)
                })
            })
            .unwrap();
        let text = TestRequest::http_api()
            .path("/text")
            .invoke(router.clone())
            .await;
        assert_eq!(text.status(), 400);
        let empty = TestRequest::http_api()
            .method("PUT")
            .path("/empty")
            .invoke(router.clone())
            .await;
        assert_eq!(empty.status(), 204);
        assert_eq!(empty.header("x-version").as_deref(), Some("3"));
        let plain = TestRequest::http_api()
            .method("DELETE")
            .path("/plain")
            .invoke(router)
            .await;
        assert_eq!(plain.status(), 204);
    }
}

/// A type of the handlers' named `Problem` keeps its schema; lambda-proxy's is named otherwise.
mod named_problem {
    use super::*;

    #[derive(Serialize, JsonSchema)]
    struct Problem {
        severity: u8,
    }

    #[proxy_handler(route = "GET /problems")]
    async fn problems() -> Option<Vec<Problem>> {
        Some(vec![Problem { severity: 3 }])
    }

    #[test]
    fn the_user_s_problem_is_kept() {
        let router = Router::new()
            .route(problems)
            .unwrap()
            .openapi("/openapi.json", Info::new("p", "1"))
            .unwrap();
        let document = openapi::document(router).unwrap();
        let schemas = &document.components()["schemas"];
        assert!(schemas["Problem"]["properties"]["severity"].is_object());
        assert!(schemas["ProblemDetails"]["properties"]["requestId"].is_object());
        let get = document.operation("get", "/problems").unwrap();
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
            "#/components/schemas/Problem"
        );
        assert_eq!(
            get["responses"]["404"]["content"]["application/problem+json"]["schema"]["$ref"],
            "#/components/schemas/ProblemDetails"
        );
    }
}

#[derive(Debug, thiserror::Error, ResponseError)]
enum Never {}

#[test]
fn an_error_type_without_values_answers_nothing() {
    let mut statuses = ErrorStatuses::default();
    Never::statuses(&mut statuses);
    assert_eq!(statuses, ErrorStatuses::default());
}

/// Generated code that survives a user's shadowing of `Result`, `Option`, `core` and `std`
/// names, with the feature on.
mod hygiene {
    #![allow(dead_code, non_camel_case_types)]
    use lambda_proxy::{proxy_handler, Json, Path};
    type Result<T> = std::result::Result<T, ()>;
    type Option<T> = std::result::Result<T, ()>;
    struct core;
    struct Box;
    struct String;
    struct Vec;

    #[derive(serde::Deserialize, schemars::JsonSchema, validator::Validate)]
    struct Item {
        #[validate(length(min = 1))]
        name: std::string::String,
    }

    #[proxy_handler(route = "POST /items/{id}")]
    async fn item(
        Path(id): Path<u64>,
        Json(item): Json<Item>,
    ) -> std::vec::Vec<std::string::String> {
        std::vec![id.to_string(), item.name]
    }

    // A handler whose parameter and return types come from a `macro_rules!` fragment.
    macro_rules! handler_of {
        ($name:ident, $param:ty, $output:ty) => {
            #[proxy_handler(route = "GET /made/{id}")]
            async fn $name(Path(id): $param) -> $output {
                std::vec![id]
            }
        };
    }
    handler_of!(made, Path<u64>, std::vec::Vec<u64>);

    #[test]
    fn compiles_and_documents() {
        let router = lambda_proxy::Router::new()
            .route(item)
            .unwrap()
            .route(made)
            .unwrap()
            .openapi("/openapi.json", lambda_proxy::openapi::Info::new("h", "1"))
            .unwrap();
        let document = lambda_proxy::openapi::document(router).unwrap();
        assert!(document.operation("post", "/items/{id}").is_some());
        let made = document.operation("get", "/made/{id}").unwrap();
        assert_eq!(made["parameters"][0]["schema"]["type"], "integer");
    }
}

/// The document of every kind, written for tests/contract/run.sh, which has openapi-spec-validator
/// judge it.
#[test]
fn every_kind_of_document_is_written_for_the_validator() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi-every-kind.json");
    let cors = browser_app();
    let document = openapi::document(Exit::new().cors(cors).around(every_kind())).unwrap();
    std::fs::write(&path, document.to_pretty_json()).unwrap();
    let import = document.api_gateway("${Function.Arn}", &["image/png"]);
    std::fs::write(
        path.with_file_name("openapi-every-kind-api-gateway.json"),
        serde_json::to_string_pretty(&import).unwrap(),
    )
    .unwrap();
}

#[test]
fn the_api_gateway_import_integrates_every_route_and_the_rest() {
    let import = document().api_gateway("arn:uri", &["image/png", "*/*"]);
    assert_eq!(import["openapi"], "3.0.1");
    assert_eq!(import["info"]["title"], "every kind");
    assert_eq!(
        import["x-amazon-apigateway-binary-media-types"],
        json!(["image/png", "*/*"])
    );
    let paths = import["paths"].as_object().unwrap();
    let integration = json!({
        "type": "aws_proxy",
        "httpMethod": "POST",
        "uri": "arn:uri",
        "passthroughBehavior": "when_no_match",
    });
    let get = &paths["/users/{id}"]["get"];
    assert_eq!(get["operationId"], "get_user");
    assert_eq!(get["summary"], "One user.");
    assert_eq!(get["x-amazon-apigateway-integration"], integration);
    assert_eq!(get["parameters"][0]["name"], "id");
    assert!(paths["/users/{id}"]["delete"].is_object());
    // The catch-all is greedy; `ANY` is API Gateway's any method.
    assert!(paths["/files/{bucket}/{key+}"]["get"].is_object());
    let any = &paths["/anything"]["x-amazon-apigateway-any-method"];
    assert_eq!(any["operationId"], "anything");
    // Every other path reaches the router.
    for other in ["/{proxy+}", "/"] {
        assert_eq!(
            paths[other]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"],
            integration
        );
    }
    // The methods a resource does not route reach the router too (its 405, its `OPTIONS`).
    assert_eq!(
        paths["/users/{id}"]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"],
        integration
    );
    assert_eq!(
        paths["/users/{id}"]["x-amazon-apigateway-any-method"]["parameters"][0]["name"],
        "id"
    );
    assert_eq!(
        paths["/files/{bucket}/{key+}"]["x-amazon-apigateway-any-method"]["parameters"][1]["name"],
        "key"
    );
    // No schemas: a proxy integration passes everything through.
    assert!(import.get("components").is_none());
    // A route whose first segment is a parameter leaves the greedy resource out.
    #[proxy_handler(route = "GET /{slug}")]
    async fn page(Path(slug): Path<String>) -> String {
        slug
    }
    let router = Router::new()
        .route(page)
        .unwrap()
        .openapi("/openapi.json", Info::new("pages", "1"))
        .unwrap();
    let import = openapi::document(router)
        .unwrap()
        .api_gateway("arn:uri", &[]);
    assert!(import["paths"].get("/{proxy+}").is_none());
    assert!(import["paths"]["/{slug}"]["get"].is_object());
}

#[tokio::test]
async fn each_exit_serves_the_document_of_its_own_policy() {
    // One router, served through two exits: the document each serves is the one of its own
    // exit, built on its first request, and the same on every request after.
    let router = every_kind();
    let cors = Cors::builder()
        .allow_origins(["https://app.example.com"])
        .build()
        .unwrap();
    let with_cors = Exit::new().cors(cors).around(router.clone());
    let without = Exit::new().around(router);
    let served = |app| async move {
        let envelope = TestRequest::http_api()
            .path("/openapi.json")
            .invoke(app)
            .await;
        envelope.json_body::<Value>().unwrap()
    };
    let first = served(with_cors.clone()).await;
    assert!(first["components"]["headers"]["Vary"].is_object());
    assert_eq!(served(with_cors).await, first);
    assert!(served(without).await["components"].get("headers").is_none());
}

#[test]
fn the_committed_copy_is_written_and_a_stale_one_fails() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi-committed.json");
    let _ = std::fs::remove_file(&path);
    let kept = |path: &std::path::Path| {
        let path = path.to_owned();
        std::panic::catch_unwind(move || {
            lambda_proxy::testing::assert_openapi_file(every_kind(), &path)
        })
    };
    // Missing: written, and the test fails so that the file is reviewed.
    let missing = kept(&path).unwrap_err();
    assert!(missing
        .downcast_ref::<String>()
        .unwrap()
        .contains("did not exist"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        document().to_pretty_json()
    );
    // Current: passes.
    assert!(kept(&path).is_ok());
    // Stale: rewritten, and fails.
    std::fs::write(&path, "{}").unwrap();
    let stale = kept(&path).unwrap_err();
    assert!(stale
        .downcast_ref::<String>()
        .unwrap()
        .contains("was stale"));
    assert!(kept(&path).is_ok());
    // An app without a document cannot have a committed copy.
    let no_document = std::panic::catch_unwind(|| {
        lambda_proxy::testing::assert_openapi_file(Router::new().route(get_user).unwrap(), "x")
    });
    assert!(no_document.is_err());
}

/// Constraints on a `Path` are checked at the door and documented.
mod path_constraints {
    use super::*;

    #[derive(Deserialize, JsonSchema, validator::Validate)]
    struct PageNo {
        #[validate(range(min = 1, max = 99))]
        n: u32,
    }

    #[proxy_handler(route = "GET /pages/{n}")]
    async fn page(Path(page): Path<PageNo>) -> u32 {
        page.n
    }

    #[tokio::test]
    async fn a_path_parameter_that_breaks_a_constraint_is_a_422() {
        let router = || Router::new().route(page).unwrap();
        let ok = TestRequest::http_api()
            .path("/pages/7")
            .invoke(router())
            .await;
        assert_eq!(ok.body(), "7");
        let zero = TestRequest::http_api()
            .path("/pages/0")
            .invoke(router())
            .await;
        assert_eq!(zero.status(), 422);
        let problem: Value = zero.json_body().unwrap();
        assert_eq!(problem["errors"][0]["pointer"], "#/n");
        let document = openapi::document(
            router()
                .openapi("/openapi.json", Info::new("pages", "1"))
                .unwrap(),
        )
        .unwrap();
        let get = document.operation("get", "/pages/{n}").unwrap();
        assert!(get["responses"].get("422").is_some());
        assert_eq!(get["parameters"][0]["schema"]["maximum"], 99);
    }
}
