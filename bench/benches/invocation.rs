//! Per invocation, event JSON bytes in, envelope JSON bytes out, through `lambda_http::Adapter`:
//! (a) `#[proxy_handler]`, (b) plain lambda_http as its docs show it (`serde_json::Value`),
//! (c) plain lambda_http hand-optimized (`serde_json::to_string` into `Body::Text`).
//!
//! `cargo bench -p lambda-proxy-bench --bench invocation -- --measurement-time 3`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lambda_proxy_bench::{docs, event, invoke, optimized, page, proxy, FRONT_DOORS, SIZES};
use std::hint::black_box;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

/// Outside timing: (a) and (c) answer byte-identical envelopes; (b) is shown where it differs.
fn verify(rt: &tokio::runtime::Runtime) {
    for front_door in FRONT_DOORS {
        let event = event(front_door);
        for (size, n) in SIZES {
            let page = page(n);
            let a = rt.block_on(invoke(&event, move |req| proxy(req, page)));
            let b = rt.block_on(invoke(&event, move |req| docs(req, page)));
            let c = rt.block_on(invoke(&event, move |req| optimized(req, page)));
            assert_eq!(
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&c),
                "(a) and (c) differ for {front_door} {size}"
            );
            let body = serde_json::to_string(&page).expect("the page serializes");
            if b != c {
                let shown = |e: &[u8]| {
                    let text = String::from_utf8_lossy(e);
                    text.chars().take(260).collect::<String>()
                };
                println!(
                    "verify {front_door} {size}: (a) == (c), {} bytes, body {} bytes; (b) differs, {} bytes:\n  (c) {}\n  (b) {}",
                    c.len(),
                    body.len(),
                    b.len(),
                    shown(&c),
                    shown(&b)
                );
            } else {
                println!(
                    "verify {front_door} {size}: (a) == (b) == (c), {} bytes, body {} bytes",
                    c.len(),
                    body.len()
                );
            }
        }
    }
}

fn invocation(c: &mut Criterion) {
    let rt = runtime();
    verify(&rt);
    for front_door in FRONT_DOORS {
        let event = event(front_door);
        let mut group = c.benchmark_group(format!("invocation/{front_door}"));
        for (size, n) in SIZES {
            let page = page(n);
            let body = serde_json::to_string(&page).expect("the page serializes");
            group.throughput(Throughput::Bytes(body.len() as u64));
            if n >= 1_000 {
                group.sample_size(20);
            } else {
                group.sample_size(100);
            }
            group.bench_with_input(BenchmarkId::new("a_proxy", size), &page, |b, &page| {
                b.to_async(&rt)
                    .iter(|| invoke(black_box(&event), move |req| proxy(req, page)))
            });
            group.bench_with_input(BenchmarkId::new("b_docs", size), &page, |b, &page| {
                b.to_async(&rt)
                    .iter(|| invoke(black_box(&event), move |req| docs(req, page)))
            });
            group.bench_with_input(BenchmarkId::new("c_optimized", size), &page, |b, &page| {
                b.to_async(&rt)
                    .iter(|| invoke(black_box(&event), move |req| optimized(req, page)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, invocation);
criterion_main!(benches);
