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
//! (begin + respond on a ready future), `direct` (the same response built directly); front door `rest` or `http2`;
//! size `100B`, `10KB` or `1MB`; iterations.

use lambda_proxy::testing::Bytes;
use lambda_proxy::testing::TestRequest;
use lambda_proxy::Request;
use lambda_proxy_bench::{
    docs, event, guarded, invoke, invoke_proxy_run, optimized, page, proxy, small_response, Page,
    SIZES,
};
use std::hint::black_box;
use std::time::Duration;

async fn once(handler: &str, event: &[u8], bytes: &Bytes, page: Page, request: &Request) -> usize {
    match handler {
        "a" => invoke(event, move |req| proxy(req, page)).await.len(),
        "run" => invoke_proxy_run(bytes, move |req| proxy(req, page))
            .await
            .len(),
        "b" => invoke(event, move |req| docs(req, page)).await.len(),
        "c" => invoke(event, move |req| optimized(req, page)).await.len(),
        "guards" => black_box(guarded(request).await).status().as_u16().into(),
        "direct" => black_box(small_response()).status().as_u16().into(),
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
    iters: usize,
) -> usize {
    let bytes = Bytes::copy_from_slice(event);
    rt.block_on(async {
        let mut total = 0;
        for _ in 0..iters {
            total += once(handler, black_box(event), black_box(&bytes), page, request).await;
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
    iters: usize,
) -> usize {
    run(rt, handler, event, page, request, iters)
}

fn main() {
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
    let event = event(&front_door);
    let page = page(n);
    let request = match front_door.as_str() {
        "rest" => TestRequest::rest_api(),
        _ => TestRequest::http_api(),
    }
    .path("/users/7")
    .deadline_in(Duration::from_secs(600))
    .into_request();
    run(&rt, &handler, &event, page, &request, 10);
    let total = measured(&rt, &handler, &event, page, &request, iters);
    println!("{handler} {front_door} {size} x{iters}: {total}");
}
