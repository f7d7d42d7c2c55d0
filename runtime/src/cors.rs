//! CORS on every answer: a policy ([`Cors`]) checked when it is built, preflight answered by the
//! router, and the headers added at the one exit every answer passes, so that errors, the
//! router's 404 and 405, and the guards' 500 and 504 carry them too.
//!
//! Not tower-http's `CorsLayer`: a layer sees only what the service answers, and the answers
//! that matter most are made after it (the exit's 500 for an oversized answer, the adapter's 500
//! for a panic around the service); the router knows each path's methods for a preflight; and a
//! configuration browsers reject is an error here, not a panic.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use lambda_http::{Body, Response};
use std::fmt;
use std::time::Duration;

/// A CORS policy, the rules of the Fetch standard built in:
///
/// - an allowed origin gets `Access-Control-Allow-Origin` on every answer, the guards' and the
///   router's included; with credentials it is the origin itself (never `*`), with
///   `Access-Control-Allow-Credentials: true`;
/// - an answer that depends on the request's `Origin` says so with `Vary: Origin`;
/// - an origin that is not allowed gets no CORS headers at all (the browser then blocks the
///   answer, as it should), and the request is served as without CORS;
/// - a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered 204 by
///   the [`Router`](crate::Router) without calling a handler, with the matched path's methods
///   (or the configured ones), the allowed request headers and `max-age`; a path with no route
///   answers 404 as usual.
///
/// A configuration a browser would reject is refused when it is built:
///
/// ```
/// use lambda_proxy::Cors;
///
/// let cors = Cors::builder()
///     .allow_origins(["https://app.example.com"])
///     .allow_credentials()
///     .allow_headers(["content-type", "authorization"])
///     .max_age(std::time::Duration::from_secs(600))
///     .build()
///     .expect("a policy browsers accept");
/// # let _ = cors;
///
/// let error = Cors::builder().allow_any_origin().allow_credentials().build().unwrap_err();
/// assert!(error.to_string().contains("credentials"));
/// ```
#[derive(Clone, Debug)]
pub struct Cors {
    origins: Origins,
    credentials: bool,
    methods: Option<HeaderValue>,
    headers: AllowHeaders,
    expose: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
}

#[derive(Clone, Debug)]
enum Origins {
    Any,
    List(Vec<HeaderValue>),
}

#[derive(Clone, Debug)]
enum AllowHeaders {
    /// Only CORS-safelisted request headers.
    None,
    List(HeaderValue),
    /// Those the preflight asks for.
    Mirror,
}

/// A CORS configuration that cannot work, refused by [`CorsBuilder::build`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorsError(String);

impl fmt::Display for CorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CorsError {}

/// Builds a [`Cors`] policy; [`build`](CorsBuilder::build) checks it.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct CorsBuilder {
    origins: Vec<String>,
    any_origin: bool,
    credentials: bool,
    methods: Vec<String>,
    headers: Vec<String>,
    any_headers: bool,
    expose: Vec<String>,
    max_age: Option<Duration>,
}

impl Cors {
    /// A policy to configure.
    pub fn builder() -> CorsBuilder {
        CorsBuilder::default()
    }
}

