//! Examples for lambda-proxy.
//!
//! - `hello`: the smallest deployable function.
//! - `crud`: a users service, several handlers sharing state ([`crud`]).
//! - `stream`: server-sent events on a function URL that streams, with failures before and
//!   after the first item, and a buffered route ([`stream`]).
//! - `demo` (an example target, `cargo run -p lambda-proxy-examples --example demo`): runs sample events from every front door through the `crud` handlers, offline, and
//!   prints each request and the envelope the function answers with.

pub mod crud;
pub mod stream;
