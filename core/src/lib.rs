//! The facts that lambda-proxy's runtime, its `#[proxy_handler]` macro and its checker share,
//! each stated once:
//!
//! - [`front_door`]: what each AWS service that invokes a function over HTTP accepts (the
//!   envelope's maps, where cookies go, the size limit, the integration timeout, what the client
//!   sees when the envelope is rejected), one row per front door;
//! - [`route`]: the route line (`GET /users/{id}`), its methods and its template rules, which
//!   the macro checks at compile time and the router when a route is added;
//! - [`header`]: which header values an envelope can carry, and the headers a handler's
//!   attribute may not set;
//! - [`attribute`]: the ranges of `#[proxy_handler]`'s numeric arguments;
//! - [`emf`]: CloudWatch's embedded metric format, its units and limits;
//! - [`authorizer`]: the kinds of authorizer that verify a caller.
//!
//! A proc-macro crate can depend on a plain one but not on the crate that uses it; this crate is
//! that plain one, as `axum-core` is for axum. Use lambda-proxy itself: its types re-export what
//! a user names from here.

#![warn(missing_docs)]

pub mod attribute;
pub mod authorizer;
pub mod emf;
pub mod front_door;
pub mod header;
pub mod route;

pub use authorizer::Authorizer;
pub use front_door::FrontDoor;
