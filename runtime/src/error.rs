//! Errors that become HTTP answers: the [`ResponseError`] trait and the ready-made [`HttpError`].

use crate::problem::{self, ProblemBody};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use lambda_http::{Body, Response};
use std::borrow::Cow;
use std::fmt;

/// An error that knows which HTTP answer it is.
///
/// A `#[proxy_handler]` that returns `Result<T, E>` answers `Err(e)` through this trait: the status
/// from [`status`](ResponseError::status), an RFC 9457 `application/problem+json` body, and any
/// [`headers`](ResponseError::headers). Every method has a default, so
/// `impl ResponseError for MyError {}` is a complete implementation that answers 500.
///
/// What the client sees is chosen with care: for a 4xx the `detail` member is the error's
/// `Display` text; for a 5xx it is a generic sentence unless
/// [`public_detail`](ResponseError::public_detail) says otherwise, so internal messages never
/// reach clients. The full error
/// ([`log_message`](ResponseError::log_message)) is logged with `tracing` at error level (5xx) or
/// info level (4xx), together with the Lambda request id.
///
/// ```
/// use lambda_proxy::{ResponseError, StatusCode};
///
/// #[derive(Debug)]
/// enum ShopError { OutOfStock(String), Database(String) }
///
/// impl std::fmt::Display for ShopError {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         match self {
///             ShopError::OutOfStock(item) => write!(f, "{item} is out of stock"),
///             ShopError::Database(msg) => write!(f, "database error: {msg}"),
///         }
///     }
/// }
///
/// impl ResponseError for ShopError {
///     fn status(&self) -> StatusCode {
///         match self {
///             ShopError::OutOfStock(_) => StatusCode::CONFLICT,
///             ShopError::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
///         }
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be turned into an HTTP error response",
    label = "the error type of a `#[proxy_handler]` must implement `lambda_proxy::ResponseError`",
    note = "for a type of your own: `#[derive(lambda_proxy::ResponseError)]` with `#[response(status = N)]`, or `impl lambda_proxy::ResponseError for {Self} {{}}` (answers 500)",
    note = "for a type from another crate (`String`, `anyhow::Error`, ...), which cannot implement it here: return `lambda_proxy::Error` (any error, answered 500), map it to `lambda_proxy::HttpError` with `.map_err(..)`, or wrap it in a type of your own; for `anyhow::Error`, enable lambda-proxy's `anyhow` feature"
)]
pub trait ResponseError: fmt::Display {
    /// The HTTP status of the answer. Default: 500. A status that is not 4xx or 5xx is answered
    /// as 500 (and logged), since an error must not look like a success.
    fn status(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    /// The problem `type` URI. Default: `about:blank`.
    fn problem_type(&self) -> Cow<'_, str> {
        Cow::Borrowed("about:blank")
    }

    /// The problem `title`. Default (`None`): the status's reason phrase, e.g. `Not Found`.
    fn title(&self) -> Option<Cow<'_, str>> {
        None
    }

    /// The `detail` member the client sees. Default: the `Display` text for a 4xx status; for a
    /// 5xx (whose message may describe internals) `None`, which sends a generic sentence.
    fn public_detail(&self) -> Option<Cow<'_, str>> {
        if self.status().is_client_error() {
            Some(Cow::Owned(self.to_string()))
        } else {
            None
        }
    }

    /// Extra members of the problem body (RFC 9457 extension members). Members named `type`,
    /// `title`, `status`, `detail`, `instance` or `requestId` are ignored.
    fn extensions(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        None
    }

    /// Headers to add to the answer, such as `retry-after`, `www-authenticate` or `allow`.
    fn headers(&self) -> HeaderMap {
        HeaderMap::new()
    }

    /// What is logged about the error: the full story, never sent to the client. Default: the
    /// `Display` text.
    fn log_message(&self) -> String {
        self.to_string()
    }

    /// The statuses this type can answer with, for the OpenAPI document (feature `openapi`).
    /// Default: any 4xx and any 5xx, which is what a type that chooses its status at run time
    /// can answer. `#[derive(ResponseError)]` lists each variant's.
    ///
    /// ```
    /// # #[cfg(feature = "openapi")] {
    /// use lambda_proxy::openapi::ErrorStatuses;
    /// use lambda_proxy::{ResponseError, StatusCode};
    ///
    /// #[derive(Debug)]
    /// struct Conflict;
    ///
    /// impl std::fmt::Display for Conflict {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    ///         f.write_str("the name is taken")
    ///     }
    /// }
    ///
    /// impl ResponseError for Conflict {
    ///     fn status(&self) -> StatusCode {
    ///         StatusCode::CONFLICT
    ///     }
    ///
    ///     fn statuses(statuses: &mut ErrorStatuses) {
    ///         statuses.status(StatusCode::CONFLICT);
    ///     }
    /// }
    /// # }
    /// ```
    #[cfg(feature = "openapi")]
    fn statuses(statuses: &mut crate::openapi::ErrorStatuses)
    where
        Self: Sized,
    {
        statuses.any_client_error().any_server_error();
    }
}

