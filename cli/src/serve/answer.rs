//! What the front door makes of what the function posted: the client's answer, by the front
//! door's rules ([`check`](crate::check) decides whether the envelope is delivered,
//! [`Received`](crate::contract::Received) what the client then receives), or the front door's
//! own answer with the reason, for the gateway's log.

use crate::check::{self, Severity};
use crate::contract::Received;
use crate::runtime_api::{Frame, Outcome, ResponseBody};
use bytes::Bytes;
use http::{HeaderName, HeaderValue, Response, StatusCode};
use lambda_proxy_core::front_door::{MissingStatus, OwnAnswer, PRELUDE_DELIMITER, PRELUDE_LIMIT};
use lambda_proxy_core::FrontDoor;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The body of the gateway's answers: whole, or relayed as the function streams it.
pub(crate) type Body = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

/// The client's answer, and why the front door answered on its own when it did.
pub(crate) struct Answer {
    pub(crate) response: Response<Body>,
    /// Why the function's answer did not reach the client (the log prints it).
    pub(crate) failure: Option<String>,
    /// Findings that did not stop the answer (warnings), for the log.
    pub(crate) notes: Vec<String>,
}

impl Answer {
    fn delivered(response: Response<Body>, notes: Vec<String>) -> Answer {
        Answer {
            response,
            failure: None,
            notes,
        }
    }
}

fn whole(bytes: impl Into<Bytes>) -> Body {
    use http_body_util::BodyExt;
    http_body_util::Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// The front door's own answer (`answer`), for `failure`.
pub(crate) fn own(answer: OwnAnswer, failure: String) -> Answer {
    let mut response = Response::new(whole(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(answer.content_type),
    );
    Answer {
        response,
        failure: Some(failure),
        notes: Vec::new(),
    }
}

/// The front door's answer to a function that failed, or whose envelope it does not deliver.
pub(crate) fn failed(front_door: FrontDoor, failure: String) -> Answer {
    // The gateway serves only front doors whose answer is documented (`Options::check`).
    let answer = front_door.profile().failed.unwrap_or(OwnAnswer {
        status: 502,
        content_type: "text/plain",
        body: "Bad Gateway",
    });
    own(answer, failure)
}

/// How the gateway treats a streamed answer: relayed as it comes (the front door set to stream),
/// or collected and delivered whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Buffered,
    Streaming,
}

/// What happens to the environment once the answer is out: kept (`true`) for the next request,
/// or stopped (`false`: the function ran out of time, or its answer was cut off).
pub(crate) type Finish = Box<dyn FnOnce(bool) + Send + Sync>;

/// What the front door makes of `outcome`, whose body must end by `deadline`; `accept` is the
/// request's `Accept` header and `binary_types` the REST API's `binaryMediaTypes`. `finish` is
/// called once the function's answer has ended (for a relayed stream, when the stream does).
pub(crate) async fn of(
    outcome: Outcome,
    front_door: FrontDoor,
    mode: Mode,
    request: (Option<&str>, &[String]),
    deadline: tokio::time::Instant,
    finish: Finish,
) -> Answer {
    let response = match outcome {
        Outcome::Error(error) => {
            finish(true);
            return failed(
                front_door,
                format!(
                    "the function failed: {} {}",
                    error.error_type.as_deref().unwrap_or("(no error type)"),
                    String::from_utf8_lossy(&error.body)
                ),
            );
        }
        Outcome::Response(response) => response,
    };
    if response.is_streamed() {
        return streamed(response.body, front_door, mode, deadline, finish).await;
    }
    let limit = front_door.profile().size_limit;
    let read = read(response.body, Vec::new(), front_door, limit, deadline).await;
    finish(read.is_ok());
    let body = match read {
        Ok(body) => body,
        Err(failure) => return failed(front_door, failure.to_string()),
    };
    let envelope: Value = match serde_json::from_slice(&body) {
        Ok(envelope) => envelope,
        Err(error) => {
            return failed(
                front_door,
                format!(
                    "the function's output is not JSON ({error}): Malformed Lambda proxy response"
                ),
            )
        }
    };
    let (accept, binary_types) = request;
    buffered(&envelope, body.len(), front_door, accept, binary_types)
}

/// Why the rest of an answer's body was not read.
enum ReadFailure {
    TooLarge(usize, usize, FrontDoor),
    Failed(String),
    Cut,
    TimedOut,
}

impl std::fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadFailure::TooLarge(size, limit, door) => write!(
                f,
                "the response is more than {size} bytes; {door} takes at most {limit} (Lambda: \"Response payload size exceeded\")"
            ),
            ReadFailure::Failed(error_type) => write!(f, "the stream failed: {error_type}"),
            ReadFailure::Cut => f.write_str("the function's answer was cut off"),
            ReadFailure::TimedOut => f.write_str(
                "Task timed out (Sandbox.Timedout) while the function was still sending its answer: the environment is stopped",
            ),
        }
    }
}

