//! The contract between the code `#[proxy_handler]` and `#[derive(ResponseError)]` generate and
//! this crate: what generated code calls, and nothing else. Not public API: it may change in any
//! release, in step with the exactly pinned `lambda-proxy-macros`. The machinery lives in the
//! modules named below.

/// The `http` crate, for header names and values built at compile time.
pub use http;

pub use crate::body::ProxyBody;
pub use crate::dispatch::{
    end_of_walk, fail, BodyKind, BodyTag, ChainKind, ChainTag, DisplayKind, DisplayTag, EndOfWalk,
    Leaf, LeafKind, LeafTag, NoBody, NoBodyKind, NoBodyTag, OptionKind, OptionTag, ReplyKind,
    ReplyTag, ResponseKind, ResponseTag, ResultKind, ResultTag, StatusBodyKind, StatusBodyTag,
    Step, StreamedKind, StreamedTag, UnitKind, UnitTag,
};
pub use crate::error::{derived_status as status, Extensions};
pub use crate::guards::future::{guard_sync, respond, Guarded, Outcome};
pub use crate::handler::{request, HandlerConfig, Invocation, IsRequest};
pub use crate::router::extract::kinds::{
    answer, boxed, extracted, parts, BodyUnread, CheckAny, CheckParam, CheckParts, Pending, Start,
};
pub use crate::router::route::{BoxFuture, Needs, NoState, RouteSpec, Routed};
pub use crate::router::table::{alone, OwnRoute};
pub use crate::router::Route;

pub use crate::__proxy_if_openapi as if_openapi;
pub use crate::__proxy_if_validate as if_validate;

#[cfg(feature = "openapi")]
pub use crate::openapi::describe::{
    Fill, FillOpen, Output, OutputKnown, OutputOpen, OutputSchema, Param, ParamInput, ParamNone,
    ParamTyped, ParamUntyped,
};
#[cfg(feature = "openapi")]
pub use crate::openapi::{ErrorStatuses, Operation};
#[cfg(feature = "validate")]
pub use crate::router::validate::{Check, CheckNone, CheckValid};
#[cfg(all(feature = "validate", feature = "openapi"))]
pub use crate::router::validate::{Checked, CheckedNone, CheckedValid};
