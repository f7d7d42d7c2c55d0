//! A binary of this package served as Lambda serves it: by a Runtime API of the tests' own
//! (`tests/tests/common/runtime_api.rs`, over `lambda_proxy_cli::runtime_api`), in a process of its own, with Lambda's JSON log
//! format. Each test binary that uses it has one test: the Runtime API's address is in the
//! environment of the test process, which the served process inherits.

#[path = "../../../tests/tests/common/emf.rs"]
pub mod emf;
#[path = "../../../tests/tests/common/runtime_api.rs"]
#[allow(dead_code)]
pub mod runtime_api;

use serde_json::Value;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What the served process answered and wrote.
pub struct Served {
    /// Request id and the envelope posted for it.
    pub responses: Vec<(String, Vec<u8>)>,
    /// Its standard output.
    pub stdout: String,
    /// The most invocations the Runtime API saw in flight at once.
    pub max_in_flight: usize,
    /// Each answer as it came over the wire (response mode, chunks, trailers).
    pub posted: Vec<runtime_api::Posted>,
}

impl Served {
    /// The lines of its standard output that are JSON (every line, for a JSON log format).
    pub fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    }

    /// The answer posted for `id`, as it came over the wire.
    pub fn posted(&self, id: &str) -> &runtime_api::Posted {
        self.posted
            .iter()
            .find(|posted| posted.id == id)
            .unwrap_or_else(|| panic!("no answer to {id}"))
    }

    /// The envelope posted for `id`.
    pub fn envelope(&self, id: &str) -> Value {
        let (_, body) = self
            .responses
            .iter()
            .find(|(answered, _)| answered == id)
            .unwrap_or_else(|| panic!("no answer to {id}"));
        serde_json::from_slice(body).unwrap()
    }
}

/// Serves `events` (request id, deadline in ms, event) with the binary at `path`, with
/// `AWS_LAMBDA_LOG_FORMAT=JSON`, until each has an answer; then stops it. `SHOW_STDOUT=1` prints
/// what it wrote.
pub async fn serve(function: &str, path: &str, events: Vec<(String, u64, Value)>) -> Served {
    let n = events.len();
    let api = runtime_api::start_api(function, events).await;
    let mut process = Command::new(path)
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("AWS_LAMBDA_LOG_LEVEL", "INFO")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while api.responses.lock().unwrap().len() < n {
        assert!(
            Instant::now() < deadline,
            "{function} did not answer every event"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // What it writes after posting an answer (a span exported when the invocation ends).
    tokio::time::sleep(Duration::from_millis(300)).await;
    process.kill().unwrap();
    let mut stdout = String::new();
    process
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    process.wait().unwrap();
    if std::env::var_os("SHOW_STDOUT").is_some() {
        eprintln!("{stdout}");
    }
    assert!(api.no_errors(), "posted to /error");
    let responses = api.responses.lock().unwrap().clone();
    let max_in_flight = api.max_in_flight();
    let posted = api.posted.lock().unwrap().clone();
    Served {
        responses,
        stdout,
        max_in_flight,
        posted,
    }
}
