//! The two 20-route routers the benchmarks compare answer alike: same status and body for every
//! route, so that the instruction counts compare the same work.

use lambda_proxy_bench::{event_at, invoke_proxy_run, invoke_service, page, routes};

/// The status and body of an envelope.
fn answer(envelope: &[u8]) -> (u64, String) {
    let envelope: serde_json::Value = serde_json::from_slice(envelope).unwrap();
    (
        envelope["statusCode"].as_u64().unwrap(),
        envelope["body"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn both_routers_answer_every_route_alike() {
    // SAFETY: set before any event is read, for axum (see callgrind_invoke.rs).
    unsafe { std::env::set_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true") };
    let page = page(1);
    let paths = [
        "/health",
        "/version",
        "/users",
        "/users/7",
        "/users/7/posts",
        "/users/7/posts/8",
        "/items",
        "/items/7",
        "/orders",
        "/orders/7",
        "/orders/7/lines",
        "/files/a/b.txt",
    ];
    for front_door in ["rest", "http2"] {
        for path in paths {
            let event = event_at(front_door, path);
            let bytes = lambda_proxy::testing::Bytes::copy_from_slice(&event);
            let ours = answer(&invoke_proxy_run(&bytes, routes::proxy_router(page)).await);
            let axum = answer(&invoke_service(&event, routes::axum_router(page)).await);
            assert_eq!(ours.0, 200, "{front_door} {path}");
            assert_eq!(ours, axum, "{front_door} {path}");
        }
    }
}
