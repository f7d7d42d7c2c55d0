//! Header rules: which values an envelope can carry, and which headers a handler's attribute may
//! not set.

/// Whether a header value can be put in an envelope as it is: printable ASCII only (0x20–0x7E).
/// The one home of this rule: the runtime drops other values from every answer, the checker
/// reports them in any function's envelope, and `#[proxy_handler(headers(..))]` refuses them at
/// compile time.
///
/// `http::HeaderValue` also admits tabs and bytes 0x80–0xFF (obs-text); those are not valid UTF-8
/// or are control characters, and `lambda_http` fails to serialize a non-UTF-8 value.
///
/// ```
/// use lambda_proxy_core::header::is_printable_ascii;
///
/// assert!(is_printable_ascii(b"no-store"));
/// assert!(!is_printable_ascii(b"a\tb"));
/// assert!(!is_printable_ascii("café".as_bytes()));
/// ```
#[inline]
pub fn is_printable_ascii(value: &[u8]) -> bool {
    value.iter().all(|b| (0x20..0x7f).contains(b))
}

/// Whether `name` is a header name as RFC 9110 defines it (a token), in any case.
pub fn is_header_name(name: &str) -> bool {
    is_token(name)
}

/// Whether `s` is an RFC 9110 token: one or more of `A-Z a-z 0-9 ! # $ % & ' * + - . ^ _ ` | ~`.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether `value` is a media type, `type/subtype` with optional `;` parameters, that an envelope
/// can carry.
pub fn is_media_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or("").trim();
    essence
        .split_once('/')
        .is_some_and(|(t, st)| is_token(t) && is_token(st))
        && is_printable_ascii(value.as_bytes())
}

/// Whether `origin` is an origin as a browser serializes it in `Origin` and compares it with
/// `Access-Control-Allow-Origin`: `scheme://host[:port]`, lower case, without a path or a
/// trailing `/`. lambda-proxy's CORS policy accepts only such origins; the checker reports any
/// other `Access-Control-Allow-Origin`.
///
/// ```
/// use lambda_proxy_core::header::is_origin;
///
/// assert!(is_origin("https://app.example.com"));
/// assert!(is_origin("http://localhost:3000"));
/// assert!(!is_origin("https://app.example.com/"));
/// ```
pub fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        // In an IPv6 host (`[::1]`) only a colon after the `]` starts the port.
        Some((host, port)) if !rest.starts_with('[') || host.ends_with(']') => (host, Some(port)),
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

/// The headers `#[proxy_handler(headers(..))]` may not set, each with what to do instead: the
/// library owns them.
pub const RESERVED: [(&str, &str); 3] = [
    ("content-type", "use `content_type = \"...\"` instead"),
    ("content-length", "the length is computed from the body"),
    (
        "transfer-encoding",
        "a Lambda proxy response is never chunked",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert!(is_media_type("application/vnd.api+json"));
        assert!(is_media_type("text/plain; charset=utf-8"));
        assert!(!is_media_type("json"));
        assert!(!is_media_type("text/ plain"));
        assert!(!is_media_type("text/plain; charset=\u{e9}"));
    }

    #[test]
    fn origins() {
        for good in [
            "https://app.example.com",
            "http://localhost:3000",
            "https://[::1]:8443",
            "https://[::1]",
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
    fn header_names_agree_with_http() {
        for name in ["x-id", "Content-Type", "a!#$%&'*+-.^_`|~z"] {
            assert!(is_header_name(name));
            assert!(
                http::HeaderName::from_bytes(name.as_bytes()).is_ok(),
                "{name}"
            );
        }
        for name in ["", "cache control", "x:y", "caf\u{e9}", "a\"b"] {
            assert!(!is_header_name(name), "{name}");
        }
    }
}
