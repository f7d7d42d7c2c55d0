//! Guards: every invocation ends in an answer, in time, and the process keeps serving.
//!
//! - **Timeout**: an invocation's budget is `min(Lambda deadline − margin, invocation start +
//!   the front door's integration timeout − margin, the exit's timeout)`, watched by the exit for
//!   the whole app (`crate::exit`); a handler's `timeout_ms` is a budget of its own, watched by
//!   its guarded future. When a budget runs out the future is dropped and the answer is `504`
//!   (the server was too slow, so not 408, which would blame the client), with a warning giving
//!   the elapsed time and the budget.
//! - **Panic**: a panic in the handler, or in a `Serialize` impl while the body is built, is
//!   caught by the handler's guard and answered `500`; a panic in what wraps it (a closure,
//!   middleware, a guarded tower service) by the exit's. The payload is logged, never sent.
//! - **Size**: the envelope, JSON escaping and base64 growth included, is measured against its
//!   front door's limit ([`FrontDoor::size_limit`](crate::FrontDoor::size_limit)) at the exit; a
//!   larger answer is replaced by a `500` problem response.
//!
//! The timeout can only interrupt a handler at an `.await`. A handler that blocks its thread
//! (`std::thread::sleep`, a synchronous HTTP or database client, a long computation without an
//! await) keeps every guard from running until it returns, so it answers late, past the deadline,
//! and the front door answers 502 or 504 on its own. Run blocking work with
//! `tokio::task::spawn_blocking` (and await its handle), and use async clients. The timeout needs
//! Tokio's time driver (`#[tokio::main]` enables it); on a runtime without one, invocations run
//! without a timeout and a warning is logged once.
//!
//! The machinery, one file each: the budget (`budget.rs`), its timer (`timer.rs`), the guarded
//! handler (`future.rs`), the panic guard (`panic.rs`), the size guard (`size.rs`) and the
//! answers to a panic and to an overrun budget (`finish.rs`).

mod budget;
mod finish;
/// The guarded handler; reached by generated code through `__private` only.
pub(crate) mod future;
mod panic;
pub(crate) mod size;
mod timer;

pub(crate) use budget::budget;
pub(crate) use finish::{panicked, panicked_answer, timed_out_answer};
pub(crate) use panic::{
    guard as panic_guard, message as panic_message, poll as poll_guarded, quietly, Panic,
};
pub(crate) use timer::Budget;
