//! The cost of the guards: `Invocation::begin` + `Guarded` (catch_unwind around the poll and the
//! dispatch, normalization, the size check) around an already-ready future returning a small
//! prebuilt response, against building the same response directly. A ready future needs no
//! budget and no timer: those are only worked out for a handler still pending after its first
//! poll.
//!
//! `cargo bench -p lambda-proxy-bench --bench guards -- --measurement-time 3`

use criterion::{criterion_group, criterion_main, Criterion};
use lambda_proxy::__private::Invocation;
use lambda_proxy::testing::TestRequest;
use lambda_proxy_bench::{guarded, small_response, CONFIG};
use std::hint::black_box;
use std::time::Duration;

fn guards(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    // REST API with a Lambda deadline.
    let rest = TestRequest::rest_api()
        .path("/users/7")
        .deadline_in(Duration::from_secs(600))
        .into_request();
    // HTTP API 2.0 with a deadline: as above, with the single-value header rules.
    let http2 = TestRequest::http_api()
        .path("/users/7")
        .deadline_in(Duration::from_secs(600))
        .into_request();
    // ALB without a deadline.
    let alb = TestRequest::alb().path("/users/7").into_request();

    let mut group = c.benchmark_group("guards");
    group.bench_function("direct_response", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(small_response()) })
    });
    group.bench_function("begin_only_rest", |b| {
        b.iter(|| black_box(Invocation::begin(&CONFIG, black_box(&rest))))
    });
    for (name, request) in [
        ("guarded_rest", &rest),
        ("guarded_http2", &http2),
        ("guarded_alb_no_deadline", &alb),
    ] {
        group.bench_function(name, |b| {
            b.to_async(&rt)
                .iter(|| async { black_box(guarded(black_box(request)).await) })
        });
    }
    group.finish();
}

criterion_group!(benches, guards);
criterion_main!(benches);
