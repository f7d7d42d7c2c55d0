//! What the code `#[proxy_handler]` generates knows: the handler's configuration, fixed at
//! compile time by the attribute ([`HandlerConfig`]), and the invocation, read from the request
//! before the user's code runs ([`Invocation`]). Nothing else: what every answer goes through
//! after the handler is the exit's (`crate::exit`).

use http::{HeaderName, HeaderValue, StatusCode};
use lambda_http::{Body, Request, RequestExt, Response};

/// The default content type of a JSON body.
pub(crate) static JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The compile-time configuration of one handler, built by the macro from its attribute as
/// `HandlerConfig { status: 201, ..HandlerConfig::DEFAULT }`: every default lives in
/// [`HandlerConfig::DEFAULT`].
pub struct HandlerConfig {
    /// Status of a successful answer with a body (`status = N`, default 200).
    pub status: u16,
    /// Status of a successful answer to `()` (`status = N`, default 204).
    pub empty_status: u16,
    /// Content type of a successful JSON body (`content_type = ".."`, default application/json),
    /// validated by the macro and built at compile time. A reference, so that the config has no
    /// destructor and `..HandlerConfig::DEFAULT` works in a static.
    pub content_type: &'static HeaderValue,
    /// Headers added to every answer the handler itself gives (`headers(..)`): names and values
    /// validated by the macro and built at compile time.
    pub headers: &'static [(HeaderName, HeaderValue)],
    /// The handler's own time budget in ms (`timeout_ms = N`); 0 for none.
    pub timeout_ms: u64,
    /// Headers the handler sets itself on its successful answers (`headers("location")`), for
    /// the OpenAPI document and the testing kit's check of it.
    pub set_headers: &'static [&'static str],
}

impl HandlerConfig {
    /// The configuration of a handler without attribute arguments.
    pub const DEFAULT: HandlerConfig = HandlerConfig {
        status: 200,
        empty_status: 204,
        content_type: &JSON,
        headers: &[],
        timeout_ms: 0,
        set_headers: &[],
    };

    /// The status of a successful answer with a body. The macro only accepts 100..=599.
    pub(crate) fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK)
    }

    /// The status of a successful answer to `()`.
    pub(crate) fn empty_status(&self) -> StatusCode {
        StatusCode::from_u16(self.empty_status).unwrap_or(StatusCode::NO_CONTENT)
    }

    /// Adds the attribute's headers to an answer of the handler's own. With `overwrite`, they
    /// replace what the answer has; without, they fill in what it does not set.
    pub(crate) fn add_headers(&self, response: &mut Response<Body>, overwrite: bool) {
        for (name, value) in self.headers {
            if overwrite || !response.headers().contains_key(name) {
                response.headers_mut().insert(name.clone(), value.clone());
            }
        }
    }
}

/// A Lambda request id, kept inline: request ids are 36-character UUIDs, and copying one must
/// not cost an allocation per invocation. Read as text only where an answer needs it (a problem
/// body, a log line), not on the way of every answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct RequestId(smallvec::SmallVec<[u8; 40]>);

impl RequestId {
    pub(crate) fn new(id: &str) -> Self {
        RequestId(smallvec::SmallVec::from_slice(id.as_bytes()))
    }

    /// The id of the invocation `request` belongs to, from its Lambda context (none without
    /// one).
    pub(crate) fn of(request: &Request) -> Self {
        RequestId::new(request_id_of(request).unwrap_or(""))
    }

    /// The id, `None` when there is none.
    pub(crate) fn as_str(&self) -> Option<&str> {
        // Copied from a `&str`: always UTF-8.
        std::str::from_utf8(&self.0)
            .ok()
            .filter(|id| !id.is_empty())
    }
}

/// The Lambda request id of the invocation `request` belongs to, borrowed from its context.
pub(crate) fn request_id_of(request: &Request) -> Option<&str> {
    request.lambda_context_ref().map(|c| c.request_id.as_str())
}

/// What the wrapper knows about the invocation before the user's code runs: its configuration
/// and the Lambda request id, for the answers it gives itself (a panic's, a rejection's).
pub struct Invocation {
    pub(crate) config: &'static HandlerConfig,
    /// The Lambda request id, empty when there is none.
    pub(crate) request_id: RequestId,
}

impl Invocation {
    /// Reads the Lambda request id from `request`'s extensions.
    #[inline]
    pub fn begin(config: &'static HandlerConfig, request: &Request) -> Self {
        Invocation {
            config,
            request_id: RequestId::of(request),
        }
    }

    /// The Lambda request id, `None` when there is none.
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.request_id.as_str()
    }
}

/// Turns the request into the type of the handler's first parameter, which must be the request.
pub fn request<T: IsRequest>(request: Request) -> T {
    T::from_request(request)
}

/// Implemented only by `lambda_proxy::Request`; names the mistake when the first parameter is
/// something else.
#[diagnostic::on_unimplemented(
    message = "the first parameter of a `#[proxy_handler]` fn must be the request, not `{Self}`",
    label = "expected `lambda_proxy::Request` here",
    note = "write `req: lambda_proxy::Request` first; further parameters are passed through after it"
)]
pub trait IsRequest {
    #[doc(hidden)]
    fn from_request(request: Request) -> Self;
}

impl IsRequest for Request {
    fn from_request(request: Request) -> Self {
        request
    }
}
