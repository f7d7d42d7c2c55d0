//! One route: its line (`GET /users/{id}`), and what a `#[proxy_handler(route = ..)]` fn tells
//! the router through its return type ([`RouteSpec`], [`Routed`]).

use http::Method;
use lambda_http::{Body, Request, Response};
use std::convert::Infallible;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A route line read: the method (`None` for `ANY`) and the path template.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub(crate) method: Option<Method>,
    pub(crate) template: &'a str,
}

/// Reads `GET /users/{id}` by the route grammar the macro checks attributes with
/// ([`lambda_proxy_core::route::parse`]).
pub(crate) fn parse(line: &str) -> Result<Line<'_>, String> {
    let parsed = lambda_proxy_core::route::parse(line)?;
    let method = match parsed.method {
        None => None,
        Some(method) => Some(Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?),
    };
    Ok(Line {
        method,
        template: parsed.template,
    })
}

/// What a `#[proxy_handler(route = "..")]` fn declares, implemented by the macro on a hidden type
/// named in the fn's return type ([`Routed`]), so that `Router::route(get_user)` reads the route
/// from the fn item alone, and calls the handler with the route it matched.
pub trait RouteSpec: 'static {
    /// The route line, `GET /users/{id}`, validated at compile time.
    const ROUTE: &'static str;
    /// The fn's name, for errors and logs.
    const HANDLER: &'static str;
    /// The state the handler takes: [`NoState`], or [`Needs<T>`] for a `State<T>` parameter.
    type State;

    /// Reads the handler's parameters from `request` and `route`, then starts it; a parameter
    /// that cannot be read is answered at once. Boxed, as a router needs it to be: every
    /// handler's future has its own type.
    fn call(request: Request, route: &super::Route<'_>) -> BoxFuture;

    /// Checks the handler's parameters against `route`, the template's parameters with
    /// placeholder values, when the route is added.
    ///
    /// # Errors
    ///
    /// What does not fit, for the `RouteError`.
    fn check(route: &super::Route<'_>) -> Result<(), String>;

    /// The handler's own one-route router, for calls without a router.
    fn own() -> &'static super::table::OwnRoute;

    /// Describes the handler's operation for the OpenAPI document: its doc comment, parameters
    /// and return type (see [`openapi`](crate::openapi)).
    #[cfg(feature = "openapi")]
    fn describe(operation: &mut crate::openapi::Operation<'_>);
}

/// The future of a handler, boxed.
pub type BoxFuture = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

/// A handler that takes no `State`.
pub struct NoState;

/// A handler that takes `State<T>`.
pub struct Needs<T>(PhantomData<fn() -> T>);

/// The router's state `S` satisfies a handler that needs `Self`.
#[diagnostic::on_unimplemented(
    message = "this handler takes `State<..>` of another type than the router's state `{S}`",
    label = "the handler's state does not match the router's",
    note = "a `Router<S>` serves handlers that take no state or `State<S>`: give the router the handler's state type with `Router::new().with_state(value)` before adding the route"
)]
pub trait StateFor<S> {}

impl<S> StateFor<S> for NoState {}
impl<S> StateFor<S> for Needs<S> {}

/// A handler that can be served alone, without a router: one that takes no `State`.
#[diagnostic::on_unimplemented(
    message = "this handler takes `State<..>`, which only a `Router` gives it: it cannot be served or called alone",
    label = "a handler that takes `State<..>`",
    note = "serve it through a router that has the state: `Router::new().with_state(value).route(handler)?`, and give the router to `lambda_proxy::run` or the testing kit"
)]
pub trait ServedAlone {}

impl ServedAlone for NoState {}

pin_project_lite::pin_project! {
    /// The future of a `#[proxy_handler(route = "..")]` fn: the handler's own future, with the
    /// route's [`RouteSpec`] in its type.
    pub struct Routed<Spec, F> {
        #[pin]
        future: F,
        spec: PhantomData<fn() -> Spec>,
    }
}

impl<Spec, F> Routed<Spec, F> {
    /// Wraps the handler's future.
    #[inline]
    pub fn new(future: F) -> Self {
        Routed {
            future,
            spec: PhantomData,
        }
    }
}

/// A routed handler is a future when it can run alone (it takes no `State`): a handler that
/// needs the router's state is no future, so that serving or calling it alone is a compile error
/// that says where the state comes from.
impl<Spec, F> Future for Routed<Spec, F>
where
    Spec: RouteSpec<State: ServedAlone>,
    F: Future<Output = Result<Response<Body>, Infallible>>,
{
    type Output = Result<Response<Body>, Infallible>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project().future.poll(cx)
    }
}

/// A `#[proxy_handler(route = "..")]` fn, which [`Router::route`](crate::Router::route) reads the
/// route of.
pub trait RouteFn: Clone + Send + Sync + 'static {
    /// The route the handler declares.
    type Spec: RouteSpec;
}

/// The future of a handler that names its route: [`Routed`].
#[diagnostic::on_unimplemented(
    message = "this handler names no route, so `Router::route` cannot add it",
    label = "the future of a `#[proxy_handler]` without `route = \"..\"`",
    note = "add the route to its attribute, `#[proxy_handler(route = \"GET /path\")]`, or register it with `Router::handle(\"GET /path\", handler)`"
)]
pub trait IsRouted {
    /// The route.
    type Spec: RouteSpec;
}

impl<Spec: RouteSpec, F> IsRouted for Routed<Spec, F> {
    type Spec = Spec;
}

impl<F, R> RouteFn for F
where
    F: Fn(Request) -> R + Clone + Send + Sync + 'static,
    R: IsRouted,
{
    type Spec = R::Spec;
}