/// Renders `error` as a problem response and logs it with the request id.
pub(crate) fn error_response<E: ResponseError + ?Sized>(
    error: &E,
    log: &str,
    request_id: Option<&str>,
) -> Response<Body> {
    let mut status = error.status();
    let request_id_field = request_id.unwrap_or("");
    if !(status.is_client_error() || status.is_server_error()) {
        tracing::error!(
            request_id = request_id_field,
            status = status.as_u16(),
            error = log,
            "a ResponseError chose a status that is not 4xx or 5xx; answering 500"
        );
        status = StatusCode::INTERNAL_SERVER_ERROR;
        return problem::response(status, None, request_id);
    }
    if status.is_server_error() {
        tracing::error!(
            request_id = request_id_field,
            status = status.as_u16(),
            error = log,
            "handler failed"
        );
    } else {
        tracing::info!(
            request_id = request_id_field,
            status = status.as_u16(),
            error = log,
            "handler answered with a client error"
        );
    }
    let problem_type = error.problem_type();
    let title = error.title();
    let detail = error.public_detail();
    let detail = detail.as_deref().or_else(|| {
        status
            .is_server_error()
            .then(|| problem::generic_detail(request_id))
    });
    let extensions = error.extensions();
    let body = ProblemBody {
        type_uri: &problem_type,
        title: title.as_deref().unwrap_or_else(|| problem::reason(status)),
        status: status.as_u16(),
        detail,
        request_id,
        extensions: extensions.as_ref(),
    };
    let mut response = problem::with_body(status, body.to_json());
    let mut extra = error.headers();
    // The body is problem+json, whatever an implementation says.
    extra.remove(http::header::CONTENT_TYPE);
    extra.remove(http::header::CONTENT_LENGTH);
    crate::envelope::merge_headers(response.headers_mut(), extra, false);
    response
}

/// An error with an HTTP status and a detail meant for the client.
///
/// Build one with the constructor named after the status's reason phrase and refine it with the
/// builder methods:
///
/// ```
/// use lambda_proxy::HttpError;
///
/// let err = HttpError::not_found("no user with id 7");
/// let err = HttpError::too_many_requests("slow down")
///     .with_header("retry-after", "30")
///     .with_type("https://example.com/problems/rate-limit");
/// ```
///
/// Only 4xx and 5xx statuses make sense for an error. [`HttpError::new`] accepts any
/// [`StatusCode`], but one outside 400–599 is answered as a plain 500 without the detail, and
/// logged at error level: a handler bug never turns into a response that looks like a success.
///
/// Unlike other errors, the detail of an `HttpError` is shown to the client for 5xx statuses too:
/// it was written for the client. Attach the internal cause with [`HttpError::with_source`]; it is
/// logged, never sent.
pub struct HttpError {
    status: StatusCode,
    detail: Option<Cow<'static, str>>,
    /// Rarely used parts, boxed so that `Result<T, HttpError>` stays small.
    more: Option<Box<More>>,
}

#[derive(Default)]
struct More {
    type_uri: Option<Cow<'static, str>>,
    title: Option<Cow<'static, str>>,
    extensions: serde_json::Map<String, serde_json::Value>,
    headers: HeaderMap,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

macro_rules! constructors {
    ($($(#[$doc:meta])* $name:ident => $status:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(detail: impl Into<Cow<'static, str>>) -> Self {
                Self::new(StatusCode::$status, detail)
            }
        )*
    };
}

impl HttpError {
    /// The media type of every error answer: RFC 9457 problem details,
    /// `application/problem+json`.
    pub const CONTENT_TYPE: &'static str = crate::problem::PROBLEM_JSON;

