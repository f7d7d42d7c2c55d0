//! Typed inputs: the parameters of a `#[proxy_handler(route = "..")]` fn.
//!
//! A parameter reads either the request's head (path, query, headers, context, state:
//! [`FromRequestParts`]) or its body ([`FromRequest`]), with the [`Route`] the request matched.
//! A handler reads the body once: two parameters that read it are a compile error at the second.
//! Extraction is synchronous, since a Lambda request arrives whole: every parameter is read when
//! the router calls the handler, before its future exists, and a failure is an [`HttpError`]
//! answered as problem+json instead of running the handler.

use super::params::{ParamError, Params, Source};
use super::{PathParams, Route};
use crate::error::HttpError;
use crate::request::ProxyRequestExt;
use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;

/// A parameter read from the request's head (method, URI, headers, extensions), which several
/// parameters can read.
///
/// ```
/// use lambda_proxy::router::{FromRequestParts, Route};
/// use lambda_proxy::{HttpError, Request};
///
/// /// The caller's tenant, from a header an authorizer sets.
/// struct Tenant(String);
///
/// impl FromRequestParts for Tenant {
///     fn from_request_parts(request: &Request, _route: &Route<'_>) -> Result<Self, HttpError> {
///         request
///             .headers()
///             .get("x-tenant")
///             .and_then(|v| v.to_str().ok())
///             .map(|v| Tenant(v.to_owned()))
///             .ok_or_else(|| HttpError::bad_request("header \"x-tenant\" is missing"))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from the request's head",
    note = "implement `lambda_proxy::router::FromRequestParts` for it"
)]
pub trait FromRequestParts: Sized {
    /// Reads the value, or answers the client with the error.
    ///
    /// # Errors
    ///
    /// The answer to give instead of calling the handler: a 4xx naming what was wrong, or a 5xx
    /// (with its cause attached by [`HttpError::with_source`], logged, never sent) for what is
    /// the deployment's mistake.
    fn from_request_parts(request: &Request, route: &Route<'_>) -> Result<Self, HttpError>;

    /// Whether the value can be read from the routes of `template` at all: checked when a
    /// route is added, so that a mismatch is a `RouteError` in `main`, not a 500 on every call.
    /// `route` has the template's parameters, with placeholder values.
    ///
    /// # Errors
    ///
    /// What does not fit, for the `RouteError`.
    #[doc(hidden)]
    fn check_route(_route: &Route<'_>) -> Result<(), String> {
        Ok(())
    }
}

/// A parameter that reads the request's body. A handler has at most one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from the request",
    note = "implement `lambda_proxy::router::FromRequest` (reads the body) or `lambda_proxy::router::FromRequestParts` (reads the head) for it"
)]
pub trait FromRequest: Sized {
    /// Reads the value, or answers the client with the error. The request is the handler's own:
    /// no other parameter reads it after this one.
    ///
    /// # Errors
    ///
    /// As [`FromRequestParts::from_request_parts`].
    fn from_request(request: &mut Request, route: &Route<'_>) -> Result<Self, HttpError>;
}

/// Path parameters of the matched route (`/users/{id}`), percent-decoded: one value
/// (`Path<u64>`), a tuple in template order (`Path<(u64, String)>`), or a `Deserialize` struct by
/// name. A value that does not parse answers 400 naming the parameter
/// (`path parameter "id": expected an unsigned integer, got "abc"`); a type that does not fit
/// the route (a field the template lacks) answers 500 and logs the mismatch, since the client
/// did nothing wrong.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts for Path<T> {
    fn from_request_parts(_: &Request, route: &Route<'_>) -> Result<Self, HttpError> {
        T::deserialize(&Params::path(route))
            .map(Path)
            .map_err(|error| match error {
                ParamError::Value(_) | ParamError::Invalid(_) => {
                    HttpError::bad_request(error.describe(Source::Path))
                }
                _ => HttpError::internal_server_error("").with_source(format!(
                    "the path parameters of route `{}` do not fit `{}`: {}",
                    route.template(),
                    std::any::type_name::<T>(),
                    error.describe(Source::Path)
                )),
            })
    }

