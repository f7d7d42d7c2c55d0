//! Lambda Managed Instances: throughput of an I/O-bound handler (a 50 ms sleep) with
//! `AWS_LAMBDA_MAX_CONCURRENCY` 1, 4, 16 and 64, for `lambda_proxy::run` with a `#[proxy_handler]`
//! and for plain `lambda_http::run_concurrent`, against a Runtime API served on 127.0.0.1; and the
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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

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

#[derive(Default)]
struct Api {
    /// The event handed out, and how many times more.
    event: String,
    remaining: AtomicUsize,
    /// Whether each invocation gets a trace id of its own (as on Lambda) or all the same one.
    unique_trace_ids: bool,
    answered: AtomicUsize,
    in_flight: AtomicUsize,
    done: tokio::sync::Notify,
    started: Mutex<Option<Instant>>,
}

/// `n` invocations through a function process serving `level` at once: the wall time from the
/// first event handed out to the last answer, and the function's peak and idle resident memory.
async fn measure(kind: &str, level: usize, n: usize) -> (Duration, u64, u64) {
    let (api, server, mut child) = start(kind, level, n, true).await;
    let pid = child.id();
    let mut peak = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    while api.answered.load(Ordering::SeqCst) < n && Instant::now() < deadline {
        peak = peak.max(rss_kb(pid));
        tokio::select! {
            _ = api.done.notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(5)) => {}
        }
    }
    let elapsed = api
        .started
        .lock()
        .unwrap()
        .map_or(Duration::ZERO, |t| t.elapsed());
    assert_eq!(
        api.answered.load(Ordering::SeqCst),
        n,
        "every invocation answered"
    );
    // Idle: every loop waits on `next` again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let idle = rss_kb(pid);
    let _ = child.kill();
    let _ = child.wait();
    server.abort();
    (elapsed, peak, idle)
}

/// A Runtime API that hands out `n` invocations, and the function process `kind` serving `level`
/// at once against it.
async fn start(
    kind: &str,
    level: usize,
    n: usize,
    unique_trace_ids: bool,
) -> (Arc<Api>, tokio::task::JoinHandle<()>, std::process::Child) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port on loopback");
    let address = listener.local_addr().expect("an address");
    let api = Arc::new(Api {
        event: lambda_proxy::testing::TestRequest::http_api()
            .path("/")
            .event()
            .to_string(),
        remaining: AtomicUsize::new(n),
        unique_trace_ids,
        ..Api::default()
    });
    let server = tokio::spawn(serve(listener, api.clone()));
    let child = std::process::Command::new(std::env::current_exe().expect("this binary"))
        .args(["serve", kind])
        .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "concurrency")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_MAX_CONCURRENCY", level.to_string())
        .spawn()
        .expect("the function process");
    (api, server, child)
}

/// Resident memory of a function process serving `kind` at `level` after 1k, 10k and 100k
/// invocations of a handler that answers at once.
async fn long_life(kind: &str, level: usize, unique_trace_ids: bool) -> Vec<(usize, u64)> {
    let marks = [1_000, 10_000, 100_000];
    let (api, server, mut child) = start(kind, level, marks[2], unique_trace_ids).await;
    let pid = child.id();
    let mut rss = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    for mark in marks {
        while api.answered.load(Ordering::SeqCst) < mark && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(
            api.answered.load(Ordering::SeqCst) >= mark,
            "{kind}: fewer than {mark} invocations answered in 300 s"
        );
        rss.push((mark, rss_kb(pid)));
    }
    let _ = child.kill();
    let _ = child.wait();
    server.abort();
    rss
}

async fn serve(listener: TcpListener, api: Arc<Api>) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(connection(stream, api.clone()));
    }
}

/// One keep-alive connection of the function's Runtime API client.
async fn connection(stream: TcpStream, api: Arc<Api>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let next = line.starts_with("GET") && line.contains("/invocation/next");
        let (mut length, mut chunked) = (0, false);
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).await?;
            let header = header.trim_end().to_ascii_lowercase();
            if header.is_empty() {
                break;
            }
            if let Some(value) = header.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
            chunked |= header.starts_with("transfer-encoding:") && header.contains("chunked");
        }
        if chunked {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size).await?;
                let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
            }
        } else {
            let mut body = vec![0; length];
            reader.read_exact(&mut body).await?;
        }
        let stream = reader.get_mut();
        if next {
            let taken = api
                .remaining
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
            if taken.is_err() {
                std::future::pending::<()>().await;
                return Ok(());
            }
            let event = &api.event;
            api.started.lock().unwrap().get_or_insert_with(Instant::now);
            let id = api.in_flight.fetch_add(1, Ordering::SeqCst);
            let deadline = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() + 30_000);
            let trace = if api.unique_trace_ids { id } else { 0 };
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nlambda-runtime-aws-request-id: req-{id}\r\nlambda-runtime-deadline-ms: {deadline}\r\nlambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:concurrency\r\nlambda-runtime-trace-id: Root=1-00000000-{trace:024x};Sampled=0\r\ncontent-length: {}\r\n\r\n",
                event.len()
            );
            // One write: a head and a body written apart wait 40 ms for a delayed ACK.
            stream
                .write_all(format!("{head}{event}").as_bytes())
                .await?;
        } else {
            api.answered.fetch_add(1, Ordering::SeqCst);
            api.done.notify_one();
            stream
                .write_all(
                    b"HTTP/1.1 202 Accepted\r\ncontent-length: 16\r\n\r\n{\"status\":\"OK\"}\n",
                )
                .await?;
        }
    }
}
