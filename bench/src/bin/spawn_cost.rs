//! What answering on time despite a handler that blocks its thread would cost: the guard can only
//! do that if the handler runs as a task of its own, so that another worker thread can answer
//! when the budget ends. This measures that task against awaiting the handler in place, on a
//! two-worker Tokio runtime (the measurement behind the decision in BENCHMARKS.md, section 8).
//!
//! ```sh
//! cargo run --release -p lambda-proxy-bench --bin spawn_cost
//! ```

use std::hint::black_box;
use std::time::Instant;

const N: u32 = 200_000;

/// A handler's future of a realistic size (a `#[proxy_handler]` future is about 416 bytes).
async fn handler(input: [u8; 400]) -> usize {
    tokio::task::yield_now().await;
    black_box(input).iter().map(|&b| usize::from(b)).sum()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    // On the thread that `#[tokio::main]` blocks on, where `lambda_runtime::run` is awaited, and
    // on a worker thread.
    rt.block_on(measure("on the main thread"));
    rt.block_on(async {
        tokio::spawn(measure("on a worker thread"))
            .await
            .expect("the measurement ends");
    });
}

async fn measure(place: &'static str) {
    {
        for round in 0..3 {
            let start = Instant::now();
            for i in 0..N {
                black_box(handler([i as u8; 400]).await);
            }
            let inline = start.elapsed() / N;
            let start = Instant::now();
            for i in 0..N {
                let task = tokio::spawn(handler([i as u8; 400]));
                black_box(task.await.expect("the task ends"));
            }
            let spawned = start.elapsed() / N;
            println!(
                "{place}, round {round}: awaited in place {inline:?}, as a task of its own {spawned:?} per invocation (+{:?})",
                spawned.saturating_sub(inline)
            );
        }
    }
}
