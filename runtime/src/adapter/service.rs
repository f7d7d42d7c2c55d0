//! The adapter between the Lambda runtime and an app: event in, envelope out.

use super::answer::{body_as_sent, envelope, Envelope};
use super::event::{Event, Unread};
use crate::app::AppService;
use crate::exit::record::ErrorKind;
use crate::exit::{Call, ExitFuture, ExitService};
use crate::front_door::FrontDoor;
use crate::handler::RequestId;
use crate::problem;
use crate::stream::flow::Flow;
use lambda_http::{Body, Context, IntoResponse, RequestExt, Response, Service};
use lambda_proxy_core::front_door::{PRELUDE_DELIMITER, PRELUDE_LIMIT};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{self, Poll};

/// The service `lambda_runtime` calls with each event: it turns the event into the request of
/// the app, and whatever the app's exit answers (or the answer to an event that cannot be read,
/// finished by the same exit) into the front door's envelope.
#[derive(Clone, Debug)]
pub(crate) struct Adapter<S> {
    app: ExitService<S>,
}

impl<S> Adapter<S> {
    pub(crate) fn new(app: ExitService<S>) -> Self {
        Adapter { app }
    }
}

impl<S: AppService> Adapter<S> {
    /// Whether the app is ready for an invocation.
    pub(crate) fn poll_ready(
        &mut self,
        cx: &mut task::Context<'_>,
    ) -> Poll<Result<(), Infallible>> {
        self.app.poll_ready(cx)
    }

    /// The answer to `event`, of the invocation `context`: streamed when `may_stream` (the
    /// adapter of `run`, which posts it) and the exit streams the event's front door, else the
    /// envelope.
    pub(crate) fn answer(
        &mut self,
        event: Event,
        context: Context,
        may_stream: bool,
    ) -> AnswerFuture<S::Future> {
        let front_door = match &event {
            Event::Read { front_door, .. } => *front_door,
            Event::Unread(unread) => unread.front_door,
        };
        let stream = may_stream && self.app.settings().streams(front_door);
        let call = Call {
            front_door,
            request_id: RequestId::new(&context.request_id),
            deadline_ms: context.deadline,
            stream,
        };
        let streaming = stream.then(|| Streaming::of(self.app.settings(), &call));
        let future = match event {
            Event::Read { mut request, .. } => {
                update_xray_trace_id_header(request.headers_mut(), &context);
                self.app
                    .call_with(call, request.with_lambda_context(context))
            }
            Event::Unread(unread) => {
                let response = unreadable(&unread, &call.request_id);
                let (head, origin) = unread
                    .probed
                    .map_or((false, None), |probed| (probed.head, probed.origin));
                self.app.answer(call, response, head, origin)
            }
        };
        AnswerFuture {
            state: State::Exit { future },
            front_door,
            streaming,
        }
    }
}

/// What the answer to a streamed invocation needs to post its body: the time it has left and
/// the bytes it may send.
pub(crate) struct Streaming {
    started: std::time::Instant,
    /// The invocation's budget, from its start.
    budget: Option<std::time::Duration>,
    limit: Option<u64>,
    request_id: RequestId,
}

impl Streaming {
    fn of(settings: &crate::exit::Settings, call: &Call) -> Box<Streaming> {
        Box::new(Streaming {
            started: std::time::Instant::now(),
            budget: settings.budget(call, std::time::SystemTime::now()),
            limit: call
                .front_door
                .and_then(FrontDoor::streaming)
                .and_then(|streaming| streaming.size_limit),
            request_id: call.request_id.clone(),
        })
    }
}

/// An invocation's answer, as it is posted.
pub(crate) enum Answer {
    /// The front door's envelope, posted as JSON.
    Envelope(Envelope),
    /// Lambda's streaming format: the prelude, eight NUL bytes, the body as it comes.
    Streamed(Flow),
}

/// The answer to an event that cannot be read as an HTTP request: 400 (414 for a URI that is
/// too long), logged with the reason, for the app's exit to finish (its CORS headers for the
/// `Origin`, and no body for a `HEAD`, as the light read of the event's bytes shows them).
#[cold]
fn unreadable(unread: &Unread, request_id: &RequestId) -> Response<Body> {
    let Unread {
        front_door,
        why,
        error,
        ..
    } = unread;
    let rid = request_id.as_str();
    tracing::warn!(
        request_id = rid.unwrap_or(""),
        front_door = front_door.map_or("unknown", FrontDoor::name),
        reason = why.reason,
        error = error.as_deref().unwrap_or(""),
        "the event could not be read as an HTTP request; answering {}",
        why.status.as_u16()
    );
    crate::exit::record::tagged(
        problem::response(why.status, Some(why.reason), rid),
        crate::exit::record::ErrorKind::UnreadableEvent,
    )
}

/// As `lambda_http` does: the X-Ray trace id of the invocation as the `x-amzn-trace-id` header.
fn update_xray_trace_id_header(headers: &mut http::HeaderMap, context: &Context) {
    if let Some(trace_id) = context.xray_trace_id.as_deref() {
        if let Ok(value) = http::HeaderValue::from_str(trace_id) {
            headers.insert(http::HeaderName::from_static("x-amzn-trace-id"), value);
        }
    }
}