/// The rest of `body` after `read`, at most `limit` bytes, by `deadline`.
async fn read(
    mut body: ResponseBody,
    mut read: Vec<u8>,
    front_door: FrontDoor,
    limit: usize,
    deadline: tokio::time::Instant,
) -> Result<Vec<u8>, ReadFailure> {
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .map_err(|_| ReadFailure::TimedOut)?;
        match frame {
            Some(Frame::Data(data, _)) => {
                read.extend_from_slice(&data);
                if read.len() > limit {
                    return Err(ReadFailure::TooLarge(read.len(), limit, front_door));
                }
            }
            Some(Frame::Trailers(trailers)) => {
                return Err(ReadFailure::Failed(error_type(&trailers)))
            }
            Some(Frame::Broken) => return Err(ReadFailure::Cut),
            None => return Ok(read),
        }
    }
}

/// A buffered envelope, judged by the checker and delivered as the front door delivers it.
fn buffered(
    envelope: &Value,
    size: usize,
    front_door: FrontDoor,
    accept: Option<&str>,
    binary_types: &[String],
) -> Answer {
    let report = check::check_sized(envelope, front_door, size);
    if !report.accepted() {
        return failed(
            front_door,
            format!("Malformed Lambda proxy response\n{report}"),
        );
    }
    let notes = report
        .findings()
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| format!("{}: {}: {}", f.severity, f.path, f.message))
        .collect();
    let profile = front_door.profile();
    let has_status = envelope.get("statusCode").is_some();
    if !has_status && profile.missing_status == MissingStatus::InferredBody {
        // Payload 2.0: a value without `statusCode` is the body of a 200 JSON answer.
        let mut response = Response::new(whole(envelope.to_string()));
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return Answer::delivered(response, notes);
    }
    let mut received = Received::of(envelope, front_door);
    if !has_status {
        received.status = 200;
    }
    let base64 = envelope["isBase64Encoded"].as_bool().unwrap_or(false);
    if base64 && profile.binary_media_types && !binary_type(accept, binary_types) {
        // A REST API decodes a base64 body only for its binary media types.
        received.body = envelope["body"].as_str().unwrap_or("").as_bytes().to_vec();
    }
    let mut response = Response::new(whole(received.body));
    *response.status_mut() = StatusCode::from_u16(received.status).unwrap_or(StatusCode::OK);
    add_headers(&mut response, received.headers);
    Answer::delivered(response, notes)
}

/// Whether the request's first `Accept` type is one of the API's binary media types (DOC: API
/// Gateway "binary support").
fn binary_type(accept: Option<&str>, binary_types: &[String]) -> bool {
    let first = accept
        .and_then(|accept| accept.split(',').next())
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    binary_types.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        t == "*/*"
            || t == first
            || t.strip_suffix("/*")
                .is_some_and(|prefix| first.split('/').next() == Some(prefix))
    })
}

/// The function's headers on the client's answer; the ones that frame the message
/// (`content-length`, `transfer-encoding`, `connection`) are the gateway's to write, as they are
/// API Gateway's.
fn add_headers(response: &mut Response<Body>, headers: Vec<(String, String)>) {
    for (name, value) in headers {
        if matches!(
            name.as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            response.headers_mut().append(name, value);
        }
    }
}

