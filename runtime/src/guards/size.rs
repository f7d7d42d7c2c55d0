//! The size guard: the envelope `lambda_http` will write, measured against the front door's limit
//! without writing it.

use crate::body;
use crate::front_door::{self, FrontDoor};
use http::header::SET_COOKIE;
use http::{HeaderName, HeaderValue};
use lambda_http::{Body, Response};

/// Whether the envelope `lambda_http` will write for `response` fits `front_door`'s size limit;
/// `Err` with its size (an upper bound) when it does not.
///
/// First a bound that reads lengths only (every byte escaped to six), which for the Lambda limit
/// settles every body under about 1 MB; then [`envelope_bound`], which scans the body.
pub(crate) fn check(front_door: Option<FrontDoor>, response: &Response<Body>) -> Result<(), usize> {
    let limit = front_door::size_limit(front_door);
    let headers: usize = response
        .headers()
        .iter()
        .map(|(name, value)| header_bound_quick(name, value))
        .sum();
    let body = body_bound_quick(body::bytes(response.body()).0.len());
    if FIXED + headers + body <= limit {
        return Ok(());
    }
    let size = envelope_bound(response);
    if size <= limit {
        Ok(())
    } else {
        Err(size)
    }
}

/// Keys, punctuation, status, flags, `statusDescription`.
const FIXED: usize = 160;

/// A header's share of the envelope, `"name":["value"]` with the value escaped, and four bytes
/// more for a cookie.
fn header_bound(name: &HeaderName, value: &HeaderValue) -> usize {
    let cookie = name == SET_COOKIE;
    name.as_str().len() + json_escaped_len(value.as_bytes()) + 8 + usize::from(cookie) * 4
}

/// [`header_bound`] from the lengths alone: every byte of the value escaped to six.
fn header_bound_quick(name: &HeaderName, value: &HeaderValue) -> usize {
    name.as_str().len() + value.len().saturating_mul(6) + 14
}

/// A body's share of the envelope from its length alone: escaped text, base64 or lossily decoded
/// text are never longer than every byte escaped to six, plus the quotes.
fn body_bound_quick(len: usize) -> usize {
    len.saturating_mul(6) + 2
}

/// An upper bound of the size of the envelope `lambda_http` will write for `response`: the body
/// counted as JSON-escaped text or base64, as `lambda_http` will send it; headers as written in
/// the envelope's one header map.
fn envelope_bound(response: &Response<Body>) -> usize {
    let headers: usize = response
        .headers()
        .iter()
        .map(|(name, value)| header_bound(name, value))
        .sum();
    let (bytes, is_str) = body::bytes(response.body());
    let body = if body::sent_as_text(response.headers()) {
        if is_str && body::utf8_charset(response.headers()) {
            json_escaped_len(bytes)
        } else {
            // Decoded by `lambda_http` from bytes that are not UTF-8 text, or in another charset:
            // a byte may become up to three bytes of UTF-8 (U+FFFD, or a windows-1252 letter),
            // and a control character six once escaped. The length-only bound covers both.
            body_bound_quick(bytes.len())
        }
    } else {
        bytes.len().div_ceil(3) * 4 + 2
    };
    FIXED + headers + 2 + body
}

/// The length of `bytes` as a JSON string, quotes included, as serde_json writes it. Written
/// without branches so that the compiler can vectorize it.
pub(crate) fn json_escaped_len(bytes: &[u8]) -> usize {
    let extra: usize = bytes
        .iter()
        .map(|&b| {
            let quote = (b == b'"') | (b == b'\\');
            let short = (b == 0x08) | (b == b'\t') | (b == b'\n') | (b == 0x0c) | (b == b'\r');
            let control = b < 0x20;
            usize::from(quote | short) + 5 * usize::from(control & !short)
        })
        .sum();
    bytes.len() + extra + 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_length_matches_serde_json() {
        for text in [
            "",
            "plain",
            "quote\" back\\slash",
            "\n\r\t\u{8}\u{c}",
            "\u{1}\u{1f}",
            "é ü 中 😀",
        ] {
            let json = serde_json::to_string(text).unwrap();
            assert_eq!(json_escaped_len(text.as_bytes()), json.len(), "{text:?}");
        }
    }

    /// The length-only bound is never below the scanning one, header by header and for any body:
    /// it cannot let through what the scanning bound refuses.
    #[test]
    fn the_quick_bound_is_never_below_the_scanning_bound() {
        let long = "x".repeat(300);
        let values = ["", "a=b", r#""\""#, "\t", long.as_str()];
        for name in [
            SET_COOKIE,
            http::header::CONTENT_TYPE,
            HeaderName::from_static("x-a"),
        ] {
            for value in values {
                let value = HeaderValue::from_str(value).unwrap();
                assert!(
                    header_bound_quick(&name, &value) >= header_bound(&name, &value),
                    "{name}: {value:?}"
                );
            }
        }
        for body in ["", "x", "\"\\", "\u{1}\u{1f}", "é😀", "\n\t"] {
            let sizes = [
                json_escaped_len(body.as_bytes()),
                body.len().div_ceil(3) * 4 + 2,
            ];
            for size in sizes {
                assert!(body_bound_quick(body.len()) >= size, "{body:?}");
            }
        }
    }

    /// Bodies that `lambda_http` decodes (another charset, bytes that are not UTF-8 sent as
    /// text) can grow when decoded and escaped: the bound is never below what it writes.
    #[tokio::test]
    async fn decoded_bodies_are_bounded_by_what_lambda_http_writes() {
        use lambda_http::IntoResponse;
        let cases: [(&str, Body); 4] = [
            (
                "text/plain; charset=windows-1252",
                Body::Text("é".repeat(1000)),
            ),
            (
                "text/plain",
                Body::Binary([vec![1u8; 1000], vec![0xff]].concat()),
            ),
            (
                "text/plain; charset=iso-8859-1",
                Body::Binary(vec![0x01; 1000]),
            ),
            (
                "text/plain; charset=windows-1252",
                Body::Binary(vec![0xe9; 1000]),
            ),
        ];
        for (content_type, body) in cases {
            let response = Response::builder()
                .header("content-type", content_type)
                .body(body)
                .unwrap();
            let bound = envelope_bound(&response);
            let converted = response.into_response().await;
            let written = serde_json::to_string(converted.body()).unwrap().len();
            assert!(
                bound >= written,
                "{content_type}: bound {bound}, written {written}"
            );
        }
    }
}
