//! Reading the request: JSON bodies, path and query parameters, each failure a precise 4xx
//! ([`ProxyRequestExt`]).

use crate::error::HttpError;
use crate::FrontDoor;
use http::header::CONTENT_TYPE;
use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;
use std::fmt::Display;
use std::str::FromStr;

/// The largest JSON body [`ProxyRequestExt::json`] and [`Json`](crate::Json) accept: 1 MiB.
/// Lambda itself accepts up to 6 MB per synchronous invocation; use
/// [`ProxyRequestExt::json_with_limit`] to accept more (or less).
pub(crate) const DEFAULT_JSON_LIMIT: usize = 1024 * 1024;

/// Parsing helpers on [`Request`]: every failure is an [`HttpError`] with a 4xx status and a
/// detail that says what was wrong, so `?` in a handler answers the client precisely.
///
/// ```
/// use lambda_proxy::{proxy_handler, HttpError, ProxyRequestExt, Request};
///
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct Order { item: String, quantity: u32 }
///
/// #[proxy_handler(status = 201)]
/// async fn place_order(req: Request) -> Result<Order, HttpError> {
///     let shop: u64 = req.path_param("shop")?;     // 400 if not a number
///     let dry_run: Option<bool> = req.query_param_opt("dry_run")?;
///     let order: Order = req.json()?;              // 415, 400, 422 or 413
///     let _ = (shop, dry_run);
///     Ok(order)
/// }
/// ```
pub trait ProxyRequestExt {
    /// The body as JSON of type `T`, at most 1 MiB (1,048,576 bytes).
    ///
    /// | the request | the error |
    /// | --- | --- |
    /// | a `content-type` that is not JSON (`application/json`, `*/*+json`, any parameters) | 415 |
    /// | an empty body | 400 "the request body is empty" |
    /// | not JSON (truncated, invalid UTF-8, too deeply nested) | 400 with the line and column |
    /// | JSON, but not a `T` (wrong type, missing field) | 422 naming the field's path, e.g. `items[2].quantity`; its `errors` member has it as a JSON Pointer, `#/items/2/quantity` |
    /// | larger than the limit | 413 |
    ///
    /// A request without a `content-type` is read as JSON: API test tools and some HTTP clients
    /// omit it, and the body is validated anyway. Base64-encoded bodies (`isBase64Encoded`) were
    /// already decoded by `lambda_http`.
    ///
    /// # Errors
    ///
    /// As in the table.
    fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        self.json_with_limit(DEFAULT_JSON_LIMIT)
    }

    /// As [`json`](ProxyRequestExt::json), with at most `limit` bytes.
    ///
    /// # Errors
    ///
    /// As [`json`](ProxyRequestExt::json).
    fn json_with_limit<T: DeserializeOwned>(&self, limit: usize) -> Result<T, HttpError>;

    /// Path parameter `name` parsed as `T`: from the [`Router`](crate::Router)'s matched route
    /// when a router served the request, else from API Gateway's own `pathParameters` (a
    /// resource such as `/users/{id}`).
    ///
    /// # Errors
    ///
    /// 400 naming the parameter when it does not parse. A parameter the route does not have
    /// (behind `/{proxy+}` without a router, on a function URL or ALB, or a misspelt name) is
    /// the deployment's mistake, not the client's: 500, the cause logged.
    fn path_param<T>(&self, name: &str) -> Result<T, HttpError>
    where
        T: FromStr,
        T::Err: Display;

    /// Query parameter `name` parsed as `T` (the first value when it is repeated).
    ///
    /// # Errors
    ///
    /// 400 naming the parameter when it is missing or does not parse.
    fn query_param<T>(&self, name: &str) -> Result<T, HttpError>
    where
        T: FromStr,
        T::Err: Display,
    {
        self.query_param_opt(name)?
            .ok_or_else(|| HttpError::bad_request(format!("query parameter `{name}` is required")))
    }

    /// Query parameter `name` parsed as `T`, `None` when absent.
    ///
    /// # Errors
    ///
    /// 400 naming the parameter when it is present and does not parse.
    fn query_param_opt<T>(&self, name: &str) -> Result<Option<T>, HttpError>
    where
        T: FromStr,
        T::Err: Display;

    /// The front door that sent the event, `None` for a request that came from none (one built
    /// by hand in a unit test). An ALB request reads as [`FrontDoor::Alb`] in either header mode:
    /// `lambda_http`'s conversion hides the mode (lambda-proxy's adapter reads it from the event,
    /// and answers in the right map).
    fn front_door(&self) -> Option<FrontDoor>;
}

impl ProxyRequestExt for Request {
    fn front_door(&self) -> Option<FrontDoor> {
        crate::front_door::of(self)
    }

