//! `lambda-proxy serve`: a strict local gateway. It listens on a local port and, for each HTTP
//! request, writes the event the chosen front door would send ([`event`](crate::event)), hands it
//! to the function through a Lambda Runtime API of its own ([`runtime_api`](crate::runtime_api);
//! any language, any runtime loop, one process per execution environment, up to the
//! concurrency), and answers as the front door would: the envelope delivered by the front door's
//! rules, or the front door's own answer (its 502, 500, 504 or 503) with the reason printed: the
//! checker's finding for a malformed envelope, the size for an answer over the limit, the
//! function's timeout or the front door's integration timeout, a process that exited.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use lambda_proxy_cli::serve::{serve, Options};
//! use lambda_proxy_cli::FrontDoor;
//!
//! let mut options = Options::new(vec!["target/debug/my-function".to_owned()]);
//! options.front_door = FrontDoor::RestApi;
//! options.stage = Some("dev".to_owned());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:9000").await?;
//! serve(options, listener, |line| eprintln!("{line}")).await
//! # }
//! ```

mod answer;
mod pool;

use crate::event::HttpRequest;
use crate::runtime_api::Invocation;
use answer::{Answer, Body, Mode};
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use lambda_proxy_core::front_door::OwnAnswer;
use lambda_proxy_core::FrontDoor;
use pool::{Ended, Launch, Pool, Shape};
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;

/// The largest request body API Gateway takes: 10 MB (DOC: "API Gateway quotas", payload size).
const REQUEST_LIMIT: usize = 10 * 1024 * 1024;

/// How the gateway runs the function.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The front door it behaves as: REST API, HTTP API (payload 1.0 or 2.0), function URL or
    /// ALB.
    pub front_door: FrontDoor,
    /// A REST API's stage (`prod` unless set), which begins every request's path; an HTTP API's
    /// named stage (`$default` unless set).
    pub stage: Option<String>,
    /// The function's timeout (Lambda's default: 3 s).
    pub timeout: Duration,
    /// How many execution environments may run at once, one process each.
    pub concurrency: usize,
    /// Lambda Managed Instances: one process serving this many invocations at once
    /// (`AWS_LAMBDA_MAX_CONCURRENCY`), in place of [`concurrency`](Options::concurrency).
    pub max_concurrency: Option<usize>,
    /// Whether the front door streams answers (a function URL with `InvokeMode:
    /// RESPONSE_STREAM`, a REST API with `responseTransferMode: STREAM`).
    pub stream: bool,
    /// A REST API's `binaryMediaTypes`: base64 bodies are decoded for requests whose first
    /// `Accept` type is one of them, and delivered as base64 text otherwise.
    pub binary_media_types: Vec<String>,
    /// The command that runs the function, and its arguments.
    pub command: Vec<String>,
    /// `AWS_LAMBDA_FUNCTION_NAME`.
    pub function_name: String,
}

impl Options {
    /// `command` behind a REST API's `prod` stage, with Lambda's defaults: a 3 s timeout, one
    /// environment.
    pub fn new(command: Vec<String>) -> Options {
        Options {
            front_door: FrontDoor::RestApi,
            stage: None,
            timeout: Duration::from_secs(3),
            concurrency: 1,
            max_concurrency: None,
            stream: false,
            binary_media_types: Vec::new(),
            command,
            function_name: "local".to_owned(),
        }
    }

    fn check(&self) -> std::io::Result<()> {
        let refuse = |message: String| {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                message,
            ))
        };
        // It answers failures with the front door's own answer: one whose answer is documented.
        if self.front_door.profile().failed.is_none() {
            return refuse(format!(
                "the gateway does not serve as {}: what it answers on its own is not documented",
                self.front_door
            ));
        }
        if self.command.is_empty() {
            return refuse("no command to run the function".to_owned());
        }
        if self.stream && self.front_door.profile().streaming.is_none() {
            return refuse(format!("{} does not stream answers", self.front_door));
        }
        if self.stage.is_some()
            && !matches!(
                self.front_door,
                FrontDoor::RestApi | FrontDoor::HttpApiV1 | FrontDoor::HttpApiV2
            )
        {
            return refuse(format!("{} has no stages", self.front_door));
        }
        if let Some(stage) = &self.stage {
            let valid = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
            if stage.is_empty() || !(stage == "$default" || stage.chars().all(valid)) {
                return refuse(format!(
                    "a stage name is letters, digits, - and _, not {stage:?}"
                ));
            }
        }
        if self.max_concurrency.is_some() && self.concurrency > 1 {
            return refuse("a managed instance is one process: give the concurrency or the maximum concurrency, not both".to_owned());
        }
        if self.max_concurrency == Some(0) || self.concurrency == 0 {
            return refuse("the concurrency is at least 1".to_owned());
        }
        if self.timeout.is_zero() || self.timeout > Duration::from_secs(900) {
            return refuse("the timeout is 1 to 900 seconds, as Lambda's".to_owned());
        }
        Ok(())
    }
}

