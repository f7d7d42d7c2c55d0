//! Every return kind, through `lambda_http`'s real adapter, for every front door: the exact bytes
//! the runtime posts.

mod common;

use common::{check, front_doors, problem, JSON, PROBLEM};
use lambda_proxy::testing::{Envelope, TestRequest};
use lambda_proxy::{
    proxy_handler, Body, FrontDoor, HttpError, Reply, Request, Response, StatusCode,
};
use std::collections::BTreeMap;

#[derive(serde::Serialize)]
struct User {
    id: u64,
    name: String,
}

fn ada() -> User {
    User {
        id: 7,
        name: "Ada".into(),
    }
}

const ADA: &str = r#"{"id":7,"name":"Ada"}"#;

#[proxy_handler]
async fn plain(_req: Request) -> User {
    ada()
}

#[tokio::test]
async fn serializable_value_is_a_json_body() {
    check(plain, 200, &[JSON], ADA).await;
}

#[tokio::test]
async fn exact_bytes_for_each_front_door() {
    // The same envelopes as `wire` computes, written out once so they can be read.
    let expected = [
        (
            TestRequest::rest_api(),
            r#"{"statusCode":200,"headers":{},"multiValueHeaders":{"content-type":["application/json"]},"body":"{\"id\":7,\"name\":\"Ada\"}","isBase64Encoded":false}"#,
        ),
        (
            TestRequest::http_api(),
            r#"{"statusCode":200,"headers":{"content-type":"application/json"},"multiValueHeaders":{},"body":"{\"id\":7,\"name\":\"Ada\"}","isBase64Encoded":false,"cookies":[]}"#,
        ),
        (
            TestRequest::alb(),
            r#"{"statusCode":200,"statusDescription":"200 OK","headers":{"content-type":"application/json"},"body":"{\"id\":7,\"name\":\"Ada\"}","isBase64Encoded":false}"#,
        ),
        (
            TestRequest::alb_multi_value(),
            r#"{"statusCode":200,"statusDescription":"200 OK","multiValueHeaders":{"content-type":["application/json"]},"body":"{\"id\":7,\"name\":\"Ada\"}","isBase64Encoded":false}"#,
        ),
        (
            TestRequest::vpc_lattice(),
            r#"{"isBase64Encoded":false,"statusCode":200,"headers":{"content-type":"application/json"},"body":"{\"id\":7,\"name\":\"Ada\"}"}"#,
        ),
    ];
    for (request, raw) in expected {
        assert_eq!(request.invoke(plain).await.raw(), raw);
    }
}

#[proxy_handler]
fn sync_handler(_req: Request) -> Vec<&'static str> {
    vec!["a", "b"]
}