pin_project_lite::pin_project! {
    /// The answer to one invocation: the app's answer through its exit, its body read as text or
    /// binary as `lambda_http` does, written as the envelope.
    pub(crate) struct AnswerFuture<F> {
        #[pin]
        state: State<F>,
        front_door: Option<FrontDoor>,
        // Boxed: only an invocation whose answer is streamed has it.
        streaming: Option<Box<Streaming>>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        Exit { #[pin] future: ExitFuture<F> },
        Body { future: Pin<Box<dyn Future<Output = Response<Body>> + Send>> },
    }
}

impl<F> Future for AnswerFuture<F>
where
    F: Future<Output = Result<Response<Body>, Infallible>>,
{
    type Output = Answer;

    fn poll(mut self: Pin<&mut Self>, cx: &mut task::Context<'_>) -> Poll<Answer> {
        loop {
            let this = self.as_mut().project();
            match this.state.project() {
                StateProj::Exit { future } => {
                    let Ok(mut response) = std::task::ready!(future.poll(cx));
                    if let Some(streaming) = this.streaming.take() {
                        return Poll::Ready(Answer::Streamed(streamed(
                            *this.front_door,
                            response,
                            *streaming,
                        )));
                    }
                    if body_as_sent(&mut response) {
                        return Poll::Ready(Answer::Envelope(envelope(*this.front_door, response)));
                    }
                    // Rare: a charset other than UTF-8, a binary body sent as text.
                    let future = response.into_response();
                    self.as_mut().project().state.set(State::Body { future });
                }
                StateProj::Body { future } => {
                    let response = std::task::ready!(future.as_mut().poll(cx));
                    return Poll::Ready(Answer::Envelope(envelope(*this.front_door, response)));
                }
            }
        }
    }
}

/// The streamed answer: the prelude of the finished response (its envelope without `body` and
/// `isBase64Encoded`), the delimiter, the body the exit has, then the rest of its stream.
fn streamed(
    front_door: Option<FrontDoor>,
    mut response: Response<Body>,
    streaming: Streaming,
) -> Flow {
    let Streaming {
        started,
        budget,
        limit,
        request_id,
    } = streaming;
    let flowing = crate::stream::Pending::take(&mut response);
    let body = std::mem::replace(response.body_mut(), Body::Empty);
    let Some(mut head) = prelude(front_door, response) else {
        let (head, prelude) = prelude_too_large(front_door, &request_id);
        if let Some(mut closing) = flowing.and_then(|flowing| flowing.closing) {
            closing.status = 500;
            let body_bytes = (head.len() - prelude) as u64;
            closing.close(body_bytes, Some(ErrorKind::Oversize));
        }
        return Flow::new(head.into(), prelude, None, None, None, request_id, None);
    };
    let prelude = head.len();
    head.extend_from_slice(crate::body::bytes(&body).0);
    let (chunks, closing) = match flowing {
        Some(flowing) => {
            if let Some(first) = flowing.first {
                head.extend_from_slice(&first);
            }
            (Some(flowing.chunks), flowing.closing)
        }
        None => (None, None),
    };
    let budget = budget.map(|budget| budget.saturating_sub(started.elapsed()));
    Flow::new(
        head.into(),
        prelude,
        chunks,
        budget,
        limit,
        request_id,
        closing,
    )
}

/// The prelude of `response` (whose body is left out) and its delimiter; `None` when the prelude
/// is longer than API Gateway reads.
fn prelude(front_door: Option<FrontDoor>, response: Response<Body>) -> Option<Vec<u8>> {
    let envelope = envelope(front_door, response);
    let mut value = serde_json::to_value(&envelope).unwrap_or_default();
    if let Some(members) = value.as_object_mut() {
        members.remove("body");
        members.remove("isBase64Encoded");
    }
    let mut head = serde_json::to_vec(&value).unwrap_or_default();
    if head.len() > PRELUDE_LIMIT {
        return None;
    }
    head.extend_from_slice(&PRELUDE_DELIMITER);
    Some(head)
}

/// A 500 problem answer, whole, in place of an answer whose prelude API Gateway would not read;
/// and the length of its own prelude.
#[cold]
fn prelude_too_large(front_door: Option<FrontDoor>, request_id: &RequestId) -> (Vec<u8>, usize) {
    tracing::error!(
        request_id = request_id.as_str().unwrap_or(""),
        limit = PRELUDE_LIMIT,
        "the streamed response's status, headers and cookies are longer than the front door reads; answering 500"
    );
    let mut response = problem::response(
        http::StatusCode::INTERNAL_SERVER_ERROR,
        Some("The response headers are larger than this endpoint can deliver."),
        request_id.as_str(),
    );
    let body = std::mem::replace(response.body_mut(), Body::Empty);
    let mut head = prelude(front_door, response).unwrap_or_default();
    let prelude = head.len();
    head.extend_from_slice(crate::body::bytes(&body).0);
    (head, prelude)
}