impl CorsBuilder {
    /// The origins allowed, serialized as browsers send them: `https://app.example.com`,
    /// `http://localhost:3000` (scheme, host, port; no path, no trailing `/`).
    pub fn allow_origins<'a>(mut self, origins: impl IntoIterator<Item = &'a str>) -> Self {
        self.origins.extend(origins.into_iter().map(str::to_owned));
        self
    }

    /// Any origin (`Access-Control-Allow-Origin: *`); refused with credentials.
    pub fn allow_any_origin(mut self) -> Self {
        self.any_origin = true;
        self
    }

    /// Requests with credentials (cookies, `Authorization`): `Access-Control-Allow-Credentials:
    /// true`, and the origin itself in place of `*`.
    pub fn allow_credentials(mut self) -> Self {
        self.credentials = true;
        self
    }

    /// The methods a preflight allows; without them, the methods of the matched path's routes.
    pub fn allow_methods<'a>(mut self, methods: impl IntoIterator<Item = &'a str>) -> Self {
        self.methods.extend(methods.into_iter().map(str::to_owned));
        self
    }

    /// The request headers a preflight allows (beyond the CORS-safelisted ones).
    pub fn allow_headers<'a>(mut self, headers: impl IntoIterator<Item = &'a str>) -> Self {
        self.headers.extend(headers.into_iter().map(str::to_owned));
        self
    }

    /// Whatever request headers a preflight asks for (reflected, never `*`, so that it works with
    /// credentials too).
    pub fn allow_any_headers(mut self) -> Self {
        self.any_headers = true;
        self
    }

    /// The response headers a browser lets the page read (beyond the CORS-safelisted ones).
    pub fn expose_headers<'a>(mut self, headers: impl IntoIterator<Item = &'a str>) -> Self {
        self.expose.extend(headers.into_iter().map(str::to_owned));
        self
    }

    /// How long a browser may cache a preflight's answer (whole seconds).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// The policy.
    ///
    /// # Errors
    ///
    /// A [`CorsError`] saying what a browser would reject: credentials with any origin, no
    /// origin at all, an origin that is not `scheme://host[:port]`, a method or header name that
    /// is not a token, or both a list of request headers and any headers.
    pub fn build(self) -> Result<Cors, CorsError> {
        let error = |message: String| Err(CorsError(message));
        let origins = match (self.any_origin, self.origins.is_empty()) {
            (true, true) if self.credentials => {
                return error("CORS: credentials cannot be allowed for any origin (browsers reject `Access-Control-Allow-Origin: *` with credentials): list the origins with `allow_origins`".into());
            }
            (true, true) => Origins::Any,
            (true, false) => {
                return error(
                    "CORS: give either `allow_any_origin` or `allow_origins`, not both".into(),
                );
            }
            (false, true) => {
                return error("CORS: no origin is allowed: give `allow_origins([..])` or `allow_any_origin()`".into());
            }
            (false, false) => {
                let mut list = Vec::new();
                for origin in &self.origins {
                    if !is_origin(origin) {
                        return error(format!("CORS: {origin:?} is not an origin as browsers send it: write `scheme://host` or `scheme://host:port`, lower case, without a path or a trailing `/`"));
                    }
                    list.push(HeaderValue::from_str(origin).map_err(|_| {
                        CorsError(format!("CORS: {origin:?} cannot be a header value"))
                    })?);
                }
                Origins::List(list)
            }
        };
        let methods = match self.methods.as_slice() {
            [] => None,
            methods => {
                for method in methods {
                    if Method::from_bytes(method.as_bytes()).is_err() || method == "*" {
                        return error(format!("CORS: {method:?} is not a method"));
                    }
                }
                Some(joined(methods)?)
            }
        };
        let headers = match (self.any_headers, self.headers.as_slice()) {
            (true, []) => AllowHeaders::Mirror,
            (true, _) => {
                return error(
                    "CORS: give either `allow_headers` or `allow_any_headers`, not both".into(),
                );
            }
            (false, []) => AllowHeaders::None,
            (false, headers) => AllowHeaders::List(names(headers)?),
        };
        let expose = match self.expose.as_slice() {
            [] => None,
            headers => Some(names(headers)?),
        };
        let max_age = self.max_age.map(|age| HeaderValue::from(age.as_secs()));
        Ok(Cors {
            origins,
            credentials: self.credentials,
            methods,
            headers,
            expose,
            max_age,
        })
    }
}

/// `scheme://host[:port]`, lower case, as a browser serializes an origin.
fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || rest.starts_with('[') => (host, Some(port)),
        _ => (rest, None),
    };
    !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b))
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.[]:".contains(&b))
        && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Header names, checked, as one comma-separated value.
fn names(names: &[String]) -> Result<HeaderValue, CorsError> {
    for name in names {
        if HeaderName::from_bytes(name.as_bytes()).is_err() || name == "*" {
            return Err(CorsError(format!("CORS: {name:?} is not a header name")));
        }
    }
    joined(
        &names
            .iter()
            .map(|n| n.to_ascii_lowercase())
            .collect::<Vec<_>>(),
    )
}

fn joined(items: &[String]) -> Result<HeaderValue, CorsError> {
    HeaderValue::from_str(&items.join(", "))
        .map_err(|_| CorsError(format!("CORS: {items:?} cannot be a header value")))
}

impl Cors {
    /// Whether `origin` is allowed.
    fn allows(&self, origin: &HeaderValue) -> bool {
        match &self.origins {
            Origins::Any => true,
            Origins::List(list) => list.iter().any(|allowed| allowed == origin),
        }
    }

