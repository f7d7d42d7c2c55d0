//! Streaming: time to first byte, throughput of a 100 MiB byte stream and the function's memory
//! over it, for `lambda_proxy::run` (a `#[proxy_handler]` returning `Streamed::bytes`, under
//! `Exit::stream(FrontDoor::FunctionUrl)`) and for `lambda_http::run_with_streaming_response`
//! with the same chunks in a `StreamBody`, against the shared local Runtime API
//! (`lambda_proxy_cli::runtime_api`) on 127.0.0.1.
//!
//! ```sh
//! cargo run --release -p lambda-proxy-bench --bin stream
//! ```
//!
//! Each measurement starts this binary again as the function (`serve proxy|http`), in a process
//! of its own, so that its peak resident memory (`VmHWM`) is the stream's. The function's chunks
//! are 64 KiB slices of one buffer (a clone is a reference count), so the producer costs nothing
//! and what is measured is the path from the handler's stream to the Runtime API: the adapter,
//! the runtime's HTTP client, the loopback, the API's HTTP server.
//!
//! - **Time to first byte**: the first item carries the wall-clock time at which the handler's
//!   stream yielded it; the Runtime API's side notes when the bytes that end it arrived. 200
//!   invocations, one at a time, in one function process.
//! - **Throughput**: 100 MiB (1,600 chunks) per invocation, from the event handed out to the
//!   last byte read; rounds alternate the two functions, each in a fresh process.
//! - **Memory**: the function's `VmHWM` after one 10 MiB stream and after one 100 MiB stream, each
//!   in a fresh process.

use bytes::Bytes;
use futures_util::StreamExt;
use lambda_proxy::stream::Streamed;
use lambda_proxy::{proxy_handler, Exit, FrontDoor, Request};
use lambda_proxy_cli::runtime_api::{Frame, Invocation, Outcome, RuntimeApi};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The size of each chunk.
const CHUNK: usize = 64 * 1024;
/// 100 MiB.
const BIG: usize = 1_600;
/// 10 MiB.
const SMALL: usize = 160;

fn since_epoch_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos()
}

/// The event's query: `chunks=N` (a byte stream of N chunks) or `first` (one item: the time it
/// was yielded).
fn chunks(query: &str) -> futures_util::stream::BoxStream<'static, Bytes> {
    if let Some(n) = query.strip_prefix("chunks=") {
        let n: usize = n.parse().unwrap_or(0);
        let chunk = Bytes::from(vec![b'x'; CHUNK]);
        futures_util::stream::iter(std::iter::repeat_n(chunk, n)).boxed()
    } else {
        futures_util::stream::once(async { Bytes::from(format!("{}\n", since_epoch_ns())) }).boxed()
    }
}

#[proxy_handler(content_type = "application/octet-stream")]
async fn proxied(req: Request) -> Streamed {
    Streamed::bytes(chunks(req.uri().query().unwrap_or("")))
}

async fn plain(
    req: lambda_http::Request,
) -> Result<
    lambda_http::Response<
        http_body_util::StreamBody<
            futures_util::stream::BoxStream<
                'static,
                Result<http_body::Frame<Bytes>, std::convert::Infallible>,
            >,
        >,
    >,
    lambda_http::Error,
> {
    let frames = chunks(req.uri().query().unwrap_or(""))
        .map(|chunk| Ok(http_body::Frame::data(chunk)))
        .boxed();
    Ok(lambda_http::Response::builder()
        .header("content-type", "application/octet-stream")
        .body(http_body_util::StreamBody::new(frames))?)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    if args.get(1).map(String::as_str) == Some("serve") {
        let result = rt.block_on(async {
            match args.get(2).map(String::as_str) {
                Some("proxy") => {
                    let app = Exit::new().stream(FrontDoor::FunctionUrl)?.around(proxied);
                    lambda_proxy::run(app).await
                }
                _ => lambda_http::run_with_streaming_response(lambda_http::service_fn(plain)).await,
            }
        });
        eprintln!("the runtime loop ended: {result:?}");
        return;
    }
    println!("load before: {}", load());
    rt.block_on(async {
        println!();
        println!("| function | invocations | time to first byte: median | p90 | p99 | max |");
        println!("| --- | ---: | ---: | ---: | ---: | ---: |");
        for kind in ["proxy", "http"] {
            let mut times = first_byte(kind, 200).await;
            times.sort();
            let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
            println!(
                "| {kind} | {} | {} µs | {} µs | {} µs | {} µs |",
                times.len(),
                at(0.5),
                at(0.9),
                at(0.99),
                times[times.len() - 1]
            );
        }

        println!();
        println!("| function | rounds | 100 MiB: median | min | max | MiB/s (median) |");
        println!("| --- | ---: | ---: | ---: | ---: | ---: |");
        let mut rounds: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
        for _ in 0..21 {
            for (i, kind) in ["proxy", "http"].into_iter().enumerate() {
                rounds[i].push(throughput(kind).await);
            }
        }
        for (kind, mut times) in ["proxy", "http"].into_iter().zip(rounds) {
            times.sort();
            let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
            let median = times[times.len() / 2];
            println!(
                "| {kind} | {} | {} | {} | {} | {:.0} |",
                times.len(),
                ms(median),
                ms(times[0]),
                ms(times[times.len() - 1]),
                100.0 / median.as_secs_f64()
            );
        }

        println!();
        println!("| function | peak RSS (VmHWM) after 10 MiB | after 100 MiB |");
        println!("| --- | ---: | ---: |");
        for kind in ["proxy", "http"] {
            let small = memory(kind, SMALL).await;
            let big = memory(kind, BIG).await;
            println!("| {kind} | {small} KB | {big} KB |");
        }
    });
    println!();
    println!("load after: {}", load());
}

