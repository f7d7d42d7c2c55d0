//! Heap allocations of one invocation (event bytes in, envelope bytes out, the whole
//! `lambda_http::Adapter` path), after a warm-up, for (a) `#[proxy_handler]`, (b) plain
//! lambda_http as its docs show it and (c) plain lambda_http hand-optimized; and of the guards
//! alone (`Invocation::begin` + `respond` on a ready future).
//!
//! `cargo run --release -p lambda-proxy-bench --bin alloc_count [-- --sites]`
//!
//! `--sites` also prints a backtrace for every allocation of (a) and (c) (build with
//! `CARGO_PROFILE_RELEASE_DEBUG=line-tables-only` to see inlined frames).

use lambda_proxy::__private::Guarded;
use lambda_proxy::__private::Invocation;
use lambda_proxy::testing::TestRequest;
use lambda_proxy_bench::{
    docs, event, guarded, invoke, invoke_proxy_run, optimized, page, proxy, small_response, Page,
    CONFIG, EVENTS, FRONT_DOORS, SIZES,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::backtrace::Backtrace;
use std::cell::Cell;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

static COUNTING: AtomicBool = AtomicBool::new(false);
static TRACING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static REALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static SITES: Mutex<Vec<(usize, Backtrace)>> = Mutex::new(Vec::new());

thread_local! {
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

struct Counting;

impl Counting {
    fn record(size: usize, realloc: bool) {
        if !COUNTING.load(Ordering::Relaxed) {
            return;
        }
        if realloc {
            REALLOCS.fetch_add(1, Ordering::Relaxed);
        } else {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        BYTES.fetch_add(size, Ordering::Relaxed);
        if TRACING.load(Ordering::Relaxed) && !INSIDE.with(Cell::get) {
            INSIDE.with(|inside| inside.set(true));
            let trace = Backtrace::force_capture();
            if let Ok(mut sites) = SITES.lock() {
                sites.push((size, trace));
            }
            INSIDE.with(|inside| inside.set(false));
        }
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counters have no effect on it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::record(layout.size(), false);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::record(layout.size(), false);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::record(new_size, true);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[derive(Clone, Copy, Debug, Default)]
struct Count {
    allocs: usize,
    reallocs: usize,
    bytes: usize,
}

/// Runs `make()`'s future three times to warm up, then once counted.
fn count<Fut: Future>(
    rt: &tokio::runtime::Runtime,
    trace: bool,
    mut make: impl FnMut() -> Fut,
) -> Count {
    for _ in 0..3 {
        rt.block_on(make());
    }
    rt.block_on(async {
        let future = make();
        ALLOCS.store(0, Ordering::SeqCst);
        REALLOCS.store(0, Ordering::SeqCst);
        BYTES.store(0, Ordering::SeqCst);
        TRACING.store(trace, Ordering::SeqCst);
        COUNTING.store(true, Ordering::SeqCst);
        let output = future.await;
        COUNTING.store(false, Ordering::SeqCst);
        TRACING.store(false, Ordering::SeqCst);
        drop(output);
    });
    Count {
        allocs: ALLOCS.load(Ordering::SeqCst),
        reallocs: REALLOCS.load(Ordering::SeqCst),
        bytes: BYTES.load(Ordering::SeqCst),
    }
}

fn print_sites(label: &str) {
    let sites = std::mem::take(&mut *SITES.lock().expect("the sites"));
    println!("\n=== allocation sites of {label}: {} ===", sites.len());
    for (i, (size, trace)) in sites.iter().enumerate() {
        let text = trace.to_string();
        // Keep the frames that name the code doing the allocating, not the allocator itself.
        let frames: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter_map(|line| Some(line.split_once(": ")?.1))
            .filter(|name| !SKIPPED.iter().any(|s| name.starts_with(s)))
            .take(12)
            .collect();
        println!("#{i} {size} B");
        for frame in frames {
            println!("    {frame}");
        }
    }
}

/// Frames of the allocator, the backtrace and `alloc` itself, left out of `--sites`.
const SKIPPED: [&str; 20] = [
    "record",
    "alloc",
    "realloc",
    "allocate",
    "grow",
    "finish_grow",
    "reserve",
    "do_reserve",
    "try_reserve",
    "with_capacity",
    "to_vec<",
    "to_owned",
    "from<&str>",
    "__rust",
    "std::",
    "shrink",
    "try_allocate",
    "alloc_impl",
    "do_alloc",
    "capture",
];

fn main() {
    let sites = std::env::args().any(|a| a == "--sites");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let (_, n) = SIZES[0];
    let page: Page = page(n);
    println!("one invocation, {n} record (100 B body), event bytes in -> envelope bytes out");
    println!("front door | handler | allocations | reallocations | bytes requested");
    for front_door in FRONT_DOORS {
        let event = event(front_door);
        let event = &event;
        let a = count(&rt, false, || invoke(event, move |req| proxy(req, page)));
        let b = count(&rt, false, || invoke(event, move |req| docs(req, page)));
        let c = count(&rt, false, || {
            invoke(event, move |req| optimized(req, page))
        });
        for (name, count) in [("(a) proxy", a), ("(b) docs", b), ("(c) optimized", c)] {
            println!(
                "{front_door} | {name} | {} | {} | {}",
                count.allocs, count.reallocs, count.bytes
            );
        }
    }

    println!(
        "\nreading the event: (run) through lambda-proxy's adapter, the path of lambda_proxy::run, \
         against (a) through lambda_http's"
    );
    println!("event | handler | allocations | reallocations | bytes requested");
    for front_door in EVENTS {
        let event = event(front_door);
        let bytes = lambda_proxy::testing::Bytes::copy_from_slice(&event);
        let (event, bytes) = (&event, &bytes);
        let run = count(&rt, false, || {
            invoke_proxy_run(bytes, move |req| proxy(req, page))
        });
        let a = count(&rt, false, || invoke(event, move |req| proxy(req, page)));
        for (name, count) in [("(run) proxy", run), ("(a) proxy", a)] {
            println!(
                "{front_door} | {name} | {} | {} | {}",
                count.allocs, count.reallocs, count.bytes
            );
        }
    }

    println!("\nthe guards alone, REST API request with a deadline, small prebuilt response");
    let request = TestRequest::rest_api()
        .path("/users/7")
        .deadline_in(Duration::from_secs(600))
        .into_request();
    let request = &request;
    let direct = count(&rt, false, || async { small_response() });
    let begin = count(&rt, false, || async { Invocation::begin(&CONFIG, request) });
    let guarded = count(&rt, false, || async { guarded(request).await });
    for (name, count) in [
        ("building the response directly", direct),
        ("Invocation::begin", begin),
        ("begin + Guarded (ready future)", guarded),
    ] {
        println!(
            "{name} | {} | {} | {}",
            count.allocs, count.reallocs, count.bytes
        );
    }

    println!("\nsize of the future lambda_http::Adapter boxes per invocation (Box::pin of the handler's future)");
    let request = || TestRequest::rest_api().path("/users/7").into_request();
    println!(
        "(a) proxy: {} B, (b) docs: {} B, (c) optimized: {} B",
        std::mem::size_of_val(&proxy(request(), page)),
        std::mem::size_of_val(&docs(request(), page)),
        std::mem::size_of_val(&optimized(request(), page)),
    );
    let inv = Invocation::begin(&CONFIG, &request());
    println!(
        "of which: Guarded(ready future): {} B, Invocation: {} B, lambda_http::Request: {} B, tokio::time::Sleep: {} B",
        std::mem::size_of_val(&Guarded::new(inv, async { small_response() }, |r, _| r)),
        std::mem::size_of::<Invocation>(),
        std::mem::size_of::<lambda_proxy::Request>(),
        std::mem::size_of::<tokio::time::Sleep>(),
    );

    if sites {
        for front_door in FRONT_DOORS {
            let event = event(front_door);
            let event = &event;
            count(&rt, true, || invoke(event, move |req| proxy(req, page)));
            print_sites(&format!("(a) proxy, {front_door}"));
            count(&rt, true, || invoke(event, move |req| optimized(req, page)));
            print_sites(&format!("(c) optimized, {front_door}"));
        }
    }
}
