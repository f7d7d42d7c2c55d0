//! lambda-proxy's own reader of the events of API Gateway: REST APIs and HTTP APIs with payload
//! 1.0 (`lambda_http`'s `ApiGatewayV1`), HTTP APIs with payload 2.0 and function URLs
//! (`ApiGatewayV2`), from the event's text straight to the `Request` `lambda_http` would make.
//!
//! `lambda_http` reads an event through an untagged enum of every front door's event: serde
//! buffers the whole event, then tries each shape in turn; inside one, every header value goes
//! through another untagged "one value or many" enum, which buffers it again and builds and drops
//! an error for each shape it is not; then the two header maps are merged and the event is
//! converted into a request. On a typical REST event that is most of an invocation's work.
//!
//! This reader makes one pass over the text. Strings are borrowed from it while reading; the
//! header maps are kept as borrowed name and value slices, then merged as `lambda_http` merges
//! them. For the maps API Gateway sends (the multi-value map of the same names, in the same
//! order), each name and value of the request is made once (`HeaderName::from_bytes`, which
//! lower-cases, and `HeaderValue::from_str`), and the multi-value map's values only checked by
//! that rule; any other maps are built as `aws_lambda_events` builds them and merged with
//! `HeaderMap::extend`, as `lambda_http` merges them. The members the request does not keep as they are (the request context, the parameter
//! maps) are read by the deserializers of `aws_lambda_events` and `query_map` themselves, and the
//! request is built as `lambda_http` builds it: the same URI (through `url`, as `lambda_http`
//! writes it), the same extensions, set through `lambda_http`'s own `RequestExt`.
//!
//! It answers [`Read::Leave`] whenever `lambda_http` could answer anything else: a member read
//! twice, a member of another type than the event's field, a request context that is not the
//! front door's, an event of another front door (ALB, WebSocket, VPC Lattice: those that begin as
//! ALB's and VPC Lattice's do are left before anything is read). The caller then
//! reads the event as `lambda_http` does. `tests/tests/event_reader.rs` holds the requests of the
//! two readers to each other, on every event of the repository and on generated events.

mod headers;
mod members;
mod uri;

use super::convert::Unreadable;
use crate::front_door::FrontDoor;
use headers::{merge, Header};
use http::header::{HeaderMap, HeaderValue};
use http::Method;
use lambda_http::aws_lambda_events::apigw::{
    ApiGatewayProxyRequestContext, ApiGatewayV2httpRequestContext,
};
use lambda_http::aws_lambda_events::query_map::{self, QueryMap};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt};
use members::{Member, Str, Top};
use serde::de::Deserializer;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use uri::{base_uri, body, parse_uri, path_with_stage, uri};

/// What [`api_gateway`] makes of an event.
#[allow(clippy::large_enum_variant)] // made once, matched at once
pub(crate) enum Read {
    /// The request `lambda_http` would make, and its front door.
    Request(Request, FrontDoor),
    /// An event `lambda_http` reads but cannot convert (it panics): why, as the conversion's
    /// panic is classified.
    Unreadable(FrontDoor, Unreadable),
    /// An event this reader leaves to `lambda_http`'s.
    Leave,
}

/// Reads `event` as `lambda_http` would, when it is an API Gateway event this reader knows to
/// read exactly as `lambda_http` does (see the module). The text is known to be UTF-8 (it is
/// `lambda_runtime`'s event), so that its strings are not checked again.
pub(crate) fn api_gateway(event: &str) -> Read {
    if begins_as_another_front_doors(event) {
        return Read::Leave;
    }
    let mut json = serde_json::Deserializer::from_str(event);
    let mut left = false;
    let read = json.deserialize_map(Top { left: &mut left });
    if left {
        return Read::Leave;
    }
    match read {
        Ok(fields) => fields.into_request().unwrap_or(Read::Leave),
        Err(_) => Read::Leave,
    }
}

/// What one pass over an event reads: every member either event type knows, checked as that
/// type reads it. The members whose reading depends on the event type (the query string
/// parameters, the request context) are kept as they were sent until the type is known.
#[derive(Default)]
struct Fields<'de> {
    /// One bit per [`Member`] read: a member read twice is an error for serde's derived readers.
    seen: u32,
    path: Option<Str<'de>>,
    http_method: Option<Method>,
    headers: Vec<Header<'de>>,
    multi_value_headers: Vec<Header<'de>>,
    query_string_parameters: Option<Query<'de>>,
    /// A payload 1.0 member, read as payload 1.0 reads it.
    multi_value_query_string_parameters: Option<QueryMap>,
    /// As `lambda_http` keeps them: `QueryMap`s of one value per name.
    path_parameters: HashMap<String, Vec<String>>,
    stage_variables: HashMap<String, Vec<String>>,
    request_context: Option<Context<'de>>,
    body: Option<Str<'de>>,
    /// `Some(None)` for a `null`, which payload 2.0's event type does not accept.
    is_base64_encoded: Option<Option<bool>>,
    raw_path: Option<Str<'de>>,
    raw_query_string: Option<Str<'de>>,
    cookies: Option<Vec<Str<'de>>>,
}