    /// Whether a request is a preflight.
    pub(crate) fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
        method == Method::OPTIONS
            && headers.contains_key(ORIGIN)
            && headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
    }

    /// The answer to a preflight for a path whose methods are `allow` (an `Allow` value).
    pub(crate) fn preflight(&self, headers: &HeaderMap, allow: HeaderValue) -> Response<Body> {
        let mut response = Response::new(Body::Empty);
        *response.status_mut() = StatusCode::NO_CONTENT;
        let origin = headers.get(ORIGIN);
        if origin.is_some_and(|origin| self.allows(origin)) {
            let out = response.headers_mut();
            out.insert(
                ACCESS_CONTROL_ALLOW_METHODS,
                self.methods.clone().unwrap_or(allow),
            );
            let requested = headers.get(ACCESS_CONTROL_REQUEST_HEADERS);
            match (&self.headers, requested) {
                (AllowHeaders::List(list), _) => {
                    out.insert(ACCESS_CONTROL_ALLOW_HEADERS, list.clone());
                }
                (AllowHeaders::Mirror, Some(requested)) => {
                    out.insert(ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
                }
                _ => {}
            }
            if let Some(age) = &self.max_age {
                out.insert(ACCESS_CONTROL_MAX_AGE, age.clone());
            }
        }
        if matches!(self.headers, AllowHeaders::Mirror) {
            add_vary(response.headers_mut(), "access-control-request-headers");
        }
        response
    }

    /// Adds the headers for a request from `origin` to an answer (any answer: a handler's, an
    /// error, the router's, a guard's). Idempotent.
    pub(crate) fn decorate(&self, origin: Option<&HeaderValue>, response: &mut Response<Body>) {
        let headers = response.headers_mut();
        let reflect = self.credentials || matches!(self.origins, Origins::List(_));
        if reflect {
            // The answer depends on the request's `Origin`, allowed or not.
            add_vary(headers, "origin");
        }
        let Some(origin) = origin.filter(|origin| self.allows(origin)) else {
            return;
        };
        let value = if reflect {
            origin.clone()
        } else {
            HeaderValue::from_static("*")
        };
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, value);
        if self.credentials {
            headers.insert(
                ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
        }
        if let Some(expose) = &self.expose {
            headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
        }
    }
}

/// Every method, for the preflight of a handler served alone without `allow_methods`.
const EVERY_METHOD: &str = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";

impl Cors {
    /// Serves `handler` alone, without a router, with this policy: give the result to
    /// [`run`](crate::run). Preflights are answered 204 with `allow_methods` (every method without
    /// it), and every answer carries the headers, as under [`Router::cors`](crate::Router::cors).
    ///
    /// ```no_run
    /// use lambda_proxy::{proxy_handler, Cors, Request};
    ///
    /// #[proxy_handler]
    /// async fn hello(_req: Request) -> &'static str {
    ///     "hello"
    /// }
    ///
    /// #[tokio::main]
    /// async fn main() -> Result<(), lambda_proxy::Error> {
    ///     let cors = Cors::builder().allow_origins(["https://app.example.com"]).build()?;
    ///     lambda_proxy::run(cors.around(hello)).await
    /// }
    /// ```
    pub fn around<H: crate::Handler>(self, handler: H) -> WithCors<H> {
        WithCors {
            policy: std::sync::Arc::new(self),
            handler,
        }
    }

    /// The answer to a preflight for a handler served alone.
    pub(crate) fn preflight_alone(&self, headers: &HeaderMap) -> Response<Body> {
        self.preflight(headers, HeaderValue::from_static(EVERY_METHOD))
    }
}

/// A handler served alone with a CORS policy: see [`Cors::around`].
#[derive(Clone, Debug)]
pub struct WithCors<H> {
    pub(crate) policy: std::sync::Arc<Cors>,
    pub(crate) handler: H,
}

/// The service [`WithCors`] is given to the adapter as: preflights answered, everything else
/// passed to the handler's service.
#[derive(Clone, Debug)]
pub struct CorsService<S> {
    pub(crate) policy: std::sync::Arc<Cors>,
    pub(crate) service: S,
}