    fn json_with_limit<T: DeserializeOwned>(&self, limit: usize) -> Result<T, HttpError> {
        if let Some(content_type) = self.headers().get(CONTENT_TYPE) {
            let text = content_type.to_str().unwrap_or("");
            if !is_json(text) {
                return Err(HttpError::unsupported_media_type(format!(
                    "expected a JSON body (content-type: application/json), got content-type {:?}",
                    text
                ))
                .with_header("accept", "application/json"));
            }
        }
        let (bytes, _) = crate::body::bytes(self.body());
        if bytes.len() > limit {
            return Err(HttpError::payload_too_large(format!(
                "the request body is {} bytes; at most {limit} are accepted",
                bytes.len()
            )));
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(HttpError::bad_request(
                "the request body is empty; expected a JSON document",
            ));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let value: T = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| json_error(&error))?;
        deserializer.end().map_err(|error| {
            HttpError::bad_request(format!("the request body is not valid JSON: {error}"))
        })?;
        Ok(value)
    }

    fn path_param<T>(&self, name: &str) -> Result<T, HttpError>
    where
        T: FromStr,
        T::Err: Display,
    {
        // The router's parameters first: behind `/{proxy+}` API Gateway's own are `proxy` only.
        let routed = crate::router::PathParams::of(self);
        let raw = match routed {
            Some(params) => params.get(name),
            None => self.path_parameters_ref().and_then(|p| p.first(name)),
        };
        let Some(raw) = raw else {
            // The route has no such parameter: the deployment's mistake, not the client's.
            let template = routed.map(crate::router::PathParams::template);
            return Err(HttpError::internal_server_error("").with_source(format!(
                "path parameter `{name}` is not in the route{}: check the name, or route the request with a template that has it",
                template.map_or_else(String::new, |t| format!(" `{t}`"))
            )));
        };
        parse_param("path parameter", name, raw)
    }

    fn query_param_opt<T>(&self, name: &str) -> Result<Option<T>, HttpError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let params = self.query_string_parameters_ref();
        match params.and_then(|p| p.first(name)) {
            None => Ok(None),
            Some(raw) => parse_param("query parameter", name, raw).map(Some),
        }
    }
}

/// `application/json`, or any `type/subtype+json`, parameters ignored, case-insensitive.
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    (kind.eq_ignore_ascii_case("application") && subtype.eq_ignore_ascii_case("json"))
        || subtype.len() > 5 && subtype[subtype.len() - 5..].eq_ignore_ascii_case("+json")
}

fn json_error(error: &serde_path_to_error::Error<serde_json::Error>) -> HttpError {
    let inner = error.inner();
    match inner.classify() {
        serde_json::error::Category::Data => {
            let path = error.path().to_string();
            let detail = if path == "." {
                format!("the request body does not have the expected shape: {inner}")
            } else {
                format!("invalid value at `{path}`: {inner}")
            };
            // The same `errors` member as a broken constraint's (RFC 9457's example): a JSON
            // Pointer, as a URI fragment, and the message.
            let entry = serde_json::json!({ "pointer": pointer(error.path()), "detail": inner.to_string() });
            HttpError::unprocessable_entity(detail)
                .with_extension("errors", serde_json::Value::Array(vec![entry]))
        }
        _ => HttpError::bad_request(format!("the request body is not valid JSON: {inner}")),
    }
}

/// What a URI fragment cannot hold of a JSON Pointer's token as it is (RFC 3986's `fragment`
/// keeps unreserved characters, sub-delims, `:` and `@`; `/` separates tokens).
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// One token of a JSON Pointer in URI-fragment form: `~` and `/` escaped (RFC 6901 §4), then
/// percent-encoded for the fragment (§6): `a/b c` is `a~1b%20c`.
pub(crate) fn pointer_token(token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    percent_encoding::utf8_percent_encode(&escaped, FRAGMENT).to_string()
}

/// `path` as a JSON Pointer in URI-fragment form (`#/items/2/quantity`; `#` for the whole body).
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => pointer_token(key),
            Segment::Enum { variant } => pointer_token(variant),
            Segment::Unknown => continue,
        };
        pointer.push('/');
        pointer.push_str(&token);
    }
    pointer
}

fn parse_param<T>(kind: &str, name: &str, raw: &str) -> Result<T, HttpError>
where
    T: FromStr,
    T::Err: Display,
{
    raw.parse().map_err(|error| {
        let type_name = std::any::type_name::<T>();
        let short = type_name.rsplit("::").next().unwrap_or(type_name);
        HttpError::bad_request(format!("{kind} `{name}` must be a valid {short}: {error}"))
    })
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn pointer_tokens_are_escaped_and_fragment_safe() {
        assert_eq!(super::pointer_token("name"), "name");
        assert_eq!(super::pointer_token("a/b c"), "a~1b%20c");
        assert_eq!(super::pointer_token("~x%\"é"), "~0x%25%22%C3%A9");
    }

    #[test]
    fn json_media_types() {
        for yes in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/problem+json",
            "application/vnd.api+json",
        ] {
            assert!(is_json(yes), "{yes}");
        }
        for no in [
            "text/plain",
            "application/xml",
            "json",
            "",
            "application/+jsonx",
            "+json",
        ] {
            assert!(!is_json(no), "{no}");
        }
    }
}
