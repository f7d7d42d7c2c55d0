//! A Lambda Runtime API on a local port, for running a function's own runtime loop (any
//! language) outside Lambda: the local gateway, lambda-proxy's tests and its benchmarks share it.
//!
//! [`RuntimeApi::start`] serves the API's endpoints (DOC: "Using the Lambda runtime API for
//! custom runtimes") with hyper. [`RuntimeApi::invoke`] queues an event; a function's `next`
//! request receives it with its request id, deadline, function ARN, trace id and invocation id;
//! what the function posts back comes as an [`Outcome`]: the answer on `response` (its headers,
//! then its body frame by frame as it arrives, so that a streamed answer can be relayed or timed
//! while it streams), or the error on `error`. Failures of the runtime itself (`init/error`,
//! `restore/error`) are kept in [`RuntimeApi::runtime_errors`].
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use lambda_proxy_cli::runtime_api::{Invocation, Outcome, RuntimeApi};
//! use std::time::Duration;
//!
//! let api = RuntimeApi::start().await?;
//! let _function = std::process::Command::new("target/debug/my-function")
//!     .envs(api.environment("my-function"))
//!     .spawn()?;
//! let event = br#"{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"GET"}}}"#;
//! let outcome = api
//!     .invoke(Invocation::new("req-1", event.to_vec(), Duration::from_secs(3)))
//!     .await;
//! if let Some(Outcome::Response(response)) = outcome {
//!     let answer = response.collect().await;
//!     println!("{}", String::from_utf8_lossy(&answer.body));
//! }
//! # Ok(())
//! # }
//! ```

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response as HttpResponse, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

/// The API's version prefix, which every path starts with.
const PREFIX: &str = "/2018-06-01";
/// How many frames of an answer's body wait for its reader before the function's POST waits
/// too: a slow reader slows the function, and nothing is buffered without bound.
const FRAMES_IN_FLIGHT: usize = 16;
/// How long past its deadline an unanswered invocation is waited for.
const GRACE: Duration = Duration::from_secs(1);

/// A Lambda Runtime API serving on 127.0.0.1; it stops when dropped.
pub struct RuntimeApi {
    shared: Arc<Shared>,
    address: SocketAddr,
    server: tokio::task::JoinHandle<()>,
}

/// An event to hand to the function, with what Lambda sends alongside it.
#[derive(Clone, Debug)]
pub struct Invocation {
    /// `Lambda-Runtime-Aws-Request-Id`.
    pub request_id: String,
    /// The event's JSON.
    pub event: Vec<u8>,
    /// The time the function has: `Lambda-Runtime-Deadline-Ms` is this much after the event is
    /// handed out. Unanswered a second past it, the invocation is given up: its invoker gets
    /// `None`, and a later answer is refused.
    pub timeout: Duration,
    /// `Lambda-Runtime-Trace-Id`.
    pub trace_id: String,
}

impl Invocation {
    /// `event` as invocation `request_id`, with `timeout` to answer it and a fixed trace id.
    pub fn new(request_id: impl Into<String>, event: Vec<u8>, timeout: Duration) -> Invocation {
        Invocation {
            request_id: request_id.into(),
            event,
            timeout,
            trace_id: "Root=1-00000000-000000000000000000000000;Sampled=0".to_owned(),
        }
    }
}

/// What the function posted for an invocation.
#[derive(Debug)]
pub enum Outcome {
    /// Posted to `invocation/{id}/response`.
    Response(Response),
    /// Posted to `invocation/{id}/error`.
    Error(FunctionError),
}

/// An answer posted to `invocation/{id}/response`: its headers as soon as they arrive, its
/// body as it streams.
#[derive(Debug)]
pub struct Response {
    /// The request id the answer was posted for.
    pub request_id: String,
    /// The POST's headers (`Lambda-Runtime-Function-Response-Mode`, `Content-Type`, `Trailer`,
    /// `Lambda-Runtime-Invocation-Id`...).
    pub headers: HeaderMap,
    /// When the POST's head arrived.
    pub arrived: Instant,
    /// The body, frame by frame.
    pub body: ResponseBody,
}

impl Response {
    /// Whether the function posted it in the streaming format
    /// (`Lambda-Runtime-Function-Response-Mode: streaming`).
    pub fn is_streamed(&self) -> bool {
        self.headers
            .get("lambda-runtime-function-response-mode")
            .is_some_and(|mode| mode.as_bytes().eq_ignore_ascii_case(b"streaming"))
    }

