//! Lambda Managed Instances: throughput of an I/O-bound handler (a 50 ms sleep) with
//! `AWS_LAMBDA_MAX_CONCURRENCY` 1, 4, 16 and 64, for `lambda_proxy::run` with a `#[proxy_handler]`
//! and for plain `lambda_http::run_concurrent`, against the shared local Runtime API
//! (`lambda_proxy_cli::runtime_api`) on 127.0.0.1; and the
//! resident memory of the function process at its peak (sampled every 5 ms) and idle; then the
//! resident memory over a long life (1k, 10k, 100k invocations of a handler that answers at once),
//! with a trace id of its own per invocation, as on Lambda, or all the same one.
//!
//! ```sh
//! cargo run --release -p lambda-proxy-bench --bin concurrency
//! ```
//!
//! Each measurement starts this binary again as the function (`serve proxy|plain`), in a process
//! of its own, since the concurrency is read from the environment.

use lambda_proxy::{proxy_handler, Request};
use lambda_proxy_cli::runtime_api::{Invocation, Outcome, RuntimeApi};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SLEEP: Duration = Duration::from_millis(50);

#[proxy_handler]
async fn proxied(_req: Request) -> &'static str {
    tokio::time::sleep(SLEEP).await;
    "ok"
}

async fn plain(
    _req: lambda_http::Request,
) -> Result<lambda_http::Response<lambda_http::Body>, lambda_http::Error> {
    tokio::time::sleep(SLEEP).await;
    Ok(lambda_http::Response::builder()
        .header("content-type", "application/json")
        .body(lambda_http::Body::Text("\"ok\"".into()))?)
}

#[proxy_handler]
async fn proxied_fast(_req: Request) -> &'static str {
    "ok"
}