struct State {
    options: Options,
    pool: Arc<Pool>,
    log: Box<dyn Fn(String) + Send + Sync>,
    requests: AtomicU64,
}

/// Serves `listener` until the process ends, writing one line per request (and the reason for
/// every answer the front door gave on its own) to `log`.
pub async fn serve(
    options: Options,
    listener: TcpListener,
    log: impl Fn(String) + Send + Sync + 'static,
) -> std::io::Result<()> {
    options.check()?;
    let launch = Launch {
        command: options.command.clone(),
        function_name: options.function_name.clone(),
        timeout: options.timeout,
    };
    let shape = match options.max_concurrency {
        Some(max) => Shape::ManagedInstance(max),
        None => Shape::Environments(options.concurrency),
    };
    let pool = Arc::new(Pool::new(launch, shape));
    let state = Arc::new(State {
        options,
        pool,
        log: Box::new(log),
        requests: AtomicU64::new(0),
    });
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(handle(&state, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(state: &State, request: Request<Incoming>) -> Response<Body> {
    let started = Instant::now();
    let number = state.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let request_id = request_id(number);
    let method = request.method().to_string();
    let target = request
        .uri()
        .path_and_query()
        .map_or("/".to_owned(), |p| p.as_str().to_owned());
    let (answer, environment) = answer(state, request, &request_id).await;
    let status = answer.response.status().as_u16();
    (state.log)(format!(
        "{method} {target} {status} {:.1} ms {request_id}{}",
        started.elapsed().as_secs_f64() * 1000.0,
        environment.map_or(String::new(), |n| format!(" (environment {n})")),
    ));
    if let Some(failure) = &answer.failure {
        for line in failure.lines() {
            (state.log)(format!("  {line}"));
        }
    }
    for note in &answer.notes {
        (state.log)(format!("  {note}"));
    }
    answer.response
}

/// A request id in the shape of Lambda's (a UUID), unique to this gateway's run.
fn request_id(number: u64) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let bits = (nanos as u64) ^ (u64::from(std::process::id()) << 32);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (bits >> 32) as u32,
        (bits >> 16) as u16,
        bits as u16 & 0xfff,
        (number >> 48) as u16 & 0xfff,
        number & 0xffff_ffff_ffff
    )
}

/// The answer to `request`, and the environment that served it.
async fn answer(
    state: &State,
    request: Request<Incoming>,
    request_id: &str,
) -> (Answer, Option<usize>) {
    let options = &state.options;
    let front_door = options.front_door;
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, REQUEST_LIMIT).collect().await {
        Ok(body) => body.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            let answer = OwnAnswer {
                status: 413,
                content_type: "application/json",
                body: r#"{"message":"Request Entity Too Large"}"#,
            };
            let reason = format!("the request body is larger than {REQUEST_LIMIT} bytes");
            return (answer::own(answer, reason), None);
        }
        Err(error) => {
            let answer = OwnAnswer {
                status: 400,
                content_type: "application/json",
                body: r#"{"message":"Bad Request"}"#,
            };
            let reason = format!("the request body could not be read: {error}");
            return (answer::own(answer, reason), None);
        }
    };
    let http = match http_request(options, &parts, body, request_id) {
        Ok(http) => http,
        Err(answer) => return (answer, None),
    };
    let event = match http.event() {
        Ok(event) => event,
        Err(error) => {
            return (
                answer::failed(front_door, format!("no event for this request: {error}")),
                None,
            )
        }
    };
    let profile = front_door.profile();
    let integration = match (options.stream, profile.streaming) {
        (true, Some(streaming)) => streaming.timeout_ms,
        _ => profile.integration_timeout_ms,
    }
    .map(Duration::from_millis);
    // The front door gives up at its integration timeout if that comes first.
    let limit = integration.map_or(options.timeout, |i| i.min(options.timeout));
    let event = event.to_string().into_bytes();
    let mut retried = false;
    let (lease, ended) = loop {
        let lease = match state.pool.lease().await {
            Ok(lease) => lease,
            Err(error) => {
                let reason = format!("the function's environment did not start: {error}");
                return (answer::failed(front_door, reason), None);
            }
        };
        let invocation = Invocation::new(request_id, event.clone(), options.timeout);
        match lease.environment.invoke(invocation, limit).await {
            // An environment whose process ended after its last answer: once more, in another.
            Ended::Gone(_) if !retried => retried = true,
            Ended::Gone(status) => break (lease, Ended::Exited(status)),
            ended => break (lease, ended),
        }
    };
    let number = lease.environment.number;
    let accept = parts
        .headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let answer = match ended {
        Ended::Posted(outcome, deadline) => {
            let mode = if options.stream {
                Mode::Streaming
            } else {
                Mode::Buffered
            };
            let pool = state.pool.clone();
            let finish: answer::Finish = Box::new(move |keep| {
                if keep {
                    pool.release(lease);
                }
            });
            let request = (accept, options.binary_media_types.as_slice());
            answer::of(outcome, front_door, mode, request, deadline, finish).await
        }
        Ended::TimedOut if integration.is_some_and(|i| i < options.timeout) => {
            let reason = format!(
                "{front_door}'s integration timeout ({:.0} s) passed before the function answered; the environment is stopped",
                limit.as_secs_f64()
            );
            match profile.timed_out {
                Some(timed_out) => answer::own(timed_out, reason),
                None => answer::failed(front_door, reason),
            }
        }
        Ended::TimedOut => answer::failed(
            front_door,
            format!(
                "Task timed out after {:.2} seconds (Sandbox.Timedout): the environment is stopped",
                options.timeout.as_secs_f64()
            ),
        ),
        Ended::Exited(status) | Ended::Gone(status) => {
            let init = lease.environment.init_error();
            let mut reason =
                format!("Runtime.ExitError: the function's process exited ({status}); the next request starts a new environment");
            if let Some(init) = init {
                reason.push_str(&format!("\ninit error: {init}"));
            }
            answer::failed(front_door, reason)
        }
    };
    (answer, Some(number))
}