#[tokio::test]
async fn plain_fn_handler() {
    check(sync_handler, 200, &[JSON], r#"["a","b"]"#).await;
}

#[proxy_handler(status = 201, headers("cache-control" = "no-store", "X-Request-Kind" = "create"))]
async fn created(_req: Request) -> Result<User, HttpError> {
    Ok(ada())
}

#[tokio::test]
async fn attribute_status_and_headers() {
    check(
        created,
        201,
        &[
            JSON,
            ("cache-control", "no-store"),
            ("x-request-kind", "create"),
        ],
        ADA,
    )
    .await;
}

/// Whether an answer is the handler's own is known by type, not guessed from its status: a
/// redirect with a body keeps the attribute's `location` (it was dropped when only 2xx answers
/// got the attribute's headers).
#[proxy_handler(status = 302, headers("location" = "/elsewhere"))]
async fn moved(_req: Request) -> User {
    ada()
}

#[proxy_handler(status = 302, headers("location" = "/elsewhere"))]
async fn moved_reply(_req: Request) -> Reply<User> {
    Reply::new(ada()).header("x-extra", "1")
}

#[tokio::test]
async fn attribute_headers_go_on_every_answer_of_the_handler_whatever_its_status() {
    check(moved, 302, &[JSON, ("location", "/elsewhere")], ADA).await;
    check(
        moved_reply,
        302,
        &[JSON, ("x-extra", "1"), ("location", "/elsewhere")],
        ADA,
    )
    .await;
}

/// A body that fails to serialize is the fallback problem, not the handler's answer: it gets no
/// attribute headers, even with a 2xx attribute status.
#[proxy_handler(status = 201, headers("cache-control" = "no-store"))]
async fn unserializable_created(_req: Request) -> BTreeMap<(u8, u8), u8> {
    BTreeMap::from([((1, 2), 3)])
}

#[proxy_handler(headers("cache-control" = "no-store"))]
async fn unserializable_reply(_req: Request) -> Reply<BTreeMap<(u8, u8), u8>> {
    Reply::new(BTreeMap::from([((1, 2), 3)])).status(StatusCode::INTERNAL_SERVER_ERROR)
}

#[tokio::test]
async fn a_serialization_failure_gets_no_attribute_headers() {
    let body = problem(500, "Internal Server Error", None);
    check(unserializable_created, 500, &[PROBLEM], &body).await;
    // A `Reply` whose own status is 500 was once told from the fallback by comparing statuses.
    check(unserializable_reply, 500, &[PROBLEM], &body).await;
}

/// `(StatusCode, T)`, the habit from axum and `lambda_http`: the status chosen at run time, `T`
/// the JSON body, with the attribute's content type and headers.
#[proxy_handler(headers("cache-control" = "no-store"))]
async fn status_and_body(req: Request) -> (StatusCode, User) {
    let status = if req.uri().path() == "/new" {
        StatusCode::CREATED
    } else {
        StatusCode::ACCEPTED
    };
    (status, ada())
}

#[proxy_handler]
async fn maybe_status_and_body(_req: Request) -> Result<(StatusCode, Vec<u8>), HttpError> {
    Ok((StatusCode::OK, vec![1, 2]))
}

#[proxy_handler]
async fn number_and_body(_req: Request) -> (u16, &'static str) {
    (201, "created")
}

#[tokio::test]
async fn a_status_code_with_a_body() {
    check(
        status_and_body,
        202,
        &[JSON, ("cache-control", "no-store")],
        ADA,
    )
    .await;
    let envelope = TestRequest::http_api()
        .path("/new")
        .invoke(status_and_body)
        .await;
    assert_eq!(envelope.assert_valid().status(), 201);
    check(maybe_status_and_body, 200, &[JSON], "[1,2]").await;
    // Any other tuple of `Serialize` values, `(u16, T)` included, is a JSON array.
    check(number_and_body, 200, &[JSON], r#"[201,"created"]"#).await;
}

#[proxy_handler(content_type = "application/vnd.api+json")]
async fn vendor_json(_req: Request) -> User {
    ada()
}

#[tokio::test]
async fn attribute_content_type() {
    check(
        vendor_json,
        200,
        &[("content-type", "application/vnd.api+json")],
        ADA,
    )
    .await;
}

#[proxy_handler(status = 201, headers("cache-control" = "no-store"))]
async fn create_fails(_req: Request) -> Result<User, HttpError> {
    Err(HttpError::conflict("user 7 exists"))
}

#[tokio::test]
async fn err_is_a_problem_response_without_success_headers() {
    check(
        create_fails,
        409,
        &[PROBLEM],
        &problem(409, "Conflict", Some("user 7 exists")),
    )
    .await;
}

type ApiResult<T> = Result<T, HttpError>;

#[proxy_handler]
async fn via_alias(_req: Request) -> ApiResult<User> {
    Err(HttpError::not_found("no user with id 7"))
}

#[tokio::test]
async fn result_alias_is_dispatched_by_type() {
    check(
        via_alias,
        404,
        &[PROBLEM],
        &problem(404, "Not Found", Some("no user with id 7")),
    )
    .await;
}

#[proxy_handler]
async fn via_anyhow(_req: Request) -> anyhow::Result<User> {
    let inner = std::io::Error::other("password=hunter2 rejected by db.internal:5432");
    Err(anyhow::Error::new(inner).context("loading user 7 with secret-token-XYZ"))
}

#[tokio::test]
async fn internal_error_is_a_generic_500_and_leaks_nothing() {
    check(
        via_anyhow,
        500,
        &[PROBLEM],
        &problem(500, "Internal Server Error", None),
    )
    .await;
    for request in front_doors() {
        let raw = request.invoke(via_anyhow).await.raw().to_owned();
        for secret in ["hunter2", "secret-token-XYZ", "db.internal", "loading user"] {
            assert!(!raw.contains(secret), "{secret} leaked: {raw}");
        }
    }
}

#[proxy_handler]
async fn via_boxed(_req: Request) -> Result<User, lambda_proxy::Error> {
    Err("connection string postgres://admin:hunter2@db".into())
}

#[tokio::test]
async fn boxed_error_is_a_generic_500() {
    check(
        via_boxed,
        500,
        &[PROBLEM],
        &problem(500, "Internal Server Error", None),
    )
    .await;
}

#[proxy_handler]
async fn found(_req: Request) -> Option<User> {
    Some(ada())
}

#[proxy_handler]
async fn missing(_req: Request) -> Option<User> {
    None
}

#[tokio::test]
async fn option_some_is_the_value_none_is_404() {
    check(found, 200, &[JSON], ADA).await;
    check(missing, 404, &[PROBLEM], &problem(404, "Not Found", None)).await;
}

#[proxy_handler]
async fn nested_none(_req: Request) -> Result<Option<User>, HttpError> {
    Ok(None)
}

#[tokio::test]
async fn nested_result_option() {
    check(
        nested_none,
        404,
        &[PROBLEM],
        &problem(404, "Not Found", None),
    )
    .await;
}

#[proxy_handler]
async fn unit(_req: Request) {}

#[proxy_handler(status = 202)]
async fn accepted(_req: Request) -> Result<(), HttpError> {
    Ok(())
}

#[tokio::test]
async fn unit_is_204_or_the_attribute_status() {
    check(unit, 204, &[], "").await;
    check(accepted, 202, &[], "").await;
}

#[proxy_handler]
async fn custom_response(_req: Request) -> Response<Body> {
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "text/plain")
        .header("x-multi", "1")
        .header("x-multi", "2")
        .header("set-cookie", "a=1; Path=/")
        .header("set-cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT")
        .body(Body::from("hello"))
        .unwrap()
}

#[tokio::test]
async fn repeated_headers_and_cookies_per_front_door() {
    let headers = [
        ("content-type", "text/plain"),
        ("x-multi", "1"),
        ("x-multi", "2"),
        ("set-cookie", "a=1; Path=/"),
        ("set-cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"),
    ];
    check(custom_response, 200, &headers, "hello").await;
    // What a client of HTTP API 2.0 sees: both values of the repeated header, both cookies.
    let envelope = TestRequest::http_api().invoke(custom_response).await;
    assert_eq!(envelope.header("x-multi").as_deref(), Some("1, 2"));
    assert_eq!(envelope.cookies().len(), 2);
}

#[proxy_handler]
async fn reply(_req: Request) -> Reply<User> {
    Reply::new(ada())
        .status(StatusCode::CREATED)
        .header("location", "/users/7")
}

#[tokio::test]
async fn reply_sets_status_and_headers_at_run_time() {
    check(reply, 201, &[JSON, ("location", "/users/7")], ADA).await;
}

#[proxy_handler]
async fn reply_with_cookies(_req: Request) -> Reply<User> {
    Reply::new(ada())
        .header("set-cookie", "a=1; Path=/")
        .header("set-cookie", "b=2; Path=/")
        .header("vary", "accept")
        .header("vary", "origin")
        .content_type("application/vnd.user+json")
}

#[tokio::test]
async fn reply_keeps_every_value_of_repeated_headers() {
    // In the order the runtime writes them: replacing the default content-type moves it last.
    let headers = [
        ("vary", "accept"),
        ("vary", "origin"),
        ("set-cookie", "a=1; Path=/"),
        ("set-cookie", "b=2; Path=/"),
        ("content-type", "application/vnd.user+json"),
    ];
    check(reply_with_cookies, 200, &headers, ADA).await;
}

#[proxy_handler]
async fn unserializable(_req: Request) -> BTreeMap<(u8, u8), u8> {
    BTreeMap::from([((1, 2), 3)])
}

#[tokio::test]
async fn serialization_failure_is_a_500_problem() {
    check(
        unserializable,
        500,
        &[PROBLEM],
        &problem(500, "Internal Server Error", None),
    )
    .await;
}

#[proxy_handler]
async fn hostile_header(_req: Request) -> Response<Body> {
    let from_user = "caf\u{e9}\r\nx-injected: 1";
    let mut response = Response::new(Body::from("ok"));
    let bytes = from_user
        .as_bytes()
        .iter()
        .copied()
        .filter(|b| *b != b'\r' && *b != b'\n');
    let value = lambda_proxy::HeaderValue::from_bytes(&bytes.collect::<Vec<_>>()).unwrap();
    response.headers_mut().insert("x-echo", value);
    response
        .headers_mut()
        .insert("x-tab", "a\tb".parse().unwrap());
    response
        .headers_mut()
        .insert("x-fine", "yes".parse().unwrap());
    response
}

#[tokio::test]
async fn header_values_that_would_break_the_envelope_are_dropped() {
    check(hostile_header, 200, &[("x-fine", "yes")], "ok").await;
}

#[proxy_handler]
async fn status_999(_req: Request) -> Response<Body> {
    let mut response = Response::new(Body::from("odd"));
    *response.status_mut() = StatusCode::from_u16(999).unwrap();
    response
}

#[tokio::test]
async fn status_outside_100_599_becomes_500() {
    check(
        status_999,
        500,
        &[PROBLEM],
        &problem(500, "Internal Server Error", None),
    )
    .await;
}

#[proxy_handler]
async fn no_content_with_body(_req: Request) -> Response<Body> {
    Response::builder()
        .status(204)
        .header("content-type", "text/plain")
        .body(Body::from("should not be sent"))
        .unwrap()
}

#[tokio::test]
async fn no_content_never_carries_a_body() {
    check(no_content_with_body, 204, &[], "").await;
}

#[proxy_handler]
async fn png(_req: Request) -> Response<Body> {
    Response::builder()
        .header("content-type", "image/png")
        .body(Body::from(vec![0x89, b'P', b'N', b'G', 0, 0xff]))
        .unwrap()
}

#[tokio::test]
async fn binary_body_is_base64_with_the_flag_set() {
    for request in front_doors() {
        let envelope: Envelope = request.invoke(png).await;
        assert!(envelope.is_base64_encoded());
        assert_eq!(envelope.body(), "iVBORwD/");
        assert_eq!(envelope.body_bytes(), [0x89, b'P', b'N', b'G', 0, 0xff]);
    }
}

#[proxy_handler]
async fn echo_path(req: Request) -> String {
    req.uri().path().to_owned()
}

#[tokio::test]
async fn handler_sees_the_request() {
    for request in front_doors() {
        // lambda_http keeps the stage in REST API paths (see its
        // AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH setting); our test events use the stage `prod`.
        let expected = match request.front_door() {
            FrontDoor::RestApi => "/prod/users/7",
            // WebSocket messages have no path: lambda_http gives the stage.
            FrontDoor::WebSocket => "/production",
            _ => "/users/7",
        };
        let envelope = request.path("/users/7").invoke(echo_path).await;
        assert_eq!(envelope.json_body::<String>().unwrap(), expected);
    }
}

#[tokio::test]
async fn direct_call_without_lambda_context() {
    // A handler is an ordinary async fn: a test can call it with a hand-built request.
    let response = plain(Request::new(Body::Empty)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(matches!(response.body(), Body::Text(t) if t == ADA));
    let response = missing(Request::new(Body::Empty)).await.unwrap();
    let Body::Text(text) = response.body() else {
        panic!("text body expected")
    };
    assert_eq!(
        text,
        r#"{"type":"about:blank","title":"Not Found","status":404}"#
    );
}

#[proxy_handler]
async fn reply_with_bad_header(_req: Request) -> Reply<User> {
    let from_user = "line\nbreak";
    Reply::new(ada())
        .header("bad name", "x")
        .header("x-echo", from_user)
        .header("x-ok", "1")
}

#[tokio::test]
async fn reply_headers_that_are_not_http_are_left_out() {
    check(reply_with_bad_header, 200, &[JSON, ("x-ok", "1")], ADA).await;
}

/// Under `run` (and `TestRequest::invoke`, which takes the same path), headers added after the
/// handler, by a wrapping closure or middleware, go through the same normalization: a second
/// `vary` added to a handler's answer is comma-joined for the single-value header maps, where
/// `lambda_http` keeps only the first.
#[tokio::test]
async fn headers_added_after_the_handler_are_normalized_too() {
    let wrapped = |req: Request| async move {
        let Ok(mut response) = created(req).await;
        response
            .headers_mut()
            .append("vary", "origin".parse().unwrap());
        response
            .headers_mut()
            .append("vary", "accept-encoding".parse().unwrap());
        Ok::<_, std::convert::Infallible>(response)
    };
    check(
        wrapped,
        201,
        &[
            JSON,
            ("cache-control", "no-store"),
            ("x-request-kind", "create"),
            ("vary", "origin"),
            ("vary", "accept-encoding"),
        ],
        ADA,
    )
    .await;
}

/// The exit as a tower service under `lambda_http`'s own adapter (what
/// `lambda_http::run(Exit::new().around(handler))` does) gives the same envelope bytes as
/// `lambda_proxy::run`: repeated headers and cookies, a header value that cannot be carried, a
/// status out of range, an `Err`, a body that does not serialize. ALB is left out: `lambda_http`
/// writes both of its header maps.
#[tokio::test]
async fn lambda_http_s_own_adapter_gives_the_same_envelopes() {
    async fn both<F, Fut>(handler: F)
    where
        F: FnMut(Request) -> Fut + Clone,
        Fut: std::future::Future<Output = Result<Response<Body>, std::convert::Infallible>>
            + Send
            + 'static,
    {
        for request in front_doors()
            .into_iter()
            .filter(|r| !matches!(r.front_door(), FrontDoor::Alb | FrontDoor::AlbMultiValue))
        {
            let service = lambda_proxy::Exit::new().around(handler.clone());
            let raw = common::through_lambda_http(&request, service).await;
            let ours = request.invoke(handler.clone()).await;
            assert_eq!(raw, ours.raw(), "{}", ours.front_door());
            ours.assert_valid();
        }
    }
    both(created).await;
    both(custom_response).await;
    both(reply_with_cookies).await;
    both(unserializable).await;
    both(create_fails).await;
    both(bad_status).await;
    both(bad_header_value).await;
}

#[proxy_handler]
async fn bad_status(_req: Request) -> Response<Body> {
    let mut response = Response::new(Body::from("x"));
    *response.status_mut() = StatusCode::from_u16(600).unwrap();
    response
}

#[proxy_handler]
async fn bad_header_value(_req: Request) -> Response<Body> {
    let mut response = Response::new(Body::from("x"));
    let value = lambda_proxy::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap();
    response.headers_mut().insert("x-name", value);
    response
}

/// An event that is not the HTTP event of any front door (a direct invocation, a warm-up ping)
/// gets the envelope every front door accepts, 400, saying so.
#[tokio::test]
async fn an_event_of_no_front_door_gets_an_envelope_every_front_door_accepts() {
    use lambda_proxy::testing::{invoke_bytes, Bytes};
    for event in [
        &b"{}"[..],
        b"[1, 2]",
        b"{\"source\": \"aws.events\", \"detail\": {}}",
        b"not json",
    ] {
        let raw = invoke_bytes(Bytes::copy_from_slice(event), Default::default(), created).await;
        let envelope: serde_json::Value = serde_json::from_slice(&raw).unwrap();
        assert_eq!(envelope["statusCode"], 400, "{envelope}");
        assert!(envelope["body"]
            .as_str()
            .unwrap()
            .contains("not an HTTP request"));
        // ALB in multi-value mode reads `multiValueHeaders`, but its events always tell their
        // front door.
        for door in FrontDoor::ALL
            .into_iter()
            .filter(|d| *d != FrontDoor::AlbMultiValue)
        {
            assert!(
                lambda_proxy_cli::check::check(&envelope, door).accepted(),
                "{door}"
            );
        }
    }
}

/// ALB answers in the one map its target group reads, which the event shows: `lambda_http`'s own
/// fixtures, single-value (`headers` alone: repeated values joined, one cookie) and multi-value
/// (`multiValueHeaders`: every value and cookie apart).
#[tokio::test]
async fn alb_answers_in_the_map_of_its_target_group_s_mode() {
    use lambda_proxy::testing::TestEvent;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lambda_http");
    let single = TestEvent::from_file(fixtures.join("alb_request.json")).unwrap();
    assert_eq!(single.front_door(), FrontDoor::Alb);
    let envelope = single.invoke(headers_and_cookies).await;
    envelope.assert_valid();
    let json = envelope.json();
    assert!(json.get("multiValueHeaders").is_none(), "{json}");
    assert_eq!(json["headers"]["x-tag"], "a, b");
    assert_eq!(json["headers"]["set-cookie"], "a=1");

    let multi = TestEvent::from_file(fixtures.join("alb_multi_value_request.json")).unwrap();
    assert_eq!(multi.front_door(), FrontDoor::AlbMultiValue);
    let envelope = multi.invoke(headers_and_cookies).await;
    envelope.assert_valid();
    let json = envelope.json();
    assert!(json.get("headers").is_none(), "{json}");
    assert_eq!(
        json["multiValueHeaders"]["x-tag"],
        serde_json::json!(["a", "b"])
    );
    assert_eq!(
        json["multiValueHeaders"]["set-cookie"],
        serde_json::json!(["a=1", "b=2"])
    );
}

#[proxy_handler]
async fn headers_and_cookies(_req: Request) -> Response<Body> {
    Response::builder()
        .header("x-tag", "a")
        .header("x-tag", "b")
        .header("set-cookie", "a=1")
        .header("set-cookie", "b=2")
        .body(Body::Empty)
        .unwrap()
}
