//! The body of a streamed answer as it is posted to the Lambda Runtime API: the prelude, then
//! the chunks, each asked for under the panic guard, the deadline and the size limit; a failure
//! ends the body with Lambda's error trailers.

use super::Chunks;
use crate::exit::record::{Closing, ErrorKind};
use crate::guards::{self, Budget};
use crate::handler::RequestId;
use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use http_body::Frame;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The trailer that names the kind of a failure after the first byte (DOC: "Custom runtime:
/// response streaming").
pub(crate) const ERROR_TYPE: HeaderName =
    HeaderName::from_static("lambda-runtime-function-error-type");
/// The trailer that carries the failure's body, base64.
pub(crate) const ERROR_BODY: HeaderName =
    HeaderName::from_static("lambda-runtime-function-error-body");

/// The posted body of a streamed answer.
pub(crate) struct Flow {
    /// The prelude, its delimiter, and what the exit already has of the body.
    head: Option<Bytes>,
    chunks: Option<Chunks>,
    timer: Option<Pin<Box<Budget>>>,
    /// The bytes handed to the connection so far, the prelude's included.
    sent: u64,
    /// The prelude's and its delimiter's bytes.
    prelude: u64,
    limit: Option<u64>,
    /// The access record and the metrics, written when the stream ends.
    closing: Option<Closing>,
    request_id: RequestId,
    /// The invocation's span, entered while the stream is polled (hyper polls the body on its
    /// connection's task, outside it).
    span: tracing::Span,
}

impl Flow {
    /// The body of a streamed answer: `head` (the prelude, the delimiter, the first bytes; the
    /// first `prelude` of them the prelude and the delimiter), then `chunks` within `budget` from
    /// now and `limit` bytes in all; `closing` is written when it ends.
    pub(crate) fn new(
        head: Bytes,
        prelude: usize,
        chunks: Option<Chunks>,
        budget: Option<Duration>,
        limit: Option<u64>,
        request_id: RequestId,
        closing: Option<Closing>,
    ) -> Flow {
        let timer = match &chunks {
            Some(_) => budget.and_then(Budget::start),
            None => None,
        };
        let mut flow = Flow {
            sent: 0,
            prelude: prelude as u64,
            head: Some(head),
            chunks,
            timer,
            limit,
            request_id,
            closing,
            span: tracing::Span::current(),
        };
        if flow.chunks.is_none() {
            // All of it is in the head.
            flow.sent = flow.head.as_ref().map_or(0, |head| head.len() as u64);
            flow.close(None);
        }
        flow
    }

    /// Writes the record of the answer: its bytes after the prelude, and what ended it early.
    fn close(&mut self, failure: Option<ErrorKind>) {
        if let Some(closing) = self.closing.take() {
            let _entered = self.span.enter();
            closing.close(self.sent.saturating_sub(self.prelude), failure);
        }
    }

    /// Ends the stream: the chunks are dropped (nothing after the failure is sent) and Lambda is
    /// told with the trailers.
    #[cold]
    fn fail(
        &mut self,
        error_type: &'static str,
        kind: ErrorKind,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.chunks = None;
        self.timer = None;
        self.close(Some(kind));
        let request_id = self.request_id.as_str().unwrap_or("");
        let body = serde_json::json!({
            "errorType": error_type,
            "errorMessage": format!(
                "the streamed response ended early; see the function's log for request {request_id}"
            ),
        });
        let body = base64::engine::general_purpose::STANDARD.encode(body.to_string());
        let mut trailers = HeaderMap::with_capacity(2);
        trailers.insert(ERROR_TYPE, HeaderValue::from_static(error_type));
        if let Ok(body) = HeaderValue::from_str(&body) {
            trailers.insert(ERROR_BODY, body);
        }
        Poll::Ready(Some(Ok(Frame::trailers(trailers))))
    }
}

impl Flow {
    /// Ends the stream at its deadline, `elapsed` after its budget started.
    #[cold]
    fn timed_out(&mut self, elapsed: Duration) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        tracing::warn!(
            request_id = self.request_id.as_str().unwrap_or(""),
            elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            "the streamed response did not end within its time budget; ending it"
        );
        self.fail("LambdaProxy.Timeout", ErrorKind::Timeout)
    }
}