    /// A type whose shape the template contradicts (a struct field the template lacks, a tuple
    /// of another length, one value for several parameters): the values are placeholders, so
    /// only the shape can fail.
    fn check_route(route: &Route<'_>) -> Result<(), String> {
        match T::deserialize(&Params::path(route)) {
            Ok(_) | Err(ParamError::Value(_) | ParamError::Invalid(_)) => Ok(()),
            Err(error) => Err(format!(
                "`Path<{}>` does not fit the template's parameters ({}): {}",
                std::any::type_name::<T>(),
                route
                    .iter()
                    .map(|(name, _)| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                error.describe(Source::Path)
            )),
        }
    }
}

/// The query string as a `Deserialize` type: a struct by name (`Option` fields for optional
/// parameters, `Vec` fields for repeated keys, with `#[serde(default)]` when the key may be
/// absent), decoded as `application/x-www-form-urlencoded`. A missing or malformed parameter
/// answers 400 naming it.
///
/// Every value arrives as text and is parsed for the type that reads it: numbers, bools, chars,
/// strings, unit enum variants, newtypes and `#[serde(try_from = "String")]` types work;
/// `#[serde(flatten)]` and untagged enums, which read values without saying their type, see
/// only strings. The same holds for [`Path`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts for Query<T> {
    fn from_request_parts(request: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
        let query = request.uri().query().unwrap_or("");
        T::deserialize(&Params::query(query))
            .map(Query)
            .map_err(|error| HttpError::bad_request(error.describe(Source::Query)))
    }
}

/// The body as JSON of type `T`, with the answers of [`ProxyRequestExt::json`]: 415 for a
/// content type that is not JSON, 400 for an empty or malformed body, 422 naming the field for
/// the wrong shape, 413 over 1 MiB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Json<T> {
    fn from_request(request: &mut Request, _: &Route<'_>) -> Result<Self, HttpError> {
        request.json().map(Json)
    }
}

/// The router's shared state (`Router::with_state`), cloned for each request: keep it cheap to
/// clone, an `Arc` around what does not change (or is locked).
#[derive(Clone, Copy, Debug, Default)]
pub struct State<T>(pub T);

impl<T: Clone + Send + Sync + 'static> FromRequestParts for State<T> {
    fn from_request_parts(_: &Request, route: &Route<'_>) -> Result<Self, HttpError> {
        match route.state::<T>() {
            Some(state) => Ok(State(state.clone())),
            None => Err(HttpError::internal_server_error("").with_source(format!(
                "no state of type `{}`: serve the handler through a `Router` made with `with_state`",
                std::any::type_name::<T>()
            ))),
        }
    }
}

impl FromRequestParts for lambda_http::Context {
    fn from_request_parts(request: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
        Ok(request.lambda_context_ref().cloned().unwrap_or_default())
    }
}

impl FromRequestParts for http::HeaderMap {
    fn from_request_parts(request: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
        Ok(request.headers().clone())
    }
}

impl FromRequestParts for http::Method {
    fn from_request_parts(request: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
        Ok(request.method().clone())
    }
}

impl FromRequestParts for http::Uri {
    fn from_request_parts(request: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
        Ok(request.uri().clone())
    }
}

impl FromRequestParts for PathParams {
    fn from_request_parts(_: &Request, route: &Route<'_>) -> Result<Self, HttpError> {
        Ok(route.to_params())
    }
}

/// The whole request, for anything the other parameters do not read. It reads the body, so no
/// other parameter can. Its extensions carry the route's [`PathParams`], for
/// [`ProxyRequestExt::path_param`](crate::ProxyRequestExt::path_param).
impl FromRequest for Request {
    fn from_request(request: &mut Request, route: &Route<'_>) -> Result<Self, HttpError> {
        let mut request = std::mem::take(request);
        request.extensions_mut().insert(route.to_params());
        Ok(request)
    }
}

/// The body as text; 400 when it is not UTF-8.
impl FromRequest for String {
    fn from_request(request: &mut Request, _: &Route<'_>) -> Result<Self, HttpError> {
        let (bytes, _) = crate::body::bytes(request.body());
        String::from_utf8(bytes.to_vec())
            .map_err(|_| HttpError::bad_request("the request body is not valid UTF-8 text"))
    }
}

