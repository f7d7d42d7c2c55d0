//! What can be served: [`Serve`], the one conversion that [`run`](crate::run), the testing kit and
//! [`Exit::around`](crate::Exit::around) share, from each kind of app into the service the exit
//! wraps.
//!
//! A kind is added here and nowhere else: one `Serve` impl, and the `AppService` impl of its
//! service.

use crate::exit::ExitService;
use http::HeaderValue;
use lambda_http::{Body, Request, Response, Service};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{self, Poll};

/// An app [`run`](crate::run) serves and the testing kit invokes:
///
/// - a `#[proxy_handler]` fn, or a closure that calls one (to pass shared state):
///   `FnMut(Request) -> impl Future<Output = Result<Response<Body>, Infallible>>`;
/// - a [`Router`](crate::Router);
/// - any tower service (an axum `Router`) wrapped by [`guard`](crate::guard), which puts it
///   through an exit;
/// - any of these wrapped by an [`Exit`](crate::Exit) with its settings.
///
/// Each is served through one exit: the app's own when it has one, else the default.
/// Implemented for those kinds alone (it is sealed), so that later releases can add kinds.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be served by `lambda_proxy::run` or invoked by the testing kit",
    label = "expected a handler, a `lambda_proxy::Router` or a guarded service, or one of them in an `Exit`",
    note = "give it a `#[proxy_handler]` fn, a `move` closure that calls one, a `lambda_proxy::Router`, or an axum `Router` (any tower service) wrapped in `lambda_proxy::guard(app)`; any of them may be wrapped in a `lambda_proxy::Exit` with its settings",
    note = "a `#[proxy_handler(route = \"..\")]` fn that takes `State<T>` is served through a `Router` that has the state: `Router::new().with_state(value).route(handler)?`"
)]
pub trait Serve: sealed::Sealed + Sized {
    /// The app as the service the exit wraps.
    #[doc(hidden)]
    type Service: AppService;

    /// The app through its exit.
    #[doc(hidden)]
    fn into_exit(self) -> ExitService<Self::Service>;
}

pub(crate) mod sealed {
    /// Keeps [`Serve`](super::Serve) implemented by lambda-proxy alone.
    pub trait Sealed {}
}

/// A service the exit wraps: an app's requests in, its answers out. Its future is `Unpin` (a
/// large one is boxed by the service) so that the adapter keeps it inline.
#[doc(hidden)]
pub trait AppService:
    Service<Request, Response = Response<Body>, Error = Infallible, Future: Send + Unpin>
{
    /// The methods a CORS preflight for `request` allows (an `Allow` value): those the app
    /// serves on its path; `None` when the app serves no such path, and answers it itself (a
    /// router's 404).
    fn preflight_methods(&self, _request: &Request) -> Option<HeaderValue> {
        Some(HeaderValue::from_static(
            lambda_proxy_core::route::EVERY_METHOD,
        ))
    }

    /// Serves `request` as `call` does; a router also writes the route (as declared) that
    /// answers into `route`, for the access record and the metrics.
    #[inline]
    fn call_routed(
        &mut self,
        request: Request,
        _route: Option<&mut Option<std::sync::Arc<str>>>,
    ) -> Self::Future {
        self.call(request)
    }

    /// Called when the app is put through an exit with the CORS policy `cors` (again when
    /// exits merge): a router builds the OpenAPI document it serves.
    #[cfg(feature = "openapi")]
    fn prepare(&mut self, _cors: Option<&crate::Cors>) {}

    /// The app's OpenAPI document through an exit with the CORS policy `cors`: a router's, with
    /// its declared info (`None` without one when `declared` is asked for); `None` for any other
    /// app.
    #[cfg(feature = "openapi")]
    fn document(
        &self,
        _cors: Option<&crate::Cors>,
        _declared: bool,
    ) -> Option<crate::openapi::Document> {
        None
    }
}

impl<F, Fut> sealed::Sealed for F
where
    F: FnMut(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
{
}

impl<F, Fut> Serve for F
where
    F: FnMut(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
{
    type Service = HandlerService<F>;

    fn into_exit(self) -> ExitService<HandlerService<F>> {
        ExitService::new(HandlerService(self))
    }
}

impl<S: Send + Sync + 'static> sealed::Sealed for crate::Router<S> {}

// Not suggested in the errors about closures and fns, which are what an app usually is.
#[diagnostic::do_not_recommend]
impl<S: Send + Sync + 'static> Serve for crate::Router<S> {
    // The router's future is a small handle on the handler's boxed one: kept inline.
    type Service = Self;

    fn into_exit(self) -> ExitService<Self> {
        ExitService::new(self)
    }
}

impl<S: crate::guard::Guardable> AppService for crate::guard::GuardedService<S> {}

/// A handler (a `#[proxy_handler]` fn, or a closure that calls one) as the service an exit
/// wraps (see [`Serve`]), its futures boxed: a handler's future is hundreds of bytes, and moving it through the runtime's layers
/// costs more than one allocation (`lambda_http` boxes it too).
#[derive(Clone, Debug)]
pub struct HandlerService<F>(pub(crate) F);

impl<F, Fut> Service<Request> for HandlerService<F>
where
    F: FnMut(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Pin<Box<Fut>>;

    fn poll_ready(&mut self, _: &mut task::Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    #[inline]
    fn call(&mut self, request: Request) -> Self::Future {
        Box::pin((self.0)(request))
    }
}

impl<F, Fut> AppService for HandlerService<F>
where
    F: FnMut(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
{
}
