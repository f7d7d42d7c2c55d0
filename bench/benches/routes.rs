//! Wall clock of the 20-route comparison, per invocation on `GET /items/7`, event bytes in,
//! envelope bytes out: the handler alone on lambda-proxy's adapter (`one`), through
//! lambda-proxy's 20-route router (`router20`), and the same 20 routes in axum 0.8 on
//! lambda_http's adapter (`axum20`). `bench/tests/routes.rs` checks that both routers answer
//! every route alike.
//!
//! `cargo bench -p lambda-proxy-bench --bench routes -- --measurement-time 3`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lambda_proxy::testing::Bytes;
use lambda_proxy_bench::{
    event_at, invoke_proxy_run, invoke_service, page, proxy, routes, FRONT_DOORS,
};
use std::hint::black_box;

fn routes(c: &mut Criterion) {
    // axum routes on the URI, which lambda_http gives the REST API stage unless this is set;
    // set for every case alike (see callgrind_invoke.rs).
    // SAFETY: no other thread runs yet.
    unsafe { std::env::set_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true") };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    for front_door in FRONT_DOORS {
        let event = event_at(front_door, "/items/7");
        let bytes = Bytes::copy_from_slice(&event);
        let mut group = c.benchmark_group(format!("routes/{front_door}"));
        for (size, n) in [("100B", 1), ("10KB", 86)] {
            let page = page(n);
            let router = routes::proxy_router(page);
            let axum = routes::axum_router(page);
            group.bench_function(BenchmarkId::new("one", size), |b| {
                b.to_async(&rt)
                    .iter(|| invoke_proxy_run(black_box(&bytes), move |req| proxy(req, page)))
            });
            group.bench_function(BenchmarkId::new("router20", size), |b| {
                b.to_async(&rt)
                    .iter(|| invoke_proxy_run(black_box(&bytes), router.clone()))
            });
            group.bench_function(BenchmarkId::new("axum20", size), |b| {
                b.to_async(&rt)
                    .iter(|| invoke_service(black_box(&event), axum.clone()))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, routes);
criterion_main!(benches);
