//! CORS on every answer: successes, errors, rejections, the router's 404 and 405, the timeout's
//! 504, the panic's 500, the oversized answer's 500 and the serialization failure's 500, on
//! every front door; preflights; origins that are not allowed.

mod common;

use common::http_front_doors;
use lambda_proxy::serve::ExitService;
use lambda_proxy::testing::{Envelope, TestRequest};
use lambda_proxy::FrontDoor;
use lambda_proxy::{proxy_handler, Cors, Exit, HttpError, Path, Router};
use std::collections::HashMap;
use std::time::Duration;

const APP: &str = "https://app.example.com";

#[proxy_handler(route = "GET /users/{id}", headers("vary" = "accept-encoding"))]
async fn get_user(Path(id): Path<u64>) -> String {
    format!("user {id}")
}

#[proxy_handler(route = "DELETE /users/{id}")]
async fn delete_user(Path(_id): Path<u64>) -> Result<(), HttpError> {
    Err(HttpError::conflict("the user has orders"))
}

#[proxy_handler(route = "GET /slow")]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(60)).await;
    "late"
}

#[proxy_handler(route = "GET /panic")]
async fn panics() -> &'static str {
    panic!("a bug");
}

#[proxy_handler(route = "GET /big")]
async fn big() -> String {
    "x".repeat(7 * 1024 * 1024)
}

#[proxy_handler(route = "GET /unserializable")]
async fn unserializable() -> HashMap<(u8, u8), u8> {
    HashMap::from([((1, 2), 3)])
}

fn policy() -> Cors {
    Cors::builder()
        .allow_origins([APP])
        .allow_credentials()
        .allow_headers(["content-type"])
        .expose_headers(["location"])
        .max_age(Duration::from_secs(600))
        .build()
        .unwrap()
}

fn app() -> ExitService<Router> {
    let router = Router::new()
        .route(get_user)
        .and_then(|r| r.route(delete_user))
        .and_then(|r| r.route(slow))
        .and_then(|r| r.route(panics))
        .and_then(|r| r.route(big))
        .and_then(|r| r.route(unserializable))
        .unwrap();
    Exit::new().cors(policy()).around(router)
}

/// The envelope's `Vary`, as one list of lower-case names.
fn vary(envelope: &Envelope) -> Vec<String> {
    envelope
        .header_values("vary")
        .iter()
        .flat_map(|v| v.split(',').map(|s| s.trim().to_ascii_lowercase()))
        .collect()
}

fn assert_cors(envelope: &Envelope, what: &str) {
    envelope.assert_valid();
    let at = format!("{what} on {}: {}", envelope.front_door(), envelope.raw());
    assert_eq!(
        envelope.header("access-control-allow-origin").as_deref(),
        Some(APP),
        "{at}"
    );
    assert_eq!(
        envelope
            .header("access-control-allow-credentials")
            .as_deref(),
        Some("true"),
        "{at}"
    );
    assert!(vary(envelope).contains(&"origin".to_owned()), "{at}");
}

#[tokio::test(start_paused = true)]
async fn every_outcome_carries_the_headers_on_every_front_door() {
    let outcomes: [(&str, &str, u16); 9] = [
        ("GET", "/users/7", 200),
        ("DELETE", "/users/7", 409),
        ("GET", "/users/abc", 400),
        ("GET", "/nope", 404),
        ("PUT", "/users/7", 405),
        ("GET", "/slow", 504),
        ("GET", "/panic", 500),
        ("GET", "/big", 500),
        ("GET", "/unserializable", 500),
    ];
    for front_door in http_front_doors() {
        for (method, path, status) in outcomes {
            let envelope = front_door
                .clone()
                .method(method)
                .path(path)
                .origin(APP)
                .deadline_in(Duration::from_secs(5))
                .invoke(app())
                .await;
            assert_eq!(
                envelope.status(),
                status,
                "{method} {path} on {}",
                envelope.front_door()
            );
            assert_cors(&envelope, &format!("{method} {path}"));
        }
    }
}

#[tokio::test]
async fn vary_survives_single_value_header_maps() {
    for front_door in http_front_doors() {
        let envelope = front_door
            .path("/users/7")
            .header("origin", APP)
            .invoke(app())
            .await;
        let vary = vary(&envelope);
        assert!(
            vary.contains(&"origin".to_owned()) && vary.contains(&"accept-encoding".to_owned()),
            "{}: {vary:?}",
            envelope.front_door()
        );
        assert_eq!(
            envelope.header("access-control-expose-headers").as_deref(),
            Some("location")
        );
    }
}