/// The body as bytes.
impl FromRequest for bytes::Bytes {
    fn from_request(request: &mut Request, _: &Route<'_>) -> Result<Self, HttpError> {
        let (bytes, _) = crate::body::bytes(request.body());
        Ok(bytes::Bytes::copy_from_slice(bytes))
    }
}

/// The generated extraction: each parameter is read from the head first, in order
/// ([`parts`](kinds::parts)), then the one that reads the body, if any
/// ([`Pending::finish`](kinds::Pending::finish)). The type parameter of
/// [`Extractor`](kinds::Extractor) says which kind a parameter is; [`Then`](kinds::Then) counts
/// body readers, so that a second one is a compile error at its own parameter.
#[doc(hidden)]
pub mod kinds {
    use super::*;

    /// A parameter that reads the head.
    pub struct ViaParts;
    /// A parameter that reads the body.
    pub struct ViaBody;
    /// No parameter read the body yet.
    pub struct BodyUnread;
    /// A parameter read the body.
    pub struct BodyRead;

    /// A parameter of a routed handler.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be a parameter of a `#[proxy_handler(route = \"..\")]` fn",
        label = "not an extractor",
        note = "each parameter of a routed handler is read from the request: `Path<T>`, `Query<T>`, `Json<T>`, `State<T>`, `Caller<T>`, `Recorder`, `HeaderMap`, `Method`, `Uri`, `Context`, `PathParams`, `String`, `Bytes` or the whole `Request`; the `T` of `Path`, `Query`, `Json` and `Caller` derives `serde::Deserialize`",
        note = "for a type of your own, implement `lambda_proxy::router::FromRequestParts` (reads the head) or `lambda_proxy::router::FromRequest` (reads the body)"
    )]
    pub trait Extractor<M>: Sized {
        /// Reads a head parameter; `None` for the body parameter, read later.
        fn parts(request: &Request, route: &Route<'_>) -> Option<Result<Self, HttpError>>;
        /// Reads the body parameter.
        fn body(request: &mut Request, route: &Route<'_>) -> Result<Self, HttpError>;
    }

    impl<T: FromRequestParts> Extractor<ViaParts> for T {
        #[inline]
        fn parts(request: &Request, route: &Route<'_>) -> Option<Result<Self, HttpError>> {
            Some(T::from_request_parts(request, route))
        }
        #[inline]
        fn body(request: &mut Request, route: &Route<'_>) -> Result<Self, HttpError> {
            T::from_request_parts(request, route)
        }
    }

    impl<T: FromRequest> Extractor<ViaBody> for T {
        #[inline]
        fn parts(_: &Request, _: &Route<'_>) -> Option<Result<Self, HttpError>> {
            None
        }
        #[inline]
        fn body(request: &mut Request, route: &Route<'_>) -> Result<Self, HttpError> {
            T::from_request(request, route)
        }
    }

    /// The body count after a parameter of kind `M`, when the count before it is `Self`.
    #[diagnostic::on_unimplemented(
        message = "this parameter reads the request body, which an earlier parameter already reads",
        label = "a second parameter that reads the body",
        note = "a handler reads its body once: keep one of `Json<T>`, `String`, `Bytes` and `Request`, and read the rest from it"
    )]
    pub trait Then<M> {
        /// The count after the parameter.
        type Next: Default;
    }

    impl<S: Default> Then<ViaParts> for S {
        type Next = S;
    }

    impl Then<ViaBody> for BodyUnread {
        type Next = BodyRead;
    }

    /// A parameter read from the head, or waiting for the body.
    /// Checks parameter type `T` against a route when it is added, by auto-ref specialization
    /// (as `dispatch.rs` chooses a return kind): a head parameter by its
    /// [`FromRequestParts::check_route`], anything else passes. Without a bound on `T`, so that
    /// a type that is no extractor is reported once, by [`parts`].
    pub struct CheckParam<T>(std::marker::PhantomData<fn() -> T>);

    impl<T> CheckParam<T> {
        #[inline]
        #[allow(clippy::new_without_default)]
        pub fn new() -> Self {
            CheckParam(std::marker::PhantomData)
        }
    }

    /// Selected for a head parameter.
    pub trait CheckParts {
        fn check_param(&self, route: &Route<'_>) -> Result<(), String>;
    }

    impl<T: FromRequestParts> CheckParts for &CheckParam<T> {
        fn check_param(&self, route: &Route<'_>) -> Result<(), String> {
            T::check_route(route)
        }
    }

    /// Selected for any other parameter.
    pub trait CheckAny {
        fn check_param(&self, route: &Route<'_>) -> Result<(), String>;
    }

    impl<T> CheckAny for CheckParam<T> {
        fn check_param(&self, _: &Route<'_>) -> Result<(), String> {
            Ok(())
        }
    }

    pub struct Pending<T> {
        value: Option<Result<T, HttpError>>,
        body: fn(&mut Request, &Route<'_>) -> Result<T, HttpError>,
    }

    /// Reads parameter `T` from the head, if it is a head parameter.
    #[inline]
    pub fn parts<T, M, S>(request: &Request, route: &Route<'_>, _before: S) -> (Pending<T>, S::Next)
    where
        T: Extractor<M>,
        S: Then<M>,
    {
        let pending = Pending {
            value: T::parts(request, route),
            body: T::body,
        };
        (pending, S::Next::default())
    }

    impl<T> Pending<T> {
        /// The rejection of a head parameter: checked for every head parameter before the body is
        /// read, so that a bad path or query is reported before a body that could not be read
        /// either, whatever the order of the parameters.
        #[inline]
        pub fn head_rejection(&mut self) -> Option<HttpError> {
            match self.value.take() {
                Some(Err(rejection)) => Some(rejection),
                other => {
                    self.value = other;
                    None
                }
            }
        }

        /// The parameter's value: read from the head already, or now from the body.
        ///
        /// # Errors
        ///
        /// The extractor's rejection.
        #[inline]
        pub fn finish(self, request: &mut Request, route: &Route<'_>) -> Result<T, HttpError> {
            match self.value {
                Some(value) => value,
                None => (self.body)(request, route),
            }
        }
    }

    /// What reading the parameters led to.
    pub enum Start<A> {
        /// The parameters: run the handler with them.
        Run(crate::handler::Invocation, A),
        /// The answer instead of the handler's: a rejection, or a panic in an extractor
        /// (answered 500), finished as a handler's answer is.
        Answered(lambda_http::Response<lambda_http::Body>),
    }

    /// The parameters read, or the answer to give instead of running the handler.
    pub fn extracted<A>(
        inv: crate::handler::Invocation,
        outcome: crate::guards::future::Outcome<Result<A, HttpError>>,
    ) -> Start<A> {
        match outcome.into_result() {
            Ok(Ok(values)) => Start::Run(inv, values),
            Ok(Err(rejection)) => {
                let response = crate::dispatch::fail(
                    &rejection,
                    &crate::ResponseError::log_message(&rejection),
                    &inv,
                );
                Start::Answered(crate::exit::record::tagged(
                    response,
                    crate::exit::record::ErrorKind::InvalidRequest,
                ))
            }
            Err(payload) => Start::Answered(crate::guards::panicked(&inv, payload)),
        }
    }

    /// A handler's future, boxed for the router.
    #[inline]
    pub fn boxed<F>(future: F) -> crate::router::route::BoxFuture
    where
        F: std::future::Future<
                Output = Result<lambda_http::Response<lambda_http::Body>, std::convert::Infallible>,
            > + Send
            + 'static,
    {
        Box::pin(future)
    }

    /// An answer known before the handler's future exists, as the router's future.
    #[inline]
    pub fn answer(
        response: Result<lambda_http::Response<lambda_http::Body>, std::convert::Infallible>,
    ) -> crate::router::route::BoxFuture {
        Box::pin(std::future::ready(response))
    }

    impl Default for BodyUnread {
        fn default() -> Self {
            BodyUnread
        }
    }

    impl Default for BodyRead {
        fn default() -> Self {
            BodyRead
        }
    }
}