    /// An error with `status` and a `detail` for the client.
    pub fn new(status: StatusCode, detail: impl Into<Cow<'static, str>>) -> Self {
        let detail = detail.into();
        HttpError {
            status,
            detail: if detail.is_empty() {
                None
            } else {
                Some(detail)
            },
            more: None,
        }
    }

    fn more(&mut self) -> &mut More {
        self.more.get_or_insert_with(Box::default)
    }

    constructors! {
        /// 400 Bad Request.
        bad_request => BAD_REQUEST;
        /// 401 Unauthorized. Consider adding a `www-authenticate` header.
        unauthorized => UNAUTHORIZED;
        /// 403 Forbidden.
        forbidden => FORBIDDEN;
        /// 404 Not Found.
        not_found => NOT_FOUND;
        /// 405 Method Not Allowed. RFC 9110 requires an `allow` header listing the methods the
        /// resource supports: `.with_header("allow", "GET, HEAD")` (`lambda-proxy check --strict`
        /// and `Envelope::assert_valid` report a 405 without it). A [`Router`](crate::Router)'s
        /// own 405 carries it.
        method_not_allowed => METHOD_NOT_ALLOWED;
        /// 409 Conflict.
        conflict => CONFLICT;
        /// 410 Gone.
        gone => GONE;
        /// 412 Precondition Failed.
        precondition_failed => PRECONDITION_FAILED;
        /// 413 Payload Too Large.
        payload_too_large => PAYLOAD_TOO_LARGE;
        /// 415 Unsupported Media Type.
        unsupported_media_type => UNSUPPORTED_MEDIA_TYPE;
        /// 422 Unprocessable Entity.
        unprocessable_entity => UNPROCESSABLE_ENTITY;
        /// 429 Too Many Requests. Consider adding a `retry-after` header.
        too_many_requests => TOO_MANY_REQUESTS;
        /// 500 Internal Server Error.
        internal_server_error => INTERNAL_SERVER_ERROR;
        /// 501 Not Implemented.
        not_implemented => NOT_IMPLEMENTED;
        /// 502 Bad Gateway.
        bad_gateway => BAD_GATEWAY;
        /// 503 Service Unavailable. Consider adding a `retry-after` header.
        service_unavailable => SERVICE_UNAVAILABLE;
        /// 504 Gateway Timeout.
        gateway_timeout => GATEWAY_TIMEOUT;
    }

    /// Sets the problem `type` URI (default `about:blank`).
    pub fn with_type(mut self, uri: impl Into<Cow<'static, str>>) -> Self {
        self.more().type_uri = Some(uri.into());
        self
    }

    /// Sets the problem `title` (default: the reason phrase).
    pub fn with_title(mut self, title: impl Into<Cow<'static, str>>) -> Self {
        self.more().title = Some(title.into());
        self
    }

    /// Adds an extension member to the problem body.
    pub fn with_extension(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.more().extensions.insert(name.into(), value.into());
        self
    }

    /// Adds a header to the answer. A name or value that is not valid HTTP is left out and a
    /// warning is logged (it may come from user input; it must not break the response).
    pub fn with_header<K, V>(mut self, name: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        HeaderValue: TryFrom<V>,
    {
        if let Some((name, value)) =
            crate::envelope::header_pair(name, value, "HttpError::with_header")
        {
            self.more().headers.append(name, value);
        }
        self
    }

    /// Attaches the internal cause: logged with the error, never sent to the client.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.more().source = Some(source.into());
        self
    }

    /// The status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The detail shown to the client, if any.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

impl fmt::Debug for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpError")
            .field("status", &self.status)
            .field("detail", &self.detail)
            .field(
                "source",
                &self.more.as_ref().and_then(|m| m.source.as_ref()),
            )
            .finish_non_exhaustive()
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.more
            .as_ref()?
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl ResponseError for HttpError {
    fn status(&self) -> StatusCode {
        self.status
    }
    fn problem_type(&self) -> Cow<'_, str> {
        let uri = self.more.as_ref().and_then(|m| m.type_uri.as_deref());
        Cow::Borrowed(uri.unwrap_or("about:blank"))
    }
    fn title(&self) -> Option<Cow<'_, str>> {
        let title = self.more.as_ref()?.title.as_deref()?;
        Some(Cow::Borrowed(title))
    }
    fn public_detail(&self) -> Option<Cow<'_, str>> {
        self.detail.as_deref().map(Cow::Borrowed)
    }
    fn extensions(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        let extensions = &self.more.as_ref()?.extensions;
        (!extensions.is_empty()).then(|| extensions.clone())
    }
    fn headers(&self) -> HeaderMap {
        self.more
            .as_ref()
            .map(|m| m.headers.clone())
            .unwrap_or_default()
    }
    fn log_message(&self) -> String {
        chain(self)
    }
}

