//! A small driver for instruction counts under callgrind: runs `ITERS` invocations of one handler
//! (event bytes in, envelope bytes out) inside `measured`, after a warm-up.
//!
//! ```sh
//! cargo build --release -p lambda-proxy-bench --bin callgrind_invoke
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured*' \
//!     target/release/callgrind_invoke a rest 100B 1000
//! ```
//!
//! Arguments: handler `a` (proxy, through `lambda_http::Adapter`), `run` (proxy, through
//! lambda-proxy's adapter: the path of `lambda_proxy::run`), `b` (docs), `c` (optimized), `guards`
//! (begin + respond on a ready future), `direct` (the same response built directly), and on
//! `GET /items/7`: `one` (the proxy handler alone), `router20` (lambda-proxy's router, 20 routes),
//! `axum20` (the same 20 routes in axum on lambda_http), `axum20guard` (that axum router under
//! `lambda_proxy::guard`, on the path of `lambda_proxy::run`), and on `GET /items/7` with an
//! `Origin`: `router20origin` (the router without CORS), `router20cors` (with a CORS policy);
//! the users service of `examples/src/crud.rs`: `crud_user` (`GET /users/1`), `crud_openapi`
//! (`GET /openapi.json`), `crud_list` (`GET /users?limit=10`, a checked query), `crud_create`
//! (`POST /users`, a checked body), `crud_validate` (that body's check alone), `crud_build`
//! (building the service, its document's route included)
//! and `crud_build_undocumented` (the same routes and exit without a document); on `GET
//! /users/1` of the users service, what is recorded: `crud_quiet` (no access record, no
//! metrics), `crud_default` (the default record, no subscriber), `crud_record` (the access
//! record, taken by a subscriber that keeps nothing: what lambda-proxy does), `crud_record_json`
//! (the access record written as JSON by `lambda_runtime`'s subscriber, to a sink),
//! `crud_metrics` (the metrics document, to a sink, without the record);
//! front door `rest` or `http2` (events the testing kit writes), `rest-typical` or
//! `http2-typical` (events as API Gateway sends them, from `bench/events/`);
//! size `100B`, `10KB` or `1MB`; iterations.

#[allow(dead_code)]
#[path = "../../../examples/src/crud.rs"]
mod crud;

use lambda_proxy::testing::Bytes;
use lambda_proxy::testing::TestRequest;
use lambda_proxy::Request;
use lambda_proxy_bench::{
    docs, event, event_at, event_from_browser, guarded, invoke, invoke_proxy_run, invoke_service,
    optimized, page, proxy, routes, small_response, Page, SIZES,
};
use std::hint::black_box;
use std::time::Duration;

/// The routers of the 20-route comparison, built once (as `main` does in a function): an
/// invocation clones one, as the runtime's loop does.
struct Routers {
    proxy: lambda_proxy::Router<Page>,
    /// The same router with a CORS policy (credentials, one origin, exposed headers).
    cors: lambda_proxy::serve::ExitService<lambda_proxy::Router<Page>>,
    axum: axum::Router,
    /// The users service of `examples/src/crud.rs`: its CORS policy, its OpenAPI document (built
    /// once, here), its constraints.
    crud: lambda_proxy::serve::ExitService<lambda_proxy::Router<std::sync::Arc<crud::Store>>>,
    /// The users service without the access record, or writing its metrics to a sink without
    /// it: built only for their cases, so that the heap the other cases run on stays as it was.
    crud_other:
        Option<lambda_proxy::serve::ExitService<lambda_proxy::Router<std::sync::Arc<crud::Store>>>>,
}

/// A subscriber that takes the access records and keeps nothing: what remains is lambda-proxy's
/// part of a record (the clock, what it reads of the request and the answer, the event's
/// dispatch), not a formatter's.
struct TakesAccessRecords;

