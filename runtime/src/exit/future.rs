//! The future of one answer through the exit: the app's future under the panic guard and the
//! invocation's budget, then the last steps ([`finish`](super::finish)).

use super::finish::{finish, too_large, Finish};
use super::record::{Closing, Start};
use super::service::Call;
use super::Settings;
use crate::front_door;
use crate::guards::{self, Panic};
use crate::handler::RequestId;
use crate::stream::{Chunks, Flowing, Pending};
use http::HeaderValue;
use lambda_http::{Body, Response};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;

pin_project_lite::pin_project! {
    /// The answer to one request, finished by the [`Exit`](crate::Exit).
    pub struct ExitFuture<F> {
        #[pin]
        state: State<F>,
        call: Call,
        head: bool,
        first_poll: bool,
        settings: Arc<Settings>,
        // Boxed: only a request with an `Origin` under a CORS policy has one.
        origin: Option<Box<HeaderValue>>,
        // Boxed: only an app still pending after its first poll needs a timer.
        timer: Option<Pin<Box<guards::Budget>>>,
        // Inline, not boxed: an invocation is recorded by default.
        start: Option<Start>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    #[project_ref = StateRef]
    enum State<F> {
        App { #[pin] future: F },
        // A streamed answer's head, while the exit waits for the stream's first chunk (`collected`
        // `None`), or collects it whole for a front door that is not streamed.
        Stream { head: Option<Box<Response<Body>>>, chunks: Option<Chunks>, collected: Option<Vec<u8>> },
        // Boxed: answers known at once (a preflight, a panic in `call`) are rare, and a future the
        // size of a response would be copied at every move.
        Ready { response: Option<Box<Response<Body>>> },
    }
}

impl<F> ExitFuture<F> {
    /// The app's future (or the panic of its `call`), for the invocation `call`.
    pub(crate) fn new(
        future: Result<F, Panic>,
        call: Call,
        settings: Arc<Settings>,
        head: bool,
        origin: Option<Box<HeaderValue>>,
        start: Option<Start>,
    ) -> Self {
        let state = match future {
            Ok(future) => State::App { future },
            Err(payload) => State::Ready {
                response: Some(Box::new(service_panicked(
                    &call.request_id,
                    payload.as_ref(),
                ))),
            },
        };
        Self::with_state(state, call, settings, head, origin, start)
    }

    /// The exit's own answer (a preflight's, or the adapter's to an event that cannot be read),
    /// finished as any other.
    pub(crate) fn answered(
        response: Response<Body>,
        call: Call,
        settings: Arc<Settings>,
        head: bool,
        origin: Option<Box<HeaderValue>>,
        start: Option<Start>,
    ) -> Self {
        let state = State::Ready {
            response: Some(Box::new(response)),
        };
        Self::with_state(state, call, settings, head, origin, start)
    }

    fn with_state(
        state: State<F>,
        call: Call,
        settings: Arc<Settings>,
        head: bool,
        origin: Option<Box<HeaderValue>>,
        start: Option<Start>,
    ) -> Self {
        ExitFuture {
            state,
            call,
            head,
            first_poll: true,
            settings,
            origin,
            timer: None,
            start,
        }
    }
}

/// The 500 for an app that panicked (in what wraps a `#[proxy_handler]`, whose own panics its
/// guard answers).
fn service_panicked(
    request_id: &RequestId,
    payload: &(dyn std::any::Any + Send),
) -> Response<Body> {
    guards::panicked_answer(request_id.as_str(), payload, "service")
}

impl<F> Future for ExitFuture<F>
where
    F: Future<Output = Result<Response<Body>, Infallible>>,
{
    type Output = Result<Response<Body>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let mut response = loop {
            match this.state.as_mut().project() {
                StateProj::App { future } => match poll_app(future, this.start, cx) {
                    Poll::Ready(Ok(Ok(mut response))) => {
                        let Some(flowing) = Pending::take(&mut response) else {
                            break response;
                        };
                        if *this.head {
                            // The answer to `HEAD` has no body: the stream is dropped unread.
                            break response;
                        }
                        this.state.set(State::Stream {
                            head: Some(Box::new(response)),
                            chunks: Some(flowing.chunks),
                            collected: (!this.call.stream).then(Vec::new),
                        });
                    }
                    Poll::Ready(Err(payload)) => {
                        break service_panicked(&this.call.request_id, payload.as_ref())
                    }
                    Poll::Pending => {
                        break std::task::ready!(overrun(
                            this.first_poll,
                            this.timer,
                            this.settings,
                            this.call,
                            cx
                        ))
                    }
                },
                StateProj::Ready { response } => {
                    break *response
                        .take()
                        .expect("an exit future was polled after it completed")
                }
                StateProj::Stream {
                    head,
                    chunks,
                    collected,
                } => {
                    let Some(stream) = chunks.as_mut() else {
                        unreachable!("an exit future was polled after it completed")
                    };
                    let entered = this.start.as_mut().and_then(Start::enter);
                    let polled = guards::panic_guard(|| stream.as_mut().poll_next(cx));
                    if let Some(start) = this.start.as_mut() {
                        start.leave(entered);
                    }
                    let request_id = this.call.request_id.as_str();
                    match polled {
                        Ok(Poll::Ready(Some(Ok(chunk)))) => match collected {
                            None => {
                                let mut response = take_head(head);
                                let flowing = Flowing {
                                    first: Some(chunk),
                                    chunks: chunks.take().expect("the stream is there"),
                                    closing: None,
                                };
                                response.extensions_mut().insert(Pending::with(flowing));
                                break response;
                            }
                            Some(collected) => {
                                collected.extend_from_slice(&chunk);
                                let limit = front_door::size_limit(this.call.front_door);
                                if collected.len() > limit {
                                    break too_large(request_id, collected.len(), limit);
                                }
                            }
                        },
                        Ok(Poll::Ready(Some(Err(failure)))) => break failure.answer(request_id),
                        Ok(Poll::Ready(None)) => {
                            let mut response = take_head(head);
                            if let Some(collected) = collected.take() {
                                *response.body_mut() = match String::from_utf8(collected) {
                                    Ok(text) => Body::Text(text),
                                    Err(bytes) => Body::Binary(bytes.into_bytes()),
                                };
                            }
                            break response;
                        }
                        Err(payload) => {
                            break guards::panicked_answer(request_id, payload.as_ref(), "stream")
                        }
                        Ok(Poll::Pending) => {
                            break std::task::ready!(overrun(
                                this.first_poll,
                                this.timer,
                                this.settings,
                                this.call,
                                cx
                            ))
                        }
                    }
                }
            }
        };
        // Whatever answered, what the state still holds (an app's future, a stream) is dropped.
        if !matches!(this.state.as_ref().project_ref(), StateRef::Ready { .. }) {
            this.state.set(State::Ready { response: None });
        }
        let cors = this
            .settings
            .cors
            .as_ref()
            .map(|policy| (policy, this.origin.as_deref()));
        let at = Finish {
            front_door: this.call.front_door,
            request_id: &this.call.request_id,
            cors,
            head: *this.head,
        };
        finish(&at, &mut response);
        if let Some(start) = this.start.take() {
            if response.extensions().get::<Pending>().is_some() {
                // A stream still to flow: its record is written when it ends.
                closing(start, this.call, this.settings, &response);
            } else {
                let done = start.finished(this.call, &response);
                if let Some(level) = this.settings.access_log() {
                    done.write(level);
                }
                if let Some(metrics) = &this.settings.metrics {
                    metrics.write(&done, start.recorder.as_ref());
                }
            }
        }
        Poll::Ready(Ok(response))
    }
}

/// Hands the record of `response` to its stream, to be written when the stream ends (or now, if
/// it has none to flow after all).
#[cold]
fn closing(start: Start, call: &Call, settings: &Settings, response: &Response<Body>) {
    let closing = Closing::new(
        start,
        call,
        response,
        settings.access_log(),
        settings.metrics.clone(),
    );
    if let Some(closing) = Pending::close_with(response, closing) {
        let body_bytes = crate::body::bytes(response.body()).0.len() as u64;
        closing.close(body_bytes, None);
    }
}

/// The head of a streamed answer, taken out of the state.
fn take_head(head: &mut Option<Box<Response<Body>>>) -> Response<Body> {
    *head
        .take()
        .expect("the head is there until the answer is known")
}

/// While the app (or its stream) is pending: the invocation's budget, started on the first
/// pending poll; ready with the 504 once it has run out.
fn overrun(
    first_poll: &mut bool,
    timer: &mut Option<Pin<Box<guards::Budget>>>,
    settings: &Settings,
    call: &Call,
    cx: &mut Context<'_>,
) -> Poll<Response<Body>> {
    // The budget is only worked out for an app still pending after its first poll: one that
    // answers at once reads no clock and needs no timer.
    if std::mem::take(first_poll) {
        *timer = start_timer(settings, call);
    }
    let Some(timer) = timer.as_mut() else {
        return Poll::Pending;
    };
    timer.as_mut().poll_overrun(cx, call.request_id.as_str())
}

/// Polls the app's future under the panic guard; the handler's recorder is the thread's current
/// one while it runs.
#[inline]
fn poll_app<F: Future>(
    future: Pin<&mut F>,
    start: &mut Option<Start>,
    cx: &mut Context<'_>,
) -> Poll<Result<F::Output, Panic>> {
    let entered = start.as_mut().and_then(Start::enter);
    let polled = guards::poll_guarded(future, cx);
    if let Some(start) = start.as_mut() {
        start.leave(entered);
    }
    polled
}

/// The invocation's budget ([`Settings::budget`]), running; `None` when none applies or the
/// runtime has no time driver.
fn start_timer(settings: &Settings, call: &Call) -> Option<Pin<Box<guards::Budget>>> {
    guards::Budget::start(settings.budget(call, SystemTime::now())?)
}
