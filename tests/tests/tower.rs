//! Any tower service under `lambda_proxy::guard`: an axum app's every outcome is a valid
//! envelope on every front door, as a `#[proxy_handler]`'s is.

mod common;

use common::{http_front_doors, problem, wire, JSON, PROBLEM};
use lambda_proxy::lambda_http::{service_fn, Body};
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{guard, FrontDoor, Request, Response};
use std::time::Duration;

/// A small axum app: a JSON route, a text route, one that panics, one that is slow, one with
/// repeated headers and cookies.
fn app() -> axum::Router {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/ok",
            get(|| async { axum::Json(serde_json::json!({ "ok": true })) }),
        )
        .route("/text", get(|| async { "plain text" }))
        .route(
            "/uri/{*rest}",
            get(|uri: axum::http::Uri| async move { uri.to_string() }),
        )
        .route("/long", get(|| async { "long text ".repeat(400) }))
        .route("/big", get(|| async { "x".repeat(7 * 1024 * 1024) }))
        .route(
            "/panic",
            get(|| async {
                if true {
                    panic!("an axum handler bug, with db-password=hunter2");
                }
                "unreachable"
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                "late"
            }),
        )
        .route(
            "/headers",
            get(|| async {
                axum::response::Response::builder()
                    .header("x-tag", "a")
                    .header("x-tag", "b")
                    .header("set-cookie", "a=1; Path=/")
                    .header("set-cookie", "b=2; Path=/")
                    .body(axum::body::Body::from("with headers"))
                    .unwrap()
            }),
        )
}

const TEXT: (&str, &str) = ("content-type", "text/plain; charset=utf-8");

#[tokio::test]
async fn an_axum_app_answers_with_the_exact_envelope() {
    // axum routes on the URI, where `guard` puts the path within the API: a REST API's stage
    // is not in it.
    for request in http_front_doors() {
        let ok = request.clone().path("/ok").invoke(guard(app())).await;
        let length = ("content-length", "11");
        assert_eq!(
            ok.raw(),
            wire(ok.front_door(), 200, &[JSON, length], r#"{"ok":true}"#)
        );
        let text = request.clone().path("/text").invoke(guard(app())).await;
        let length = ("content-length", "10");
        assert_eq!(
            text.raw(),
            wire(text.front_door(), 200, &[TEXT, length], "plain text")
        );
        let staged = request
            .clone()
            .stage("v2")
            .path("/ok")
            .invoke(guard(app()))
            .await;
        assert_eq!(staged.status(), 200, "{}", staged.front_door());
        let missing = request.clone().path("/nope").invoke(guard(app())).await;
        missing.assert_valid();
        assert_eq!(missing.status(), 404);
    }
}

#[tokio::test]
async fn a_panic_is_a_500_and_says_nothing() {
    for request in http_front_doors() {
        let envelope = request.path("/panic").invoke(guard(app())).await;
        envelope.assert_valid();
        assert_eq!(
            envelope.raw(),
            wire(
                envelope.front_door(),
                500,
                &[PROBLEM],
                &problem(500, "Internal Server Error", None)
            )
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_slow_route_is_a_504_before_the_deadline() {
    for request in http_front_doors() {
        let envelope = request
            .path("/slow")
            .deadline_in(Duration::from_secs(3))
            .invoke(guard(app()))
            .await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 504, "{}", envelope.front_door());
    }
}

#[tokio::test]
async fn repeated_headers_and_cookies_are_normalized_for_the_front_door() {
    for request in http_front_doors() {
        let envelope = request.path("/headers").invoke(guard(app())).await;
        envelope.assert_valid();
        assert_eq!(envelope.header_values("x-tag").join(", "), "a, b");
        let mut cookies = envelope.cookies();
        if cookies.is_empty() {
            cookies = envelope.header_values("set-cookie");
        }
        match envelope.front_door() {
            // Single-value header maps can carry one cookie (a warning names the rest).
            FrontDoor::VpcLattice | FrontDoor::Alb => {
                assert_eq!(cookies.first().map(String::as_str), Some("a=1; Path=/"));
            }
            _ => assert_eq!(
                cookies,
                ["a=1; Path=/", "b=2; Path=/"],
                "{}",
                envelope.raw()
            ),
        }
    }
}

#[derive(Debug)]
struct StoreDown(std::io::Error);

impl std::fmt::Display for StoreDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the store is down")
    }
}

impl std::error::Error for StoreDown {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[tokio::test]
async fn an_err_from_the_service_is_a_500_and_its_chain_is_logged() {
    let failing = service_fn(|_req: Request| async {
        Err::<Response<Body>, _>(StoreDown(std::io::Error::other(
            "db-password=hunter2 refused",
        )))
    });
    let captured = common::Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    for request in http_front_doors() {
        let envelope = request.path("/x").invoke(guard(failing)).await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 500);
        assert!(!envelope.raw().contains("hunter2"), "{}", envelope.raw());
    }
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("the store is down: db-password=hunter2 refused"),
        "{log}"
    );
}