    /// Reads the whole body.
    pub async fn collect(mut self) -> Collected {
        let mut collected = Collected {
            request_id: self.request_id,
            headers: self.headers,
            body: Vec::new(),
            chunks: Vec::new(),
            trailers: HeaderMap::new(),
            ended: Duration::ZERO,
            broken: false,
        };
        while let Some(frame) = self.body.frame().await {
            match frame {
                Frame::Data(data, at) => {
                    collected
                        .chunks
                        .push((data.len(), at.saturating_duration_since(self.arrived)));
                    collected.body.extend_from_slice(&data);
                }
                Frame::Trailers(trailers) => collected.trailers.extend(trailers),
                Frame::Broken => collected.broken = true,
            }
        }
        collected.ended = self.arrived.elapsed();
        collected
    }
}

/// An answer's body as it arrives.
#[derive(Debug)]
pub struct ResponseBody {
    frames: mpsc::Receiver<Frame>,
}

impl ResponseBody {
    /// The next frame, `None` at the end.
    pub async fn frame(&mut self) -> Option<Frame> {
        self.frames.recv().await
    }

    /// [`frame`](ResponseBody::frame), polled.
    pub fn poll_frame(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Frame>> {
        self.frames.poll_recv(cx)
    }
}

/// A piece of an answer's body.
#[derive(Debug)]
pub enum Frame {
    /// Bytes of the body (a chunk, or part of one, of a chunked POST), and when they arrived.
    Data(Bytes, Instant),
    /// The trailers the body ended with (`Lambda-Runtime-Function-Error-Type`, `-Body`).
    Trailers(HeaderMap),
    /// The connection failed before the body ended: the answer is incomplete.
    Broken,
}

/// A whole answer, read.
#[derive(Clone, Debug)]
pub struct Collected {
    /// The request id the answer was posted for.
    pub request_id: String,
    /// The POST's headers.
    pub headers: HeaderMap,
    /// The body as posted (for a streamed answer: the prelude, eight NUL bytes, the stream).
    pub body: Vec<u8>,
    /// The size of each piece of the body, and when it arrived after the POST's head.
    pub chunks: Vec<(usize, Duration)>,
    /// The trailers, empty when there were none.
    pub trailers: HeaderMap,
    /// When the body ended, after the POST's head.
    pub ended: Duration,
    /// Whether the connection failed before the body ended.
    pub broken: bool,
}

impl Collected {
    /// The value of the POST's header `name`, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The error type the trailers name (`Lambda-Runtime-Function-Error-Type`): a stream that
    /// failed after its first bytes.
    pub fn error_type(&self) -> Option<&str> {
        self.trailers
            .get("lambda-runtime-function-error-type")
            .and_then(|v| v.to_str().ok())
    }
}

/// An error the function (or its runtime) posted.
#[derive(Clone, Debug)]
pub struct FunctionError {
    /// The request id, or `init` / `restore` for the runtime's own failures.
    pub request_id: String,
    /// `Lambda-Runtime-Function-Error-Type`, when sent.
    pub error_type: Option<String>,
    /// The body (Lambda's `{"errorMessage", "errorType"}`).
    pub body: Bytes,
}

/// State shared by the server's connections and the [`RuntimeApi`] handle.
struct Shared {
    /// Invocations not handed out yet; `next` requests take them in turn.
    queue: tokio::sync::Mutex<mpsc::UnboundedReceiver<Queued>>,
    enqueue: mpsc::UnboundedSender<Queued>,
    /// Handed out and not answered: where the outcome goes.
    waiting: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    restores: AtomicUsize,
    runtime_errors: Mutex<Vec<FunctionError>>,
}

struct Queued {
    invocation: Invocation,
    reply: oneshot::Sender<Outcome>,
    /// Told when the invocation is handed out.
    handed: Option<oneshot::Sender<()>>,
}

impl RuntimeApi {
    /// Serves a Runtime API on a free port of 127.0.0.1, on the current Tokio runtime.
    pub async fn start() -> std::io::Result<RuntimeApi> {
        RuntimeApi::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Serves a Runtime API on `address`, on the current Tokio runtime.
    pub async fn bind(address: SocketAddr) -> std::io::Result<RuntimeApi> {
        let listener = TcpListener::bind(address).await?;
        let address = listener.local_addr()?;
        let (enqueue, queue) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            queue: tokio::sync::Mutex::new(queue),
            enqueue,
            waiting: Mutex::new(HashMap::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            restores: AtomicUsize::new(0),
            runtime_errors: Mutex::new(Vec::new()),
        });
        let server = tokio::spawn(serve(listener, shared.clone()));
        Ok(RuntimeApi {
            shared,
            address,
            server,
        })
    }

