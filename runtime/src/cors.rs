//! CORS on every answer: a policy ([`Cors`]) checked when it is built, given to the
//! [`Exit`](crate::Exit), which answers preflights and adds the headers to every answer it
//! finishes, so that errors, the router's 404 and 405, and the 500s and 504 carry them too.
//!
//! Not tower-http's `CorsLayer`: a layer sees only what the service answers, and the answers
//! that matter most are made after it (the 500 for an oversized answer, the 500 for a panic
//! around the service, the 400 for an event that cannot be read); the exit asks the app for each
//! path's methods for a preflight; and a configuration browsers reject is an error here, not a
//! panic.

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
/// - a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered 204
///   without calling the app, with the configured methods or else those the app serves on the
///   path (a [`Router`](crate::Router)'s routes for it; every method for a handler or a guarded
///   service), the allowed request headers and `max-age`; a path a router has no route for
///   answers 404, with the headers.
///
/// The policy applies where it is given, to the [`Exit`](crate::Exit):
/// `Exit::new().cors(policy).around(app)`.
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
                    if !lambda_proxy_core::header::is_origin(origin) {
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

#[cfg(feature = "openapi")]
impl Cors {
    /// The headers [`decorate`](Cors::decorate) adds, for the OpenAPI document: `(name,
    /// required, schema)`. `Vary` is on every answer when the policy reflects the origin; the
    /// others only on answers to an allowed origin.
    pub(crate) fn document_headers(&self) -> Vec<(&'static str, bool, serde_json::Value)> {
        use serde_json::json;
        let reflect = self.credentials || matches!(self.origins, Origins::List(_));
        let mut headers = Vec::new();
        if reflect {
            headers.push(("vary", true, json!({ "type": "string" })));
        }
        headers.push((
            "access-control-allow-origin",
            false,
            json!({ "type": "string" }),
        ));
        if self.credentials {
            headers.push((
                "access-control-allow-credentials",
                false,
                json!({ "type": "string", "const": "true" }),
            ));
        }
        if let Some(expose) = self.expose.as_ref().and_then(|v| v.to_str().ok()) {
            headers.push((
                "access-control-expose-headers",
                false,
                json!({ "type": "string", "const": expose }),
            ));
        }
        headers
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
