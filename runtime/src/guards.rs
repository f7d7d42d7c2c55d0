//! Guards: every invocation ends in an envelope the handler controls, in time, within the size
//! limit, and the process keeps serving.
//!
//! - **Timeout**: the handler races a budget, `min(Lambda deadline − margin, invocation start +
//!   the front door's integration timeout − margin, timeout_ms)`. When it runs out the handler's
//!   future is dropped and the answer is `504` (the server was too slow, so not 408, which would
//!   blame the client), with a warning giving the elapsed time and the budget.
//! - **Panic**: a panic in the handler, or in a `Serialize` impl while the body is built, is
//!   caught and answered `500`. The payload is logged, never sent.
//! - **Size**: the envelope, JSON escaping and base64 growth included, is measured against its
//!   front door's limit ([`size_limit`]); a larger answer is replaced by a `500` problem response.
//!
//! Header values that cannot be carried in an envelope are dropped everywhere, by the same rule
//! (see the crate documentation).

use crate::front_door::FrontDoor;
use http::header::SET_COOKIE;
use http::{HeaderName, HeaderValue};
use lambda_http::{Body, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The default time kept back from every deadline to serialize and post the answer: 200 ms.
/// A handler can change it with `#[proxy_handler(margin_ms = N)]`.
pub const DEFAULT_MARGIN: Duration = Duration::from_millis(200);

/// The largest plausible time to a Lambda deadline: the 15-minute maximum function timeout plus a
/// minute for clock differences. A deadline further away, or in the past, means "no deadline":
/// `Context::default()` has 0 and `cargo lambda watch` sends 600000 (a time in 1970).
const MAX_PLAUSIBLE_DEADLINE: Duration = Duration::from_secs(16 * 60);

/// `u64::MAX` in a slot: no integration timeout.
const NONE: u64 = u64::MAX;

/// Integration timeouts in ms, indexed like [`FrontDoor::ALL`].
static INTEGRATION_TIMEOUTS: [AtomicU64; 7] = [
    AtomicU64::new(29_000), // REST API: 29 s by default (some APIs may raise it)
    AtomicU64::new(30_000), // HTTP API, payload 1.0: 30 s, fixed
    AtomicU64::new(30_000), // HTTP API, payload 2.0: 30 s, fixed
    AtomicU64::new(NONE),   // function URL: none
    AtomicU64::new(NONE),   // ALB: none
    AtomicU64::new(NONE),   // VPC Lattice: none known
    AtomicU64::new(29_000), // WebSocket API: 29 s
];

fn slot(front_door: FrontDoor) -> &'static AtomicU64 {
    let index = FrontDoor::ALL
        .iter()
        .position(|d| *d == front_door)
        .unwrap_or(0);
    &INTEGRATION_TIMEOUTS[index]
}

/// How long `front_door` waits for the function before it answers on its own (504 or 502).
///
/// Defaults: REST API 29 s, HTTP API 30 s, WebSocket API 29 s; function URLs, ALB and VPC Lattice
/// have none (the Lambda deadline is the only limit).
pub fn integration_timeout(front_door: FrontDoor) -> Option<Duration> {
    match slot(front_door).load(Ordering::Relaxed) {
        NONE => None,
        ms => Some(Duration::from_millis(ms)),
    }
}

/// Sets the integration timeout of `front_door` for the whole process, for example for a REST
/// API whose timeout was raised above 29 s. Call it in `main` before [`run`](crate::run).
///
/// ```
/// use lambda_proxy::{guards, FrontDoor};
/// use std::time::Duration;
///
/// guards::set_integration_timeout(FrontDoor::RestApi, Some(Duration::from_secs(120)));
/// assert_eq!(guards::integration_timeout(FrontDoor::RestApi), Some(Duration::from_secs(120)));
/// # guards::set_integration_timeout(FrontDoor::RestApi, Some(Duration::from_secs(29)));
/// ```
pub fn set_integration_timeout(front_door: FrontDoor, timeout: Option<Duration>) {
    let ms = timeout.map_or(NONE, |t| u64::try_from(t.as_millis()).unwrap_or(NONE - 1));
    slot(front_door).store(ms, Ordering::Relaxed);
}

/// The largest envelope `front_door` delivers: 6 MiB for every synchronous Lambda response
/// (6,291,456 bytes), 1 MB for ALB (1,000,000), 128 KB for WebSocket messages (128,000). `None`
/// (a request that did not come from a Lambda event) gets the Lambda limit.
pub fn size_limit(front_door: Option<FrontDoor>) -> usize {
    match front_door {
        Some(FrontDoor::Alb) => 1_000_000,
        Some(FrontDoor::WebSocket) => 128_000,
        _ => 6 * 1024 * 1024,
    }
}

/// The time the handler gets, from the moment the invocation starts.
pub(crate) fn budget(
    deadline_ms: u64,
    front_door: Option<FrontDoor>,
    timeout: Option<Duration>,
    margin: Duration,
    now: SystemTime,
) -> Option<Duration> {
    let now_ms = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let lambda = Some(Duration::from_millis(deadline_ms.saturating_sub(now_ms)))
        .filter(|left| deadline_ms > now_ms && *left <= MAX_PLAUSIBLE_DEADLINE);
    let integration = front_door.and_then(integration_timeout);
    [
        lambda.map(|d| d.saturating_sub(margin)),
        integration.map(|d| d.saturating_sub(margin)),
        timeout,
    ]
    .into_iter()
    .flatten()
    .min()
}

/// The text of a panic payload, for the log.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<a panic payload that is not a string>")
}

