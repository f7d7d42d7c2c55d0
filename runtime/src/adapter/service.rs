//! The adapter between the Lambda runtime and an app: event in, envelope out.

use super::answer::{body_as_sent, envelope, Envelope};
use super::event::{Event, Unread};
use crate::app::AppService;
use crate::exit::{Call, ExitFuture, ExitService};
use crate::front_door::FrontDoor;
use crate::handler::RequestId;
use crate::problem;
use lambda_http::{Body, Context, IntoResponse, LambdaEvent, RequestExt, Response, Service};
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

impl<S: AppService> Service<LambdaEvent<Event>> for Adapter<S> {
    type Response = Envelope;
    type Error = Infallible;
    type Future = AnswerFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut task::Context<'_>) -> Poll<Result<(), Infallible>> {
        self.app.poll_ready(cx)
    }

    fn call(&mut self, event: LambdaEvent<Event>) -> Self::Future {
        let LambdaEvent {
            payload: event,
            context,
        } = event;
        let request_id = RequestId::new(&context.request_id);
        let deadline_ms = context.deadline;
        match event {
            Event::Read {
                mut request,
                front_door,
            } => {
                update_xray_trace_id_header(request.headers_mut(), &context);
                let call = Call {
                    front_door,
                    request_id,
                    deadline_ms,
                };
                let request = request.with_lambda_context(context);
                AnswerFuture {
                    state: State::Exit {
                        future: self.app.call_with(call, request),
                    },
                    front_door,
                }
            }
            Event::Unread(unread) => {
                let response = unreadable(&unread, &request_id);
                let Unread {
                    front_door, probed, ..
                } = *unread;
                let (head, origin) =
                    probed.map_or((false, None), |probed| (probed.head, probed.origin));
                let call = Call {
                    front_door,
                    request_id,
                    deadline_ms,
                };
                AnswerFuture {
                    state: State::Exit {
                        future: self.app.answer(call, response, head, origin),
                    },
                    front_door,
                }
            }
        }
    }
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
    type Output = Result<Envelope, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut task::Context<'_>) -> Poll<Self::Output> {
        loop {
            let this = self.as_mut().project();
            match this.state.project() {
                StateProj::Exit { future } => {
                    let Ok(mut response) = std::task::ready!(future.poll(cx));
                    if body_as_sent(&mut response) {
                        return Poll::Ready(Ok(envelope(*this.front_door, response)));
                    }
                    // Rare: a charset other than UTF-8, a binary body sent as text.
                    let future = response.into_response();
                    self.as_mut().project().state.set(State::Body { future });
                }
                StateProj::Body { future } => {
                    let response = std::task::ready!(future.as_mut().poll(cx));
                    return Poll::Ready(Ok(envelope(*this.front_door, response)));
                }
            }
        }
    }
}
