//! The future of one answer through the exit: the app's future under the panic guard and the
//! invocation's budget, then the last steps ([`finish`](super::finish)).

use super::finish::{finish, Finish};
use super::record::Start;
use super::service::Call;
use super::Settings;
use crate::guards::{self, Panic};
use crate::handler::RequestId;
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
    enum State<F> {
        App { #[pin] future: F },
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
        let mut response = match this.state.as_mut().project() {
            StateProj::App { future } => match poll_app(future, this.start, cx) {
                Poll::Ready(Ok(Ok(response))) => response,
                Poll::Ready(Err(payload)) => {
                    service_panicked(&this.call.request_id, payload.as_ref())
                }
                Poll::Pending => {
                    // The budget is only worked out for an app still pending after its first
                    // poll: one that answers at once reads no clock and needs no timer.
                    if std::mem::take(this.first_poll) {
                        *this.timer = start_timer(this.settings, this.call);
                    }
                    let Some(timer) = this.timer.as_mut() else {
                        return Poll::Pending;
                    };
                    let response = std::task::ready!(timer
                        .as_mut()
                        .poll_overrun(cx, this.call.request_id.as_str()));
                    // The app's future is dropped here, as the guard's answer replaces it.
                    this.state.set(State::Ready { response: None });
                    response
                }
            },
            StateProj::Ready { response } => *response
                .take()
                .expect("an exit future was polled after it completed"),
        };
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
            let done = start.finished(this.call, &response);
            if let Some(level) = this.settings.access_log() {
                done.write(level);
            }
            if let Some(metrics) = &this.settings.metrics {
                metrics.write(&done, start.recorder.as_ref());
            }
        }
        Poll::Ready(Ok(response))
    }
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

/// The invocation's budget, running: the smallest of the Lambda deadline and the front door's
/// integration timeout, each less the margin, and the exit's own timeout; `None` when none
/// applies or the runtime has no time driver.
fn start_timer(settings: &Settings, call: &Call) -> Option<Pin<Box<guards::Budget>>> {
    let integration = call
        .front_door
        .and_then(|door| settings.integration_timeout(door));
    let budget = guards::budget(
        call.deadline_ms,
        integration,
        settings.timeout,
        settings.margin(),
        SystemTime::now(),
    )?;
    guards::Budget::start(budget)
}
