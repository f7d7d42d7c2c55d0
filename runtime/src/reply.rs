//! [`Reply`]: a JSON body with a status and headers chosen at run time.

use crate::body::{json_response, ProxyBody};
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use lambda_http::{Body, Response};
use serde::Serialize;

/// A JSON body together with a status and headers chosen at run time.
///
/// Return it from a `#[proxy_handler]` when the status or headers depend on what happened:
///
/// ```
/// use lambda_proxy::{proxy_handler, HttpError, Reply, Request, StatusCode};
///
/// #[derive(serde::Serialize)]
/// struct User { id: u64 }
///
/// #[proxy_handler]
/// async fn upsert_user(_req: Request) -> Result<Reply<User>, HttpError> {
///     let created = true;
///     let user = User { id: 7 };
///     Ok(if created {
///         Reply::new(user).status(StatusCode::CREATED).header("location", "/users/7")
///     } else {
///         Reply::new(user)
///     })
/// }
/// ```
///
/// Without [`status`](Reply::status) the answer has the handler's `status` attribute (200 when
/// there is none). When only the status is chosen at run time, `(StatusCode, T)` says the same in
/// fewer words: `(StatusCode::CREATED, user)`. The attribute's `headers(..)` fill in the headers a
/// reply does not set, whatever its status. The body is serialized as JSON with `content-type: application/json` unless
/// [`content_type`](Reply::content_type) or the attribute says otherwise.
#[derive(Debug, Clone)]
pub struct Reply<T> {
    body: T,
    status: Option<StatusCode>,
    headers: HeaderMap,
}

impl<T: Serialize> Reply<T> {
    /// A reply carrying `body`, with the handler's default status.
    pub fn new(body: T) -> Self {
        Reply {
            body,
            status: None,
            headers: HeaderMap::new(),
        }
    }

    /// Sets the status. Statuses that carry no body (204, 304) send an empty body. The OpenAPI
    /// document (feature `openapi`) lists a `Reply`'s answers as the attribute's status and any
    /// 2xx: a status outside 2xx answers what the document does not list (answer an error through
    /// `Err` instead).
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a header. A name or value that is not valid HTTP is left out of the answer and a
    /// warning is logged, the same rule as for every other header (see the crate docs).
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        HeaderValue: TryFrom<V>,
    {
        if let Some((name, value)) = crate::envelope::header_pair(name, value, "Reply::header") {
            self.headers.append(name, value);
        }
        self
    }

    /// Sets the content type of the JSON body (for example `application/vnd.api+json`). The
    /// OpenAPI document lists the attribute's `content_type`: when every reply has the same one,
    /// set it there instead.
    pub fn content_type<V>(self, content_type: V) -> Self
    where
        HeaderValue: TryFrom<V>,
    {
        let mut reply = self;
        if let Some((name, value)) =
            crate::envelope::header_pair(CONTENT_TYPE, content_type, "Reply::content_type")
        {
            reply.headers.insert(name, value);
        }
        reply
    }

    /// The body.
    pub fn body(&self) -> &T {
        &self.body
    }
}

impl<T: ProxyBody> Reply<T> {
    /// The answer, with the reply's status and headers over the defaults.
    ///
    /// # Errors
    ///
    /// When the body does not serialize.
    pub(crate) fn into_response(
        self,
        default_status: StatusCode,
        default_content_type: &HeaderValue,
    ) -> serde_json::Result<Response<Body>> {
        let status = self.status.unwrap_or(default_status);
        let mut response = json_response(&self.body, status, default_content_type)?;
        // The reply's headers replace the defaults (content-type), every value kept.
        crate::envelope::merge_headers(response.headers_mut(), self.headers, true);
        Ok(response)
    }
}
