//! A small Lambda Runtime API served on 127.0.0.1, for the tests that drive the real
//! `lambda_runtime` loop through `lambda_proxy::run`: it hands out events on `next`, records what
//! comes back on `response` and `error`, and counts the invocations in flight.

use serde_json::Value;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A Runtime API serving on 127.0.0.1, with the environment of this process pointing the Lambda
/// runtime at it. Each test binary that uses it has one test: the environment is the process's.
pub async fn start_api(function: &str, events: Vec<(String, u64, Value)>) -> Arc<RuntimeApi> {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let api = Arc::new(RuntimeApi::default());
    api.events.lock().unwrap().extend(events);
    std::env::set_var("AWS_LAMBDA_RUNTIME_API", address.to_string());
    std::env::set_var("AWS_LAMBDA_FUNCTION_NAME", function);
    std::env::set_var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128");
    std::env::set_var("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    tokio::spawn(serve(listener, api.clone()));
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
            while api.responses.lock().unwrap().len() + api.errors.lock().unwrap().len() < n {
                api.served.notified().await;
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

/// Events handed out by `next`, and what came back.
#[derive(Default)]
pub struct RuntimeApi {
    /// Request id, deadline in ms from when `next` answers, event.
    pub events: Mutex<VecDeque<(String, u64, Value)>>,
    pub responses: Mutex<Vec<(String, Vec<u8>)>>,
    pub errors: Mutex<Vec<(String, Vec<u8>)>>,
    pub served: tokio::sync::Notify,
    /// Invocations handed out and not answered yet, and the most there were at once.
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    /// How many times the SnapStart `restore/next` endpoint was called.
    pub restores: AtomicUsize,
    /// Every answer posted to `response`, as it came over the wire.
    pub posted: Mutex<Vec<Posted>>,
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
    /// The size of each chunk, and when it arrived, from when the request's head did.
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

pub async fn serve(listener: TcpListener, api: Arc<RuntimeApi>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(connection(stream, api.clone()));
    }
}

/// One keep-alive connection: read requests, answer them; `next` with no event left never answers.
async fn connection(stream: TcpStream, api: Arc<RuntimeApi>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        let mut length = 0;
        let mut chunked = false;
        let (mut mode, mut content_type, mut trailer_header) = (None, None, None);
        let mut invocation_id = None;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).await?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "transfer-encoding" => chunked = value.contains("chunked"),
                "lambda-runtime-function-response-mode" => mode = Some(value.trim().to_owned()),
                "content-type" => content_type = Some(value.trim().to_owned()),
                "trailer" => trailer_header = Some(value.trim().to_owned()),
                "lambda-runtime-invocation-id" => invocation_id = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        let head_at = std::time::Instant::now();
        let mut body = Vec::new();
        let (mut chunks, mut trailers) = (Vec::new(), Vec::new());
        if chunked {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size).await?;
                let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                if size == 0 {
                    // The trailer section, up to the empty line.
                    loop {
                        let mut field = String::new();
                        reader.read_line(&mut field).await?;
                        let field = field.trim_end();
                        if field.is_empty() {
                            break;
                        }
                        let (name, value) = field.split_once(':').unwrap_or((field, ""));
                        trailers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
                    }
                    break;
                }
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk).await?;
                chunks.push((size, head_at.elapsed()));
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            body.resize(length, 0);
            reader.read_exact(&mut body).await?;
        }
        let stream = reader.get_mut();
        if method == "GET" && path.ends_with("/runtime/restore/next") {
            api.restores.fetch_add(1, Ordering::SeqCst);
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                .await?;
        } else if method == "GET" && path.ends_with("/invocation/next") {
            let next = api.events.lock().unwrap().pop_front();
            let Some((id, deadline_in_ms, event)) = next else {
                // Nothing left: hold the request, as Lambda does between invocations.
                std::future::pending::<()>().await;
                return Ok(());
            };
            let now = api.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            api.max_in_flight.fetch_max(now, Ordering::SeqCst);
            let deadline = now_ms() + deadline_in_ms;
            let payload = event.to_string();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nlambda-runtime-aws-request-id: {id}\r\nlambda-runtime-deadline-ms: {deadline}\r\nlambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:survival\r\nlambda-runtime-trace-id: Root=1-00000000-000000000000000000000000\r\nlambda-runtime-invocation-id: inv-{id}\r\ncontent-length: {}\r\n\r\n",
                payload.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(payload.as_bytes()).await?;
        } else {
            // `invocation/{id}/response` or `invocation/{id}/error`; anything else (`init/error`,
            // `restore/error`) is a failure of the runtime itself, recorded as an error of id
            // `init`, not as an invocation's answer.
            let invocation = path.contains("/invocation/");
            let id = if invocation {
                path.split('/').nth(4).unwrap_or("").to_owned()
            } else {
                "init".to_owned()
            };
            if invocation {
                api.in_flight.fetch_sub(1, Ordering::SeqCst);
            }
            if invocation && path.ends_with("/response") {
                api.posted.lock().unwrap().push(Posted {
                    id: id.clone(),
                    mode,
                    content_type,
                    trailer_header,
                    invocation_id,
                    body: body.clone(),
                    chunks,
                    trailers,
                    ended: head_at.elapsed(),
                });
                api.responses.lock().unwrap().push((id, body));
            } else {
                api.errors.lock().unwrap().push((id, body));
            }
            api.served.notify_one();
            stream
                .write_all(
                    b"HTTP/1.1 202 Accepted\r\ncontent-length: 16\r\n\r\n{\"status\":\"OK\"}\n",
                )
                .await?;
        }
    }
}

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}