#[tokio::test]
async fn another_origin_gets_no_cors_headers_and_is_still_served() {
    for front_door in http_front_doors() {
        for origin in [Some("https://evil.example"), None] {
            let mut request = front_door.clone().path("/users/7");
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            let envelope = request.invoke(app()).await;
            envelope.assert_valid();
            assert_eq!(envelope.status(), 200);
            assert_eq!(envelope.header("access-control-allow-origin"), None);
            assert_eq!(envelope.header("access-control-allow-credentials"), None);
            // The answer depends on the origin: caches must know.
            assert!(vary(&envelope).contains(&"origin".to_owned()));
        }
    }
}

#[tokio::test]
async fn preflights_are_answered_without_a_handler() {
    for front_door in http_front_doors() {
        let envelope = front_door
            .clone()
            .path("/users/7")
            .preflight(APP, "DELETE", "content-type")
            .invoke(app())
            .await;
        assert_eq!(envelope.status(), 204, "{}", envelope.raw());
        assert_cors(&envelope, "preflight");
        assert_eq!(
            envelope.header("access-control-allow-methods").as_deref(),
            Some("GET, DELETE, HEAD, OPTIONS")
        );
        assert_eq!(
            envelope.header("access-control-allow-headers").as_deref(),
            Some("content-type")
        );
        assert_eq!(
            envelope.header("access-control-max-age").as_deref(),
            Some("600")
        );
        // A path with no route: 404, with the headers, so the browser shows it.
        let missing = front_door
            .clone()
            .method("OPTIONS")
            .path("/nope")
            .header("origin", APP)
            .header("access-control-request-method", "GET")
            .invoke(app())
            .await;
        assert_eq!(missing.status(), 404);
        assert_cors(&missing, "preflight of an unknown path");
        // Another origin's preflight: 204 without CORS headers, which the browser refuses.
        let other = front_door
            .method("OPTIONS")
            .path("/users/7")
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "DELETE")
            .invoke(app())
            .await;
        assert_eq!(other.status(), 204);
        assert_eq!(other.header("access-control-allow-methods"), None);
        assert_eq!(other.header("access-control-allow-origin"), None);
    }
}

#[tokio::test]
async fn any_origin_without_credentials_is_a_star() {
    let open = Cors::builder().allow_any_origin().build().unwrap();
    let app = Exit::new()
        .cors(open)
        .around(Router::new().route(get_user).unwrap());
    for front_door in http_front_doors() {
        let envelope = front_door
            .path("/users/7")
            .header("origin", "https://anyone.example")
            .invoke(app.clone())
            .await;
        assert_eq!(
            envelope.header("access-control-allow-origin").as_deref(),
            Some("*")
        );
        assert_eq!(envelope.header("access-control-allow-credentials"), None);
    }
}

/// The exit as a tower service under `lambda_http::run` gives the same envelopes (but for ALB,
/// whose mode `lambda_http`'s conversion hides, and which it answers in both maps).
#[tokio::test]
async fn the_exit_under_lambda_http_s_own_adapter_gives_the_same_envelopes() {
    for front_door in http_front_doors()
        .into_iter()
        .filter(|r| !matches!(r.front_door(), FrontDoor::Alb | FrontDoor::AlbMultiValue))
    {
        for (method, path) in [("GET", "/users/7"), ("GET", "/nope"), ("GET", "/panic")] {
            let request = front_door
                .clone()
                .method(method)
                .path(path)
                .header("origin", APP);
            let raw = common::through_lambda_http(&request, app()).await;
            let ours = request.invoke(app()).await;
            assert_eq!(raw, ours.raw(), "{path} on {}", ours.front_door());
        }
    }
}

#[proxy_handler]
async fn alone(req: lambda_proxy::Request) -> Result<&'static str, HttpError> {
    match &*lambda_proxy::front_door::path_in_api(&req) {
        "/panic" => panic!("a bug"),
        "/err" => Err(HttpError::gone("moved")),
        _ => Ok("alone"),
    }
}

