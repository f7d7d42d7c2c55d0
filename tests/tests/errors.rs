//! Errors become the right HTTP answer, through every front door, and leak nothing.

mod common;

use common::{check, front_doors, problem, PROBLEM};
use lambda_proxy::testing::REQUEST_ID;
use lambda_proxy::{proxy_handler, HeaderMap, HttpError, Request, ResponseError, StatusCode};
use std::borrow::Cow;

/// Every `HttpError` constructor, with the status it must answer.
fn constructors() -> Vec<(HttpError, u16, &'static str)> {
    vec![
        (HttpError::bad_request("d"), 400, "Bad Request"),
        (HttpError::unauthorized("d"), 401, "Unauthorized"),
        (HttpError::forbidden("d"), 403, "Forbidden"),
        (HttpError::not_found("d"), 404, "Not Found"),
        (
            HttpError::method_not_allowed("d").with_header("allow", "GET"),
            405,
            "Method Not Allowed",
        ),
        (HttpError::conflict("d"), 409, "Conflict"),
        (HttpError::gone("d"), 410, "Gone"),
        (
            HttpError::precondition_failed("d"),
            412,
            "Precondition Failed",
        ),
        (HttpError::payload_too_large("d"), 413, "Payload Too Large"),
        (
            HttpError::unsupported_media_type("d"),
            415,
            "Unsupported Media Type",
        ),
        (
            HttpError::unprocessable_entity("d"),
            422,
            "Unprocessable Entity",
        ),
        (HttpError::too_many_requests("d"), 429, "Too Many Requests"),
        (
            HttpError::internal_server_error("d"),
            500,
            "Internal Server Error",
        ),
        (HttpError::not_implemented("d"), 501, "Not Implemented"),
        (HttpError::bad_gateway("d"), 502, "Bad Gateway"),
        (
            HttpError::service_unavailable("d"),
            503,
            "Service Unavailable",
        ),
        (HttpError::gateway_timeout("d"), 504, "Gateway Timeout"),
        (
            HttpError::new(StatusCode::IM_A_TEAPOT, "d"),
            418,
            "I'm a teapot",
        ),
    ]
}

#[tokio::test]
async fn every_constructor_answers_its_status_through_every_front_door() {
    for (index, (_, status, title)) in constructors().into_iter().enumerate() {
        let handler = move |req: Request| async move {
            #[proxy_handler]
            async fn fail(_req: Request, index: usize) -> Result<(), HttpError> {
                Err(constructors().swap_remove(index).0)
            }
            fail(req, index).await
        };
        // An HttpError's detail was written for the client: it is shown for 5xx too.
        let allow: &[(&str, &str)] = if status == 405 {
            &[PROBLEM, ("allow", "GET")]
        } else {
            &[PROBLEM]
        };
        check(handler, status, allow, &problem(status, title, Some("d"))).await;
    }
}

#[proxy_handler]
async fn not_an_error_status(_req: Request) -> Result<(), HttpError> {
    Err(HttpError::new(StatusCode::OK, "all good?"))
}

#[tokio::test]
async fn a_success_status_in_an_error_becomes_500_without_its_detail() {
    check(
        not_an_error_status,
        500,
        &[PROBLEM],
        &problem(500, "Internal Server Error", None),
    )
    .await;
}

#[proxy_handler]
async fn rate_limited(_req: Request) -> Result<(), HttpError> {
    Err(HttpError::too_many_requests("slow down")
        .with_header("retry-after", "30")
        .with_type("https://example.com/problems/rate-limit")
        .with_title("Rate limit reached")
        .with_extension("limit", 100)
        .with_extension("status", "ignored: reserved member"))
}

#[tokio::test]
async fn builder_parts_reach_the_envelope() {
    let body = format!(
        r#"{{"type":"https://example.com/problems/rate-limit","title":"Rate limit reached","status":429,"detail":"slow down","requestId":"{REQUEST_ID}","limit":100}}"#
    );
    check(rate_limited, 429, &[PROBLEM, ("retry-after", "30")], &body).await;
}

