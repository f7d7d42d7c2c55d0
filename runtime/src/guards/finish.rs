//! The answer for each way an invocation can end, normalized for its front door and
//! size-checked: the one exit of every guarded handler.

use super::panic::{self, Panic};
use super::size;
use crate::front_door::{self, FrontDoor};
use crate::handler::{Invocation, RequestId};
use crate::{envelope, problem};
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

/// The answer for an outcome, normalized and size-checked. Not generic, so that it is compiled
/// once, not once per handler.
pub(crate) fn finish(inv: &Invocation, outcome: Outcome) -> Response<Body> {
    let mut response = match outcome {
        Outcome::Answered(response) => response,
        Outcome::Panicked(payload) => {
            let rid = inv.request_id();
            tracing::error!(
                request_id = rid.unwrap_or(""),
                panic = panic::message(payload.as_ref()),
                "the handler panicked; answering 500"
            );
            problem::response(StatusCode::INTERNAL_SERVER_ERROR, None, rid)
        }
        Outcome::TimedOut(Timeout { elapsed, budget }) => {
            let rid = inv.request_id();
            tracing::warn!(
                request_id = rid.unwrap_or(""),
                elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
                budget_ms = u64::try_from(budget.as_millis()).unwrap_or(u64::MAX),
                "the handler did not finish within its time budget; answering 504"
            );
            problem::response(
                StatusCode::GATEWAY_TIMEOUT,
                Some("The server did not answer in time."),
                rid,
            )
        }
    };
    if !inv.exit_ahead {
        exit(inv.front_door, &inv.request_id, &mut response);
    }
    response
}

/// A handler's answer given without running it (a parameter that could not be read), finished
/// as its own answers are.
pub(crate) fn answered(inv: &Invocation, response: Response<Body>) -> Response<Body> {
    finish(inv, Outcome::Answered(response))
}

/// The answer to a panic before the handler ran (in an extractor), finished as its own are.
pub(crate) fn panicked(inv: &Invocation, payload: Panic) -> Response<Body> {
    finish(inv, Outcome::Panicked(payload))
}

/// The exit every answer passes through, a handler's own and, under [`run`](crate::run), the
/// service's (headers added after the handler included): normalized for `front_door`, then
/// replaced by a 500 problem answer when its envelope would be larger than the front door
/// delivers.
pub(crate) fn exit(front_door: Option<FrontDoor>, rid: &RequestId, response: &mut Response<Body>) {
    exit_with_cors(front_door, rid, response, None);
}

/// [`exit`], with the CORS headers of `cors` added before normalization (so that they are
/// joined and checked with the rest), and again to an answer the size check replaces.
pub(crate) fn exit_with_cors(
    front_door: Option<FrontDoor>,
    rid: &RequestId,
    response: &mut Response<Body>,
    cors: Option<&crate::cors::CorsContext>,
) {
    if let Some(cors) = cors {
        cors.apply(response);
    }
    envelope::normalize(front_door, rid, response);
    let Err(size) = size::check(front_door, response) else {
        return;
    };
    let rid = rid.as_str();
    tracing::error!(
        request_id = rid.unwrap_or(""),
        size,
        limit = front_door::size_limit(front_door),
        "the response is larger than the front door delivers; answering 500"
    );
    *response = problem::response(
        StatusCode::INTERNAL_SERVER_ERROR,
        Some("The response is larger than this endpoint can deliver."),
        rid,
    );
    if let Some(cors) = cors {
        cors.apply(response);
    }
    envelope::normalize(front_door, &RequestId::default(), response);
}
