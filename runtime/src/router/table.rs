//! The route table and its dispatch.

use super::route::BoxFuture;
use super::route::{self, RouteFn, RouteSpec, StateFor};
use super::Route;
use crate::exit::record::{tagged, ErrorKind};
use crate::front_door::{path_in_api, routed_path};
use crate::problem;
use http::header::ALLOW;
use http::{HeaderValue, Method, StatusCode};
use lambda_http::{Body, Request, Response};
use std::any::Any;
use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

#[cfg(feature = "openapi")]
mod openapi;

type Call = Arc<dyn Fn(Request, &Route<'_>) -> BoxFuture + Send + Sync>;

/// Many routes served by one function: each request goes to the handler of its method and path,
/// and what the router answers itself is a problem+json answer like a handler's:
///
/// | the request | the answer |
/// | --- | --- |
/// | a path no route matches | 404, the detail naming the path |
/// | a known path, a method it has no route for | 405 with `Allow` listing the path's methods |
/// | `HEAD` on a path with a `GET` route and no `HEAD` route | the `GET` route's answer (the exit drops its body) |
/// | `OPTIONS` on a path with no `OPTIONS` route | 204 with `Allow` |
///
/// Templates are `matchit`'s (the matcher axum uses): `/users/{id}`, a catch-all last
/// (`/files/{*path}`); a static segment wins over a parameter. Parameters are percent-decoded.
/// The path matched is the path within the API, the same on every front door and stage (see the
/// [module documentation](crate::router)).
///
/// ```no_run
/// use lambda_proxy::{proxy_handler, Json, Path, Router, State};
/// use std::sync::Arc;
///
/// struct Store;
///
/// #[proxy_handler(route = "GET /users/{id}")]
/// async fn get_user(Path(id): Path<u64>, State(_store): State<Arc<Store>>) -> Option<String> {
///     (id == 7).then(|| "Ada".to_owned())
/// }
///
/// #[proxy_handler(route = "POST /echo", status = 201)]
/// async fn echo(Json(value): Json<serde_json::Value>) -> serde_json::Value {
///     value
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), lambda_proxy::Error> {
///     let app = Router::new()
///         .with_state(Arc::new(Store))
///         .route(get_user)?
///         .route(echo)?;
///     lambda_proxy::run(app).await
/// }
/// ```
///
/// Adding a route returns an error, never panics: a template `matchit` rejects, two routes that
/// conflict (the error names both), the same method twice on one path. Build the router in
/// `main` with `?`, and a mistake stops the function before it serves its first invocation.
///
/// Serve it with [`run`](crate::run); every answer it gives goes through the
/// [`Exit`](crate::Exit), which finishes it (CORS, normalization, the size check, `HEAD`).
pub struct Router<S = ()> {
    table: Arc<Table>,
    /// The state, shared by every request (`None` for `()`).
    state: Option<Arc<dyn Any + Send + Sync>>,
    kind: PhantomData<fn() -> S>,
}

impl<S> Clone for Router<S> {
    fn clone(&self) -> Self {
        Router {
            table: self.table.clone(),
            state: self.state.clone(),
            kind: PhantomData,
        }
    }
}

impl<S> fmt::Debug for Router<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for path in &self.table.paths {
            for endpoint in &path.endpoints {
                list.entry(&format_args!(
                    "{} {} ({})",
                    endpoint.method.as_ref().map_or("ANY", Method::as_str),
                    path.template,
                    endpoint.name
                ));
            }
        }
        list.finish()
    }
}

#[derive(Clone, Default)]
struct Table {
    matcher: matchit::Router<usize>,
    paths: Vec<PathRoutes>,
    /// The document the router serves, and where ([`Router::openapi`]).
    #[cfg(feature = "openapi")]
    openapi: Option<(Arc<str>, crate::openapi::Info)>,
}

#[derive(Clone)]
struct PathRoutes {
    template: Arc<str>,
    /// The template's parameter names, in order.
    names: Arc<[Box<str>]>,
    endpoints: Vec<Endpoint>,
}

