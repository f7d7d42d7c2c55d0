//! The last steps of every answer: CORS headers, normalization for the front door, the size
//! check on what is sent, and the body of a `HEAD` answer.

use crate::cors::Cors;
use crate::front_door::{self, FrontDoor};
use crate::guards::size;
use crate::handler::RequestId;
use crate::{envelope, problem};
use http::header::CONTENT_LENGTH;
use http::{HeaderValue, StatusCode};
use lambda_http::{Body, Response};

/// What the last steps need to know of the request an answer is for.
pub(crate) struct Finish<'a> {
    pub(crate) front_door: Option<FrontDoor>,
    pub(crate) request_id: &'a RequestId,
    /// The policy, and the request's `Origin`.
    pub(crate) cors: Option<(&'a Cors, Option<&'a HeaderValue>)>,
    /// Whether the request is a `HEAD`.
    pub(crate) head: bool,
}

/// Finishes `response` in place (a response is large enough that moving it in and out shows in
/// the cost of an invocation). Not generic, so that it is compiled once.
pub(crate) fn finish(at: &Finish<'_>, response: &mut Response<Body>) {
    if let Some((policy, origin)) = at.cors {
        policy.decorate(origin, response);
    }
    if envelope::normalize(at.front_door, at.request_id, response) {
        // A status no front door takes, replaced by a 500: finished as one.
        replaced(at, response);
    }
    if let Err(size) = size::check(at.front_door, response) {
        oversized(at, size, response);
    }
    if at.head {
        without_body(response);
    }
}

/// The 500 that replaces an answer larger than the front door delivers.
#[cold]
fn oversized(at: &Finish<'_>, size: usize, response: &mut Response<Body>) {
    *response = too_large(
        at.request_id.as_str(),
        size,
        front_door::size_limit(at.front_door),
    );
    replaced(at, response);
}

/// An answer that replaces another (a 500): finished as it would have been.
#[cold]
fn replaced(at: &Finish<'_>, response: &mut Response<Body>) {
    if let Some((policy, origin)) = at.cors {
        policy.decorate(origin, response);
    }
    // A problem answer has a status every front door takes.
    let _ = envelope::normalize(at.front_door, at.request_id, response);
}

/// The 500 for an answer of `size` bytes (at least) where the front door delivers `limit`,
/// logged: the exit's for an envelope, `guard`'s for a body it stopped reading.
#[cold]
pub(crate) fn too_large(request_id: Option<&str>, size: usize, limit: usize) -> Response<Body> {
    tracing::error!(
        request_id = request_id.unwrap_or(""),
        size,
        limit,
        "the response is larger than the front door delivers; answering 500"
    );
    super::record::tagged(
        problem::response(
            StatusCode::INTERNAL_SERVER_ERROR,
            Some("The response is larger than this endpoint can deliver."),
            request_id,
        ),
        super::record::ErrorKind::Oversize,
    )
}

/// The answer to `HEAD` (RFC 9110 §9.3.2): the status and headers `GET` would have, with the
/// length of the body `GET` would send, and no body.
fn without_body(response: &mut Response<Body>) {
    let len = crate::body::bytes(response.body()).0.len();
    if len > 0 && !response.headers().contains_key(CONTENT_LENGTH) {
        response
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(len));
    }
    *response.body_mut() = Body::Text(String::new());
}
