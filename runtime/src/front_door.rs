//! Which AWS service sent the event: [`FrontDoor`], and the table of what each accepts
//! ([`FrontDoor::profile`]), which every part of lambda-proxy reads; and the path within the API
//! that a [`Router`](crate::Router) matches, read the same way for every front door
//! ([`path_in_api`]).
//!
//! "How is an ALB envelope shaped?" is answered by the table and nowhere else.

pub(crate) use lambda_proxy_core::front_door::size_limit;
// Public at the crate's root, `lambda_proxy::FrontDoor`, and nowhere else.
pub use lambda_proxy_core::front_door::{
    CookieRule, EnvelopeFormat, MissingStatus, Profile, UnknownFrontDoor, LAMBDA_RESPONSE_LIMIT,
};
pub(crate) use lambda_proxy_core::FrontDoor;

use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::borrow::Cow;

/// Reads the front door from the request context that `lambda_http` stores in the request's
/// extensions. `None` for a request that did not come from a Lambda event (for example one built
/// by hand in a unit test).
///
/// An ALB request does not show its target group's multi-value setting once `lambda_http` has
/// converted it (both header maps become the request's headers): it is read as
/// [`FrontDoor::Alb`]. lambda-proxy's own adapter reads the mode from the event
/// ([`of_event`]).
pub(crate) fn of(request: &Request) -> Option<FrontDoor> {
    Some(match request.request_context_ref()? {
        RequestContext::ApiGatewayV1(ctx) => FrontDoor::of_payload_v1(ctx.stage.as_deref()),
        RequestContext::ApiGatewayV2(ctx) => FrontDoor::of_payload_v2(ctx.domain_name.as_deref()),
        RequestContext::Alb(_) => FrontDoor::Alb,
        RequestContext::WebSocket(_) => FrontDoor::WebSocket,
        RequestContext::VpcLattice(_) => FrontDoor::VpcLattice,
        // A context added by a later lambda_http version: only the origin-independent rules
        // apply.
        _ => return None,
    })
}

/// The front door of an event `lambda_http` read, before it becomes a request: by the same
/// rules as [`of`], and for ALB the target group's mode, which the event shows (it carries
/// `multiValueHeaders` in multi-value mode, `headers` otherwise).
pub(crate) fn of_event(event: &lambda_http::request::LambdaRequest) -> Option<FrontDoor> {
    use lambda_http::request::LambdaRequest;
    Some(match event {
        LambdaRequest::ApiGatewayV1(event) => {
            FrontDoor::of_payload_v1(event.request_context.stage.as_deref())
        }
        LambdaRequest::ApiGatewayV2(event) => {
            FrontDoor::of_payload_v2(event.request_context.domain_name.as_deref())
        }
        LambdaRequest::Alb(event) => FrontDoor::of_alb(
            !event.multi_value_headers.is_empty()
                || !event.multi_value_query_string_parameters.is_empty(),
        ),
        LambdaRequest::WebSocket(_) => FrontDoor::WebSocket,
        LambdaRequest::VpcLatticeV2(_) => FrontDoor::VpcLattice,
        _ => return None,
    })
}

/// The path within the API that a [`Router`](crate::Router) matches: what the client asked for
/// after the host, the stage and any base-path mapping, percent-encoded as clients send it. The
/// table in the [`router`](crate::router) documentation gives the rule for each front door: for
/// API Gateway, the matched resource or route key with its path parameters filled in (which has
/// neither stage nor base path), else the raw path without the stage; for the others, the raw
/// path.
pub fn path_in_api(request: &Request) -> Cow<'_, str> {
    routed_path(request).unwrap_or_else(|| Cow::Borrowed(raw_path(request)))
}

/// The raw path: as the event sent it, else the URI's.
fn raw_path(request: &Request) -> &str {
    match request.raw_http_path() {
        "" => request.uri().path(),
        raw => raw,
    }
}

/// [`path_in_api`], `None` for a WebSocket event, whose method and path are `lambda_http`'s
/// defaults and not the client's: a router does not route it.
pub(crate) fn routed_path(request: &Request) -> Option<Cow<'_, str>> {
    let raw = || raw_path(request);
    Some(match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(ctx)) => {
            // Which front door (REST or HTTP API 1.0) is only asked when an encoding matters:
            // the usual `/{proxy+}` value needs none.
            let door = || FrontDoor::of_payload_v1(ctx.stage.as_deref()).profile();
            let filled = ctx
                .resource_path
                .as_deref()
                .and_then(|template| fill(template, request, || door().path_parameters_encoded));
            match filled {
                Some(path) => path,
                None => encoded(raw(), door().path_encoded),
            }
        }
        Some(RequestContext::ApiGatewayV2(ctx)) => {
            let door = FrontDoor::of_payload_v2(ctx.domain_name.as_deref()).profile();
            let template = ctx.route_key.as_deref().and_then(|key| key.split_once(' '));
            let filled = template
                .and_then(|(_, template)| fill(template, request, || door.path_parameters_encoded));
            if let Some(path) = filled {
                return Some(path);
            }
            // A named stage begins `rawPath`, on the execute-api host and behind a custom domain
            // alike (the API mapping's key never does): the rule of the `router` module's table.
            let raw = raw();
            let within = match ctx.stage.as_deref() {
                Some(stage) if stage != "$default" => {
                    match raw.strip_prefix('/').and_then(|p| p.strip_prefix(stage)) {
                        Some("") => "/",
                        Some(rest) if rest.starts_with('/') => rest,
                        _ => raw,
                    }
                }
                _ => raw,
            };
            encoded(within, door.path_encoded)
        }
        Some(RequestContext::WebSocket(_)) => return None,
        // ALB and VPC Lattice: the path as the client sent it.
        _ => Cow::Borrowed(raw()),
    })
}