/// Whether the event begins as ALB's (`{"requestContext": {"elb": `) or VPC Lattice's (`{"version":
/// "2.0", "path": `; HTTP API events have `rawPath` instead) do: its first members tell, before
/// anything is read, that it is not for this reader (a reader that stops midway pays for what it
/// read). Only a shortcut: such events in another order are left when a member tells.
fn begins_as_another_front_doors(event: &str) -> bool {
    let begins = |tokens: &[&str]| {
        let mut rest = event;
        tokens.iter().all(|token| {
            rest = rest.trim_start_matches([' ', '\n', '\r', '\t']);
            rest.strip_prefix(token).map(|after| rest = after).is_some()
        })
    };
    begins(&["{", "\"requestContext\"", ":", "{", "\"elb\""])
        || begins(&["{", "\"version\"", ":", "\"2.0\"", ",", "\"path\""])
}

/// Which event type reads the event, as far as the members read so far tell: payload 1.0 once
/// an `httpMethod` is read; payload 2.0 once a member only it has is read (and no `httpMethod`
/// yet); `None` before either.
fn payload(fields: &Fields<'_>) -> Option<Payload> {
    if fields.has(Member::HttpMethod) {
        Some(Payload::V1)
    } else if [
        Member::Version,
        Member::RouteKey,
        Member::RawPath,
        Member::RawQueryString,
        Member::Cookies,
    ]
    .iter()
    .any(|key| fields.has(*key))
    {
        Some(Payload::V2)
    } else {
        None
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Payload {
    V1,
    V2,
}

/// The request context: read as the event type the members before it tell reads it, else kept
/// as sent until the end of the event.
#[allow(clippy::large_enum_variant)] // read once, moved once, into the request
enum Context<'de> {
    Sent(&'de RawValue),
    V1(ApiGatewayProxyRequestContext),
    V2(ApiGatewayV2httpRequestContext),
}

/// `queryStringParameters`: read as the event type the members before it tell reads them (the
/// two read them differently), else kept as sent.
enum Query<'de> {
    Sent(&'de RawValue),
    Read(Payload, QueryMap),
}

impl Query<'_> {
    /// The parameters as `payload`'s event type reads them; `None` when it does not.
    fn read(self, payload: Payload) -> Option<QueryMap> {
        match self {
            Query::Read(read, map) => (read == payload).then_some(map),
            Query::Sent(raw) => {
                let json = &mut serde_json::Deserializer::from_str(raw.get());
                match payload {
                    Payload::V1 => query_map::serde::standard::deserialize_empty(json),
                    Payload::V2 => query_map::serde::aws_api_gateway_v2::deserialize_empty(json),
                }
                .ok()
            }
        }
    }
}

impl<'de> Fields<'de> {
    fn has(&self, key: Member) -> bool {
        self.seen & (1 << key as u32) != 0
    }

    /// The request `lambda_http` would make: of payload 1.0 when the event has an `httpMethod`
    /// (the first type its untagged enum tries, which needs one), of payload 2.0 otherwise (the
    /// second, which needs a `requestContext.http`); `None` when that type would not read the
    /// event.
    fn into_request(self) -> Option<Read> {
        // Payload 2.0's type reads `path` as another name of `rawPath`: both is a duplicate.
        let path_twice = self.has(Member::Path) && self.has(Member::RawPath);
        let context = self.request_context?;
        if let Some(method) = self.http_method.clone() {
            let context: ApiGatewayProxyRequestContext = match context {
                Context::V1(context) => context,
                Context::Sent(raw) => read_context(raw)?,
                Context::V2(_) => return None,
            };
            let single = match self.query_string_parameters {
                None => QueryMap::default(),
                Some(query) => query.read(Payload::V1)?,
            };
            let multi = self.multi_value_query_string_parameters.unwrap_or_default();
            let base64 = self.is_base64_encoded.flatten().unwrap_or(false);
            let (headers, single_map) = merge(&self.headers, &self.multi_value_headers)?;
            let front_door = FrontDoor::of_payload_v1(context.stage.as_deref());
            let raw_path = self.path.map(Str::into_string).unwrap_or_default();
            let (host, scheme, path) = uri_inputs(
                &headers,
                single_map.as_ref(),
                (context.stage.as_deref(), context.domain_name.as_deref()),
                &raw_path,
            );
            let query = if multi.is_empty() { single } else { multi };
            let made = uri(&path, host, scheme, &query)
                .and_then(|uri| Ok((uri, body(self.body, base64)?)));
            let extensions = Extensions {
                raw_path,
                query,
                path_parameters: self.path_parameters,
                stage_variables: self.stage_variables,
                context: RequestContext::ApiGatewayV1(context),
            };
            return Some(Read::of(front_door, made, method, headers, extensions));
        }
        if path_twice {
            return None;
        }
        let context: ApiGatewayV2httpRequestContext = match context {
            Context::V2(context) => context,
            Context::Sent(raw) => read_context(raw)?,
            Context::V1(_) => return None,
        };
        let query_string_parameters = match self.query_string_parameters {
            None => QueryMap::default(),
            Some(query) => query.read(Payload::V2)?,
        };
        let base64 = match self.is_base64_encoded {
            None => false,
            Some(None) => return None,
            Some(Some(encoded)) => encoded,
        };
        let (mut headers, single_map) = merge(&self.headers, &[])?;
        let front_door = FrontDoor::of_payload_v2(context.domain_name.as_deref());
        let raw_path = self
            .raw_path
            .or(self.path)
            .map(Str::into_string)
            .unwrap_or_default();
        let (host, scheme, path) = uri_inputs(
            &headers,
            single_map.as_ref(),
            (context.stage.as_deref(), context.domain_name.as_deref()),
            &raw_path,
        );
        let raw_query = self.raw_query_string.as_ref().map(|raw| &*raw.0);
        let made = base_uri(&path, host, scheme)
            .and_then(|mut uri| {
                if let Some(raw) = raw_query.filter(|raw| !raw.is_empty()) {
                    uri.push('?');
                    uri.push_str(raw);
                }
                parse_uri(uri)
            })
            .and_then(|uri| Ok((uri, body(self.body, base64)?)));
        if let Some(cookies) = &self.cookies {
            let joined = cookies
                .iter()
                .map(|cookie| &*cookie.0)
                .collect::<Vec<_>>()
                .join("; ");
            if let Ok(value) = HeaderValue::from_str(&joined) {
                headers.insert(http::header::COOKIE, value);
            }
        }
        // `lambda_http` reads the parameters from the raw query string when there is one.
        let query = match raw_query {
            Some(raw) => raw.parse().unwrap_or_else(|never| match never {}),
            None => query_string_parameters,
        };
        let method = context.http.method.clone();
        let extensions = Extensions {
            raw_path,
            query,
            path_parameters: self.path_parameters,
            stage_variables: self.stage_variables,
            context: RequestContext::ApiGatewayV2(context),
        };
        Some(Read::of(front_door, made, method, headers, extensions))
    }
}

const X_FORWARDED_PROTO: http::HeaderName = http::HeaderName::from_static("x-forwarded-proto");

/// A request context kept as sent, read as the event type reads it.
fn read_context<'de, T: Deserialize<'de>>(raw: &'de RawValue) -> Option<T> {
    T::deserialize(&mut serde_json::Deserializer::from_str(raw.get())).ok()
}

/// A header's first value as `lambda_http` reads it (`HeaderMap::get`, `to_str`).
fn header_str(headers: &HeaderMap, name: http::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// What `lambda_http` makes the URI from: the single-value map's `host` (else the context's
/// domain name) and `x-forwarded-proto`, and the raw path with the stage. The single-value map is
/// `headers` unless [`merge`] gave it apart.
fn uri_inputs<'a>(
    headers: &'a HeaderMap,
    single: Option<&'a HeaderMap>,
    (stage, domain_name): (Option<&str>, Option<&'a str>),
    raw_path: &'a str,
) -> (Option<&'a str>, Option<&'a str>, Cow<'a, str>) {
    let single = single.unwrap_or(headers);
    let host = header_str(single, http::header::HOST).or(domain_name);
    let scheme = header_str(single, X_FORWARDED_PROTO);
    (host, scheme, path_with_stage(stage, raw_path))
}

/// What `lambda_http` gives a request besides its method, URI, headers and body.
struct Extensions {
    raw_path: String,
    query: QueryMap,
    path_parameters: HashMap<String, Vec<String>>,
    stage_variables: HashMap<String, Vec<String>>,
    context: RequestContext,
}

impl Read {
    /// The request made of its parts, or why it cannot be: where `lambda_http`'s conversion
    /// panics (the URI, then the body).
    fn of(
        front_door: FrontDoor,
        made: Result<(http::Uri, Body), Unreadable>,
        method: Method,
        headers: HeaderMap,
        extensions: Extensions,
    ) -> Read {
        let (uri, body) = match made {
            Ok(made) => made,
            Err(why) => return Read::Unreadable(front_door, why),
        };
        let mut request = Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        let request = request
            .with_raw_http_path(extensions.raw_path)
            .with_query_string_parameters(extensions.query)
            .with_path_parameters(extensions.path_parameters)
            .with_stage_variables(extensions.stage_variables)
            .with_request_context(extensions.context);
        Read::Request(request, front_door)
    }
}
