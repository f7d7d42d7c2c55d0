//! lambda-proxy's checker and command line.
//!
//! [`check`] says what a front door will do with any Lambda proxy response, from a function in
//! any language; the `lambda-proxy` binary of this crate is its command line (`lambda-proxy
//! check`). The front-door facts it reads (which members each accepts, the size limits, what the
//! client sees on a failure) are [`lambda_proxy_core`]'s table, the one lambda-proxy's runtime
//! writes its envelopes by.

#![warn(missing_docs)]

pub mod check;
pub mod contract;

pub use lambda_proxy_core::FrontDoor;
