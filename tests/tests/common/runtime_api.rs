//! The tests' Lambda Runtime API: `lambda_proxy_cli::runtime_api` (the one the local gateway and
//! the benchmarks serve), with the events of a test queued up front and what comes back recorded,
//! for the tests that drive the real `lambda_runtime` loop through `lambda_proxy::run`.

use lambda_proxy_cli::runtime_api::{self, Invocation, Outcome};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A Runtime API serving on 127.0.0.1, with the environment of this process pointing the Lambda
/// runtime at it, and `events` (request id, deadline in ms from when `next` hands it out, event)
/// queued. Each test binary that uses it has one test: the environment is the process's.
pub async fn start_api(function: &str, events: Vec<(String, u64, Value)>) -> Arc<RuntimeApi> {
    let inner = runtime_api::RuntimeApi::start().await.unwrap();
    for (name, value) in inner.environment(function) {
        std::env::set_var(name, value);
    }
    let api = Arc::new(RuntimeApi {
        inner,
        responses: Mutex::default(),
        errors: Mutex::default(),
        posted: Mutex::default(),
    });
    for (id, deadline_in_ms, event) in events {
        let outcome = api.inner.invoke(Invocation::new(
            id,
            event.to_string().into_bytes(),
            Duration::from_millis(deadline_in_ms),
        ));
        let recorder = api.clone();
        tokio::spawn(async move {
            match outcome.await {
                Some(Outcome::Response(response)) => recorder.record(response.collect().await),
                Some(Outcome::Error(error)) => recorder
                    .errors
                    .lock()
                    .unwrap()
                    .push((error.request_id, error.body.to_vec())),
                None => {}
            }
        });
    }
    api
}

/// The runtime loop, on a thread of its own (its future need not be `Send`), until `stop`.
pub struct Function {
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<String>,
}

impl Function {
    /// Runs `serve_loop` on a current-thread Tokio runtime, or a multi-thread one with two
    /// workers.
    pub fn start<F, Fut>(multi_thread: bool, serve_loop: F) -> Self
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::IntoFuture<Output = Result<(), lambda_proxy::Error>>,
    {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = if multi_thread {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
            } else {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
            }
            .unwrap();
            rt.block_on(async {
                tokio::select! {
                    result = std::future::IntoFuture::into_future(serve_loop()) => {
                        format!("the runtime loop ended: {result:?}")
                    }
                    _ = stopped => "still serving".to_owned(),
                }
            })
        });
        Function { stop, thread }
    }

    /// Waits until `api` has `n` answers (on `response` or `error`), then checks that the loop is
    /// still serving (waiting on `next`, not finished or failed) and stops it.
    pub async fn stop_after(self, api: &RuntimeApi, n: usize) {
        let answered = async {
            while api.answered() < n {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(60), answered)
            .await
            .expect("every invocation is answered within 60 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        self.stop.send(()).unwrap();
        assert_eq!(self.thread.join().unwrap(), "still serving");
    }
}

/// The API, and what came back.
pub struct RuntimeApi {
    inner: runtime_api::RuntimeApi,
    /// Request id and body of each answer on `response`, in the order they ended.
    pub responses: Mutex<Vec<(String, Vec<u8>)>>,
    /// Request id and body of each answer on `error`.
    pub errors: Mutex<Vec<(String, Vec<u8>)>>,
    /// Every answer posted to `response`, as it came over the wire.
    pub posted: Mutex<Vec<Posted>>,
}

impl RuntimeApi {
    fn record(&self, collected: runtime_api::Collected) {
        let trailers = collected
            .trailers
            .iter()
            .map(|(name, value)| {
                let value = value.to_str().unwrap_or("").to_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        let header = |name: &str| collected.header(name).map(str::to_owned);
        let posted = Posted {
            id: collected.request_id.clone(),
            mode: header("lambda-runtime-function-response-mode"),
            content_type: header("content-type"),
            trailer_header: header("trailer"),
            invocation_id: header("lambda-runtime-invocation-id"),
            body: collected.body.clone(),
            chunks: collected.chunks,
            trailers,
            ended: collected.ended,
        };
        // Recorded before `responses`, which the tests wait on.
        self.posted.lock().unwrap().push(posted);
        self.responses
            .lock()
            .unwrap()
            .push((collected.request_id, collected.body));
    }

    /// Answers on `response` or `error`, and failures of the runtime itself (`init/error`).
    pub fn answered(&self) -> usize {
        self.responses.lock().unwrap().len()
            + self.errors.lock().unwrap().len()
            + self.inner.runtime_errors().len()
    }

    /// The most invocations in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.inner.max_in_flight()
    }

    /// How many times the SnapStart `restore/next` endpoint was called.
    pub fn restores(&self) -> usize {
        self.inner.restores()
    }

    /// Whether nothing was posted to `error`, `init/error` or `restore/error`.
    pub fn no_errors(&self) -> bool {
        self.errors.lock().unwrap().is_empty() && self.inner.runtime_errors().is_empty()
    }
}

/// An answer as Lambda sees it: its response mode, each chunk of a chunked body with the time it
/// arrived, and the trailers.
#[derive(Clone, Debug)]
pub struct Posted {
    pub id: String,
    /// `Lambda-Runtime-Function-Response-Mode` (`streaming`), when sent.
    pub mode: Option<String>,
    pub content_type: Option<String>,
    /// The `Trailer` header: the trailers the body may end with.
    pub trailer_header: Option<String>,
    /// `Lambda-Runtime-Invocation-Id`, which `next` sent as `inv-{id}`, echoed.
    pub invocation_id: Option<String>,
    pub body: Vec<u8>,
    /// The size of each piece of the body, and when it arrived, from when the request's head did.
    pub chunks: Vec<(usize, std::time::Duration)>,
    /// The trailer fields, names lowercased.
    pub trailers: Vec<(String, String)>,
    /// When the body ended, from when the request's head arrived.
    pub ended: std::time::Duration,
}

impl Posted {
    /// The prelude and the body of an answer posted in the streaming format (split at the eight
    /// NUL bytes), after checking its response mode and content type.
    pub fn streamed(&self) -> (Value, Vec<u8>) {
        assert_eq!(self.mode.as_deref(), Some("streaming"), "{}", self.id);
        assert_eq!(
            self.content_type.as_deref(),
            Some("application/vnd.awslambda.http-integration-response"),
            "{}",
            self.id
        );
        let at = self
            .body
            .windows(8)
            .position(|w| w == [0; 8])
            .unwrap_or_else(|| panic!("{}: no delimiter after the prelude", self.id));
        let prelude = serde_json::from_slice(&self.body[..at]).unwrap();
        (prelude, self.body[at + 8..].to_vec())
    }

    /// The error type the trailers name, if any.
    pub fn error_type(&self) -> Option<&str> {
        self.trailers
            .iter()
            .find(|(name, _)| name == "lambda-runtime-function-error-type")
            .map(|(_, value)| value.as_str())
    }
}