/// A body that fails while it is read.
struct FailingBody;

impl http_body::Body for FailingBody {
    type Data = lambda_proxy::testing::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::other("connection reset"))))
    }
}

#[tokio::test]
async fn a_body_that_fails_is_a_500() {
    let service = service_fn(|_req: Request| async {
        Ok::<_, std::convert::Infallible>(Response::new(FailingBody))
    });
    for request in http_front_doors() {
        let envelope = request.path("/x").invoke(guard(service)).await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 500);
    }
}

#[tokio::test]
async fn tower_layers_compose_in_front() {
    use lambda_proxy::lambda_http::tower::ServiceBuilder;
    // A layer that adds a header after the app: the exit normalizes it with the rest.
    let app = ServiceBuilder::new()
        .map_response(|mut response: axum::response::Response| {
            response
                .headers_mut()
                .append("vary", "origin".parse().unwrap());
            response
                .headers_mut()
                .append("vary", "accept-encoding".parse().unwrap());
            response
        })
        .service(app());
    for request in http_front_doors() {
        let envelope = request.path("/text").invoke(guard(app.clone())).await;
        envelope.assert_valid();
        if envelope.status() == 200 {
            assert_eq!(
                envelope.header_values("vary").join(", "),
                "origin, accept-encoding"
            );
        }
    }
}

