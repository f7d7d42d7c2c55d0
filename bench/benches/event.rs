//! Reading the event, wall clock: one whole invocation (event bytes in, envelope bytes out, a
//! `#[proxy_handler]` answering 100 B) through lambda-proxy's adapter, the path of
//! `lambda_proxy::run` (`run`), and through `lambda_http`'s (`lambda_http`), on the events of
//! `lambda_proxy_bench::EVENTS`. Both read the event as `lambda_runtime` hands it over.
//!
//! `bash bench/event.sh` runs each case in a process of its own (see bench/invocation.sh for
//! why); `cargo bench -p lambda-proxy-bench --bench event -- --warm-up-time 1
//! --measurement-time 3 --noplot '^event/rest-typical/run$'` runs one.

use criterion::{criterion_group, criterion_main, Criterion};
use lambda_proxy_bench::{event, invoke, invoke_proxy_run, page, proxy, EVENTS};
use std::hint::black_box;

fn event_reading(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let page = page(1);
    for name in EVENTS {
        let event = event(name);
        let bytes = lambda_proxy::testing::Bytes::copy_from_slice(&event);
        let mut group = c.benchmark_group(format!("event/{name}"));
        group.bench_function("run", |b| {
            b.to_async(&rt)
                .iter(|| invoke_proxy_run(black_box(&bytes), move |req| proxy(req, page)))
        });
        group.bench_function("lambda_http", |b| {
            b.to_async(&rt)
                .iter(|| invoke(black_box(&event), move |req| proxy(req, page)))
        });
        group.finish();
    }
}

criterion_group!(benches, event_reading);
criterion_main!(benches);
