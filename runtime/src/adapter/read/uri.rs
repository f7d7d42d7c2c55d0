//! The URI and the body of the request, as `lambda_http` makes them.

use super::members::Str;
use crate::adapter::convert::{classify, Unreadable};
use lambda_http::aws_lambda_events::query_map::QueryMap;
use lambda_http::Body;
use std::borrow::Cow;

/// `lambda_http`'s path with the stage: the raw path, with `/{stage}` in front unless the stage
/// is `$default` or already there, or `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` is set (read at
/// each invocation, as `lambda_http` reads it).
pub(super) fn path_with_stage<'a>(stage: Option<&str>, path: &'a str) -> Cow<'a, str> {
    if std::env::var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH").is_ok() {
        return Cow::Borrowed(path);
    }
    match stage {
        None | Some("$default") => Cow::Borrowed(path),
        Some(stage) => {
            let prefix = path
                .strip_prefix('/')
                .and_then(|rest| rest.strip_prefix(stage))
                .is_some_and(|rest| rest.starts_with('/'));
            if prefix {
                Cow::Borrowed(path)
            } else {
                Cow::Owned(format!("/{stage}{path}"))
            }
        }
    }
}

/// `lambda_http`'s URI before the query: with a host, `{scheme}://{host}{path}` as `url` writes
/// it (the scheme `x-forwarded-proto`'s, `https` without one); without, the path `url` makes of
/// `http://localhost{path}`. `lambda_http` panics where `url` fails; its panic is classified as
/// [`super::convert`] classifies it.
pub(super) fn base_uri(
    path: &str,
    host: Option<&str>,
    scheme: Option<&str>,
) -> Result<String, Unreadable> {
    if let Some(uri) = plain_uri(path, host, scheme) {
        return Ok(uri);
    }
    let parsed = match host {
        None => {
            url::Url::parse(&format!("http://localhost{path}")).map(|url| url.path().to_owned())
        }
        Some(host) => url::Url::parse(&format!("{}://{host}{path}", scheme.unwrap_or("https")))
            .map(String::from),
    };
    // `lambda_http` unwraps the error: its panic says what the error's `Debug` says.
    parsed.map_err(|error| classify(&format!("{error:?}")))
}

/// [`base_uri`] without `url`, for what `url` writes as it is given: an `http` or `https`
/// scheme; a host of lower-case DNS labels, none starting or ending with `-`, none IDNA's
/// `xn--`, the last starting with a letter (so that it is not read as an IPv4 address); a path
/// of characters `url` does not encode, without dot segments. `None` for anything else.
pub(super) fn plain_uri(path: &str, host: Option<&str>, scheme: Option<&str>) -> Option<String> {
    let plain_path = path.starts_with('/')
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b))
        && !path.as_bytes().windows(2).any(|pair| pair == b"/.")
        && !path
            .as_bytes()
            .windows(3)
            .any(|three| three.eq_ignore_ascii_case(b"%2e"));
    if !plain_path {
        return None;
    }
    let Some(host) = host else {
        return Some(path.to_owned());
    };
    let scheme = scheme.unwrap_or("https");
    let label = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && !label.starts_with("xn--")
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let plain_host = host.split('.').all(label)
        && host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_lowercase()));
    ((scheme == "https" || scheme == "http") && plain_host)
        .then(|| format!("{scheme}://{host}{path}"))
}

/// [`base_uri`] and the query `lambda_http` writes from a query map.
pub(super) fn uri(
    path: &str,
    host: Option<&str>,
    scheme: Option<&str>,
    query: &QueryMap,
) -> Result<http::Uri, Unreadable> {
    let mut uri = base_uri(path, host, scheme)?;
    if !query.is_empty() {
        // `query_map` panics on a name with an empty list of values (`"a": []` in
        // `multiValueQueryStringParameters`), in `lambda_http` as here.
        let query = crate::guards::quietly(|| query.to_query_string())
            .map_err(|panic| classify(crate::guards::panic_message(panic.as_ref())))?;
        uri.push('?');
        uri.push_str(&query);
    }
    parse_uri(uri)
}

/// The URI as `http::Request::builder().uri` parses it; `lambda_http` panics where it fails.
pub(super) fn parse_uri(uri: String) -> Result<http::Uri, Unreadable> {
    http::Uri::try_from(uri).map_err(|error| classify(&format!("{error:?}")))
}

/// The body as `aws_lambda_events`' `Body::from_maybe_encoded` makes it: none is empty, text is
/// text, base64 is decoded with the standard alphabet (where `lambda_http` panics, a 400).
pub(super) fn body(body: Option<Str<'_>>, base64: bool) -> Result<Body, Unreadable> {
    use base64::Engine;
    match body {
        None => Ok(Body::Empty),
        Some(body) if base64 => base64::engine::general_purpose::STANDARD
            .decode(&*body.0)
            .map(Body::Binary)
            .map_err(|_| Unreadable::BASE64),
        Some(body) => Ok(Body::Text(body.into_string())),
    }
}