impl<S> lambda_http::Service<lambda_http::Request> for CorsService<S>
where
    S: lambda_http::Service<
        lambda_http::Request,
        Response = Response<Body>,
        Error = std::convert::Infallible,
    >,
    S::Future: Unpin,
{
    type Response = Response<Body>;
    type Error = std::convert::Infallible;
    type Future = CorsFuture<S::Future>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), std::convert::Infallible>> {
        self.service.poll_ready(cx)
    }

    fn call(&mut self, request: lambda_http::Request) -> Self::Future {
        if Cors::is_preflight(request.method(), request.headers()) {
            let response = self.policy.preflight_alone(request.headers());
            return CorsFuture::Ready(Some(Box::new(response)));
        }
        CorsFuture::Inner(self.service.call(request))
    }
}

/// The future of a [`CorsService`].
#[derive(Debug)]
pub enum CorsFuture<F> {
    /// The handler's.
    Inner(F),
    /// A preflight's answer.
    Ready(Option<Box<Response<Body>>>),
}

impl<F> std::future::Future for CorsFuture<F>
where
    F: std::future::Future<Output = Result<Response<Body>, std::convert::Infallible>> + Unpin,
{
    type Output = Result<Response<Body>, std::convert::Infallible>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        match self.get_mut() {
            CorsFuture::Inner(future) => std::pin::Pin::new(future).poll(cx),
            CorsFuture::Ready(response) => std::task::Poll::Ready(Ok(*response
                .take()
                .expect("a preflight future was polled after it completed"))),
        }
    }
}

/// A policy and the `Origin` of the request being answered.
#[derive(Debug)]
pub(crate) struct CorsContext {
    policy: std::sync::Arc<Cors>,
    origin: Option<HeaderValue>,
}

impl CorsContext {
    /// For a request with `headers`.
    pub(crate) fn new(policy: &std::sync::Arc<Cors>, headers: &HeaderMap) -> Self {
        CorsContext {
            policy: policy.clone(),
            origin: headers.get(ORIGIN).cloned(),
        }
    }

    /// Adds the headers to `response`.
    pub(crate) fn apply(&self, response: &mut Response<Body>) {
        self.policy.decorate(self.origin.as_ref(), response);
    }
}

/// Adds `name` to `Vary` unless it is there (any case, any of its values).
fn add_vary(headers: &mut HeaderMap, name: &'static str) {
    let present = headers.get_all(VARY).iter().any(|value| {
        value.to_str().is_ok_and(|v| {
            v.split(',')
                .any(|item| item.trim().eq_ignore_ascii_case(name) || item.trim() == "*")
        })
    });
    if !present {
        headers.append(VARY, HeaderValue::from_static(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        for good in [
            "https://app.example.com",
            "http://localhost:3000",
            "https://[::1]:8443",
        ] {
            assert!(is_origin(good), "{good}");
        }
        for bad in [
            "app.example.com",
            "https://app.example.com/",
            "https://App.example.com",
            "https://app.example.com/path",
            "https://app.example.com:",
            "*",
            "null",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
    }

    #[test]
    fn configurations_browsers_reject_are_errors() {
        let cases = [
            (
                Cors::builder().allow_any_origin().allow_credentials(),
                "credentials cannot be allowed for any origin",
            ),
            (Cors::builder(), "no origin is allowed"),
            (
                Cors::builder()
                    .allow_origins(["https://a.example"])
                    .allow_any_origin(),
                "not both",
            ),
            (
                Cors::builder().allow_origins(["https://a.example/"]),
                "is not an origin",
            ),
            (
                Cors::builder()
                    .allow_origins(["https://a.example"])
                    .allow_methods(["GE T"]),
                "is not a method",
            ),
            (
                Cors::builder()
                    .allow_origins(["https://a.example"])
                    .allow_headers(["*"]),
                "is not a header name",
            ),
            (
                Cors::builder()
                    .allow_origins(["https://a.example"])
                    .allow_headers(["x"])
                    .allow_any_headers(),
                "not both",
            ),
        ];
        for (builder, why) in cases {
            let error = builder.build().unwrap_err();
            assert!(error.to_string().contains(why), "{error}");
        }
    }

    #[test]
    fn vary_is_added_once() {
        let mut headers = HeaderMap::new();
        headers.append(VARY, HeaderValue::from_static("Accept-Encoding, Origin"));
        add_vary(&mut headers, "origin");
        assert_eq!(headers.get_all(VARY).iter().count(), 1);
        add_vary(&mut headers, "access-control-request-headers");
        assert_eq!(headers.get_all(VARY).iter().count(), 2);
    }
}
