//! One route: its line (`GET /users/{id}`), and what a `#[proxy_handler(route = ..)]` fn tells
//! the router through its return type ([`RouteSpec`], [`Routed`]).

use http::Method;
use lambda_http::{Body, Request, Response};
use std::convert::Infallible;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The methods a route line can name; `ANY` matches every method. `#[proxy_handler]` checks
/// route lines against the same list at compile time (a proc-macro crate cannot share this
/// constant; `tests/tests/router.rs` checks that the two agree).
pub(crate) const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

/// A route line read: the method (`None` for `ANY`) and the path template.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub(crate) method: Option<Method>,
    pub(crate) template: &'a str,
}

/// Reads `GET /users/{id}`: one of [`METHODS`], one space, a template that starts with `/` and
/// is printable ASCII, without a query or fragment; every parameter name once. The template's
/// syntax itself (`{name}`, `{*rest}` last) is `matchit`'s, checked when the route is added.
pub(crate) fn parse(line: &str) -> Result<Line<'_>, String> {
    let Some((method, template)) = line.split_once(' ') else {
        return Err(format!(
            "route {line:?} has no method: write it as \"GET /path\" (methods: {})",
            METHODS.join(", ")
        ));
    };
    if !METHODS.contains(&method) {
        return Err(format!(
            "unknown method {method:?} in route {line:?}: use one of {} (upper case)",
            METHODS.join(", ")
        ));
    }
    check_template(template).map_err(|why| format!("route {line:?}: {why}"))?;
    let method = match method {
        "ANY" => None,
        other => Some(Method::from_bytes(other.as_bytes()).map_err(|e| e.to_string())?),
    };
    Ok(Line { method, template })
}

/// The rules of a template beyond `matchit`'s syntax.
fn check_template(template: &str) -> Result<(), String> {
    if !template.starts_with('/') {
        return Err("the path must start with `/`".into());
    }
    if let Some(c) = template
        .chars()
        .find(|c| !c.is_ascii_graphic() || matches!(c, '?' | '#'))
    {
        return Err(format!(
            "the path cannot contain {c:?}: write it percent-encoded, as clients send it (a query string is read with `Query`, not routed)"
        ));
    }
    let mut names: Vec<&str> = Vec::new();
    for name in parameters(template) {
        if names.contains(&name) {
            return Err(format!("the parameter `{name}` appears twice"));
        }
        names.push(name);
    }
    Ok(())
}

/// The parameter names of a template, in order (`/users/{id}/files/{*path}`: `id`, `path`);
/// `{{` and `}}` are matchit's escapes for literal braces.
pub(crate) fn parameters(template: &str) -> impl Iterator<Item = &str> {
    let mut rest = template;
    std::iter::from_fn(move || loop {
        let open = rest.find('{')?;
        if rest[open..].starts_with("{{") {
            rest = &rest[open + 2..];
            continue;
        }
        let close = open + rest[open..].find('}')?;
        let name = rest[open + 1..close].trim_start_matches('*');
        rest = &rest[close + 1..];
        return Some(name);
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

    /// The handler's own one-route router, for calls without a router.
    fn own() -> &'static super::table::OwnRoute;
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

impl<Spec, F> Future for Routed<Spec, F>
where
    F: Future<Output = Result<Response<Body>, Infallible>>,
{
    type Output = Result<Response<Body>, Infallible>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project().future.poll(cx)
    }
}

/// A `#[proxy_handler(route = "..")]` fn, which [`Router::route`](super::Router::route) reads the
/// route of.
pub trait RouteFn: Clone + Send + Sync + 'static {
    /// The route the handler declares.
    type Spec: RouteSpec;
    /// The handler's future.
    type Future: Future<Output = Result<Response<Body>, Infallible>> + Send + 'static;

    /// Calls the handler.
    fn call(&self, request: Request) -> Self::Future;
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
    R: IsRouted + Future<Output = Result<Response<Body>, Infallible>> + Send + 'static,
{
    type Spec = R::Spec;
    type Future = R;

    #[inline]
    fn call(&self, request: Request) -> R {
        self(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let line = parse("GET /users/{id}").unwrap();
        assert_eq!(line.method, Some(Method::GET));
        assert_eq!(line.template, "/users/{id}");
        assert_eq!(parse("ANY /{*path}").unwrap().method, None);
        for (bad, why) in [
            ("/users", "has no method"),
            ("get /users", "unknown method \"get\""),
            ("FETCH /users", "unknown method"),
            ("GET users", "must start with `/`"),
            ("GET /users?active", "cannot contain '?'"),
            ("GET /caf\u{e9}", "cannot contain"),
            ("GET  /users", "must start with `/`"),
            ("GET /a/{id}/b/{id}", "`id` appears twice"),
            ("GET /a/{id}/{*id}", "`id` appears twice"),
        ] {
            let error = parse(bad).unwrap_err();
            assert!(error.contains(why), "{bad}: {error}");
        }
    }
}