    /// The address it serves on: `AWS_LAMBDA_RUNTIME_API`'s value.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The environment a function's runtime needs to use this API as function `name`:
    /// `AWS_LAMBDA_RUNTIME_API`, the function's name, memory size and version, and a region.
    pub fn environment(&self, name: &str) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_LAMBDA_RUNTIME_API", self.address.to_string()),
            ("AWS_LAMBDA_FUNCTION_NAME", name.to_owned()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".to_owned()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_DEFAULT_REGION", "us-east-1".to_owned()),
        ]
    }

    /// Queues `invocation` for the function's next `next` request and waits for what the
    /// function posts for it: `None` if it is not answered a second past its deadline, if its
    /// request id is in flight already, or if the API stops first. Dropping the future gives up
    /// on the invocation: one not handed out yet never is; an answer to one handed out is
    /// accepted and dropped.
    pub fn invoke(
        &self,
        invocation: Invocation,
    ) -> impl std::future::Future<Output = Option<Outcome>> + Send + 'static {
        let (reply, outcome) = oneshot::channel();
        let queued = Queued {
            invocation,
            reply,
            handed: None,
        };
        let _ = self.shared.enqueue.send(queued);
        async move { outcome.await.ok() }
    }

    /// [`invoke`](RuntimeApi::invoke), and a future ready when the function has taken the
    /// invocation (its `next` request answered): where the function's time starts, as
    /// Lambda counts it, after any start-up.
    pub fn invoke_handed(
        &self,
        invocation: Invocation,
    ) -> (
        impl std::future::Future<Output = bool> + Send + 'static,
        impl std::future::Future<Output = Option<Outcome>> + Send + 'static,
    ) {
        let (reply, outcome) = oneshot::channel();
        let (handed, taken) = oneshot::channel();
        let queued = Queued {
            invocation,
            reply,
            handed: Some(handed),
        };
        let _ = self.shared.enqueue.send(queued);
        (async move { taken.await.is_ok() }, async move {
            outcome.await.ok()
        })
    }

    /// Invocations handed out and not answered yet.
    pub fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// The most invocations that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }

    /// How many times a runtime asked for `restore/next` (SnapStart).
    pub fn restores(&self) -> usize {
        self.shared.restores.load(Ordering::SeqCst)
    }

    /// What runtimes posted to `init/error` and `restore/error`, in order.
    pub fn runtime_errors(&self) -> Vec<FunctionError> {
        lock(&self.shared.runtime_errors).clone()
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl std::fmt::Debug for RuntimeApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeApi")
            .field("address", &self.address)
            .field("in_flight", &self.in_flight())
            .finish()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, most likely: wait for connections to end.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        // The API's own answers go out at once (a head and a body written apart would wait for
        // a delayed ACK); the function's side of the connection is the function's.
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(route(&shared, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        // Reap the connections that ended; dropping the set (when the API stops) ends the rest.
        while connections.try_join_next().is_some() {}
    }
}

type Reply = HttpResponse<Full<Bytes>>;

fn reply_with(status: StatusCode, body: &'static str) -> Reply {
    let mut response = HttpResponse::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        "application/json".parse().unwrap(),
    );
    response
}

const ACCEPTED: &str = r#"{"status":"OK"}"#;