#[derive(Clone)]
struct Endpoint {
    /// `None` for `ANY`.
    method: Option<Method>,
    /// The route as declared, its method and full template (`GET /users/{id}`, `ANY /files`):
    /// what the access record and the metrics name the route by.
    line: Arc<str>,
    name: Cow<'static, str>,
    call: Call,
    /// How the handler describes its operation; `None` for `Router::handle`.
    #[cfg(feature = "openapi")]
    describe: Option<crate::openapi::Describe>,
}

/// A route that cannot be added: the message names the route and, for a conflict, the route it
/// conflicts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteError(String);

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RouteError {}

impl Router<()> {
    /// A router without routes or state.
    pub fn new() -> Self {
        Router {
            table: Arc::default(),
            state: None,
            kind: PhantomData,
        }
    }

    /// Gives the router the state that handlers read with [`State<S>`](crate::State), which
    /// clones it for each handler that takes it (an `Arc` makes that cheap). Routes added before
    /// keep working: they take no state.
    pub fn with_state<S: Clone + Send + Sync + 'static>(self, state: S) -> Router<S> {
        Router {
            table: self.table,
            state: Some(Arc::new(state)),
            kind: PhantomData,
        }
    }
}

impl Default for Router<()> {
    fn default() -> Self {
        Router::new()
    }
}