/// The request as the front door receives it: the stage taken off a REST API's path (and a named
/// HTTP API stage's), which the event writer puts back where the front door does.
#[allow(clippy::result_large_err)]
fn http_request(
    options: &Options,
    parts: &http::request::Parts,
    body: Bytes,
    request_id: &str,
) -> Result<HttpRequest, Answer> {
    let front_door = options.front_door;
    let mut path = parts.uri.path().to_owned();
    let stage = match (front_door, &options.stage) {
        (FrontDoor::RestApi, stage) => Some(stage.clone().unwrap_or_else(|| "prod".to_owned())),
        (FrontDoor::HttpApiV1 | FrontDoor::HttpApiV2, Some(stage)) if stage != "$default" => {
            Some(stage.clone())
        }
        _ => None,
    };
    if let Some(stage) = &stage {
        let prefix = format!("/{stage}");
        match path.strip_prefix(&prefix) {
            Some("") => path = "/".to_owned(),
            Some(rest) if rest.starts_with('/') => path = rest.to_owned(),
            _ => {
                // API Gateway's answer to a path outside every stage: a REST API's 403, an HTTP
                // API's 404.
                let answer = match front_door {
                    FrontDoor::RestApi => OwnAnswer {
                        status: 403,
                        content_type: "application/json",
                        body: r#"{"message":"Missing Authentication Token"}"#,
                    },
                    _ => OwnAnswer {
                        status: 404,
                        content_type: "application/json",
                        body: r#"{"message":"Not Found"}"#,
                    },
                };
                let reason =
                    format!("the path is not under the stage: requests go to /{stage}/...");
                return Err(answer::own(answer, reason));
            }
        }
    }
    let mut http = HttpRequest::new(front_door, parts.method.as_str(), &path);
    http.stage = options.stage.clone();
    if let Some(query) = parts.uri.query() {
        http.raw_query = Some(query.to_owned());
        http.query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let decode = |s: &str| {
                    let s = s.replace('+', " ");
                    percent_encoding::percent_decode_str(&s)
                        .decode_utf8_lossy()
                        .into_owned()
                };
                (decode(name), decode(value))
            })
            .collect();
    }
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        if name == http::header::COOKIE
            && matches!(front_door, FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl)
        {
            http.cookies.extend(
                value
                    .split(';')
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty()),
            );
        } else {
            http.headers.push((name.as_str().to_owned(), value));
        }
    }
    if !body.is_empty() {
        let text = std::str::from_utf8(&body).is_ok();
        http.binary = !text;
        http.body = Some(body.to_vec());
    }
    http.context_request_id = request_id.to_owned();
    http.time_epoch_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    Ok(http)
}