/// Whether the envelope `lambda_http` will write for `response` fits `front_door`'s
/// [`size_limit`]; `Err` with its size (an upper bound) when it does not.
///
/// First a bound that reads lengths only (every byte escaped to six), which for the Lambda limit
/// settles every body under about 1 MB; then [`envelope_bound`], which scans the body.
pub(crate) fn check_size(
    front_door: Option<FrontDoor>,
    response: &Response<Body>,
) -> Result<(), usize> {
    let limit = size_limit(front_door);
    let headers: usize = response
        .headers()
        .iter()
        .map(|(name, value)| header_bound_quick(name, value))
        .sum();
    let body = body_bound_quick(body_bytes(response.body()).0.len());
    if FIXED + headers * header_maps(front_door) + body <= limit {
        return Ok(());
    }
    let size = envelope_bound(front_door, response);
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

/// How many maps of the envelope carry each header.
fn header_maps(front_door: Option<FrontDoor>) -> usize {
    match front_door {
        Some(FrontDoor::Alb) => 2,
        _ => 1,
    }
}

/// The bytes of a body, and whether they are text.
fn body_bytes(body: &Body) -> (&[u8], bool) {
    match body {
        Body::Text(text) => (text.as_bytes(), true),
        Body::Binary(bytes) => (bytes, false),
        _ => (&[], true),
    }
}

/// An upper bound of the size of the envelope `lambda_http` will write for `response`: the body
/// counted as JSON-escaped text or base64, as `lambda_http` will send it; headers as written in
/// every map the front door's envelope has.
fn envelope_bound(front_door: Option<FrontDoor>, response: &Response<Body>) -> usize {
    let headers: usize = response
        .headers()
        .iter()
        .map(|(name, value)| header_bound(name, value))
        .sum();
    let (bytes, is_str) = body_bytes(response.body());
    let body = if sent_as_text(response.headers()) {
        if is_str || std::str::from_utf8(bytes).is_ok() {
            json_escaped_len(bytes)
        } else {
            // Decoded lossily: each invalid byte may become U+FFFD, three bytes.
            bytes.len() * 3 + 2
        }
    } else {
        bytes.len().div_ceil(3) * 4 + 2
    };
    FIXED + headers * header_maps(front_door) + 2 + body
}

/// Whether `lambda_http` sends a body with these headers as text (else base64): any
/// `content-encoding` means binary; no `content-type` means text; `text/*`, JSON, JavaScript, XML
/// and YAML types (and `+json`, `+xml`, `+yaml` suffixes) are text; so is anything marked
/// `x-lambda-http-content-encoding: text`.
pub(crate) fn sent_as_text(headers: &http::HeaderMap) -> bool {
    if headers.contains_key(http::header::CONTENT_ENCODING) {
        return false;
    }
    let Some(content_type) = headers.get(http::header::CONTENT_TYPE) else {
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

    const T0: u64 = 1_700_000_000_000;

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    #[test]
    fn no_deadline_and_bogus_deadlines_mean_none() {
        let m = DEFAULT_MARGIN;
        assert_eq!(budget(0, None, None, m, at(T0)), None);
        assert_eq!(budget(600_000, None, None, m, at(T0)), None); // cargo lambda watch
        assert_eq!(budget(T0 - 1, None, None, m, at(T0)), None); // already past
        assert_eq!(budget(T0, None, None, m, at(T0)), None);
        assert_eq!(budget(T0 + 3_600_000, None, None, m, at(T0)), None); // an hour away
        assert_eq!(budget(u64::MAX, None, None, m, at(T0)), None);
    }

    #[test]
    fn the_smallest_limit_wins() {
        let m = Duration::from_millis(200);
        let ms = Duration::from_millis;
        assert_eq!(budget(T0 + 10_000, None, None, m, at(T0)), Some(ms(9_800)));
        assert_eq!(
            budget(T0 + 60_000, Some(FrontDoor::RestApi), None, m, at(T0)),
            Some(ms(28_800))
        );
        assert_eq!(
            budget(T0 + 60_000, Some(FrontDoor::FunctionUrl), None, m, at(T0)),
            Some(ms(59_800))
        );
        assert_eq!(
            budget(
                T0 + 60_000,
                Some(FrontDoor::HttpApiV2),
                Some(ms(5_000)),
                m,
                at(T0)
            ),
            Some(ms(5_000))
        );
        assert_eq!(
            budget(0, Some(FrontDoor::HttpApiV2), None, m, at(T0)),
            Some(ms(29_800))
        );
        assert_eq!(budget(0, Some(FrontDoor::Alb), None, m, at(T0)), None);
        // A margin larger than what is left saturates at zero.
        assert_eq!(budget(T0 + 100, None, None, m, at(T0)), Some(ms(0)));
        // A clock before 1970 does not underflow.
        assert_eq!(budget(T0, None, None, m, UNIX_EPOCH - ms(5)), None);
    }

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
                body.len() * 3 + 2,
            ];
            for size in sizes {
                assert!(body_bound_quick(body.len()) >= size, "{body:?}");
            }
        }
    }

    #[test]
    fn panic_messages() {
        let p: Box<dyn std::any::Any + Send> = Box::new("static");
        assert_eq!(panic_message(p.as_ref()), "static");
        let p: Box<dyn std::any::Any + Send> = Box::new(String::from("owned"));
        assert_eq!(panic_message(p.as_ref()), "owned");
        let p: Box<dyn std::any::Any + Send> = Box::new(42_u8);
        assert_eq!(
            panic_message(p.as_ref()),
            "<a panic payload that is not a string>"
        );
    }
}
