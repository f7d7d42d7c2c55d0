//! An app served through the exit: a tower service for `lambda_http::run`, and what lambda-proxy's
//! adapter calls with what it read from the event.

use super::future::ExitFuture;
use super::record::Start;
use super::Settings;
use crate::app::AppService;
use crate::cors::Cors;
use crate::front_door::FrontDoor;
use crate::handler::RequestId;
use http::header::ORIGIN;
use http::{HeaderValue, Method};
use lambda_http::{Body, Request, RequestExt, Response, Service};
use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};

/// An app served through an [`Exit`](crate::Exit): what [`run`](crate::run) serves, what the
/// testing kit invokes, and a `tower::Service<Request>` that `lambda_http::run` serves with the
/// same guarantee (without what only lambda-proxy's adapter does: answering events `lambda_http`
/// cannot read, and ALB's multi-value mode, which `lambda_http`'s conversion hides).
pub struct ExitService<S> {
    service: S,
    settings: Arc<Settings>,
}

impl<S: Clone> Clone for ExitService<S> {
    fn clone(&self) -> Self {
        ExitService {
            service: self.service.clone(),
            settings: self.settings.clone(),
        }
    }
}

impl<S> fmt::Debug for ExitService<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExitService")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// What the exit needs to know of an invocation, read from the event by lambda-proxy's adapter,
/// or from the request under `lambda_http::run`.
pub(crate) struct Call {
    pub(crate) front_door: Option<FrontDoor>,
    pub(crate) request_id: RequestId,
    /// The Lambda deadline in epoch milliseconds, 0 when there is none.
    pub(crate) deadline_ms: u64,
    /// Whether the answer is posted streamed (by `run`'s adapter, to a front door the exit
    /// streams): a streamed answer then keeps its stream; otherwise it is collected whole.
    pub(crate) stream: bool,
}

impl<S: AppService> ExitService<S> {
    /// `service` through the default exit.
    pub(crate) fn new(service: S) -> Self {
        ExitService {
            service,
            settings: Arc::default(),
        }
        .prepared()
    }

    /// The same app through its exit with `outer` merged over its settings.
    pub(crate) fn with_settings_over(self, outer: &Settings) -> Self {
        ExitService {
            service: self.service,
            settings: Arc::new(outer.over(&self.settings)),
        }
        .prepared()
    }

    /// The app told of its exit's settings (a router builds the document it serves).
    #[inline]
    fn prepared(self) -> Self {
        #[cfg(feature = "openapi")]
        {
            let mut this = self;
            this.service.prepare(this.settings.cors.as_ref());
            this
        }
        #[cfg(not(feature = "openapi"))]
        self
    }

    /// The exit's settings.
    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The app.
    #[cfg(feature = "openapi")]
    pub(crate) fn service(&self) -> &S {
        &self.service
    }

    /// The exit's CORS policy.
    #[cfg(feature = "openapi")]
    pub(crate) fn cors(&self) -> Option<&Cors> {
        self.settings.cors.as_ref()
    }
}

impl<S: AppService> ExitService<S> {
    /// Serves `request`, of the invocation `call`.
    pub(crate) fn call_with(&mut self, call: Call, request: Request) -> ExitFuture<S::Future> {
        let settings = self.settings.clone();
        let head = request.method() == Method::HEAD;
        let mut start = settings
            .recording()
            .then(|| Start::of(Some(&request), settings.metrics.is_some()));
        let Some(policy) = &settings.cors else {
            let future = self.call_app(request, &mut start);
            return ExitFuture::new(future, call, settings, head, None, start);
        };
        let origin: Option<Box<HeaderValue>> = request.headers().get(ORIGIN).cloned().map(Box::new);
        if Cors::is_preflight(request.method(), request.headers()) {
            // A path the app does not serve is the app's to answer (a router's 404).
            if let Some(methods) = self.service.preflight_methods(&request) {
                let response = policy.preflight(request.headers(), methods);
                return ExitFuture::answered(response, call, settings, head, origin, start);
            }
        }
        let future = self.call_app(request, &mut start);
        ExitFuture::new(future, call, settings, head, origin, start)
    }
}

impl<S: AppService> ExitService<S> {
    /// The app called with `request` under the panic guard; for a recorded invocation, with the
    /// route that answers written into `start` and its recorder the thread's current one.
    #[inline]
    fn call_app(
        &mut self,
        request: Request,
        start: &mut Option<Start>,
    ) -> Result<S::Future, crate::guards::Panic> {
        let Some(start) = start else {
            return crate::guards::panic_guard(|| self.service.call(request));
        };
        let entered = start.enter();
        let future = crate::guards::panic_guard(|| {
            self.service.call_routed(request, Some(&mut start.route))
        });
        start.leave(entered);
        future
    }

    /// `response`, the adapter's own answer to an event it could not read, finished by this exit
    /// for a request whose method and `Origin` a light read of the event's bytes shows.
    pub(crate) fn answer(
        &self,
        call: Call,
        response: Response<Body>,
        head: bool,
        origin: Option<HeaderValue>,
    ) -> ExitFuture<S::Future> {
        let settings = self.settings.clone();
        let start = settings
            .recording()
            .then(|| Start::of(None, settings.metrics.is_some()));
        ExitFuture::answered(response, call, settings, head, origin.map(Box::new), start)
    }
}

impl<S: AppService> Service<Request> for ExitService<S> {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = ExitFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.service.poll_ready(cx)
    }

    /// Under `lambda_http::run`: the invocation is read from the request's extensions.
    fn call(&mut self, request: Request) -> Self::Future {
        let context = request.lambda_context_ref();
        let call = Call {
            front_door: crate::front_door::of(&request),
            request_id: RequestId::of(&request),
            deadline_ms: context.map_or(0, |c| c.deadline),
            stream: false,
        };
        self.call_with(call, request)
    }
}

impl<S: AppService> crate::app::sealed::Sealed for ExitService<S> {}

#[diagnostic::do_not_recommend]
impl<S: AppService> crate::Serve for ExitService<S> {
    type Service = S;

    fn into_exit(self) -> ExitService<S> {
        self
    }
}