/// What a path segment cannot hold unencoded. Braces stay as they are (`http::Uri` takes them),
/// so that a route's literal braces (`/a/{{x}}`) match the client's on every front door.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'/');
/// What a path (or a greedy parameter's value) cannot hold unencoded.
const PATH: &AsciiSet = &SEGMENT.remove(b'/');
/// [`SEGMENT`] and [`PATH`] for values that keep the client's escapes.
const ENCODED_SEGMENT: &AsciiSet = &SEGMENT.remove(b'%');
const ENCODED_PATH: &AsciiSet = &PATH.remove(b'%');

/// `path` as clients send it: as it is when the front door kept the client's encoding, else
/// (HTTP APIs, which decode it) encoded again, `%` included.
fn encoded(path: &str, kept: bool) -> Cow<'_, str> {
    match kept {
        true => Cow::Borrowed(path),
        false => Cow::from(utf8_percent_encode(path, PATH)),
    }
}

/// Whether a value has a byte that a path cannot hold as it is: outside printable ASCII (UTF-8
/// and control characters), or one of the characters a segment cannot hold unencoded; `%` too
/// unless the value is `encoded` already.
fn needs_encoding(value: &str, encoded: bool) -> bool {
    value.bytes().any(|b| {
        !b.is_ascii_graphic()
            || matches!(b, b'"' | b'#' | b'<' | b'>' | b'?' | b'`')
            || (b == b'%' && !encoded)
    })
}

/// An API Gateway template (`/users/{id}`, `/{proxy+}`) with the request's `pathParameters`
/// filled in, percent-encoded (a greedy `{name+}` keeps its `/`); values that are `encoded`
/// already (REST APIs send them as the client did) keep their escapes. `None` when it is no path
/// template (`$default`) or a parameter is missing.
fn fill<'r>(
    template: &str,
    request: &'r Request,
    encoded: impl Fn() -> bool,
) -> Option<Cow<'r, str>> {
    if !template.starts_with('/') {
        return None;
    }
    let params = request.path_parameters_ref();
    // The usual resource, `/{proxy+}`: the path is `/` and the parameter, which the event's path
    // ends with (it then has no stage and no base path to remove).
    if template == "/{proxy+}" {
        let proxy = params?.first("proxy")?;
        if let Some(tail) = proxy_tail(request.raw_http_path(), proxy, &encoded) {
            return Some(Cow::Borrowed(tail));
        }
    }
    let (segment, greedy) = match encoded() {
        true => (ENCODED_SEGMENT, ENCODED_PATH),
        false => (SEGMENT, PATH),
    };
    let mut path = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        path.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        let (name, set) = match name.strip_suffix('+') {
            Some(name) => (name, greedy),
            None => (name, segment),
        };
        let value = params?.first(name)?;
        path.extend(utf8_percent_encode(value, set));
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    Some(Cow::Owned(path))
}

/// The end of `raw` (from a `/`) that is the `/{proxy+}` parameter `proxy`: spelled the same (the
/// usual case: no allocation), or, when the front door decoded the parameter but kept the path's
/// encoding (`/seg/a%2Fb` with `seg/a/b`), the end that decodes to it, so that the encoded slash
/// stays inside its segment.
fn proxy_tail<'r>(raw: &'r str, proxy: &str, encoded: &impl Fn() -> bool) -> Option<&'r str> {
    // A `%` only matters to a value the front door did not encode: asked only then.
    if needs_encoding(proxy, true) || (proxy.contains('%') && !encoded()) {
        return None;
    }
    let start = raw.len().checked_sub(proxy.len() + 1)?;
    if let Some(tail) = raw
        .get(start..)
        .filter(|t| t.starts_with('/') && t.ends_with(proxy))
    {
        return Some(tail);
    }
    if !raw.contains('%') {
        return None;
    }
    raw.match_indices('/')
        .map(|(at, _)| &raw[at..])
        .find(|tail| {
            percent_encoding::percent_decode_str(&tail[1..])
                .decode_utf8()
                .is_ok_and(|decoded| decoded == proxy)
        })
}