impl http_body::Body for Flow {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if let Some(head) = this.head.take() {
            this.sent += head.len() as u64;
            return Poll::Ready(Some(Ok(Frame::data(head))));
        }
        let Some(chunks) = this.chunks.as_mut() else {
            return Poll::Ready(None);
        };
        // The deadline first, from the clock: a stream that is always ready never lets the
        // runtime fire the timer.
        if let Some(timer) = this.timer.as_ref() {
            if let Some(elapsed) = timer.overdue() {
                return this.timed_out(elapsed);
            }
        }
        let polled = {
            let _entered = this.span.enter();
            // The handler's metrics recorder is the current one while its stream runs.
            let start = this.closing.as_mut().map(Closing::start);
            let (start, recorder) = match start {
                Some(start) => {
                    let entered = start.enter();
                    (Some(start), entered)
                }
                None => (None, None),
            };
            let polled = guards::panic_guard(|| chunks.as_mut().poll_next(cx));
            if let Some(start) = start {
                start.leave(recorder);
            }
            polled
        };
        let request_id = this.request_id.as_str();
        match polled {
            Ok(Poll::Ready(Some(Ok(chunk)))) => {
                let sent = this.sent + chunk.len() as u64;
                if let Some(limit) = this.limit.filter(|limit| sent > *limit) {
                    tracing::error!(
                        request_id = request_id.unwrap_or(""),
                        limit,
                        "the streamed response would pass the front door's size limit; ending it"
                    );
                    return this.fail("LambdaProxy.ResponseTooLarge", ErrorKind::Oversize);
                }
                this.sent = sent;
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
            Ok(Poll::Ready(Some(Err(failure)))) => {
                failure.log(request_id, "after its first bytes; ending it");
                this.fail(failure.error_type(), failure.kind())
            }
            Ok(Poll::Ready(None)) => {
                this.chunks = None;
                this.timer = None;
                this.close(None);
                Poll::Ready(None)
            }
            Err(payload) => {
                tracing::error!(
                    request_id = request_id.unwrap_or(""),
                    panic = guards::panic_message(payload.as_ref()),
                    "the stream panicked after its first bytes; ending it"
                );
                this.fail("LambdaProxy.Panic", ErrorKind::Panic)
            }
            Ok(Poll::Pending) => {
                let Some(timer) = this.timer.as_mut() else {
                    return Poll::Pending;
                };
                let elapsed = std::task::ready!(timer.as_mut().poll_expired(cx));
                this.timed_out(elapsed)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.head.is_none() && self.chunks.is_none()
    }
}

/// A flow dropped before its end (the connection to the Runtime API failed) is recorded as
/// aborted.
impl Drop for Flow {
    fn drop(&mut self) {
        self.close(Some(ErrorKind::Aborted));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    /// The frames of `flow`: data as text, trailers as their error type.
    async fn frames(mut flow: Flow) -> Vec<String> {
        let mut seen = Vec::new();
        while let Some(frame) = flow.frame().await {
            let Ok(frame) = frame;
            match frame.into_data() {
                Ok(data) => seen.push(String::from_utf8(data.to_vec()).unwrap()),
                Err(frame) => {
                    let trailers = frame.into_trailers().unwrap();
                    assert!(trailers.contains_key(ERROR_BODY));
                    seen.push(format!("trailer {:?}", trailers[ERROR_TYPE]));
                }
            }
        }
        seen
    }

    fn chunks(items: &'static [&'static str]) -> Chunks {
        Box::pin(futures_util::stream::iter(
            items.iter().map(|s| Ok(Bytes::from_static(s.as_bytes()))),
        ))
    }

    #[tokio::test]
    async fn the_chunk_that_would_pass_the_limit_is_not_sent() {
        let head = Bytes::from_static(b"P");
        let flow = Flow::new(
            head,
            1,
            Some(chunks(&["aaaa", "bbbb", "cccc"])),
            None,
            Some(9),
            RequestId::new("r"),
            None,
        );
        assert_eq!(
            frames(flow).await,
            [
                "P",
                "aaaa",
                "bbbb",
                "trailer \"LambdaProxy.ResponseTooLarge\""
            ]
        );
        let head = Bytes::from_static(b"P");
        let flow = Flow::new(
            head,
            1,
            Some(chunks(&["aaaa", "bbbb"])),
            None,
            Some(9),
            RequestId::new("r"),
            None,
        );
        assert_eq!(frames(flow).await, ["P", "aaaa", "bbbb"]);
    }

    #[tokio::test]
    async fn the_deadline_ends_a_stream_that_is_always_ready() {
        let endless: Chunks = Box::pin(futures_util::stream::repeat_with(|| {
            Ok(Bytes::from_static(b"x"))
        }));
        let flow = Flow::new(
            Bytes::from_static(b"P"),
            1,
            Some(endless),
            Some(Duration::from_millis(20)),
            None,
            RequestId::new("r"),
            None,
        );
        let seen = tokio::time::timeout(Duration::from_secs(30), frames(flow))
            .await
            .expect("the deadline ended the stream");
        assert_eq!(seen.last().unwrap(), "trailer \"LambdaProxy.Timeout\"");
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_ends_a_stream_that_waits() {
        let pending: Chunks = Box::pin(futures_util::stream::pending());
        let head = Bytes::from_static(b"P");
        let flow = Flow::new(
            head,
            1,
            Some(pending),
            Some(Duration::from_secs(2)),
            None,
            RequestId::new("r"),
            None,
        );
        assert_eq!(frames(flow).await, ["P", "trailer \"LambdaProxy.Timeout\""]);
    }
}
