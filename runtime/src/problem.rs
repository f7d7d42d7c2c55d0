//! RFC 9457 `application/problem+json` bodies, the shape of every error lambda-proxy answers with.

use http::header::CONTENT_TYPE;
use http::{HeaderValue, Response, StatusCode};
use lambda_http::Body;
use serde::ser::{SerializeMap, Serializer};

/// The media type of problem details (RFC 9457): [`HttpError::CONTENT_TYPE`](crate::HttpError::CONTENT_TYPE).
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// The members of a problem-details body, borrowed for serialization.
pub(crate) struct ProblemBody<'a> {
    pub(crate) type_uri: &'a str,
    pub(crate) title: &'a str,
    pub(crate) status: u16,
    pub(crate) detail: Option<&'a str>,
    pub(crate) request_id: Option<&'a str>,
    pub(crate) extensions: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

/// Member names that extensions may not overwrite.
const RESERVED: [&str; 6] = ["type", "title", "status", "detail", "instance", "requestId"];

impl serde::Serialize for ProblemBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", self.type_uri)?;
        map.serialize_entry("title", self.title)?;
        map.serialize_entry("status", &self.status)?;
        if let Some(detail) = self.detail {
            map.serialize_entry("detail", detail)?;
        }
        if let Some(id) = self.request_id.filter(|id| !id.is_empty()) {
            map.serialize_entry("requestId", id)?;
        }
        for (key, value) in self.extensions.into_iter().flatten() {
            if !RESERVED.contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

impl ProblemBody<'_> {
    /// The JSON text of the body. A `serde_json::Value` extension cannot fail to serialize, and
    /// neither can the other members, so this always succeeds.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            // Unreachable in practice; keep the guarantee even so.
            format!(
                r#"{{"type":"about:blank","title":"Internal Server Error","status":{}}}"#,
                self.status
            )
        })
    }
}

/// The reason phrase of `status`, or a generic one for codes that have none.
pub(crate) fn reason(status: StatusCode) -> &'static str {
    status
        .canonical_reason()
        .unwrap_or(if status.is_client_error() {
            "Client Error"
        } else {
            "Server Error"
        })
}

/// The `detail` of a 5xx answer whose real cause must stay in the logs.
pub(crate) fn generic_detail(request_id: Option<&str>) -> &'static str {
    match request_id {
        Some(_) => {
            "The server could not complete this request. Quote the requestId when reporting it."
        }
        None => "The server could not complete this request.",
    }
}

/// A bare problem response: `type` about:blank, the reason phrase as title, and `detail` if
/// given (for a 5xx without one, the generic detail).
pub(crate) fn response(
    status: StatusCode,
    detail: Option<&str>,
    request_id: Option<&str>,
) -> Response<Body> {
    let detail = detail.or_else(|| status.is_server_error().then(|| generic_detail(request_id)));
    let body = ProblemBody {
        type_uri: "about:blank",
        title: reason(status),
        status: status.as_u16(),
        detail,
        request_id,
        extensions: None,
    };
    with_body(status, body.to_json())
}

pub(crate) fn with_body(status: StatusCode, json: String) -> Response<Body> {
    let mut response = Response::new(Body::Text(json));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}