#[tokio::test]
async fn a_handler_served_alone_gets_the_same_guarantee() {
    for front_door in http_front_doors() {
        for (path, status) in [("/", 200), ("/err", 410), ("/panic", 500)] {
            let envelope = front_door
                .clone()
                .path(path)
                .origin(APP)
                .invoke(Exit::new().cors(policy()).around(alone))
                .await;
            assert_eq!(envelope.status(), status);
            assert_cors(&envelope, path);
        }
        let preflight = front_door
            .path("/anything")
            .preflight(APP, "PATCH", "content-type")
            .invoke(Exit::new().cors(policy()).around(alone))
            .await;
        assert_eq!(preflight.status(), 204);
        assert_cors(&preflight, "preflight");
        assert_eq!(
            preflight.header("access-control-allow-methods").as_deref(),
            Some("GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS")
        );
    }
}

#[tokio::test]
async fn configured_methods_and_any_requested_headers() {
    let cors = Cors::builder()
        .allow_origins([APP])
        .allow_methods(["GET", "DELETE"])
        .allow_any_headers()
        .build()
        .unwrap();
    let app = Exit::new()
        .cors(cors)
        .around(Router::new().route(get_user).unwrap());
    for front_door in http_front_doors() {
        let preflight = front_door
            .path("/users/7")
            .preflight(APP, "DELETE", "x-trace, content-type")
            .invoke(app.clone())
            .await;
        assert_eq!(preflight.status(), 204);
        assert_eq!(
            preflight.header("access-control-allow-methods").as_deref(),
            Some("GET, DELETE")
        );
        // The requested headers, reflected (never `*`), and the answer varies with them.
        assert_eq!(
            preflight.header("access-control-allow-headers").as_deref(),
            Some("x-trace, content-type")
        );
        assert!(vary(&preflight).contains(&"access-control-request-headers".to_owned()));
    }
}

#[tokio::test]
async fn the_exit_as_a_tower_service_answers_preflights_itself() {
    use lambda_proxy::lambda_http::Service;
    let mut handler = Exit::new().cors(policy()).around(alone);
    let request = TestRequest::http_api()
        .path("/x")
        .preflight(APP, "PUT", "")
        .into_request();
    let Ok(response) = handler.call(request).await;
    assert_eq!(response.status(), 204);
    let request = TestRequest::http_api()
        .path("/x")
        .origin(APP)
        .into_request();
    let Ok(response) = handler.call(request).await;
    assert_eq!(response.status(), 200);
}

/// Runs the app on the event of `request` spoiled by `spoil`, as the runtime hands it over.
async fn spoiled(
    request: &TestRequest,
    spoil: impl Fn(&mut serde_json::Value),
    app: ExitService<Router>,
) -> Envelope {
    let mut event = request.event();
    spoil(&mut event);
    let json = event.to_string();
    lambda_proxy::testing::TestEvent::from_json(&json)
        .unwrap()
        .invoke(app)
        .await
}

/// An event `lambda_http` cannot read, from a page of an allowed origin: the 400 (or 414) carries
/// the CORS headers, so that the page sees the problem, not "CORS error". The event's `Origin` is
/// found in `headers` or `multiValueHeaders`, in any case.
#[tokio::test]
async fn answers_to_events_that_cannot_be_read_carry_the_cors_headers() {
    let not_base64 = |event: &mut serde_json::Value| {
        event["body"] = "this is not base64!".into();
        event["isBase64Encoded"] = true.into();
    };
    // A control character in a header value, in every header map the event has.
    let control = |event: &mut serde_json::Value| {
        for key in ["headers", "multiValueHeaders"] {
            if let Some(map) = event[key].as_object_mut() {
                let multi = key == "multiValueHeaders";
                let value = if multi {
                    serde_json::json!(["a\u{1}b"])
                } else {
                    "a\u{1}b".into()
                };
                map.insert("x-bad".into(), value);
            }
        }
    };
    for front_door in http_front_doors() {
        for origin in ["origin", "Origin", "ORIGIN"] {
            // The header's name as the front door would write it in the event (the testing kit
            // writes names in lower case).
            let spoil = |event: &mut serde_json::Value| {
                not_base64(event);
                for key in ["headers", "multiValueHeaders"] {
                    if let Some(map) = event[key].as_object_mut() {
                        if let Some(value) = map.remove("origin") {
                            map.insert(origin.into(), value);
                        }
                    }
                }
            };
            let request = front_door.clone().path("/users/7").origin(APP);
            let envelope = spoiled(&request, spoil, app()).await;
            assert_eq!(envelope.status(), 400, "{}", envelope.raw());
            assert_cors(&envelope, &format!("an invalid base64 body, `{origin}`"));
        }
        let request = front_door.clone().path("/users/7").origin(APP);
        let envelope = spoiled(&request, control, app()).await;
        assert_eq!(envelope.status(), 400, "{}", envelope.raw());
        assert_cors(&envelope, "a control character in a header");
    }
    // A raw `"` in an HTTP API 2.0 query string.
    let request = TestRequest::http_api().path("/users/7").origin(APP);
    let quote = |event: &mut serde_json::Value| event["rawQueryString"] = "a=\"b\"".into();
    let envelope = spoiled(&request, quote, app()).await;
    assert_eq!(envelope.status(), 400, "{}", envelope.raw());
    assert_cors(&envelope, "a raw quote in the query");
    // Another origin gets none, and no policy means none.
    let request = TestRequest::rest_api()
        .path("/users/7")
        .origin("https://evil.example");
    let envelope = spoiled(&request, not_base64, app()).await;
    assert_eq!(envelope.status(), 400);
    assert_eq!(envelope.header("access-control-allow-origin"), None);
}

