//! The adapter between the Lambda runtime and an HTTP service: event in, envelope out.

use super::answer::{body_as_sent, envelope, Envelope};
use super::convert::{to_request, Unreadable};
use super::event::{raw_event_front_door, Event};
use crate::front_door::FrontDoor;
use crate::handler::RequestId;
use crate::{guards, problem};
use lambda_http::{
    Body, Context, IntoResponse, LambdaEvent, Request, RequestExt, Response, Service,
};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{self, Poll};

/// The service `lambda_runtime` calls with each event: it turns the event into the request of
/// `service`, and whatever `service` answers (or the answer to an event that cannot be read)
/// into the front door's envelope, through one exit ([`guards::exit`]).
#[derive(Clone, Debug)]
pub(crate) struct Adapter<S> {
    service: S,
    /// The CORS policy the exit applies to every answer.
    cors: Option<std::sync::Arc<crate::Cors>>,
}

impl<S> Adapter<S> {
    pub(crate) fn new(service: S, cors: Option<std::sync::Arc<crate::Cors>>) -> Self {
        Adapter { service, cors }
    }
}

impl<S> Service<LambdaEvent<Event>> for Adapter<S>
where
    S: Service<Request, Response = Response<Body>, Error = Infallible>,
    // Boxed by the service when it is large ([`Boxed`]); a router's small future is kept inline.
    S::Future: Unpin,
{
    type Response = Envelope;
    type Error = Infallible;
    type Future = AnswerFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut task::Context<'_>) -> Poll<Result<(), Infallible>> {
        self.service.poll_ready(cx)
    }

    fn call(&mut self, event: LambdaEvent<Event>) -> Self::Future {
        let LambdaEvent {
            payload: mut event,
            context,
        } = event;
        let request_id = RequestId::new(&context.request_id);
        let (front_door, why) = match &event.request {
            Some(request) => {
                let front_door = FrontDoor::of_event(request);
                match to_request(&mut event.request) {
                    Ok(mut request) => {
                        update_xray_trace_id_header(request.headers_mut(), &context);
                        let request = request.with_lambda_context(context);
                        // The request's `Origin`, for the CORS headers of whatever answers it.
                        let cors = self.cors.as_ref().map(|policy| {
                            Box::new(crate::cors::CorsContext::new(policy, request.headers()))
                        });
                        // The handler's own guards leave normalization and the size check to
                        // the exit, which every answer passes through.
                        let exit_ahead = crate::handler::exit_ahead(front_door);
                        // Under the panic guard, as the polls below: a panic in what wraps the
                        // handler (a closure, middleware) is answered too.
                        let mut slot = Some(request);
                        let service = &mut self.service;
                        let called = guards::panic_guard(|| {
                            slot.take().map(|request| service.call(request))
                        });
                        drop(exit_ahead);
                        let state = match called {
                            Ok(Some(future)) => State::Handler { future },
                            Ok(None) => unreachable!("the request is taken once"),
                            Err(payload) => State::Ready {
                                envelope: Some(Box::new(panicked(
                                    front_door,
                                    &request_id,
                                    payload.as_ref(),
                                    cors.as_deref(),
                                ))),
                            },
                        };
                        return AnswerFuture {
                            state,
                            front_door,
                            request_id,
                            cors,
                        };
                    }
                    Err(why) => (front_door, why),
                }
            }
            None => match raw_event_front_door() {
                Some(front_door) => (Some(front_door), Unreadable::EVENT),
                None => (None, Unreadable::NOT_HTTP),
            },
        };
        let rid = request_id.as_str();
        tracing::warn!(
            request_id = rid.unwrap_or(""),
            front_door = front_door.map_or("unknown", FrontDoor::name),
            reason = why.reason,
            error = event.error.as_deref().unwrap_or(""),
            "the event could not be read as an HTTP request; answering {}",
            why.status.as_u16()
        );
        let mut response = problem::response(why.status, Some(why.reason), rid);
        guards::exit(front_door, &request_id, &mut response);
        AnswerFuture {
            state: State::Ready {
                envelope: Some(Box::new(envelope(front_door, response))),
            },
            front_door,
            request_id,
            cors: None,
        }
    }
}

/// The envelope for a service that panicked (in what wraps a `#[proxy_handler]`, whose own panics
/// are answered by its guard): 500, the payload logged, never sent.
#[cold]
fn panicked(
    front_door: Option<FrontDoor>,
    request_id: &RequestId,
    payload: &(dyn std::any::Any + Send),
    cors: Option<&crate::cors::CorsContext>,
) -> Envelope {
    let rid = request_id.as_str();
    tracing::error!(
        request_id = rid.unwrap_or(""),
        panic = guards::panic_message(payload),
        "the service panicked; answering 500"
    );
    let mut response = problem::response(http::StatusCode::INTERNAL_SERVER_ERROR, None, rid);
    guards::exit_with_cors(front_door, request_id, &mut response, cors);
    envelope(front_door, response)
}

/// A service whose futures are boxed: a handler's future is hundreds of bytes, and moving it
/// through the runtime's layers costs more than one allocation (`lambda_http` boxes it too). A
/// router, whose future is a small `Unpin` handle on a boxed one, is given to the adapter as it
/// is.
#[derive(Clone, Debug)]
pub struct Boxed<S>(pub(crate) S);

impl<S: Service<Request>> Service<Request> for Boxed<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<S::Future>>;

    fn poll_ready(&mut self, cx: &mut task::Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    #[inline]
    fn call(&mut self, request: Request) -> Self::Future {
        Box::pin(self.0.call(request))
    }
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
    /// The answer to one invocation: the service's response through the exit, its body read as
    /// text or binary as `lambda_http` does, written as the envelope.
    pub(crate) struct AnswerFuture<F> {
        #[pin]
        state: State<F>,
        front_door: Option<FrontDoor>,
        request_id: RequestId,
        // Boxed: only a router with a CORS policy has one.
        cors: Option<Box<crate::cors::CorsContext>>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        Handler { future: F },
        Body { future: Pin<Box<dyn Future<Output = Response<Body>> + Send>> },
        // Boxed: only the answers to unreadable events are ready at once, and a future the size
        // of an envelope would be copied at every move.
        Ready { envelope: Option<Box<Envelope>> },
    }
}

impl<F> Future for AnswerFuture<F>
where
    F: Future<Output = Result<Response<Body>, Infallible>> + Unpin,
{
    type Output = Result<Envelope, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut task::Context<'_>) -> Poll<Self::Output> {
        loop {
            let this = self.as_mut().project();
            match this.state.project() {
                StateProj::Handler { future } => {
                    let mut response =
                        match std::task::ready!(guards::poll_guarded(Pin::new(future), cx)) {
                            Ok(Ok(response)) => response,
                            Err(payload) => {
                                let envelope = panicked(
                                    *this.front_door,
                                    this.request_id,
                                    payload.as_ref(),
                                    this.cors.as_deref(),
                                );
                                return Poll::Ready(Ok(envelope));
                            }
                        };
                    guards::exit_with_cors(
                        *this.front_door,
                        this.request_id,
                        &mut response,
                        this.cors.as_deref(),
                    );
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
                StateProj::Ready { envelope } => {
                    let envelope = envelope
                        .take()
                        .expect("an answer future was polled after it completed");
                    return Poll::Ready(Ok(*envelope));
                }
            }
        }
    }
}