async fn plain_fast(
    _req: lambda_http::Request,
) -> Result<lambda_http::Response<lambda_http::Body>, lambda_http::Error> {
    Ok(lambda_http::Response::builder()
        .header("content-type", "application/json")
        .body(lambda_http::Body::Text("\"ok\"".into()))?)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("serve") {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a Tokio runtime");
        let result = rt.block_on(async {
            match args.get(2).map(String::as_str) {
                Some("proxy") => lambda_proxy::run(proxied).await,
                Some("proxy-fast") => lambda_proxy::run(proxied_fast).await,
                Some("plain-fast") => {
                    lambda_http::run_concurrent(lambda_http::service_fn(plain_fast)).await
                }
                _ => lambda_http::run_concurrent(lambda_http::service_fn(plain)).await,
            }
        });
        eprintln!("the runtime loop ended: {result:?}");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    println!("load before: {}", load());
    println!("| concurrency | handler | invocations | wall time | per second | × level 1 | RSS peak / idle |");
    println!("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
    for kind in ["proxy", "plain"] {
        let mut base = None;
        for level in [1usize, 4, 16, 64] {
            let n = (level * 8).max(40);
            let (elapsed, peak, idle) = rt.block_on(measure(kind, level, n));
            let per_second = n as f64 / elapsed.as_secs_f64();
            let base = *base.get_or_insert(per_second);
            println!(
                "| {level} | {kind} | {n} | {:.0} ms | {per_second:.1} | {:.2} | {peak} / {idle} KB |",
                elapsed.as_secs_f64() * 1000.0,
                per_second / base,
            );
        }
    }
    println!();
    println!("| handler | concurrency | trace ids | RSS after 1k | 10k | 100k | growth 10k → 100k, per invocation |");
    println!("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
    for (kind, level, unique) in [
        ("proxy-fast", 1, true),
        ("proxy-fast", 1, false),
        ("proxy-fast", 8, true),
        ("plain-fast", 1, true),
        ("plain-fast", 8, true),
    ] {
        let rss = rt.block_on(long_life(kind, level, unique));
        let growth = (rss[2].1.saturating_sub(rss[1].1) * 1024) as f64 / 90_000.0;
        println!(
            "| {kind} | {level} | {} | {} KB | {} KB | {} KB | {growth:.0} bytes |",
            if unique { "one each" } else { "all the same" },
            rss[0].1,
            rss[1].1,
            rss[2].1
        );
    }
    println!("load after: {}", load());
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The resident memory of `pid`, in KB.
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0)
}

/// The shared local Runtime API, the function process `kind` serving `level` at once against
/// it, and the count of answers read whole; the process has answered one invocation already.
struct Served {
    api: Arc<RuntimeApi>,
    child: std::process::Child,
    answered: Arc<AtomicUsize>,
    event: Vec<u8>,
}

impl Served {
    async fn start(kind: &str, level: usize) -> Served {
        let api = Arc::new(RuntimeApi::start().await.expect("a Runtime API"));
        let child = std::process::Command::new(std::env::current_exe().expect("this binary"))
            .args(["serve", kind])
            .envs(api.environment("concurrency"))
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
            .env("AWS_LAMBDA_MAX_CONCURRENCY", level.to_string())
            .spawn()
            .expect("the function process");
        let event = lambda_proxy::testing::TestRequest::http_api()
            .path("/")
            .event()
            .to_string()
            .into_bytes();
        let served = Served {
            api,
            child,
            answered: Arc::new(AtomicUsize::new(0)),
            event,
        };
        // Up and waiting on `next`.
        served.invoke(usize::MAX, true);
        while served.answered.load(Ordering::SeqCst) < 1 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        served.answered.store(0, Ordering::SeqCst);
        served
    }

    /// Queues invocation `i`, with a trace id of its own (as on Lambda) or all the same one.
    fn invoke(&self, i: usize, unique_trace_id: bool) {
        let mut invocation = Invocation::new(
            format!("req-{i}"),
            self.event.clone(),
            Duration::from_secs(30),
        );
        let trace = if unique_trace_id { i } else { 0 };
        invocation.trace_id = format!("Root=1-00000000-{trace:024x};Sampled=0");
        let outcome = self.api.invoke(invocation);
        let answered = self.answered.clone();
        tokio::spawn(async move {
            if let Some(Outcome::Response(response)) = outcome.await {
                response.collect().await;
                answered.fetch_add(1, Ordering::SeqCst);
            }
        });
    }

    fn answered(&self) -> usize {
        self.answered.load(Ordering::SeqCst)
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `n` invocations through a function process serving `level` at once: the wall time from the
/// invocations queued to the last answer, and the function's peak and idle resident memory.
async fn measure(kind: &str, level: usize, n: usize) -> (Duration, u64, u64) {
    let served = Served::start(kind, level).await;
    let pid = served.child.id();
    let started = Instant::now();
    for i in 0..n {
        served.invoke(i, true);
    }
    let mut peak = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    while served.answered() < n && Instant::now() < deadline {
        peak = peak.max(rss_kb(pid));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    assert_eq!(served.answered(), n, "every invocation answered");
    // Idle: every loop waits on `next` again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let idle = rss_kb(pid);
    served.stop();
    (elapsed, peak, idle)
}

/// Resident memory of a function process serving `kind` at `level` after 1k, 10k and 100k
/// invocations of a handler that answers at once.
async fn long_life(kind: &str, level: usize, unique_trace_ids: bool) -> Vec<(usize, u64)> {
    let marks = [1_000, 10_000, 100_000];
    let served = Served::start(kind, level).await;
    let pid = served.child.id();
    for i in 0..marks[2] {
        served.invoke(i, unique_trace_ids);
    }
    let mut rss = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    for mark in marks {
        while served.answered() < mark && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(
            served.answered() >= mark,
            "{kind}: fewer than {mark} invocations answered in 300 s"
        );
        rss.push((mark, rss_kb(pid)));
    }
    served.stop();
    rss
}