#[derive(Debug, thiserror::Error, lambda_proxy::ResponseError)]
#[response(status = 500)]
enum AccountError {
    #[error("no account {0}")]
    #[response(status = 404, type = "https://example.com/problems/no-account")]
    NotFound(u64),
    #[error("account {id} is frozen")]
    #[response(status = 409, title = "Account frozen")]
    Frozen { id: u64 },
    #[error("ledger unavailable for account {0}")]
    Ledger(u64, #[source] std::io::Error),
    #[error("rate limited")]
    #[response(status = 429)]
    RateLimited,
}

#[proxy_handler]
async fn account(req: Request) -> Result<(), AccountError> {
    let case = req.headers().get("x-case").and_then(|v| v.to_str().ok());
    Err(match case {
        Some("missing") => AccountError::NotFound(7),
        Some("frozen") => AccountError::Frozen { id: 7 },
        Some("busy") => AccountError::RateLimited,
        _ => AccountError::Ledger(7, std::io::Error::other("disk /dev/secret-volume failed")),
    })
}

#[tokio::test]
async fn derived_statuses_types_and_titles() {
    let cases = [
        (
            "missing",
            404,
            r#""type":"https://example.com/problems/no-account","title":"Not Found","status":404,"detail":"no account 7""#,
        ),
        (
            "frozen",
            409,
            r#""type":"about:blank","title":"Account frozen","status":409,"detail":"account 7 is frozen""#,
        ),
        (
            "busy",
            429,
            r#""type":"about:blank","title":"Too Many Requests","status":429,"detail":"rate limited""#,
        ),
        (
            "ledger",
            500,
            r#""type":"about:blank","title":"Internal Server Error","status":500,"detail":"The server could not complete this request. Quote the requestId when reporting it.""#,
        ),
    ];
    for (path, status, members) in cases {
        for request in front_doors() {
            let envelope = request.header("x-case", path).invoke(account).await;
            assert_eq!(envelope.status(), status);
            assert_eq!(
                envelope.body(),
                format!(r#"{{{members},"requestId":"{REQUEST_ID}"}}"#)
            );
        }
    }
}

/// One's own error enum around lambda-proxy's `HttpError` (what `req.json()` and the parameter
/// helpers return): `#[response(transparent)]` answers exactly as the `HttpError` would, status,
/// detail and headers included, where `#[response(status = 400)]` turned every 415 and 422 into a
/// 400 and dropped the `accept` header.
#[derive(Debug, thiserror::Error, ResponseError)]
#[response(status = 500)]
enum ServiceError {
    #[error(transparent)]
    #[response(transparent)]
    Request(#[from] HttpError),
    #[error("stock service down")]
    #[response(status = 503)]
    Stock,
    #[error("ledger: {0}")]
    Ledger(#[source] std::io::Error),
}

#[derive(serde::Deserialize, Debug)]
struct Order {
    #[allow(dead_code)]
    quantity: u32,
}

#[proxy_handler]
async fn order(req: Request) -> Result<(), ServiceError> {
    use lambda_proxy::ProxyRequestExt;
    match req.headers().get("x-case").and_then(|v| v.to_str().ok()) {
        Some("stock") => Err(ServiceError::Stock),
        Some("ledger") => Err(ServiceError::Ledger(std::io::Error::other("disk"))),
        _ => {
            let _order: Order = req.json()?;
            Ok(())
        }
    }
}

#[tokio::test]
async fn a_transparent_variant_answers_as_its_field() {
    for request in front_doors() {
        let front_door = request.front_door();
        let envelope = request
            .clone()
            .header("content-type", "text/plain")
            .text("x")
            .invoke(order)
            .await;
        assert_eq!(envelope.status(), 415, "{front_door}");
        assert_eq!(
            envelope.header("accept").as_deref(),
            Some("application/json")
        );
        assert!(envelope
            .body()
            .contains(r#""title":"Unsupported Media Type""#));
        let envelope = request
            .clone()
            .json(&serde_json::json!({"quantity": "many"}))
            .invoke(order)
            .await;
        assert_eq!(envelope.status(), 422, "{front_door}: {}", envelope.raw());
        assert!(
            envelope
                .body()
                .contains(r#""detail":"invalid value at `quantity`: "#),
            "{}",
            envelope.body()
        );
        let stock = request
            .clone()
            .header("x-case", "stock")
            .invoke(order)
            .await;
        assert_eq!(stock.status(), 503);
        let ledger = request.header("x-case", "ledger").invoke(order).await;
        assert_eq!(ledger.status(), 500);
        assert!(!ledger.body().contains("disk"));
    }
    let error = ServiceError::from(HttpError::conflict("taken").with_title("Taken"));
    assert_eq!(error.status(), 409);
    assert_eq!(error.title().as_deref(), Some("Taken"));
    assert_eq!(error.public_detail().as_deref(), Some("taken"));
    assert_eq!(ServiceError::Stock.public_detail(), None);
    assert_eq!(ServiceError::Stock.problem_type(), "about:blank");
}

#[derive(Debug, lambda_proxy::ResponseError)]
#[response(status = 503, title = "Maintenance")]
struct Maintenance;

impl std::fmt::Display for Maintenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("down for maintenance")
    }
}

#[test]
fn derive_on_a_struct_without_std_error() {
    assert_eq!(Maintenance.status(), 503);
    assert_eq!(Maintenance.title().as_deref(), Some("Maintenance"));
    assert_eq!(Maintenance.log_message(), "down for maintenance");
    assert_eq!(Maintenance.public_detail(), None);
}

/// A hand-written implementation using every method.
#[derive(Debug)]
struct Locked {
    until: u64,
}

impl std::fmt::Display for Locked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "locked until {}", self.until)
    }
}

impl ResponseError for Locked {
    fn status(&self) -> StatusCode {
        StatusCode::LOCKED
    }
    fn public_detail(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed("the resource is locked"))
    }
    fn extensions(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        let mut map = serde_json::Map::new();
        map.insert("until".into(), self.until.into());
        Some(map)
    }
    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "60".parse().unwrap());
        headers.append("www-authenticate", "Basic realm=\"a\"".parse().unwrap());
        headers.append("www-authenticate", "Bearer".parse().unwrap());
        // Ignored: the body is problem+json whatever an implementation says.
        headers.insert("content-type", "text/plain".parse().unwrap());
        headers
    }
}