#[tokio::test]
async fn the_service_sees_the_path_within_the_api() {
    let cases = [
        TestRequest::rest_api().path("/uri/a%20b").query("q", "1"),
        TestRequest::rest_api()
            .stage("v2")
            .path("/uri/a%20b")
            .query("q", "1"),
        TestRequest::rest_api()
            .base_path("api")
            .path("/uri/a%20b")
            .query("q", "1"),
        TestRequest::http_api()
            .stage("dev")
            .path("/uri/a%20b")
            .query("q", "1"),
        TestRequest::http_api()
            .stage("dev")
            .path("/uri/a b")
            .query("q", "1"),
        TestRequest::function_url()
            .path("/uri/a%20b")
            .query("q", "1"),
        TestRequest::alb().path("/uri/a%20b").query("q", "1"),
    ];
    for request in cases {
        let shown = format!("{request:?}");
        let envelope = request.invoke(guard(app())).await;
        assert_eq!(envelope.status(), 200, "{shown}");
        let uri = envelope.body();
        assert!(uri.ends_with("/uri/a%20b?q=1"), "{shown}: {uri}");
        assert!(
            !uri.contains("/v2/") && !uri.contains("/dev/") && !uri.contains("/api/"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn a_body_over_the_front_doors_limit_is_a_500() {
    for request in http_front_doors() {
        let envelope = request.path("/big").invoke(guard(app())).await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 500, "{}", envelope.front_door());
    }
}

#[tokio::test]
async fn lambda_http_s_own_adapter_serves_a_guarded_service_through_the_exit() {
    // ALB is left out: `lambda_http` writes both of its header maps.
    for request in [TestRequest::http_api(), TestRequest::rest_api()] {
        for path in ["/ok", "/panic", "/nope"] {
            let request = request.clone().path(path);
            let exit = lambda_proxy::Exit::new().around(guard(app()));
            let raw = common::through_lambda_http(&request, exit).await;
            let ours = request.invoke(guard(app())).await;
            assert_eq!(raw, ours.raw(), "{path} {}", ours.front_door());
        }
    }
}

#[tokio::test]
async fn tower_http_layers_compose_inside_the_guard() {
    use lambda_proxy::lambda_http::tower::ServiceBuilder;
    use tower_http::cors::CorsLayer;
    use tower_http::trace::TraceLayer;
    let cors = CorsLayer::new()
        .allow_origin(
            "https://app.example.com"
                .parse::<axum::http::HeaderValue>()
                .unwrap(),
        )
        .allow_methods([axum::http::Method::GET]);
    let app = ServiceBuilder::new()
        .layer(TraceLayer::new_for_http())
        .layer(cors)
        .service(app());
    for request in http_front_doors() {
        let ok = request
            .clone()
            .path("/ok")
            .header("origin", "https://app.example.com")
            .invoke(guard(app.clone()))
            .await;
        ok.assert_valid();
        assert_eq!(ok.status(), 200);
        assert_eq!(
            ok.header("access-control-allow-origin").as_deref(),
            Some("https://app.example.com")
        );
        // What tower-http's layer cannot do: the panic's 500 is the guard's, after the layer.
        let panicked = request
            .path("/panic")
            .header("origin", "https://app.example.com")
            .invoke(guard(app.clone()))
            .await;
        panicked.assert_valid();
        assert_eq!(panicked.status(), 500);
    }
}

#[tokio::test]
async fn a_compressed_answer_is_sent_base64_encoded() {
    use lambda_proxy::lambda_http::tower::ServiceBuilder;
    use tower_http::compression::CompressionLayer;
    let app = ServiceBuilder::new()
        .layer(CompressionLayer::new())
        .service(app());
    for request in http_front_doors() {
        let envelope = request
            .path("/long")
            .header("accept-encoding", "gzip")
            .invoke(guard(app.clone()))
            .await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 200);
        assert_eq!(envelope.header("content-encoding").as_deref(), Some("gzip"));
        // Compressed bytes are binary: base64 in the envelope, the gzip magic number first.
        assert!(envelope.is_base64_encoded(), "{}", envelope.raw());
        assert_eq!(&envelope.body_bytes()[..2], &[0x1f, 0x8b]);
    }
}

/// A lambda-proxy `Router` behind a compression layer is size-checked once, at the exit, on what
/// is sent: a 7 MiB compressible answer is delivered compressed, as the same layer around an axum
/// app delivers it, not replaced by a 500 for its size before compression.
#[tokio::test]
async fn a_router_behind_a_compression_layer_is_size_checked_on_what_is_sent() {
    use lambda_proxy::lambda_http::tower::ServiceBuilder;
    use lambda_proxy::{proxy_handler, Router};
    use tower_http::compression::CompressionLayer;
    #[proxy_handler(route = "GET /big")]
    async fn big() -> String {
        "x".repeat(7 * 1024 * 1024)
    }
    let router = Router::new().route(big).unwrap();
    let compressed = ServiceBuilder::new()
        .layer(CompressionLayer::new())
        .service(router.clone());
    let axum_compressed = ServiceBuilder::new()
        .layer(CompressionLayer::new())
        .service(app());
    for request in [TestRequest::rest_api(), TestRequest::http_api()] {
        let request = request.path("/big").header("accept-encoding", "gzip");
        let envelope = request.clone().invoke(guard(compressed.clone())).await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 200, "{}", &envelope.raw()[..200]);
        assert_eq!(envelope.header("content-encoding").as_deref(), Some("gzip"));
        assert!(envelope.raw().len() < 1024 * 1024);
        let axum = request.clone().invoke(guard(axum_compressed.clone())).await;
        assert_eq!(axum.status(), 200);
        // Uncompressed, the same answer is too large: 500.
        let plain = request.invoke(router.clone()).await;
        assert_eq!(plain.status(), 500);
    }
}

/// `guard` puts the service through an exit, so that `lambda_http::run(guard(app))` keeps the
/// guarantee: a panic is a 500 there too, not a Lambda function error.
#[tokio::test]
async fn a_guarded_service_keeps_its_exit_under_lambda_http() {
    let request = TestRequest::http_api().path("/panic");
    let raw = common::through_lambda_http(&request, guard(app())).await;
    let envelope: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(envelope["statusCode"], 500, "{raw}");
    assert!(!raw.contains("hunter2"));
}

/// An exit around a guarded service merges its settings into the guard's own: its CORS policy
/// is on the guard's answers too (a panic's 500, a timeout's 504), under `lambda_http::run` and
/// lambda-proxy's runtime alike.
#[tokio::test(start_paused = true)]
async fn an_exit_around_a_guarded_service_puts_its_cors_on_the_guard_s_answers() {
    let origin = "https://app.example.com";
    let policy = lambda_proxy::Cors::builder()
        .allow_origins([origin])
        .build()
        .unwrap();
    let app = || {
        lambda_proxy::Exit::new()
            .cors(policy.clone())
            .timeout(Duration::from_millis(300))
            .around(guard(app()))
    };
    let panic = TestRequest::http_api().path("/panic").origin(origin);
    let raw = common::through_lambda_http(&panic, app()).await;
    let envelope: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(envelope["statusCode"], 500, "{raw}");
    assert_eq!(
        envelope["headers"]["access-control-allow-origin"], origin,
        "{raw}"
    );
    for (path, status) in [("/panic", 500), ("/slow", 504)] {
        let envelope = TestRequest::http_api()
            .path(path)
            .origin(origin)
            .invoke(app())
            .await;
        assert_eq!(envelope.status(), status, "{}", envelope.raw());
        assert_eq!(
            envelope.header("access-control-allow-origin").as_deref(),
            Some(origin),
            "{}",
            envelope.raw()
        );
    }
}

/// A handler of an axum app under `guard`, and a `#[proxy_handler]` served alone, add metrics
/// to their invocation's document through `Recorder::current()`; outside an exit that writes
/// metrics (or in a task the handler did not wait for) the recorder keeps nothing.
#[tokio::test]
async fn handlers_that_are_not_routed_add_metrics_through_the_current_recorder() {
    use lambda_proxy::metrics::{Metrics, Recorder, Unit};
    use lambda_proxy::{proxy_handler, Exit};
    let documents = |lines: &common::Captured| -> Vec<serde_json::Value> {
        String::from_utf8(lines.0.lock().unwrap().clone())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };

    let axum_app = axum::Router::new().route(
        "/checkout",
        axum::routing::get(|| async {
            tokio::task::yield_now().await;
            Recorder::current().add("carts", 1.0, Unit::Count).unwrap();
            "ok"
        }),
    );
    let lines = common::Captured::default();
    let exit = Exit::new().metrics(
        Metrics::new("tests", "tower")
            .unwrap()
            .writer(lines.clone()),
    );
    let envelope = TestRequest::http_api()
        .path("/checkout")
        .invoke(exit.around(guard(axum_app)))
        .await;
    assert_eq!(envelope.status(), 200);
    let docs = documents(&lines);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["carts"], 1, "{}", docs[0]);

    #[proxy_handler]
    async fn alone(_req: Request) -> &'static str {
        Recorder::current().add("alone", 2.0, Unit::Count).unwrap();
        // A task the handler does not wait for: not this invocation's.
        tokio::spawn(async { Recorder::current().add("late", 1.0, Unit::Count).unwrap() });
        "ok"
    }
    let lines = common::Captured::default();
    let exit = Exit::new().metrics(
        Metrics::new("tests", "alone")
            .unwrap()
            .writer(lines.clone()),
    );
    let envelope = TestRequest::rest_api().invoke(exit.around(alone)).await;
    assert_eq!(envelope.status(), 200);
    tokio::task::yield_now().await;
    let docs = documents(&lines);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["alone"], 2, "{}", docs[0]);
    assert!(docs[0].get("late").is_none(), "{}", docs[0]);
    // Outside any exit: a recorder that keeps nothing, and still checks.
    assert!(Recorder::current().add("fine", 1.0, Unit::Count).is_ok());
    assert!(Recorder::current().add("", 1.0, Unit::Count).is_err());
}