/// A `HEAD` that `lambda_http` cannot read gets its 400 without a body, with the CORS headers.
#[tokio::test]
async fn a_head_that_cannot_be_read_has_no_body() {
    let not_base64 = |event: &mut serde_json::Value| {
        event["body"] = "this is not base64!".into();
        event["isBase64Encoded"] = true.into();
    };
    for front_door in http_front_doors() {
        let request = front_door.method("HEAD").path("/users/7").origin(APP);
        let envelope = spoiled(&request, not_base64, app()).await;
        assert_eq!(envelope.status(), 400, "{}", envelope.raw());
        assert_eq!(envelope.body(), "", "{}", envelope.raw());
        assert_cors(&envelope, "an unreadable HEAD");
    }
}

/// A status no front door takes becomes a 500 that is finished like any answer: it carries the
/// CORS headers too.
#[tokio::test]
async fn the_500_for_a_bad_status_carries_the_cors_headers() {
    #[proxy_handler(route = "GET /weird")]
    async fn weird() -> lambda_proxy::Response<lambda_proxy::Body> {
        let mut response = lambda_proxy::Response::new(lambda_proxy::Body::Empty);
        *response.status_mut() = lambda_proxy::StatusCode::from_u16(999).unwrap();
        response
    }
    let app = Exit::new()
        .cors(policy())
        .around(Router::new().route(weird).unwrap());
    for front_door in http_front_doors() {
        let envelope = front_door
            .path("/weird")
            .origin(APP)
            .invoke(app.clone())
            .await;
        assert_eq!(envelope.status(), 500);
        assert_cors(&envelope, "the 500 for status 999");
    }
}

/// Exits merge: the outer one's settings where it has them, the inner one's elsewhere, whether
/// nested with `around` or stacked as tower layers.
#[tokio::test(start_paused = true)]
async fn nested_exits_merge() {
    #[proxy_handler(route = "GET /slow")]
    async fn slow_one() -> &'static str {
        tokio::time::sleep(Duration::from_secs(60)).await;
        "late"
    }
    let inner = Exit::new().cors(policy());
    let outer = Exit::new().timeout(Duration::from_millis(500));
    let nested = outer.around(inner.around(Router::new().route(slow_one).unwrap()));
    let layered = lambda_proxy::lambda_http::tower::ServiceBuilder::new()
        .layer(outer.clone())
        .layer(inner.clone())
        .service(Router::new().route(slow_one).unwrap());
    for app in [nested, layered] {
        let start = tokio::time::Instant::now();
        let envelope = TestRequest::function_url()
            .path("/slow")
            .origin(APP)
            .invoke(app)
            .await;
        assert_eq!(envelope.status(), 504);
        assert_eq!(start.elapsed(), Duration::from_millis(500));
        assert_cors(&envelope, "the outer exit's timeout, the inner one's CORS");
    }
    // Where both set one, the outer exit's setting wins.
    let inner = Exit::new().timeout(Duration::from_millis(200));
    let outer = Exit::new().timeout(Duration::from_millis(700));
    let nested = outer.around(inner.around(Router::new().route(slow_one).unwrap()));
    let start = tokio::time::Instant::now();
    let envelope = TestRequest::function_url()
        .path("/slow")
        .invoke(nested)
        .await;
    assert_eq!(envelope.status(), 504);
    assert_eq!(start.elapsed(), Duration::from_millis(700));
}