#[proxy_handler]
async fn locked(_req: Request) -> Result<(), Locked> {
    Err(Locked { until: 1700000000 })
}

#[tokio::test]
async fn hand_written_response_error() {
    let body = format!(
        r#"{{"type":"about:blank","title":"Locked","status":423,"detail":"the resource is locked","requestId":"{REQUEST_ID}","until":1700000000}}"#
    );
    check(
        locked,
        423,
        &[
            PROBLEM,
            ("retry-after", "60"),
            ("www-authenticate", "Basic realm=\"a\""),
            ("www-authenticate", "Bearer"),
        ],
        &body,
    )
    .await;
}

#[proxy_handler]
async fn io_failure(_req: Request) -> Result<(), std::io::Error> {
    Err(std::io::Error::other("cannot open /etc/secret.conf"))
}

#[proxy_handler]
async fn json_failure(_req: Request) -> Result<(), serde_json::Error> {
    Err(serde_json::from_str::<u8>("\"secret-json-input\"").unwrap_err())
}

/// A boxed error without `Send + Sync` is an unknown failure too.
#[proxy_handler]
async fn boxed_not_send(_req: Request) -> Result<(), Box<dyn std::error::Error>> {
    Err("secret-in-box".into())
}

#[tokio::test]
async fn foreign_errors_are_generic_500s() {
    let generic = problem(500, "Internal Server Error", None);
    check(io_failure, 500, &[PROBLEM], &generic).await;
    check(json_failure, 500, &[PROBLEM], &generic).await;
    check(boxed_not_send, 500, &[PROBLEM], &generic).await;
}

/// A secret in the error message, in its source, and in the anyhow context chain: none of them
/// may appear anywhere in the envelope, for any front door.
#[derive(Debug, thiserror::Error)]
#[error("query failed for user secret-in-message")]
struct QueryError(#[source] std::io::Error);

impl ResponseError for QueryError {}

#[proxy_handler]
async fn leaky(req: Request) -> anyhow::Result<()> {
    let source = std::io::Error::other("secret-in-source: password=hunter2");
    match req.uri().path() {
        p if p.ends_with("/typed") => Err(anyhow::Error::new(QueryError(source))),
        _ => Err(anyhow::Error::new(source).context("secret-in-context")),
    }
}

#[proxy_handler]
async fn leaky_typed(_req: Request) -> Result<(), QueryError> {
    Err(QueryError(std::io::Error::other(
        "secret-in-source: password=hunter2",
    )))
}

#[tokio::test]
async fn internal_details_never_reach_the_envelope() {
    let secrets = [
        "secret-in-message",
        "secret-in-source",
        "hunter2",
        "secret-in-context",
    ];
    for request in front_doors() {
        for path in ["/x/typed", "/x/chain"] {
            let raw = request
                .clone()
                .path(path)
                .invoke(leaky)
                .await
                .raw()
                .to_owned();
            for secret in secrets {
                assert!(!raw.contains(secret), "{secret} leaked: {raw}");
            }
        }
        let raw = request.clone().invoke(leaky_typed).await.raw().to_owned();
        for secret in secrets {
            assert!(!raw.contains(secret), "{secret} leaked: {raw}");
        }
    }
}

/// The request id is kept inline up to 40 bytes (AWS ids are 36-character UUIDs); any other id
/// reaches the problem body whole, and an empty one is left out.
#[tokio::test]
async fn request_ids_of_any_length_reach_the_problem_body() {
    let long = "x".repeat(41) + "-é-" + &"y".repeat(200);
    for id in ["c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "1", long.as_str()] {
        let envelope = lambda_proxy::testing::TestRequest::http_api()
            .request_id(id)
            .invoke(rate_limited)
            .await;
        let body: serde_json::Value = serde_json::from_str(envelope.body()).unwrap();
        assert_eq!(body["requestId"], id, "{id}");
    }
    let envelope = lambda_proxy::testing::TestRequest::http_api()
        .request_id("")
        .invoke(rate_limited)
        .await;
    let body: serde_json::Value = serde_json::from_str(envelope.body()).unwrap();
    assert!(body.get("requestId").is_none(), "{body}");
}
