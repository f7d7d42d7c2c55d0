//! lambda-proxy's checker and command line.
//!
//! [`check`] says what a front door will do with any Lambda proxy response, from a function in
//! any language; [`contract`] says whether what the client receives keeps an OpenAPI 3.1
//! document's promise; [`emf`] whether a CloudWatch embedded-metric-format document is one
//! CloudWatch turns into metrics; [`event`] writes the event each front door sends for an HTTP
//! request; [`runtime_api`] is a Lambda Runtime API on a local port, to run a function's own
//! runtime loop outside Lambda, and [`serve`] the local gateway built on both. The `lambda-proxy` binary of this crate is their command line
//! (`lambda-proxy check`, with `--openapi`; `lambda-proxy emf`). The front-door facts it reads
//! (which members each accepts, the size limits, what the client sees on a failure) are
//! [`lambda_proxy_core`]'s table, the one lambda-proxy's runtime writes its envelopes by; the
//! metric format's units and limits are [`lambda_proxy_core::emf`], the ones its metrics keep.

#![warn(missing_docs)]

pub mod check;
pub mod contract;
pub mod emf;
pub mod event;
pub mod runtime_api;
pub mod serve;

pub use lambda_proxy_core::FrontDoor;