/// The extension members of a problem body, as [`ResponseError::extensions`] returns them.
pub type Extensions = serde_json::Map<String, serde_json::Value>;

/// The status of a `#[derive(ResponseError)]` arm, validated (400..=599) by the derive.
#[inline]
pub fn derived_status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// `Display` of `error` followed by its `source()` chain, `: `-separated.
pub(crate) fn chain(error: &(dyn std::error::Error + '_)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// `lambda_proxy::Error` (a boxed error): an unknown failure, answered 500 with a generic body.
impl ResponseError for Box<dyn std::error::Error + Send + Sync> {
    fn log_message(&self) -> String {
        chain(self.as_ref())
    }

    #[cfg(feature = "openapi")]
    fn statuses(statuses: &mut crate::openapi::ErrorStatuses) {
        statuses.status(StatusCode::INTERNAL_SERVER_ERROR);
    }
}

/// A boxed error without `Send + Sync`: answered as [`Error`](crate::Error) is.
impl ResponseError for Box<dyn std::error::Error> {
    fn log_message(&self) -> String {
        chain(self.as_ref())
    }

    #[cfg(feature = "openapi")]
    fn statuses(statuses: &mut crate::openapi::ErrorStatuses) {
        statuses.status(StatusCode::INTERNAL_SERVER_ERROR);
    }
}

/// I/O failures are the server's problem: 500, with the message logged only.
impl ResponseError for std::io::Error {
    fn log_message(&self) -> String {
        chain(self)
    }

    #[cfg(feature = "openapi")]
    fn statuses(statuses: &mut crate::openapi::ErrorStatuses) {
        statuses.status(StatusCode::INTERNAL_SERVER_ERROR);
    }
}

/// A `serde_json::Error` inside a handler comes from the handler's own (de)serialization, not
/// from the client: 500 with the message logged only. To answer a bad request body with 4xx,
/// map the error to an [`HttpError`].
impl ResponseError for serde_json::Error {
    #[cfg(feature = "openapi")]
    fn statuses(statuses: &mut crate::openapi::ErrorStatuses) {
        statuses.status(StatusCode::INTERNAL_SERVER_ERROR);
    }
}

impl ResponseError for std::convert::Infallible {
    #[cfg(feature = "openapi")]
    fn statuses(_: &mut crate::openapi::ErrorStatuses) {}
}

/// An `anyhow::Error` is an unknown failure: 500 with a generic body; the whole context chain is
/// logged (`{:#}`).
#[cfg(feature = "anyhow")]
impl ResponseError for anyhow::Error {
    fn log_message(&self) -> String {
        format!("{self:#}")
    }

    #[cfg(feature = "openapi")]
    fn statuses(statuses: &mut crate::openapi::ErrorStatuses) {
        statuses.status(StatusCode::INTERNAL_SERVER_ERROR);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_error_stays_small() {
        // `Result<T, HttpError>` is returned from every handler: keep clippy's
        // `result_large_err` (128 bytes) far away.
        assert!(std::mem::size_of::<HttpError>() <= 48);
    }

    #[test]
    fn builder_parts_reach_the_trait() {
        let e = HttpError::too_many_requests("slow down")
            .with_header("retry-after", "30")
            .with_type("https://example.com/rate-limit")
            .with_title("Rate limited")
            .with_extension("limit", 10)
            .with_source(std::io::Error::other("bucket empty"));
        assert_eq!(ResponseError::status(&e), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(e.headers()["retry-after"], "30");
        assert_eq!(e.problem_type(), "https://example.com/rate-limit");
        assert_eq!(e.title().as_deref(), Some("Rate limited"));
        assert_eq!(e.extensions().unwrap()["limit"], 10);
        assert_eq!(
            e.log_message(),
            "429 Too Many Requests: slow down: bucket empty"
        );
    }
}
