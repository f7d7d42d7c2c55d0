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

use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// What the router matched: the route's template and its path parameters, percent-decoded, in
/// template order. The router puts it in the request's extensions (with the router's state, which
/// [`State`] reads); read the parameters typed with [`Path`], by name with
/// [`ProxyRequestExt::path_param`](crate::ProxyRequestExt::path_param), or take `PathParams` as a
/// parameter.
#[derive(Clone, Default)]
pub struct PathParams {
    template: Arc<str>,
    names: Arc<[Box<str>]>,
    /// The decoded values, one after the other (one allocation for all of them).
    values: String,
    /// Where each value ends in `values`.
    ends: smallvec::SmallVec<[usize; 4]>,
    /// The router's state, for [`State`].
    state: Option<Arc<dyn Any + Send + Sync>>,
}

impl fmt::Debug for PathParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PathParams")
            .field("template", &&*self.template)
            .field("params", &self.iter().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl PathParams {
    /// The template of the matched route, `/users/{id}`.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every parameter, `(name, value)`, in template order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        self.names
            .iter()
            .zip(starts.zip(self.ends.iter().copied()))
            .map(|(name, (start, end))| (&**name, &self.values[start..end]))
    }

    /// How many parameters there are.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Parameter `index`, `(name, value)`.
    pub(crate) fn at(&self, index: usize) -> Option<(&str, &str)> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        Some((self.names.get(index)?, &self.values[start..end]))
    }

    /// What a request matched, as the router gives it.
    pub(crate) fn of(request: &lambda_http::Request) -> Option<&PathParams> {
        request.extensions().get::<PathParams>()
    }

    /// The router's state, when it is a `T`.
    pub(crate) fn state<T: 'static>(&self) -> Option<&T> {
        self.state.as_deref()?.downcast_ref()
    }

    /// Decodes the raw values matchit matched for the parameters `names` of `template`. `Err`
    /// when a value is not UTF-8 once decoded.
    pub(crate) fn decode<'a>(
        template: &Arc<str>,
        names: &Arc<[Box<str>]>,
        raw: impl Iterator<Item = &'a str>,
        state: Option<Arc<dyn Any + Send + Sync>>,
    ) -> Result<Self, String> {
        let mut values = String::new();
        let mut ends = smallvec::SmallVec::new();
        for (name, raw) in names.iter().zip(raw) {
            if raw.contains('%') {
                let value = percent_encoding::percent_decode_str(raw)
                    .decode_utf8()
                    .map_err(|_| {
                        format!("path parameter {name:?} is not valid UTF-8 once decoded")
                    })?;
                values.push_str(&value);
            } else {
                // Nothing to decode, and already UTF-8.
                values.push_str(raw);
            }
            ends.push(values.len());
        }
        Ok(PathParams {
            template: template.clone(),
            names: names.clone(),
            values,
            ends,
            state,
        })
    }
}

/// The parameter names of a template, in order: `/users/{id}/files/{*path}` has `id` and
/// `path`.
pub(crate) fn names(template: &str) -> Arc<[Box<str>]> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        names.push(rest[open + 1..open + close].trim_start_matches('*').into());
        rest = &rest[open + close + 1..];
    }
    names.into()
}
