//! Cold start: from spawning a function binary to its first answered invocation.
//!
//! Serves the shared local Lambda Runtime API (`lambda_proxy_cli::runtime_api`) on 127.0.0.1
//! with one REST API event (`GET /users/1`), spawns the binary with the Lambda environment
//! pointing at it, and measures the time until the binary's answer has been read whole; then
//! kills it. Repeats, alternating the binaries, and prints the median and the minimum of each.
//!
//! ```sh
//! cargo build --release -p lambda-proxy-bench --no-default-features --bin crud_proxy --bin crud_plain
//! cargo run --release -p lambda-proxy-bench --no-default-features --bin cold_start -- 30 \
//!     target/release/crud_proxy target/release/crud_plain
//! ```
//!
//! `cargo lambda watch` does the same (it is a Runtime API emulator that spawns the binary on the
//! first request), with its own process management and a rebuild check added; this harness leaves
//! those out so that only the function's start-up is measured.

use lambda_proxy_cli::runtime_api::{Invocation, Outcome, RuntimeApi};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const EVENT: &str = r#"{"resource":"/{proxy+}","path":"/users/1","httpMethod":"GET","headers":{"accept":"application/json"},"multiValueHeaders":{"accept":["application/json"]},"queryStringParameters":null,"multiValueQueryStringParameters":null,"pathParameters":{"proxy":"users/1"},"stageVariables":null,"requestContext":{"accountId":"123456789012","apiId":"abcdef1234","resourceId":"a1b2c3","resourcePath":"/{proxy+}","stage":"prod","requestId":"Ab1Cd2Ef3Gh4Ij=","httpMethod":"GET","path":"/prod/users/1","protocol":"HTTP/1.1","domainName":"abcdef1234.execute-api.us-east-1.amazonaws.com","requestTimeEpoch":1700000000000,"identity":{"sourceIp":"203.0.113.7"}},"body":null,"isBase64Encoded":false}"#;

/// One cold start of `binary`: spawn to its answer read whole, through the shared local Runtime
/// API (`lambda_proxy_cli::runtime_api`).
async fn once(binary: &str) -> Result<Duration, String> {
    let api = RuntimeApi::start().await.map_err(|e| e.to_string())?;
    let invocation = Invocation::new("cold-1", EVENT.as_bytes().to_vec(), Duration::from_secs(30));
    let answered = api.invoke(invocation);
    let start = Instant::now();
    let mut child = Command::new(binary)
        .envs(api.environment("cold"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {binary}: {e}"))?;
    let result = match tokio::time::timeout(Duration::from_secs(10), answered).await {
        Ok(Some(Outcome::Response(response))) => {
            response.collect().await;
            Ok(start.elapsed())
        }
        Ok(_) => Err(format!("{binary} posted an error")),
        Err(_) => Err(format!("{binary} did not answer within 10 s")),
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let runs: usize = match args.next().and_then(|n| n.parse().ok()) {
        Some(runs) if runs > 0 => runs,
        _ => {
            eprintln!("usage: cold_start RUNS BINARY [BINARY...]");
            return ExitCode::from(2);
        }
    };
    let binaries: Vec<String> = args.collect();
    if binaries.is_empty() {
        eprintln!("usage: cold_start RUNS BINARY [BINARY...]");
        return ExitCode::from(2);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); binaries.len()];
    for _ in 0..runs {
        for (binary, times) in binaries.iter().zip(&mut times) {
            match rt.block_on(once(binary)) {
                Ok(elapsed) => times.push(elapsed),
                Err(message) => {
                    eprintln!("cold_start: {message}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    println!("binary | runs | median | min | max");
    for (binary, mut times) in binaries.iter().zip(times) {
        times.sort();
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
        println!(
            "{binary} | {} | {} | {} | {}",
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1])
        );
    }
    ExitCode::SUCCESS
}
