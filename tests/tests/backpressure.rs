//! A slow reader slows the stream: an endless byte stream through the real runtime loop
//! (`lambda_proxy::run` under `Exit::stream`), posted to the local Runtime API, whose reader
//! stops reading. The handler's stream is asked for more only as the connection takes bytes, so
//! what it has produced stays bounded (by the Runtime API's frames in waiting and the loopback's
//! socket buffers) instead of growing with the time waited; reading again lets it go on.

mod common;

use common::runtime_api::Function;
use lambda_proxy::stream::Streamed;
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Exit, FrontDoor, Request};
use lambda_proxy_cli::runtime_api::{Frame, Invocation, Outcome, RuntimeApi};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const CHUNK: usize = 64 * 1024;

/// Bytes the handler's stream has produced.
static PRODUCED: AtomicUsize = AtomicUsize::new(0);

#[proxy_handler(content_type = "application/octet-stream")]
async fn endless(_req: Request) -> Streamed {
    let chunk = bytes::Bytes::from(vec![b'x'; CHUNK]);
    Streamed::bytes(futures_util::stream::repeat_with(move || {
        PRODUCED.fetch_add(CHUNK, Ordering::SeqCst);
        chunk.clone()
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_stops_reading_stops_the_producer() {
    let api = RuntimeApi::start().await.unwrap();
    for (name, value) in api.environment("backpressure") {
        std::env::set_var(name, value);
    }
    let event = TestRequest::function_url().path("/").event().to_string();
    let outcome = api.invoke(Invocation::new(
        "endless",
        event.into_bytes(),
        Duration::from_secs(20),
    ));
    // The loop runs until the process ends; the stream until its deadline (20 s).
    let _function = Function::start(true, || async {
        let app = Exit::new().stream(FrontDoor::FunctionUrl)?.around(endless);
        lambda_proxy::run(app).await
    });
    let outcome = tokio::time::timeout(Duration::from_secs(30), outcome).await;
    let Ok(Some(Outcome::Response(mut response))) = outcome else {
        panic!("no streamed answer within 30 s: {outcome:?}");
    };
    assert!(response.is_streamed());

    // Nothing read: at about 2 GB/s (BENCHMARKS.md §17) an unbounded producer would have made
    // hundreds of MiB by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stalled = PRODUCED.load(Ordering::SeqCst);
    assert!(stalled > 0, "the stream started");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let still = PRODUCED.load(Ordering::SeqCst);
    assert!(
        still < 64 * 1024 * 1024,
        "{still} bytes produced for a reader that read none"
    );
    assert!(
        still - stalled <= 2 * CHUNK,
        "the producer went on while nothing was read: {stalled} then {still}"
    );

    // Reading again: the producer goes on, past what it had made.
    let mut read = 0;
    let reading = async {
        while read < still + 32 * 1024 * 1024 {
            match response.body.frame().await {
                Some(Frame::Data(data, _)) => read += data.len(),
                other => panic!("the stream ended early: {other:?}"),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), reading)
        .await
        .expect("32 MiB more within 30 s");
    assert!(PRODUCED.load(Ordering::SeqCst) > still + 16 * 1024 * 1024);
}