impl<S: Send + Sync + 'static> Router<S> {
    /// Adds a `#[proxy_handler(route = "..")]` fn at the route its attribute names.
    ///
    /// # Errors
    ///
    /// A [`RouteError`] when the route conflicts with one already added.
    pub fn route<H>(self, handler: H) -> Result<Self, RouteError>
    where
        H: RouteFn,
        <H::Spec as RouteSpec>::State: StateFor<S>,
    {
        // The fn item only names the route; the router calls the handler through its route, so
        // a closure given here would never run: only a fn item (zero-sized) is accepted.
        const {
            assert!(
                std::mem::size_of::<H>() == 0,
                "`Router::route` takes a `#[proxy_handler(route = \"..\")]` fn itself; register a closure with `Router::handle`"
            )
        };
        let _ = handler;
        self.add_spec::<H::Spec>()
    }

    /// Adds the route a handler declares, once its parameters are checked against the template.
    fn add_spec<Spec: RouteSpec>(self) -> Result<Self, RouteError> {
        let line = route::parse(Spec::ROUTE).map_err(RouteError)?;
        let names = super::names(line.template);
        let probe = Route::decode(line.template, &names, names.iter().map(|_| "0"), None)
            .map_err(RouteError)?;
        Spec::check(&probe).map_err(|why| {
            RouteError(format!(
                "route {:?} ({}): {why}",
                Spec::ROUTE,
                Spec::HANDLER
            ))
        })?;
        self.add(
            Spec::ROUTE,
            Cow::Borrowed(Spec::HANDLER),
            Arc::new(Spec::call),
            #[cfg(feature = "openapi")]
            Some(Spec::describe),
        )
    }

    /// Adds any handler [`run`](crate::run) serves (a `#[proxy_handler]` fn that takes the
    /// `Request`, or a closure that calls one) at `route`, written as in the attribute: `"GET
    /// /users/{id}"`, methods GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY. Its path
    /// parameters are read with
    /// [`ProxyRequestExt::path_param`](crate::ProxyRequestExt::path_param).
    ///
    /// # Errors
    ///
    /// A [`RouteError`] for a malformed route line or template, or one that conflicts with a
    /// route already added.
    pub fn handle<F, Fut>(self, route: &str, handler: F) -> Result<Self, RouteError>
    where
        F: Fn(Request) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<Body>, Infallible>> + Send + 'static,
    {
        let name = Cow::Borrowed(std::any::type_name::<F>());
        self.add(
            route,
            name,
            Arc::new(move |mut request: Request, route: &Route<'_>| {
                // A plain handler reads its parameters from the request.
                request.extensions_mut().insert(route.to_params());
                Box::pin(handler(request)) as BoxFuture
            }),
            #[cfg(feature = "openapi")]
            None,
        )
    }

    /// Adds every route of `other` under `prefix` (`/v1`): `GET /users` becomes `GET
    /// /v1/users`, and `GET /` becomes `GET /v1`. The routes are served with this router's
    /// state (`other`'s state, of the same type, is not used).
    ///
    /// # Errors
    ///
    /// A [`RouteError`] for a prefix that is not a plain path (it starts with `/`, has no
    /// trailing `/` and no parameters), or a route that conflicts with one already added.
    pub fn nest(mut self, prefix: &str, other: Router<S>) -> Result<Self, RouteError> {
        if !prefix.starts_with('/') || prefix.ends_with('/') || prefix.contains(['{', '}']) {
            return Err(RouteError(format!(
                "nest prefix {prefix:?}: write it as `/name`, starting with `/`, without a trailing `/` and without parameters"
            )));
        }
        #[cfg(feature = "openapi")]
        if let Some((path, _)) = &other.table.openapi {
            return Err(RouteError(format!(
                "nest prefix {prefix:?}: the nested router serves an OpenAPI document at {path:?}; declare the document on the outer router, which documents every route"
            )));
        }
        for path in &other.table.paths {
            for endpoint in &path.endpoints {
                let method = endpoint.method.as_ref().map_or("ANY", Method::as_str);
                let template = match &*path.template {
                    "/" => "",
                    template => template,
                };
                let line = format!("{method} {prefix}{template}");
                self = self.add(
                    &line,
                    endpoint.name.clone(),
                    endpoint.call.clone(),
                    #[cfg(feature = "openapi")]
                    endpoint.describe,
                )?;
            }
        }
        Ok(self)
    }

    fn add(
        mut self,
        line: &str,
        name: Cow<'static, str>,
        call: Call,
        #[cfg(feature = "openapi")] describe: Option<crate::openapi::Describe>,
    ) -> Result<Self, RouteError> {
        let parsed = route::parse(line).map_err(RouteError)?;
        let table = Arc::make_mut(&mut self.table);
        let index = match table
            .paths
            .iter()
            .position(|p| &*p.template == parsed.template)
        {
            Some(index) => index,
            None => {
                let index = table.paths.len();
                table
                    .matcher
                    .insert(parsed.template, index)
                    .map_err(|error| insert_error(line, &name, &error, table))?;
                table.paths.push(PathRoutes {
                    template: parsed.template.into(),
                    names: super::names(parsed.template),
                    endpoints: Vec::new(),
                });
                index
            }
        };
        let path = &mut table.paths[index];
        if let Some(existing) = path.endpoints.iter().find(|e| e.method == parsed.method) {
            return Err(RouteError(format!(
                "route {line:?} ({name}) is already served by {}",
                existing.name
            )));
        }
        let method = parsed.method.as_ref().map_or("ANY", Method::as_str);
        path.endpoints.push(Endpoint {
            line: format!("{method} {}", parsed.template).into(),
            method: parsed.method,
            name,
            call,
            #[cfg(feature = "openapi")]
            describe,
        });
        Ok(self)
    }

    /// Routes one request.
    #[inline]
    fn dispatch(&self, request: Request) -> RouterFuture {
        self.dispatch_recorded(request, None)
    }

    /// Routes one request, writing the route that answers it (`GET /users/{id}`) into
    /// `answered`: none for the router's own 404, 405 and `OPTIONS` answers.
    fn dispatch_recorded(
        &self,
        request: Request,
        answered: Option<&mut Option<Arc<str>>>,
    ) -> RouterFuture {
        let Some(path) = routed_path(&request) else {
            let detail = "a WebSocket event is not routed: serve it with its own handler";
            return own(problem_answer(StatusCode::NOT_FOUND, detail, &request));
        };
        let table = &*self.table;
        let (index, params) = match table.matcher.at(&path) {
            Ok(matched) => {
                let index = *matched.value;
                let routes = &table.paths[index];
                let values = matched.params.iter().map(|(_, value)| value);
                let route = Route::decode(
                    &routes.template,
                    &routes.names,
                    values,
                    self.state.as_deref(),
                );
                (index, route)
            }
            Err(_) => {
                let detail = format!("no route for path {path:?}");
                return own(problem_answer(StatusCode::NOT_FOUND, &detail, &request));
            }
        };
        drop(path);
        let route = match params {
            Ok(route) => route,
            Err(detail) => {
                return own(problem_answer(StatusCode::BAD_REQUEST, &detail, &request));
            }
        };
        let routes = &table.paths[index];
        let method = request.method();
        let find = |wanted: &Method| {
            routes
                .endpoints
                .iter()
                .find(|e| e.method.as_ref() == Some(wanted))
        };
        // `HEAD` is answered by a `GET` route (or an `ANY` one); the exit drops the body.
        let get = || find(&Method::GET).filter(|_| *method == Method::HEAD);
        let endpoint = match find(method)
            .or_else(get)
            .or_else(|| routes.endpoints.iter().find(|e| e.method.is_none()))
        {
            Some(endpoint) => endpoint,
            None if *method == Method::OPTIONS => {
                let mut response = Response::new(Body::Empty);
                *response.status_mut() = StatusCode::NO_CONTENT;
                response.headers_mut().insert(ALLOW, allow(routes));
                return own(response);
            }
            None => {
                let detail = format!(
                    "method {} is not allowed on {:?}",
                    method.as_str(),
                    path_in_api(&request)
                );
                let mut response =
                    problem_answer(StatusCode::METHOD_NOT_ALLOWED, &detail, &request);
                response.headers_mut().insert(ALLOW, allow(routes));
                return own(response);
            }
        };
        if let Some(answered) = answered {
            *answered = Some(endpoint.line.clone());
        }
        RouterFuture(Inner::Handler((endpoint.call)(request, &route)))
    }

    /// The `Allow` value of the path `request` is for, `None` when no route matches it.
    fn allowed(&self, request: &Request) -> Option<HeaderValue> {
        let path = routed_path(request)?;
        let matched = self.table.matcher.at(&path).ok()?;
        Some(allow(&self.table.paths[*matched.value]))
    }
}

