//! Response bodies: serializing a value as the JSON body, and reading a [`Body`]'s bytes.

use http::header::{CONTENT_ENCODING, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, StatusCode};
use lambda_http::{Body, Response};

/// A response body must be `Serialize`; this trait names the mistake when it is not.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a JSON response body",
    label = "`{Self}` does not implement `serde::Serialize`",
    note = "derive it with `#[derive(serde::Serialize)]`, or build the answer yourself and return `lambda_proxy::Response<lambda_proxy::Body>`"
)]
pub trait ProxyBody {
    /// The JSON text of the body.
    ///
    /// # Errors
    ///
    /// When serialization fails (a map with non-string keys, a failing `Serialize` impl).
    fn to_json(&self) -> serde_json::Result<String>;
}

impl<T: serde::Serialize + ?Sized> ProxyBody for T {
    #[inline]
    fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }
}

/// Serializes `value` once, straight into the body, and builds the answer.
///
/// # Errors
///
/// The serialization error: the caller answers with a problem response instead. Whether an
/// answer is the handler's own or that fallback is known from this `Result`, never guessed from
/// a status code.
pub(crate) fn json_response<T: ProxyBody + ?Sized>(
    value: &T,
    status: StatusCode,
    content_type: &HeaderValue,
) -> serde_json::Result<Response<Body>> {
    let json = value.to_json()?;
    let mut response = Response::new(Body::Text(json));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, content_type.clone());
    Ok(response)
}

/// The bytes of a body, and whether it is text (`Body::Text`). `Body::Empty`, and any kind a
/// later `lambda_http` adds, read as empty text.
pub(crate) fn bytes(body: &Body) -> (&[u8], bool) {
    match body {
        Body::Text(text) => (text.as_bytes(), true),
        Body::Binary(bytes) => (bytes, false),
        _ => (&[], true),
    }
}

/// Whether `lambda_http` sends a body with these headers as text (else base64): any
/// `content-encoding` means binary; no `content-type` means text; `text/*`, JSON, JavaScript, XML
/// and YAML types (and `+json`, `+xml`, `+yaml` suffixes) are text; so is anything marked
/// `x-lambda-http-content-encoding: text`.
pub(crate) fn sent_as_text(headers: &HeaderMap) -> bool {
    if headers.contains_key(CONTENT_ENCODING) {
        return false;
    }
    let Some(content_type) = headers.get(CONTENT_TYPE) else {
        return true;
    };
    let content_type = content_type.to_str().unwrap_or("");
    let text_prefix = [
        "text",
        "application/json",
        "application/javascript",
        "application/xml",
        "application/yaml",
    ]
    .iter()
    .any(|p| content_type.starts_with(p));
    let essence = content_type.trim().split(';').next().unwrap_or("");
    let text_suffix = ["+xml", "+yaml", "+json"]
        .iter()
        .any(|s| essence.ends_with(s));
    text_prefix
        || text_suffix
        || headers
            .get("x-lambda-http-content-encoding")
            .is_some_and(|v| v == "text")
}

/// Whether `lambda_http` decodes a text body with these headers as UTF-8: no `charset`
/// parameter, or a UTF-8 one. (It also does for labels it does not know; those are left to it.)
pub(crate) fn utf8_charset(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers.get(CONTENT_TYPE) else {
        return true;
    };
    let Ok(content_type) = content_type.to_str() else {
        return true;
    };
    let Some((_, params)) = content_type.split_once(';') else {
        return true;
    };
    params.split(';').all(|param| {
        let Some((name, value)) = param.split_once('=') else {
            return true;
        };
        if !name.trim().eq_ignore_ascii_case("charset") {
            return true;
        }
        let value = value.trim().trim_matches('"');
        value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8")
    })
}
