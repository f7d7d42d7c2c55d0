//! Many routes in one function: [`Router`](crate::Router), typed inputs
//! ([`Path`](crate::Path), [`Query`](crate::Query), [`Json`](crate::Json),
//! [`State`](crate::State) and others), and the router's own answers (404, 405, `HEAD`, `OPTIONS`), each a
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
//! | HTTP API 2.0 | the route key's path (`ANY /{proxy+}`) with its `pathParameters` filled in; for the `$default` route, `rawPath` without a leading named stage |
//! | function URL | `rawPath` |
//! | ALB, VPC Lattice | the path as sent |
//!
//! So one route table serves the same API on every front door and stage. The facts behind the
//! rule, each in the front-door table ([`Profile`](crate::front_door::Profile)) with its source:
//!
//! - **Encoding.** A REST API keeps the client's percent-encoding in `path`,
//!   `requestContext.path` and `pathParameters` (recorded events; aws-sam-cli#3524), so
//!   `/seg/a%2Fb` is `/seg/{name}` with `name` `a/b`; the router also reads a `{proxy+}` value
//!   sent decoded against the encoded path. An HTTP API decodes `rawPath` and `pathParameters`
//!   (aws-lambda-fastify#169), which cannot be undone: `/a%2Fb` arrives as `/a/b` there. A
//!   function URL keeps `rawPath` encoded.
//! - **Stages.** An HTTP API's named stage begins `rawPath`, on its execute-api host and, by
//!   every recorded report, behind a custom domain too (serverless-express#465,
//!   aws-lambda-rust-runtime#919): it is removed once, so that a path beginning with a segment of
//!   the stage's name is kept after it. An API mapping's key is never in `rawPath`.
//!
//! A payload 1.0 event without a resource keeps a prefix the router cannot tell from the path;
//! give it a resource (`/{proxy+}`), or [`Router::nest`](crate::Router::nest) the routes under
//! the prefix. Literal braces in a route (`/a/{{x}}`) match the client's braces.
//!
//! WebSocket events have no method and path of their own (they route on
//! `requestContext.routeKey`): serve them with a plain `#[proxy_handler]`; a router answers them
//! 404.
//!
//! # Typed inputs
//!
//! The parameters of a routed handler are read from the request before it runs, in two passes:
//! every parameter that reads the head (path, query, headers, state), then the one that reads the
//! body. A parameter that cannot be read answers its 4xx problem instead of running the handler,
//! a head parameter's before the body's, whatever their order.

pub(crate) mod extract;
mod params;
pub(crate) mod route;
pub(crate) mod table;
#[cfg(feature = "validate")]
pub(crate) mod validate;

pub use extract::{FromRequest, FromRequestParts};
pub use table::RouteError;

// Named by the bounds of public fns and by compile errors; not API.
#[doc(hidden)]
pub use extract::kinds;
#[doc(hidden)]
pub use route::{IsRouted, RouteFn, ServedAlone, StateFor};

use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// The route a request matched, as extractors see it: the template, the path parameters
/// (percent-decoded, in template order) and the router's state. It lives while the handler's
/// parameters are read, before the handler runs; [`PathParams`] is its owned copy.
pub struct Route<'r> {
    template: &'r str,
    names: &'r [Box<str>],
    /// The decoded values, one after the other, inline up to 64 bytes.
    bytes: smallvec::SmallVec<[u8; 64]>,
    /// Where each value ends in `bytes`.
    ends: smallvec::SmallVec<[usize; 4]>,
    state: Option<&'r (dyn Any + Send + Sync)>,
}

impl fmt::Debug for Route<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Route")
            .field("template", &self.template)
            .field("params", &self.iter().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<'r> Route<'r> {
    /// Decodes the raw values matchit matched for the parameters `names` of `template`. `Err`
    /// when a value is not UTF-8 once decoded.
    pub(crate) fn decode<'a>(
        template: &'r str,
        names: &'r [Box<str>],
        raw: impl Iterator<Item = &'a str>,
        state: Option<&'r (dyn Any + Send + Sync)>,
    ) -> Result<Self, String> {
        let mut bytes = smallvec::SmallVec::new();
        let mut ends = smallvec::SmallVec::new();
        for (name, raw) in names.iter().zip(raw) {
            if raw.bytes().any(|b| b == b'%') {
                let value = percent_encoding::percent_decode_str(raw)
                    .decode_utf8()
                    .map_err(|_| {
                        format!("path parameter {name:?} is not valid UTF-8 once decoded")
                    })?;
                bytes.extend_from_slice(value.as_bytes());
            } else {
                // Nothing to decode, and already UTF-8.
                bytes.extend_from_slice(raw.as_bytes());
            }
            ends.push(bytes.len());
        }
        Ok(Route {
            template,
            names,
            bytes,
            ends,
            state,
        })
    }

    /// The template of the matched route, `/users/{id}`.
    pub fn template(&self) -> &'r str {
        self.template
    }

    /// The value of path parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every path parameter, `(name, value)`, in template order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        (0..self.len()).filter_map(|i| self.at(i))
    }

    /// How many path parameters there are.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Path parameter `index`, `(name, value)`.
    #[inline]
    pub(crate) fn at(&self, index: usize) -> Option<(&str, &str)> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        // Decoded from `&str` or checked by `decode_utf8`: always UTF-8.
        let value = std::str::from_utf8(&self.bytes[start..end]).ok()?;
        Some((self.names.get(index)?, value))
    }

    /// The router's state, when it is a `T`.
    #[inline]
    pub(crate) fn state<T: 'static>(&self) -> Option<&'r T> {
        self.state?.downcast_ref()
    }

    /// The owned copy.
    pub fn to_params(&self) -> PathParams {
        let mut values = String::with_capacity(self.bytes.len());
        let mut ends = smallvec::SmallVec::new();
        for (_, value) in self.iter() {
            values.push_str(value);
            ends.push(values.len());
        }
        PathParams {
            template: self.template.into(),
            names: self.names.iter().cloned().collect(),
            values,
            ends,
        }
    }
}

/// The path parameters of the matched route, owned: the template and the values,
/// percent-decoded, in template order. A handler registered with
/// [`Router::handle`](crate::Router::handle) finds them in its request's extensions, as does one that takes the whole
/// `Request`; read them by name with
/// [`ProxyRequestExt::path_param`](crate::ProxyRequestExt::path_param), or take `PathParams` as
/// a parameter of a routed handler.
#[derive(Clone, Debug, Default)]
pub struct PathParams {
    template: Box<str>,
    names: Box<[Box<str>]>,
    values: String,
    ends: smallvec::SmallVec<[usize; 4]>,
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

    /// The parameters a request carries, when a router put them there.
    pub(crate) fn of(request: &lambda_http::Request) -> Option<&PathParams> {
        request.extensions().get::<PathParams>()
    }
}

/// The parameter names of a template, in order, shared.
pub(crate) fn names(template: &str) -> Arc<[Box<str>]> {
    lambda_proxy_core::route::parameters(template)
        .map(Box::from)
        .collect()
}
