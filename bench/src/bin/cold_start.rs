//! Cold start: from spawning a function binary to its first answered invocation.
//!
//! Serves a minimal Lambda Runtime API on 127.0.0.1 (one REST API event, `GET /users/1`), spawns
//! the binary with the Lambda environment pointing at it, and measures the time until the
//! binary posts its answer to the `response` endpoint; then kills it. Repeats, alternating the
//! binaries, and prints the median and the minimum of each.
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

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const EVENT: &str = r#"{"resource":"/{proxy+}","path":"/users/1","httpMethod":"GET","headers":{"accept":"application/json"},"multiValueHeaders":{"accept":["application/json"]},"queryStringParameters":null,"multiValueQueryStringParameters":null,"pathParameters":{"proxy":"users/1"},"stageVariables":null,"requestContext":{"accountId":"123456789012","apiId":"abcdef1234","resourceId":"a1b2c3","resourcePath":"/{proxy+}","stage":"prod","requestId":"Ab1Cd2Ef3Gh4Ij=","httpMethod":"GET","path":"/prod/users/1","protocol":"HTTP/1.1","domainName":"abcdef1234.execute-api.us-east-1.amazonaws.com","requestTimeEpoch":1700000000000,"identity":{"sourceIp":"203.0.113.7"}},"body":null,"isBase64Encoded":false}"#;

/// Answers the runtime's requests on one connection; sends `()` on `answered` when the function
/// posts its response. `next` is answered once, then held.
fn connection(
    stream: TcpStream,
    answered: mpsc::Sender<()>,
    served: &mut bool,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header)?;
            if header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        if path.ends_with("/invocation/next") {
            if *served {
                std::thread::sleep(Duration::from_secs(3600));
                return Ok(());
            }
            *served = true;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nlambda-runtime-aws-request-id: cold-1\r\nlambda-runtime-deadline-ms: 0\r\nlambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:cold\r\ncontent-length: {}\r\n\r\n",
                EVENT.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(EVENT.as_bytes())?;
        } else {
            stream.write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")?;
            let _ = answered.send(());
        }
    }
}

/// One cold start of `binary`: spawn to first answer.
fn once(binary: &str) -> Result<Duration, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let (answered, done) = mpsc::channel();
    std::thread::spawn(move || {
        let mut served = false;
        for stream in listener.incoming().flatten() {
            let answered = answered.clone();
            if connection(stream, answered, &mut served).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    let mut child = Command::new(binary)
        .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "cold")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {binary}: {e}"))?;
    let result = done
        .recv_timeout(Duration::from_secs(10))
        .map(|()| start.elapsed())
        .map_err(|_| format!("{binary} did not answer within 10 s"));
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
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); binaries.len()];
    for _ in 0..runs {
        for (binary, times) in binaries.iter().zip(&mut times) {
            match once(binary) {
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
