//! The ranges of `#[proxy_handler]`'s numeric arguments, checked at compile time.

use std::ops::RangeInclusive;

/// `status = N`: the status codes API Gateway accepts.
pub const STATUS: RangeInclusive<u16> = 100..=599;

/// `timeout_ms = N`: a Lambda function runs at most 15 minutes.
pub const TIMEOUT_MS: RangeInclusive<u64> = 1..=900_000;

/// The statuses whose answers carry no body (RFC 9110): a handler with one of them as its
/// `status` returns `()`.
pub const NO_BODY: [u16; 2] = [204, 304];
