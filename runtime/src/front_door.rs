//! Which AWS service sent the event, and therefore which envelope it accepts.

use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use std::fmt;

/// The AWS service ("front door") that invoked the function over HTTP.
///
/// Each front door accepts a slightly different response envelope (which header maps exist, where
/// cookies go, how large the answer may be). lambda-proxy shapes every response for the front door
/// the event came from.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FrontDoor {
    /// API Gateway REST API (payload format 1.0).
    RestApi,
    /// API Gateway HTTP API with payload format 1.0.
    HttpApiV1,
    /// API Gateway HTTP API with payload format 2.0.
    HttpApiV2,
    /// A Lambda function URL (payload format 2.0).
    FunctionUrl,
    /// An Application Load Balancer target group.
    Alb,
    /// VPC Lattice (event format v2).
    VpcLattice,
    /// API Gateway WebSocket API.
    WebSocket,
}

impl FrontDoor {
    /// Every front door, in a fixed order.
    pub const ALL: [FrontDoor; 7] = [
        FrontDoor::RestApi,
        FrontDoor::HttpApiV1,
        FrontDoor::HttpApiV2,
        FrontDoor::FunctionUrl,
        FrontDoor::Alb,
        FrontDoor::VpcLattice,
        FrontDoor::WebSocket,
    ];

    /// Reads the front door from the request context that `lambda_http` stores in the request's
    /// extensions. `None` for a request that did not come from a Lambda event (for example one
    /// built by hand in a unit test).
    ///
    /// REST APIs and HTTP APIs with payload 1.0 send the same event shape; an HTTP API is
    /// recognised by its `$default` stage. Function URLs and HTTP APIs with payload 2.0 are told
    /// apart by the `.lambda-url.` domain name. Both distinctions only matter for the front
    /// door's own time limit: the envelope rules are the same.
    pub fn of(request: &Request) -> Option<FrontDoor> {
        Some(match request.request_context_ref()? {
            RequestContext::ApiGatewayV1(ctx) => {
                if ctx.stage.as_deref() == Some("$default") {
                    FrontDoor::HttpApiV1
                } else {
                    FrontDoor::RestApi
                }
            }
            RequestContext::ApiGatewayV2(ctx) => {
                let url = ctx
                    .domain_name
                    .as_deref()
                    .is_some_and(|d| d.contains(".lambda-url."));
                if url {
                    FrontDoor::FunctionUrl
                } else {
                    FrontDoor::HttpApiV2
                }
            }
            RequestContext::Alb(_) => FrontDoor::Alb,
            RequestContext::WebSocket(_) => FrontDoor::WebSocket,
            RequestContext::VpcLattice(_) => FrontDoor::VpcLattice,
            // A context added by a later lambda_http version: only the origin-independent
            // rules apply.
            _ => return None,
        })
    }

    /// A short stable name, as used by `lambda-proxy-check --front-door`.
    pub fn name(self) -> &'static str {
        match self {
            FrontDoor::RestApi => "rest",
            FrontDoor::HttpApiV1 => "http1",
            FrontDoor::HttpApiV2 => "http2",
            FrontDoor::FunctionUrl => "url",
            FrontDoor::Alb => "alb",
            FrontDoor::VpcLattice => "lattice",
            FrontDoor::WebSocket => "ws",
        }
    }
}

/// The `name` given is not one of [`FrontDoor::name`]'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFrontDoor(pub String);

impl fmt::Display for UnknownFrontDoor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = FrontDoor::ALL.iter().map(|d| d.name()).collect();
        write!(
            f,
            "unknown front door {:?}: use one of {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownFrontDoor {}

impl std::str::FromStr for FrontDoor {
    type Err = UnknownFrontDoor;

    /// Parses a [`FrontDoor::name`] (`rest`, `http1`, `http2`, `url`, `alb`, `lattice`, `ws`).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        FrontDoor::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| UnknownFrontDoor(name.to_owned()))
    }
}

impl fmt::Display for FrontDoor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FrontDoor::RestApi => "API Gateway REST API",
            FrontDoor::HttpApiV1 => "API Gateway HTTP API (payload 1.0)",
            FrontDoor::HttpApiV2 => "API Gateway HTTP API (payload 2.0)",
            FrontDoor::FunctionUrl => "Lambda function URL",
            FrontDoor::Alb => "Application Load Balancer",
            FrontDoor::VpcLattice => "VPC Lattice",
            FrontDoor::WebSocket => "API Gateway WebSocket API",
        })
    }
}