impl tracing::Subscriber for TakesAccessRecords {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target() == "lambda_proxy::access"
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        black_box(event);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

async fn once(
    handler: &str,
    event: &[u8],
    bytes: &Bytes,
    page: Page,
    request: &Request,
    routers: &Routers,
) -> usize {
    match handler {
        "a" => invoke(event, move |req| proxy(req, page)).await.len(),
        "run" => invoke_proxy_run(bytes, move |req| proxy(req, page))
            .await
            .len(),
        "b" => invoke(event, move |req| docs(req, page)).await.len(),
        "c" => invoke(event, move |req| optimized(req, page)).await.len(),
        "guards" => black_box(guarded(request).await).status().as_u16().into(),
        "direct" => black_box(small_response()).status().as_u16().into(),
        // The 20-route comparison, on the event `GET /items/7`: the handler alone, through
        // lambda-proxy's router, and axum's router on lambda_http.
        "one" => invoke_proxy_run(bytes, move |req| proxy(req, page))
            .await
            .len(),
        "router20" | "router20origin" => invoke_proxy_run(bytes, routers.proxy.clone()).await.len(),
        "axum20" => invoke_service(event, routers.axum.clone()).await.len(),
        // The router with a CORS policy, on the same request from a browser page.
        "router20cors" => invoke_proxy_run(bytes, routers.cors.clone()).await.len(),
        // The same axum router under `lambda_proxy::guard`, on the path of `lambda_proxy::run`.
        "axum20guard" => invoke_proxy_run(bytes, lambda_proxy::guard(routers.axum.clone()))
            .await
            .len(),
        // The users service: a route, its OpenAPI document's route, and the two routes whose
        // values are checked against their constraints.
        "crud_user" | "crud_openapi" | "crud_list" | "crud_create" => {
            invoke_proxy_run(bytes, routers.crud.clone()).await.len()
        }
        "crud_quiet" | "crud_default" | "crud_record" | "crud_record_json" | "crud_metrics" => {
            let app = routers.crud_other.clone().expect("built for this case");
            invoke_proxy_run(bytes, app).await.len()
        }
        // The check at the door of `POST /users`'s body, alone (`validator`'s derived check of
        // `NewUser`, inlined into the route's extraction).
        "crud_validate" => {
            let new = crud::NewUser {
                name: "Barbara".to_owned(),
            };
            usize::from(validator::Validate::validate(black_box(&new)).is_ok())
        }
        // Building the users service as `main` does once: with its document, and the same
        // routes and exit without one.
        "crud_build" => {
            let app = crud::app(std::sync::Arc::default()).expect("the routes");
            black_box(&app);
            0
        }
        "crud_build_undocumented" => {
            let routes = lambda_proxy::Router::new()
                .with_state(std::sync::Arc::<crud::Store>::default())
                .route(crud::list_users)
                .and_then(|r| r.route(crud::get_user))
                .and_then(|r| r.route(crud::create_user))
                .and_then(|r| r.route(crud::delete_user))
                .expect("the routes");
            let app = lambda_proxy::Exit::new().cors(crud::cors()).around(routes);
            black_box(&app);
            0
        }
        other => panic!("unknown handler {other}"),
    }
}

/// The loop itself; the warm-up calls it directly, so that only `measured` is collected.
#[inline(never)]
fn run(
    rt: &tokio::runtime::Runtime,
    handler: &str,
    event: &[u8],
    page: Page,
    request: &Request,
    routers: &Routers,
    iters: usize,
) -> usize {
    let bytes = Bytes::copy_from_slice(event);
    rt.block_on(async {
        let mut total = 0;
        for _ in 0..iters {
            total += once(
                handler,
                black_box(event),
                black_box(&bytes),
                page,
                request,
                routers,
            )
            .await;
        }
        total
    })
}

/// What callgrind collects (`--toggle-collect='*measured*'`): `iters` invocations, nothing else.
#[inline(never)]
fn measured(
    rt: &tokio::runtime::Runtime,
    handler: &str,
    event: &[u8],
    page: Page,
    request: &Request,
    routers: &Routers,
    iters: usize,
) -> usize {
    run(rt, handler, event, page, request, routers, iters)
}

fn main() {
    // axum routes on the URI, which `lambda_http` gives the REST API stage unless this is set
    // (lambda-proxy's router reads the resource and needs nothing); set for every case alike.
    // SAFETY: no other thread runs yet.
    unsafe { std::env::set_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true") };
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: &str| args.get(i).cloned().unwrap_or_else(|| default.to_owned());
    let handler = arg(1, "a");
    let front_door = arg(2, "rest");
    let size = arg(3, "100B");
    let iters: usize = arg(4, "1000").parse().expect("a number of iterations");
    let n = SIZES
        .iter()
        .find(|(name, _)| *name == size)
        .map(|(_, n)| *n)
        .expect("a size: 100B, 10KB or 1MB");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let event = match handler.as_str() {
        "one" | "router20" | "axum20" | "axum20guard" => event_at(&front_door, "/items/7"),
        "crud_user" | "crud_quiet" | "crud_default" | "crud_record" | "crud_record_json"
        | "crud_metrics" => event_at(&front_door, "/users/1"),
        "crud_openapi" => event_at(&front_door, "/openapi.json"),
        "crud_list" | "crud_create" => {
            let request = match front_door.as_str() {
                "rest" => TestRequest::rest_api(),
                _ => TestRequest::http_api(),
            };
            let request = match handler.as_str() {
                "crud_list" => request.path("/users").query("limit", "10"),
                _ => request
                    .method("POST")
                    .path("/users")
                    .json(&serde_json::json!({ "name": "Barbara" })),
            };
            serde_json::to_vec(&request.event()).expect("the event serializes")
        }
        "router20cors" | "router20origin" => event_from_browser(&front_door, "/items/7"),
        _ => event(&front_door),
    };
    let page = page(n);
    let request = match front_door.as_str() {
        "rest" | "rest-typical" => TestRequest::rest_api(),
        _ => TestRequest::http_api(),
    }
    .path("/users/7")
    .deadline_in(Duration::from_secs(600))
    .into_request();
    let routers = Routers {
        proxy: routes::proxy_router(page),
        cors: lambda_proxy::Exit::new()
            .cors(
                lambda_proxy::Cors::builder()
                    .allow_origins(["https://app.example.com"])
                    .allow_credentials()
                    .expose_headers(["location"])
                    .build()
                    .expect("a valid policy"),
            )
            .around(routes::proxy_router(page)),
        axum: routes::axum_router(page),
        crud: crud::app(std::sync::Arc::new(crud::Store::seeded())).expect("the routes"),
        // The observability cases run on the same heap: each builds this one app more, with its
        // settings.
        crud_other: {
            let exit = match handler.as_str() {
                "crud_quiet" => Some(lambda_proxy::Exit::new().access_log(None)),
                "crud_default" | "crud_record" | "crud_record_json" => {
                    Some(lambda_proxy::Exit::new())
                }
                "crud_metrics" => Some(
                    lambda_proxy::Exit::new()
                        .access_log(None)
                        .metrics(crud::metrics().writer(std::io::sink())),
                ),
                _ => None,
            };
            exit.map(|exit| {
                exit.around(
                    crud::app(std::sync::Arc::new(crud::Store::seeded())).expect("the routes"),
                )
            })
        },
    };
    match handler.as_str() {
        "crud_record" => tracing::subscriber::set_global_default(TakesAccessRecords)
            .expect("the only subscriber"),
        "crud_record_json" => {
            // SAFETY: no other thread runs yet.
            unsafe { std::env::set_var("AWS_LAMBDA_LOG_FORMAT", "JSON") };
            lambda_proxy::lambda_http::tracing::init_default_subscriber_with_writer(std::io::sink);
        }
        _ => {}
    }
    run(&rt, &handler, &event, page, &request, &routers, 10);
    let total = measured(&rt, &handler, &event, page, &request, &routers, iters);
    println!("{handler} {front_door} {size} x{iters}: {total}");
}
