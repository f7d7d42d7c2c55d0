//! `lambda-proxy serve` through real HTTP requests, serving a Python function with a runtime loop
//! of its own (`fixtures/function.py`, standard library only): no Rust on the function's side.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The gateway, running as a process, and what it has printed.
struct Gateway {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Gateway {
    fn start(options: &[&str]) -> Gateway {
        let python = Command::new("python3").arg("--version").output();
        assert!(
            python.is_ok_and(|out| out.status.success()),
            "these tests serve a Python function: they need python3 on the path"
        );
        let function = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/function.py");
        let mut child = Command::new(env!("CARGO_BIN_EXE_lambda-proxy"))
            .arg("serve")
            .args(options)
            .args(["--port", "0", "--", "python3", function])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let port = first
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no address in {first:?}"));
        let log = Arc::new(Mutex::new(String::new()));
        let written = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let mut log = written.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Gateway { child, port, log }
    }

    /// `method path` with `headers`, over a connection of its own: status, headers, body.
    async fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
        request(self.port, method, path, headers).await
    }

    /// Waits until the log has a line containing `text` (it is written as requests end).
    fn logged(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log.lock().unwrap().clone();
            if log.contains(text) {
                return log;
            }
            assert!(Instant::now() < deadline, "{text:?} not in the log:\n{log}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `method path` with `headers` to the gateway on `port`, over a connection of its own.
async fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut raw))
        .await
        .expect("an answer within 60 s")
        .unwrap();
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..at]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[at + 4..].to_vec(),
    }
}