/// The function process `kind`, against `api`.
fn function(api: &RuntimeApi, kind: &str) -> Child {
    Command::new(std::env::current_exe().expect("this binary"))
        .args(["serve", kind])
        .envs(api.environment("stream"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .expect("the function process")
}

fn event(query: &str) -> Vec<u8> {
    let (name, value) = query.split_once('=').unwrap_or((query, ""));
    lambda_proxy::testing::TestRequest::function_url()
        .path("/")
        .query(name, value)
        .event()
        .to_string()
        .into_bytes()
}

/// Reads a streamed answer to its end: the bytes after the prelude, and, when its first line is
/// a time, how long after it the frame that ended the line arrived.
async fn read(api: &RuntimeApi, id: String, query: &str) -> (usize, Option<Duration>) {
    let outcome = api.invoke(Invocation::new(id, event(query), Duration::from_secs(60)));
    let Some(Outcome::Response(mut response)) = outcome.await else {
        panic!("no streamed answer");
    };
    assert!(response.is_streamed(), "answered in the streaming format");
    // The bytes up to the first line after the prelude: only the first few frames are kept.
    let mut seen: Vec<u8> = Vec::new();
    let (mut after_prelude, mut first_line) = (None, None);
    let mut total = 0;
    while let Some(frame) = response.body.frame().await {
        match frame {
            Frame::Data(data, at) => {
                total += data.len();
                if first_line.is_some() || seen.len() > 64 * 1024 {
                    continue;
                }
                seen.extend_from_slice(&data);
                after_prelude = after_prelude
                    .or_else(|| seen.windows(8).position(|w| w == [0; 8]).map(|p| p + 8));
                if let Some(start) = after_prelude {
                    if let Some(end) = seen[start..].iter().position(|b| *b == b'\n') {
                        first_line = Some((at, seen[start..start + end].to_vec()));
                    }
                }
            }
            Frame::Trailers(trailers) => panic!("the stream failed: {trailers:?}"),
            Frame::Broken => panic!("the connection broke"),
        }
    }
    let start = after_prelude.expect("a prelude");
    let first_byte = first_line.map(|(at, line)| {
        let yielded: u128 = String::from_utf8_lossy(&line).trim().parse().unwrap_or(0);
        // The wall-clock time the frame arrived, from its monotonic time.
        let arrived = since_epoch_ns() - at.elapsed().as_nanos();
        Duration::from_nanos(u64::try_from(arrived.saturating_sub(yielded)).unwrap_or(u64::MAX))
    });
    (total - start, first_byte)
}

/// The microseconds from the handler's stream yielding its first item to its bytes arriving at
/// the Runtime API, for `n` invocations of function `kind`.
async fn first_byte(kind: &str, n: usize) -> Vec<u128> {
    let api = RuntimeApi::start().await.expect("a Runtime API");
    let mut child = function(&api, kind);
    let mut gaps = Vec::with_capacity(n);
    for i in 0..n + 10 {
        let (_, first) = read(&api, format!("first-{i}"), "first").await;
        let gap = first.expect("a first line");
        // The first ten warm the connection and the allocator.
        if i >= 10 {
            gaps.push(gap.as_micros());
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    gaps
}

/// One 100 MiB stream of function `kind`, in a fresh process: from the event handed out to the
/// last byte read (the process started and served one small invocation first).
async fn throughput(kind: &str) -> Duration {
    let api = RuntimeApi::start().await.expect("a Runtime API");
    let mut child = function(&api, kind);
    read(&api, "warm".into(), "chunks=1").await;
    let start = Instant::now();
    let (bytes, _) = read(&api, "big".into(), &format!("chunks={BIG}")).await;
    let elapsed = start.elapsed();
    assert_eq!(bytes, BIG * CHUNK, "every byte arrived");
    let _ = child.kill();
    let _ = child.wait();
    elapsed
}

/// The peak resident memory of function `kind`, in a fresh process, after one stream of
/// `chunks` chunks.
async fn memory(kind: &str, chunks: usize) -> u64 {
    let api = RuntimeApi::start().await.expect("a Runtime API");
    let mut child = function(&api, kind);
    let (bytes, _) = read(&api, "one".into(), &format!("chunks={chunks}")).await;
    assert_eq!(bytes, chunks * CHUNK);
    // The function has posted its last byte; its peak is the stream's.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let peak = status_kb(child.id(), "VmHWM:");
    let _ = child.kill();
    let _ = child.wait();
    peak
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A field of `/proc/{pid}/status`, in KB.
fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0)
}