/// The `Allow` header of a path: its methods, `HEAD` when it has `GET`, and `OPTIONS`.
fn allow(routes: &PathRoutes) -> HeaderValue {
    let mut methods: Vec<&str> = Vec::new();
    if routes.endpoints.iter().any(|e| e.method.is_none()) {
        methods.extend(lambda_proxy_core::route::EVERY_METHOD.split(", "));
    }
    for endpoint in &routes.endpoints {
        if let Some(method) = &endpoint.method {
            methods.push(method.as_str());
            if *method == Method::GET {
                methods.push("HEAD");
            }
        }
    }
    methods.push("OPTIONS");
    let order = |m: &&str| {
        lambda_proxy_core::route::METHODS
            .iter()
            .position(|k| k == m)
            .unwrap_or(usize::MAX)
    };
    methods.sort_by_key(order);
    methods.dedup();
    HeaderValue::from_str(&methods.join(", ")).unwrap_or(HeaderValue::from_static("OPTIONS"))
}

fn insert_error(line: &str, name: &str, error: &matchit::InsertError, table: &Table) -> RouteError {
    match error {
        matchit::InsertError::Conflict { with } => {
            let other = table
                .paths
                .iter()
                .find(|p| &*p.template == with.as_str())
                .and_then(|p| p.endpoints.first())
                .map_or_else(String::new, |e| format!(" ({})", e.name));
            RouteError(format!(
                "route {line:?} ({name}) conflicts with the route {with:?}{other}: the two match the same paths"
            ))
        }
        other => RouteError(format!("route {line:?} ({name}): {other}")),
    }
}