/// A streamed answer: its prelude read and checked, then its body relayed as it comes
/// ([`Mode::Streaming`]) or collected within the front door's limit; a failure after the
/// prelude cuts the client's response short, as Lambda does.
async fn streamed(
    mut body: ResponseBody,
    front_door: FrontDoor,
    mode: Mode,
    deadline: tokio::time::Instant,
    finish: Finish,
) -> Answer {
    let mut head = Vec::new();
    let at = loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(frame) => frame,
            Err(_) => {
                finish(false);
                return failed(front_door, ReadFailure::TimedOut.to_string());
            }
        };
        let failure = match frame {
            Some(Frame::Data(data, _)) => {
                head.extend_from_slice(&data);
                if let Some(at) = head
                    .windows(PRELUDE_DELIMITER.len())
                    .position(|w| w == PRELUDE_DELIMITER)
                {
                    break at;
                }
                if head.len() <= PRELUDE_LIMIT + PRELUDE_DELIMITER.len() {
                    continue;
                }
                format!("the streamed response's prelude is longer than {PRELUDE_LIMIT} bytes")
            }
            Some(Frame::Trailers(trailers)) => format!(
                "the stream failed before its prelude: {}",
                error_type(&trailers)
            ),
            Some(Frame::Broken) | None => "the streamed response has no prelude".to_owned(),
        };
        finish(false);
        return failed(front_door, failure);
    };
    let prelude: Value = match serde_json::from_slice(&head[..at]) {
        Ok(prelude) => prelude,
        Err(error) => {
            finish(false);
            return failed(
                front_door,
                format!("the streamed response's prelude is not JSON: {error}"),
            );
        }
    };
    let first = head[at + PRELUDE_DELIMITER.len()..].to_vec();
    let received = Received::of(&prelude, front_door);
    let status = StatusCode::from_u16(received.status).unwrap_or(StatusCode::OK);
    let mut response = match mode {
        Mode::Streaming => Response::new(http_body_util::BodyExt::boxed(Relay::new(
            Bytes::from(first),
            body,
            deadline,
            finish,
        ))),
        Mode::Buffered => {
            let limit = front_door.profile().size_limit;
            let read = read(body, first, front_door, limit, deadline).await;
            finish(read.is_ok());
            match read {
                Ok(all) => Response::new(whole(all)),
                Err(failure) => return failed(front_door, failure.to_string()),
            }
        }
    };
    *response.status_mut() = status;
    add_headers(&mut response, received.headers);
    Answer::delivered(response, Vec::new())
}

fn error_type(trailers: &http::HeaderMap) -> String {
    trailers
        .get("lambda-runtime-function-error-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("(no error type)")
        .to_owned()
}

/// A streamed body relayed to the client; the function's error trailers end it with an error,
/// which cuts the client's response short (no final chunk), as Lambda does; so does the
/// function's deadline. The environment is finished when the stream ends.
struct Relay {
    first: Option<Bytes>,
    body: ResponseBody,
    deadline: Pin<Box<tokio::time::Sleep>>,
    /// The failure, held back until what came before it has been written: hyper drops what it
    /// has not flushed when a body fails, and flushes when the body is pending.
    failing: Option<(String, Pin<Box<tokio::time::Sleep>>)>,
    finish: Option<Finish>,
}

impl Relay {
    fn new(
        first: Bytes,
        body: ResponseBody,
        deadline: tokio::time::Instant,
        finish: Finish,
    ) -> Relay {
        Relay {
            first: Some(first),
            body,
            deadline: Box::pin(tokio::time::sleep_until(deadline)),
            failing: None,
            finish: Some(finish),
        }
    }

    fn finish(&mut self, keep: bool) {
        if let Some(finish) = self.finish.take() {
            finish(keep);
        }
    }
}

/// A relay dropped before its end (the client went away): the environment is stopped, as it may
/// still be sending.
impl Drop for Relay {
    fn drop(&mut self) {
        self.finish(false);
    }
}

impl http_body::Body for Relay {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        if let Some((failure, flushed)) = self.failing.as_mut() {
            std::task::ready!(flushed.as_mut().poll(cx));
            let failure = std::mem::take(failure);
            return Poll::Ready(Some(Err(std::io::Error::other(failure))));
        }
        if let Some(first) = self.first.take().filter(|first| !first.is_empty()) {
            return Poll::Ready(Some(Ok(http_body::Frame::data(first))));
        }
        let failure = match self.body.poll_frame(cx) {
            Poll::Ready(Some(Frame::Data(data, _))) => {
                return Poll::Ready(Some(Ok(http_body::Frame::data(data))))
            }
            Poll::Ready(None) => {
                self.finish(true);
                return Poll::Ready(None);
            }
            Poll::Ready(Some(Frame::Trailers(trailers))) => {
                format!("the stream failed: {}", error_type(&trailers))
            }
            Poll::Ready(Some(Frame::Broken)) => "the streamed response was cut off".to_owned(),
            Poll::Pending => {
                std::task::ready!(self.deadline.as_mut().poll(cx));
                ReadFailure::TimedOut.to_string()
            }
        };
        self.finish(false);
        let flushed = Box::pin(tokio::time::sleep(FLUSH));
        self.failing = Some((failure, flushed));
        self.poll_frame(cx)
    }
}

/// How long a failed stream's last bytes are given to reach the client before it is cut.
const FLUSH: std::time::Duration = std::time::Duration::from_millis(100);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_media_types_match_the_first_accept_type() {
        let types = ["image/*".to_owned(), "application/pdf".to_owned()];
        assert!(binary_type(Some("image/png, */*"), &types));
        assert!(binary_type(Some("application/pdf;q=1"), &types));
        assert!(!binary_type(Some("text/html, image/png"), &types));
        assert!(!binary_type(None, &types));
        assert!(binary_type(Some("text/html"), &["*/*".to_owned()]));
    }
}
