//! Many routes in one function: [`Router`], typed inputs ([`Path`], [`Query`], [`Json`],
//! [`State`] and others), and the router's own answers (404, 405, `HEAD`, `OPTIONS`), each a
//! valid envelope like a handler's.
//!
//! # The path a route matches
//!
//! A route matches the path **within the API**: what the client asked for after the host, the
//! stage and any base-path mapping. Each front door presents it differently, and the router reads
//! it the same way for all of them ([`path_in_api`](crate::front_door::path_in_api)):
//!
//! | front door | the path matched |
//! | --- | --- |
//! | REST API, HTTP API 1.0 | the matched resource (`resource`, e.g. `/{proxy+}` or `/users/{id}`) with its `pathParameters` filled in: no stage (whatever `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` says), no base path of a custom domain |
//! | HTTP API 2.0 | the route key's path (`ANY /{proxy+}`) with its `pathParameters` filled in; for the `$default` route, `rawPath` without the stage |
//! | function URL | `rawPath` |
//! | ALB, VPC Lattice | the path as sent |
//!
//! So one route table serves the same API on every front door and stage. WebSocket events have
//! no method and path of their own (they route on `requestContext.routeKey`): serve them with a
//! plain `#[proxy_handler]`; a router answers them 404.

mod extract;
mod params;
mod route;
mod table;

#[doc(hidden)]
pub use extract::kinds;
pub use extract::{FromRequest, FromRequestParts, Json, Path, Query, State};
pub use route::{IsRouted, Needs, NoState, RouteFn, RouteSpec, Routed, StateFor};
pub use table::{RouteError, Router, RouterFuture};

use std::sync::Arc;

/// The path parameters of the matched route, percent-decoded, in template order. The router puts
/// them in the request's extensions; read them typed with [`Path`], or by name with
/// [`ProxyRequestExt::path_param`](crate::ProxyRequestExt::path_param).
#[derive(Clone, Debug, Default)]
pub struct PathParams {
    template: Arc<str>,
    params: Vec<(Box<str>, String)>,
}

impl PathParams {
    /// The template of the matched route, `/users/{id}`.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every parameter, `(name, value)`, in template order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params.iter().map(|(n, v)| (&**n, v.as_str()))
    }

    /// Decodes matched parameters: `None` when one is not UTF-8 once decoded.
    pub(crate) fn decode<'a>(
        template: &Arc<str>,
        matched: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, String> {
        let mut params = Vec::new();
        for (name, raw) in matched {
            let value = percent_encoding::percent_decode_str(raw)
                .decode_utf8()
                .map_err(|_| format!("path parameter {name:?} is not valid UTF-8 once decoded"))?;
            params.push((name.into(), value.into_owned()));
        }
        Ok(PathParams {
            template: template.clone(),
            params,
        })
    }
}