/// A problem answer of the router's own.
fn problem_answer(status: StatusCode, detail: &str, request: &Request) -> Response<Body> {
    let request_id = crate::handler::request_id_of(request);
    tracing::debug!(
        request_id = request_id.unwrap_or(""),
        status = status.as_u16(),
        detail,
        "the router answers"
    );
    let kind = match status {
        StatusCode::NOT_FOUND => ErrorKind::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorKind::MethodNotAllowed,
        _ => ErrorKind::InvalidRequest,
    };
    tagged(problem::response(status, Some(detail), request_id), kind)
}

/// An answer of the router's own; the exit finishes it as any other.
fn own(response: Response<Body>) -> RouterFuture {
    RouterFuture(Inner::Ready(Some(Box::new(response))))
}

/// The answer of a [`Router`] to one request.
pub struct RouterFuture(Inner);

// Small enough to keep inline: a tag and a boxed future (or a boxed answer).
const _: () = assert!(std::mem::size_of::<RouterFuture>() <= 2 * std::mem::size_of::<usize>());

enum Inner {
    Handler(BoxFuture),
    /// The router's own answer; boxed, so that the future stays small (lambda-proxy's adapter
    /// keeps it inline).
    Ready(Option<Box<Response<Body>>>),
}

impl Future for RouterFuture {
    type Output = Result<Response<Body>, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.0 {
            Inner::Handler(future) => future.as_mut().poll(cx),
            Inner::Ready(response) => Poll::Ready(Ok(*response
                .take()
                .expect("a router future was polled after it completed"))),
        }
    }
}

impl<S: Send + Sync + 'static> crate::app::AppService for Router<S> {
    #[inline]
    fn call_routed(
        &mut self,
        request: Request,
        route: Option<&mut Option<Arc<str>>>,
    ) -> RouterFuture {
        self.dispatch_recorded(request, route)
    }

    fn preflight_methods(&self, request: &Request) -> Option<HeaderValue> {
        self.allowed(request)
    }

    #[cfg(feature = "openapi")]
    fn prepare(&mut self, cors: Option<&crate::Cors>) {
        Router::prepare(self, cors);
    }

    #[cfg(feature = "openapi")]
    fn document(
        &self,
        cors: Option<&crate::Cors>,
        declared: bool,
    ) -> Option<crate::openapi::Document> {
        openapi::document(&self.table, cors, declared)
    }
}

impl<S: Send + Sync + 'static> lambda_http::Service<Request> for Router<S> {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = RouterFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> RouterFuture {
        self.dispatch(request)
    }
}

/// The one-route router a `#[proxy_handler(route = "..")]` fn serves itself with when it is
/// called without a router: built once, on the first call (the macro gives each handler its
/// own, in a static).
pub struct OwnRoute(std::sync::OnceLock<Result<Router, RouteError>>);

impl OwnRoute {
    /// Not built yet.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        OwnRoute(std::sync::OnceLock::new())
    }
}

/// A `#[proxy_handler(route = "..")]` fn called without a router (in a test, or served alone by
/// `run`): served by a router with its route alone, so that it answers as under a router (404 for
/// another path, 405 for another method, `HEAD` and `OPTIONS`), without state.
pub fn alone<Spec: RouteSpec>(request: Request) -> super::route::Routed<Spec, RouterFuture> {
    let router = Spec::own()
        .0
        .get_or_init(|| Router::new().add_spec::<Spec>());
    let future = match router {
        Ok(router) => router.dispatch(request),
        Err(error) => {
            // The line is checked at compile time; a `Path` struct the template contradicts is
            // what a router's `.route(..)?` would have refused in `main`.
            let request_id = crate::handler::request_id_of(&request);
            tracing::error!(
                request_id = request_id.unwrap_or(""),
                route = Spec::ROUTE,
                %error,
                "the handler cannot be served by its route; answering 500"
            );
            own(problem::response(
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
                request_id,
            ))
        }
    };
    super::route::Routed::new(future)
}
