//! lambda-proxy's checker and command line.
//!
//! [`check`] says what a front door will do with any Lambda proxy response, from a function in
//! any language; [`contract`] says whether what the client receives keeps an OpenAPI 3.1
//! document's promise. The `lambda-proxy` binary of this crate is their command line
//! (`lambda-proxy check`, with `--openapi`). The front-door facts it reads (which members each accepts, the size limits, what the
//! client sees on a failure) are [`lambda_proxy_core`]'s table, the one lambda-proxy's runtime
//! writes its envelopes by.

#![warn(missing_docs)]

pub mod check;
pub mod contract;

pub use lambda_proxy_core::FrontDoor;
