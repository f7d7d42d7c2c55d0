//! Guards: every invocation ends in an envelope the handler controls, in time, within the size
//! limit, and the process keeps serving.
//!
//! - **Timeout** ([`budget`](self#timeout)): the handler races a budget, `min(Lambda deadline −
//!   margin, invocation start + the front door's integration timeout − margin, timeout_ms)`. When
//!   it runs out the handler's future is dropped and the answer is `504` (the server was too slow,
//!   so not 408, which would blame the client), with a warning giving the elapsed time and the
//!   budget. Integration timeouts are [`FrontDoor::integration_timeout`](crate::FrontDoor::integration_timeout).
//! - **Panic**: a panic in the handler, or in a `Serialize` impl while the body is built, is
//!   caught and answered `500`. The payload is logged, never sent.
//! - **Size**: the envelope, JSON escaping and base64 growth included, is measured against its
//!   front door's limit ([`FrontDoor::size_limit`](crate::FrontDoor::size_limit)); a larger
//!   answer is replaced by a `500` problem response.
//!
//! # Timeout
//!
//! The timeout can only interrupt a handler at an `.await`. A handler that blocks its thread
//! (`std::thread::sleep`, a synchronous HTTP or database client, a long computation without an
//! await) keeps the guard from running until it returns, so it answers late, past the deadline,
//! and the front door answers 502 or 504 on its own. Run blocking work with
//! `tokio::task::spawn_blocking` (and await its handle), and use async clients. The timeout needs
//! Tokio's time driver (`#[tokio::main]` enables it); on a runtime without one, handlers run
//! without a timeout and a warning is logged once.
//!
//! Header values that cannot be carried in an envelope are dropped everywhere, by the same rule
//! (see the crate documentation).
//!
//! The machinery, one file each: the budget (`budget.rs`), the timer (`timer.rs`), the guarded
//! future (`future.rs`), the panic guard (`panic.rs`), the size guard (`size.rs`) and the answer
//! for each outcome (`finish.rs`).

mod budget;
mod finish;
/// The guarded handler; reached by generated code through `__private` only.
pub(crate) mod future;
mod panic;
mod size;
mod timer;

use std::time::Duration;

pub(crate) use budget::budget;
pub(crate) use finish::{answered, exit, exit_with_cors, panicked};
pub(crate) use panic::{
    guard as panic_guard, message as panic_message, poll as poll_guarded, quietly,
};

/// The default time kept back from every deadline to serialize and post the answer: 200 ms.
/// A handler can change it with `#[proxy_handler(margin_ms = N)]`.
pub const DEFAULT_MARGIN: Duration = Duration::from_millis(crate::handler::DEFAULT_MARGIN_MS);
