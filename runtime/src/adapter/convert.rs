//! From `lambda_http`'s event to the `http::Request` a service takes, under the panic guard:
//! `lambda_http` panics while it builds the URI (a raw `"`, `<`, `>` or DEL in a payload 2.0
//! `rawQueryString`, a URI longer than 65,534 bytes) or decodes a body marked base64 that is not.

use crate::guards::quietly;
use http::StatusCode;
use lambda_http::request::LambdaRequest;
use lambda_http::Request;

/// Why an event could not become a request: what the client is told, and the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unreadable {
    /// 400, or 414 for a URI that is too long.
    pub(crate) status: StatusCode,
    /// The `detail` of the problem answer, and the reason in the log. It names the part of the
    /// request at fault, never its bytes.
    pub(crate) reason: &'static str,
}

impl Unreadable {
    /// An event that is not the HTTP event of any front door (a direct invocation, a warm-up
    /// ping, an event of another service).
    pub(crate) const NOT_HTTP: Unreadable = Unreadable {
        status: StatusCode::BAD_REQUEST,
        reason: "The event is not an HTTP request from API Gateway, a function URL, an Application Load Balancer or VPC Lattice.",
    };
    /// An HTTP event `lambda_http` could not deserialize: the usual cause is a header name or
    /// value that is not valid HTTP.
    pub(crate) const EVENT: Unreadable = Unreadable {
        status: StatusCode::BAD_REQUEST,
        reason: "The request could not be read: a header name or value, or another part of it, is not valid HTTP.",
    };
    const URI_TOO_LONG: Unreadable = Unreadable {
        status: StatusCode::URI_TOO_LONG,
        reason: "The request URI is longer than this server accepts.",
    };
    const URI: Unreadable = Unreadable {
        status: StatusCode::BAD_REQUEST,
        reason: "The request's path or query string has characters that cannot appear in a URI; percent-encode them.",
    };
    pub(crate) const BASE64: Unreadable = Unreadable {
        status: StatusCode::BAD_REQUEST,
        reason: "The request body is marked as base64-encoded but is not valid base64.",
    };
    const OTHER: Unreadable = Unreadable {
        status: StatusCode::BAD_REQUEST,
        reason: "The request could not be turned into an HTTP request.",
    };
}

/// Converts the event in `slot` as `lambda_http` does, or says why it cannot. The event is taken
/// out of the slot inside the guard rather than captured by it: each move of the event (1.5 KB)
/// is a copy.
pub(crate) fn to_request(slot: &mut Option<LambdaRequest>) -> Result<Request, Unreadable> {
    // The request is written to `out` rather than returned through the guard's `Result`: each
    // move of it is a copy.
    let mut out = None;
    if let Err(payload) = quietly(|| out = slot.take().map(Request::from)) {
        return Err(classify(crate::guards::panic_message(payload.as_ref())));
    }
    out.ok_or(Unreadable::OTHER)
}

/// The reason of a conversion panic, from `lambda_http`'s message: "failed to build request:
/// http::Error(InvalidUri(TooLong))", "failed to decode aws base64 encoded body: ..". The event
/// reader (`super::read`) classifies the same errors, where `lambda_http` would panic on them,
/// by their `Debug`, which is what the message carries.
pub(crate) fn classify(message: &str) -> Unreadable {
    if message.contains("TooLong") {
        Unreadable::URI_TOO_LONG
    } else if message.contains("InvalidUri") || message.contains("RelativeUrl") {
        Unreadable::URI
    } else if message.contains("base64") {
        Unreadable::BASE64
    } else {
        Unreadable::OTHER
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_are_classified() {
        let too_long = "failed to build request: http::Error(InvalidUri(InvalidUri(TooLong)))";
        assert_eq!(classify(too_long).status, StatusCode::URI_TOO_LONG);
        let char = "failed to build request: http::Error(InvalidUri(InvalidUri(InvalidUriChar)))";
        assert_eq!(classify(char), Unreadable::URI);
        let base64 = "failed to decode aws base64 encoded body: InvalidByte(0, 33)";
        assert_eq!(classify(base64), Unreadable::BASE64);
        assert_eq!(classify("anything else"), Unreadable::OTHER);
    }
}
