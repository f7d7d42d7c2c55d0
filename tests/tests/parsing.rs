//! Request parsing answers with a documented 4xx, never a panic or a silent default.

mod common;

use common::front_doors;
use lambda_proxy::testing::{Envelope, TestRequest};
use lambda_proxy::{proxy_handler, HttpError, ProxyRequestExt, Request};

#[derive(Debug, serde::Deserialize, serde::Serialize)]
struct Order {
    item: String,
    quantity: u32,
    lines: Vec<Line>,
}

#[derive(Debug, serde::Deserialize, serde::Serialize)]
struct Line {
    sku: String,
    price: u64,
}

#[proxy_handler]
async fn place(req: Request) -> Result<Order, HttpError> {
    req.json()
}

#[proxy_handler]
async fn place_small(req: Request) -> Result<Order, HttpError> {
    req.json_with_limit(32)
}

fn post(request: TestRequest) -> TestRequest {
    request.method("POST").path("/orders")
}

/// The status and the problem's `detail`.
fn answer(envelope: &Envelope) -> (u16, String) {
    let problem: serde_json::Value = envelope.json_body().unwrap_or_default();
    (
        envelope.status(),
        problem["detail"].as_str().unwrap_or("").to_owned(),
    )
}

const GOOD: &str = r#"{"item":"tea","quantity":2,"lines":[{"sku":"T-1","price":450}]}"#;

#[tokio::test]
async fn a_good_body_parses_through_every_front_door() {
    for request in front_doors() {
        let envelope = post(request)
            .header("content-type", "application/json")
            .text(GOOD)
            .invoke(place)
            .await;
        assert_eq!(envelope.status(), 200, "{}", envelope.raw());
        assert_eq!(envelope.body(), GOOD);
    }
}

#[tokio::test]
async fn base64_encoded_bodies_are_decoded_first() {
    for request in front_doors() {
        let envelope = post(request)
            .header("content-type", "application/json; charset=utf-8")
            .binary(GOOD.as_bytes())
            .invoke(place)
            .await;
        assert_eq!(envelope.status(), 200, "{}", envelope.raw());
    }
}