async fn route(shared: &Arc<Shared>, request: Request<Incoming>) -> Reply {
    let path = request.uri().path().to_owned();
    let Some(path) = path.strip_prefix(PREFIX) else {
        return reply_with(StatusCode::NOT_FOUND, r#"{"errorType":"NotFound"}"#);
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (request.method(), segments.as_slice()) {
        (&Method::GET, ["runtime", "invocation", "next"]) => next(shared).await,
        (&Method::GET, ["runtime", "restore", "next"]) => {
            shared.restores.fetch_add(1, Ordering::SeqCst);
            HttpResponse::new(Full::new(Bytes::new()))
        }
        (&Method::POST, ["runtime", "invocation", id, kind @ ("response" | "error")]) => {
            let id = (*id).to_owned();
            let sender = lock(&shared.waiting).remove(&id);
            let Some(sender) = sender else {
                return reply_with(
                    StatusCode::BAD_REQUEST,
                    r#"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#,
                );
            };
            shared.in_flight.fetch_sub(1, Ordering::SeqCst);
            if *kind == "response" {
                respond(id, request, sender).await;
            } else {
                let error = function_error(id, request).await;
                let _ = sender.send(Outcome::Error(error));
            }
            reply_with(StatusCode::ACCEPTED, ACCEPTED)
        }
        (&Method::POST, ["runtime", phase @ ("init" | "restore"), "error"]) => {
            let error = function_error((*phase).to_owned(), request).await;
            lock(&shared.runtime_errors).push(error);
            reply_with(StatusCode::ACCEPTED, ACCEPTED)
        }
        _ => reply_with(StatusCode::NOT_FOUND, r#"{"errorType":"NotFound"}"#),
    }
}

/// `GET /runtime/invocation/next`: the next queued invocation, waiting for one. Invocations
/// whose invoker gave up, or whose request id is in flight already, are skipped (their invoker
/// gets `None`).
async fn next(shared: &Arc<Shared>) -> Reply {
    let (invocation, outcome, taken) = loop {
        let queued = shared.queue.lock().await.recv().await;
        let Some(Queued {
            invocation,
            reply,
            handed,
        }) = queued
        else {
            // `Shared` holds a sender: not while the API serves.
            return reply_with(
                StatusCode::SERVICE_UNAVAILABLE,
                r#"{"errorType":"Stopping"}"#,
            );
        };
        if !reply.is_closed() && !lock(&shared.waiting).contains_key(&invocation.request_id) {
            break (invocation, reply, handed);
        }
    };
    let deadline = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .saturating_add(invocation.timeout)
        .as_millis();
    let id = &invocation.request_id;
    let handed = HttpResponse::builder()
        .header(http::header::CONTENT_TYPE, "application/json")
        .header("lambda-runtime-aws-request-id", id.as_str())
        .header("lambda-runtime-deadline-ms", deadline.to_string())
        .header(
            "lambda-runtime-invoked-function-arn",
            "arn:aws:lambda:us-east-1:123456789012:function:local",
        )
        .header("lambda-runtime-trace-id", invocation.trace_id.as_str())
        .header("lambda-runtime-invocation-id", format!("inv-{id}"))
        .body(Full::new(Bytes::from(invocation.event)));
    let Ok(handed) = handed else {
        // A request id or trace id that is not a header value: the invoker gets `None`.
        return reply_with(
            StatusCode::INTERNAL_SERVER_ERROR,
            r#"{"errorType":"InvalidInvocation"}"#,
        );
    };
    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
    lock(&shared.waiting).insert(invocation.request_id.clone(), outcome);
    if let Some(taken) = taken {
        let _ = taken.send(());
    }
    // Unanswered a second past its deadline: given up, as Lambda would have stopped the function.
    let shared = Arc::downgrade(shared);
    let request_id = invocation.request_id;
    tokio::spawn(async move {
        tokio::time::sleep(invocation.timeout + GRACE).await;
        if let Some(shared) = shared.upgrade() {
            if lock(&shared.waiting).remove(&request_id).is_some() {
                shared.in_flight.fetch_sub(1, Ordering::SeqCst);
            }
        }
    });
    handed
}

/// `POST /runtime/invocation/{id}/response`: hands the answer over at its head, then relays its
/// body frame by frame; the POST is acknowledged when the body has ended, as Lambda does.
async fn respond(request_id: String, request: Request<Incoming>, sender: oneshot::Sender<Outcome>) {
    let (parts, mut body) = request.into_parts();
    let (frames, receiver) = mpsc::channel(FRAMES_IN_FLIGHT);
    let response = Response {
        request_id,
        headers: parts.headers,
        arrived: Instant::now(),
        body: ResponseBody { frames: receiver },
    };
    // A reader that gave up still lets the function finish its POST.
    let mut relay = Relay {
        frames: sender
            .send(Outcome::Response(response))
            .is_ok()
            .then_some(frames),
        ended: false,
    };
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Err(_) => {
                relay.send(Frame::Broken).await;
                relay.ended = true;
                return;
            }
            Ok(frame) => match frame.into_data() {
                Ok(data) => Frame::Data(data, Instant::now()),
                Err(frame) => match frame.into_trailers() {
                    Ok(trailers) => Frame::Trailers(trailers),
                    Err(_) => continue,
                },
            },
        };
        relay.send(frame).await;
    }
    relay.ended = true;
}

/// Hands an answer's frames to its reader; tells the reader when the body was cut off (a
/// failed connection, or the API stopping while it was read).
struct Relay {
    frames: Option<mpsc::Sender<Frame>>,
    ended: bool,
}

impl Relay {
    async fn send(&mut self, frame: Frame) {
        if let Some(frames) = &self.frames {
            if frames.send(frame).await.is_err() {
                self.frames = None;
            }
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        if let (Some(frames), false) = (&self.frames, self.ended) {
            let _ = frames.try_send(Frame::Broken);
        }
    }
}

/// An error posted to `invocation/{id}/error`, `init/error` or `restore/error`.
async fn function_error(request_id: String, request: Request<Incoming>) -> FunctionError {
    let (parts, body) = request.into_parts();
    let error_type = parts
        .headers
        .get("lambda-runtime-function-error-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = match body.collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => Bytes::new(),
    };
    FunctionError {
        request_id,
        error_type,
        body,
    }
}
