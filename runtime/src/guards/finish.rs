//! The answers for the ways an invocation can end other than with its app's answer: a panic and
//! an overrun budget. What every answer then goes through (CORS, normalization, the size check)
//! is the exit's (`crate::exit`), not the handler's.

use super::panic::{self, Panic};
use crate::exit::record::{tagged, ErrorKind};
use crate::handler::Invocation;
use crate::problem;
use http::StatusCode;
use lambda_http::{Body, Response};
use std::time::Duration;

/// The 500 for a handler's panic, or its answer's (a `Serialize` impl), or an extractor's.
pub(crate) fn panicked(inv: &Invocation, payload: Panic) -> Response<Body> {
    panicked_answer(inv.request_id(), payload.as_ref(), "handler")
}

/// The 500 for a panic of `what` (the handler, or the service around it): the payload logged
/// with the request id, never sent.
#[cold]
pub(crate) fn panicked_answer(
    request_id: Option<&str>,
    payload: &(dyn std::any::Any + Send),
    what: &str,
) -> Response<Body> {
    tracing::error!(
        request_id = request_id.unwrap_or(""),
        panic = panic::message(payload),
        "the {what} panicked; answering 500"
    );
    tagged(
        problem::response(StatusCode::INTERNAL_SERVER_ERROR, None, request_id),
        ErrorKind::Panic,
    )
}

/// The 504 for a budget that ran out after `elapsed`.
#[cold]
pub(crate) fn timed_out_answer(
    request_id: Option<&str>,
    elapsed: Duration,
    budget: Duration,
) -> Response<Body> {
    let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    tracing::warn!(
        request_id = request_id.unwrap_or(""),
        elapsed_ms = ms(elapsed),
        budget_ms = ms(budget),
        "the invocation did not finish within its time budget; answering 504"
    );
    tagged(
        problem::response(
            StatusCode::GATEWAY_TIMEOUT,
            Some("The server did not answer in time."),
            request_id,
        ),
        ErrorKind::Timeout,
    )
}