#[tokio::test]
async fn bad_bodies_get_their_documented_4xx() {
    let cases: Vec<(&str, TestRequest, u16, &str)> = vec![
        (
            "empty",
            TestRequest::http_api().text(""),
            400,
            "the request body is empty; expected a JSON document",
        ),
        (
            "truncated",
            TestRequest::http_api().text(r#"{"item":"tea","quan"#),
            400,
            "the request body is not valid JSON: EOF while parsing a string at line 1 column 19",
        ),
        (
            "trailing garbage",
            TestRequest::http_api().text(&format!("{GOOD} x")),
            400,
            "the request body is not valid JSON: trailing characters at line 1 column 65",
        ),
        (
            "wrong type at a nested field",
            TestRequest::http_api()
                .text(r#"{"item":"tea","quantity":2,"lines":[{"sku":"T-1","price":"cheap"}]}"#),
            422,
            "invalid value at `lines[0].price`: invalid type: string \"cheap\", expected u64 at line 1 column 64",
        ),
        (
            "missing field",
            TestRequest::http_api().text(r#"{"item":"tea","lines":[]}"#),
            422,
            "the request body does not have the expected shape: missing field `quantity` at line 1 column 25",
        ),
        (
            "not an object",
            TestRequest::http_api().text(r#""tea""#),
            422,
            "the request body does not have the expected shape: invalid type: string \"tea\", expected struct Order at line 1 column 5",
        ),
        (
            "invalid UTF-8",
            TestRequest::http_api().binary(b"{\"item\":\"t\xffa\",\"quantity\":1,\"lines\":[]}".to_vec()),
            400,
            "the request body is not valid JSON: invalid unicode code point at line 1 column 11",
        ),
        (
            "not JSON at all",
            TestRequest::http_api().text("item=tea&quantity=2"),
            400,
            "the request body is not valid JSON: expected value at line 1 column 1",
        ),
    ];
    for (name, request, status, detail) in cases {
        let request = post(request).header("content-type", "application/json");
        let envelope = request.invoke(place).await;
        assert_eq!(
            answer(&envelope),
            (status, detail.to_owned()),
            "case: {name}"
        );
    }
}

#[proxy_handler]
async fn any_json(req: Request) -> Result<serde_json::Value, HttpError> {
    req.json()
}

#[tokio::test]
async fn deep_nesting_is_400_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let envelope = post(TestRequest::http_api())
        .header("content-type", "application/json")
        .text(&deep)
        .invoke(any_json)
        .await;
    assert_eq!(
        answer(&envelope),
        (
            400,
            "the request body is not valid JSON: recursion limit exceeded at line 1 column 128"
                .to_owned()
        )
    );
}

#[derive(serde::Deserialize, serde::Serialize)]
struct Shallow {
    name: String,
}

#[proxy_handler]
async fn shallow(req: Request) -> Result<Shallow, HttpError> {
    req.json()
}

/// For a struct, the shape is wrong before the depth is reached: 422, as the README says.
#[tokio::test]
async fn deep_nesting_into_a_struct_is_422() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let envelope = post(TestRequest::http_api())
        .header("content-type", "application/json")
        .text(&deep)
        .invoke(shallow)
        .await;
    let (status, detail) = answer(&envelope);
    assert_eq!(status, 422, "{detail}");
    assert!(detail.contains("invalid type: sequence"), "{detail}");
}

#[tokio::test]
async fn content_type_decides_415() {
    let form = post(TestRequest::rest_api())
        .header("content-type", "application/x-www-form-urlencoded")
        .text("item=tea")
        .invoke(place)
        .await;
    assert_eq!(
        answer(&form),
        (
            415,
            r#"expected a JSON body (content-type: application/json), got content-type "application/x-www-form-urlencoded""#.to_owned()
        )
    );
    assert_eq!(form.header("accept").as_deref(), Some("application/json"));

    // A vendor JSON type is JSON; a missing content type is read as JSON.
    let vendor = post(TestRequest::alb())
        .header("content-type", "application/vnd.shop+json")
        .text(GOOD)
        .invoke(place)
        .await;
    assert_eq!(vendor.status(), 200);
    let missing = post(TestRequest::function_url())
        .text(GOOD)
        .invoke(place)
        .await;
    assert_eq!(missing.status(), 200);
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let envelope = post(TestRequest::http_api())
        .header("content-type", "application/json")
        .text(GOOD)
        .invoke(place_small)
        .await;
    assert_eq!(
        answer(&envelope),
        (
            413,
            "the request body is 63 bytes; at most 32 are accepted".to_owned()
        )
    );
    let huge = format!(
        r#"{{"item":"{}","quantity":1,"lines":[]}}"#,
        "x".repeat(2 << 20)
    );
    let envelope = post(TestRequest::http_api())
        .header("content-type", "application/json")
        .text(&huge)
        .invoke(place)
        .await;
    assert_eq!(envelope.status(), 413);
}

#[proxy_handler]
async fn page(req: Request) -> Result<(u64, u32, Option<bool>), HttpError> {
    Ok((
        req.path_param("shop")?,
        req.query_param("limit")?,
        req.query_param_opt("dry_run")?,
    ))
}

#[tokio::test]
async fn path_and_query_parameters() {
    let ok = TestRequest::rest_api()
        .resource("/shops/{shop}")
        .path("/shops/12")
        .query("limit", "50")
        .query("dry_run", "true")
        .invoke(page)
        .await;
    assert_eq!((ok.status(), ok.body()), (200, "[12,50,true]"));

    // Behind `/{proxy+}` there is no `shop`: the deployment's mistake, answered 500.
    let missing = TestRequest::rest_api()
        .query("limit", "5")
        .invoke(page)
        .await;
    assert_eq!(missing.status(), 500);
    assert!(!missing.body().contains("shop"), "{}", missing.body());

    let shop = |id: &str| {
        TestRequest::http_api()
            .resource("/shops/{shop}")
            .path(&format!("/shops/{id}"))
    };
    let cases = [
        (
            shop("main").query("limit", "5"),
            "path parameter `shop` must be a valid u64: invalid digit found in string",
        ),
        (shop("1"), "query parameter `limit` is required"),
        (
            shop("1").query("limit", "-1"),
            "query parameter `limit` must be a valid u32: invalid digit found in string",
        ),
        (
            shop("1")
                .query("limit", "1")
                .query("dry_run", "maybe"),
            "query parameter `dry_run` must be a valid bool: provided string was not `true` or `false`",
        ),
    ];
    for (request, detail) in cases {
        let envelope = request.invoke(page).await;
        assert_eq!(answer(&envelope), (400, detail.to_owned()));
    }
}

/// `ProxyRequestExt::front_door` tells the front door of every event (ALB in either header
/// mode reads as `Alb`: `lambda_http`'s request hides the mode), and none for a request built by
/// hand.
#[tokio::test]
async fn the_request_tells_its_front_door() {
    #[proxy_handler]
    async fn door(req: Request) -> &'static str {
        req.front_door()
            .map_or("none", lambda_proxy::FrontDoor::name)
    }
    for request in front_doors() {
        let expected = match request.front_door() {
            lambda_proxy::FrontDoor::AlbMultiValue => lambda_proxy::FrontDoor::Alb,
            door => door,
        };
        let envelope = request.invoke(door).await;
        assert_eq!(envelope.body(), format!("\"{}\"", expected.name()));
    }
    assert_eq!(Request::default().front_door(), None);
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_lists_where_in_errors() {
    for (body, pointer) in [
        (
            r#"{"item":"tea","quantity":2,"lines":[{"sku":"T-1","price":"cheap"}]}"#,
            "#/lines/0/price",
        ),
        (r#"{"item":"tea","lines":[]}"#, "#"),
    ] {
        let envelope = TestRequest::http_api().text(body).invoke(place).await;
        assert_eq!(envelope.status(), 422);
        let problem: serde_json::Value = envelope.json_body().unwrap();
        let errors = problem["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{problem}");
        assert_eq!(errors[0]["pointer"], pointer, "{problem}");
        assert!(
            errors[0]["detail"].as_str().unwrap().contains("line 1"),
            "{problem}"
        );
    }
}
