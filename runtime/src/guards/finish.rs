//! The answer for each way a handler can end. What every answer then goes through (CORS,
//! normalization, the size check) is the exit's (`crate::exit`), not the handler's.

use super::panic::{self, Panic};
use crate::handler::Invocation;
use crate::problem;
use http::StatusCode;
use lambda_http::{Body, Response};
use std::time::Duration;

/// A handler that ran out of time: how long it had run, and its budget.
pub(crate) struct Timeout {
    pub(crate) elapsed: Duration,
    pub(crate) budget: Duration,
}

/// How an invocation ended.
pub(crate) enum Outcome {
    /// The handler's value became this answer.
    Answered(Response<Body>),
    /// The handler, or building its answer, panicked.
    Panicked(Panic),
    /// The budget ran out first.
    TimedOut(Timeout),
}

/// The answer for an outcome. Not generic, so that it is compiled once, not once per handler.
pub(crate) fn finish(inv: &Invocation, outcome: Outcome) -> Response<Body> {
    match outcome {
        Outcome::Answered(response) => response,
        Outcome::Panicked(payload) => {
            panicked_answer(inv.request_id(), payload.as_ref(), "handler")
        }
        Outcome::TimedOut(Timeout { elapsed, budget }) => {
            timed_out_answer(inv.request_id(), elapsed, budget)
        }
    }
}

/// The answer to a panic before the handler ran (in an extractor).
pub(crate) fn panicked(inv: &Invocation, payload: Panic) -> Response<Body> {
    finish(inv, Outcome::Panicked(payload))
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
    problem::response(StatusCode::INTERNAL_SERVER_ERROR, None, request_id)
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
    problem::response(
        StatusCode::GATEWAY_TIMEOUT,
        Some("The server did not answer in time."),
        request_id,
    )
}