/// `n` requests for `/sleep1` (1 s each) sent at once, each answered 200: the distinct process
/// ids that served them.
async fn serving_pids(gateway: &Gateway, n: usize) -> Vec<String> {
    let port = gateway.port;
    let handles: Vec<_> = (0..n)
        .map(|_| tokio::spawn(async move { request(port, "GET", "/sleep1", &[]).await }))
        .collect();
    let mut pids = Vec::new();
    for handle in handles {
        let answer = handle.await.unwrap();
        assert_eq!(answer.status, 200);
        pids.push(answer.header("x-pid").unwrap().to_owned());
    }
    pids.sort_unstable();
    pids.dedup();
    pids
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rest_api_stage_its_502s_and_their_reasons() {
    let gateway = Gateway::start(&["--front-door", "rest", "--stage", "dev", "--timeout", "1"]);

    // The event a REST API sends, stage and all.
    let echo = gateway
        .request("GET", "/dev/echo?tag=a%20b&tag=c", &[("x-multi", "1")])
        .await;
    assert_eq!(echo.status, 200);
    let event = echo.json();
    assert_eq!(event["resource"], "/{proxy+}");
    assert_eq!(event["path"], "/echo");
    assert_eq!(event["pathParameters"]["proxy"], "echo");
    assert_eq!(event["requestContext"]["stage"], "dev");
    assert_eq!(event["requestContext"]["path"], "/dev/echo");
    assert_eq!(
        event["multiValueQueryStringParameters"]["tag"],
        serde_json::json!(["a b", "c"])
    );
    assert_eq!(
        event["multiValueHeaders"]["x-multi"],
        serde_json::json!(["1"])
    );
    let request_id = event["requestContext"]["requestId"]
        .as_str()
        .unwrap()
        .to_owned();
    gateway.logged("GET /dev/echo?tag=a%20b&tag=c 200");
    assert!(gateway.logged(&request_id).contains(&request_id));

    // Outside the stage: API Gateway's own 403.
    let outside = gateway.request("GET", "/echo", &[]).await;
    assert_eq!(outside.status, 403);
    assert_eq!(outside.json()["message"], "Missing Authentication Token");

    // The body never stringified: the bare 502, and the reason printed, naming the field.
    let malformed = gateway.request("GET", "/dev/object-body", &[]).await;
    assert_eq!(malformed.status, 502);
    assert_eq!(
        malformed.json(),
        serde_json::json!({"message": "Internal server error"})
    );
    let log = gateway.logged("GET /dev/object-body 502");
    assert!(log.contains("Malformed Lambda proxy response"), "{log}");
    assert!(
        log.contains("$.body: body is an object, not a string"),
        "{log}"
    );

    // An unhandled error: 502, the error printed, not sent.
    let raised = gateway.request("GET", "/dev/raise", &[]).await;
    assert_eq!(raised.status, 502);
    assert!(!String::from_utf8_lossy(&raised.body).contains("secret"));
    gateway.logged("ValueError");

    // Over Lambda's 6 MB: 502.
    let big = gateway.request("GET", "/dev/big", &[]).await;
    assert_eq!(big.status, 502);
    gateway.logged("Response payload size exceeded");

    // The function's timeout (1 s): 502, and the environment replaced.
    let slow = gateway.request("GET", "/dev/slow", &[]).await;
    assert_eq!(slow.status, 502);
    gateway.logged("Task timed out after 1.00 seconds");
    let after = gateway.request("GET", "/dev/ok", &[]).await;
    assert_eq!(after.status, 200);
    assert_eq!(after.body, b"ok");

    // Headers that frame the message are the gateway's: a function's wrong content-length does
    // not cut the answer.
    let framed = gateway.request("GET", "/dev/content-length", &[]).await;
    assert_eq!((framed.status, framed.body.as_slice()), (200, &b"ok"[..]));

    // A process that exits after answering is not given the next request.
    let last = gateway.request("GET", "/dev/answer-then-exit", &[]).await;
    assert_eq!(last.status, 200);
    let next = gateway.request("GET", "/dev/ok", &[]).await;
    assert_eq!(next.status, 200, "{}", gateway.logged("answer-then-exit"));
    assert_ne!(next.header("x-pid"), last.header("x-pid"));

    // A crash: 502, Runtime.ExitError, and the next request gets a fresh environment.
    let crashed = gateway.request("GET", "/dev/crash", &[]).await;
    assert_eq!(crashed.status, 502);
    gateway.logged("Runtime.ExitError: the function's process exited (exit status: 3)");
    let pid_before = next.header("x-pid").unwrap().to_owned();
    let fresh = gateway.request("GET", "/dev/ok", &[]).await;
    assert_eq!(fresh.status, 200);
    assert_ne!(fresh.header("x-pid").unwrap(), pid_before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_api_answers_500_and_runs_environments_side_by_side() {
    let gateway = Gateway::start(&["--front-door", "http", "--concurrency", "4"]);
    let echo = gateway
        .request("GET", "/echo?a=1", &[("cookie", "s=1; t=2")])
        .await;
    let event = echo.json();
    assert_eq!(event["version"], "2.0");
    assert_eq!(event["rawPath"], "/echo");
    assert_eq!(event["rawQueryString"], "a=1");
    assert_eq!(event["cookies"], serde_json::json!(["s=1", "t=2"]));
    assert_eq!(event["requestContext"]["http"]["method"], "GET");

    let malformed = gateway.request("GET", "/object-body", &[]).await;
    assert_eq!(malformed.status, 500);
    assert_eq!(
        malformed.json(),
        serde_json::json!({"message": "Internal Server Error"})
    );

    // Four requests that each take 1 s, at once: four environments side by side, one process
    // each (no environment is free again before the last request arrives).
    let pids = serving_pids(&gateway, 4).await;
    assert_eq!(pids.len(), 4, "served by {pids:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_api_named_stage_begins_the_path() {
    let gateway = Gateway::start(&["--front-door", "http-v1", "--stage", "beta"]);
    let echo = gateway.request("GET", "/beta/echo", &[]).await;
    assert_eq!(echo.status, 200);
    let event = echo.json();
    assert_eq!(event["version"], "1.0");
    assert_eq!(event["path"], "/beta/echo");
    assert_eq!(event["requestContext"]["stage"], "beta");
    // Outside the stage: an HTTP API's 404, not a REST API's 403.
    let outside = gateway.request("GET", "/echo", &[]).await;
    assert_eq!(outside.status, 404);
    assert_eq!(outside.json(), serde_json::json!({"message": "Not Found"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managed_instance_is_one_process_told_its_concurrency() {
    let gateway = Gateway::start(&["--front-door", "url", "--max-concurrency", "4"]);
    let env = gateway.request("GET", "/env", &[]).await.json();
    assert_eq!(env["AWS_LAMBDA_MAX_CONCURRENCY"], "4");
    assert_eq!(env["AWS_LAMBDA_FUNCTION_TIMEOUT"], "3");
    // Four at once go to the one process (this runtime loop takes them one after another).
    let pids = serving_pids(&gateway, 4).await;
    assert_eq!(pids.len(), 1, "{pids:?}");
    assert!(!gateway.logged("/sleep1").contains("(environment 2)"));
}
