//! Which AWS service sent the event, and everything lambda-proxy knows about it: one table,
//! [`Profile`], read by the envelope normalization, the guards, the checker and the testing kit.
//!
//! "How is an ALB envelope shaped?" is answered here and nowhere else: see [`FrontDoor::profile`].

use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The AWS service ("front door") that invoked the function over HTTP.
///
/// Each front door accepts a slightly different response envelope (which header maps exist, where
/// cookies go, how large the answer may be). lambda-proxy shapes every response for the front door
/// the event came from; [`FrontDoor::profile`] lists what differs. `lambda_http` calls this
/// `RequestOrigin`.
#[doc(alias = "RequestOrigin")]
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

/// How a front door reads the headers of a response envelope.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnvelopeFormat {
    /// Payload format 1.0 (REST API, HTTP API 1.0, WebSocket API): `multiValueHeaders` carries
    /// every value of every header, `Set-Cookie` included; `headers` is left empty, because a
    /// header in both maps can reach the client twice.
    MultiValue,
    /// Payload format 2.0 (HTTP API 2.0, function URLs): a single-value `headers` map, so repeated
    /// values are comma-joined; every `Set-Cookie` value goes into the `cookies` array.
    SingleValueWithCookies,
    /// ALB: both maps, because the target group's setting (which the function cannot see) decides
    /// which one is read. Repeated values are comma-joined in `headers` and listed in
    /// `multiValueHeaders`; all cookies are in `multiValueHeaders`, single-value mode can carry
    /// only the first.
    BothMaps,
    /// VPC Lattice: a single-value `headers` map only; repeated values are comma-joined, and only
    /// the first `Set-Cookie` can be sent.
    SingleValue,
}

impl EnvelopeFormat {
    /// How many header maps of the envelope carry each header.
    pub(crate) const fn header_maps(self) -> usize {
        match self {
            EnvelopeFormat::BothMaps => 2,
            _ => 1,
        }
    }

    /// Whether the envelope has a single-value `headers` map that lambda-proxy fills, where
    /// repeated values must be comma-joined.
    pub(crate) const fn single_value_headers(self) -> bool {
        !matches!(self, EnvelopeFormat::MultiValue)
    }

    /// Whether the envelope has a `multiValueHeaders` map that the front door reads.
    pub(crate) const fn reads_multi_value_headers(self) -> bool {
        matches!(self, EnvelopeFormat::MultiValue | EnvelopeFormat::BothMaps)
    }

    /// How the envelope carries several `Set-Cookie` headers.
    pub const fn cookies(self) -> CookieRule {
        match self {
            EnvelopeFormat::MultiValue | EnvelopeFormat::BothMaps => CookieRule::MultiValueHeaders,
            EnvelopeFormat::SingleValueWithCookies => CookieRule::CookiesArray,
            EnvelopeFormat::SingleValue => CookieRule::FirstOnly,
        }
    }
}

/// Where `Set-Cookie` values go. Cookies are never comma-joined: their values contain commas.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CookieRule {
    /// Every cookie in `multiValueHeaders` (on ALB single-value mode, the load balancer sends only
    /// the first).
    MultiValueHeaders,
    /// Every cookie in the `cookies` array (payload format 2.0).
    CookiesArray,
    /// Only the first cookie can be sent; lambda-proxy keeps it and logs a warning.
    FirstOnly,
}

/// What lambda-proxy knows about one front door. Read it with [`FrontDoor::profile`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    /// A short stable name, as used by `lambda-proxy-check --front-door`.
    pub name: &'static str,
    /// The name of the service, for people.
    pub title: &'static str,
    /// How the envelope carries headers and cookies.
    pub format: EnvelopeFormat,
    /// The members an envelope may have.
    pub allowed_keys: &'static [&'static str],
    /// Whether any other member makes the front door reject the envelope (REST and WebSocket
    /// APIs: 502, recorded against AWS); elsewhere other members are ignored.
    pub rejects_other_keys: bool,
    /// The largest envelope delivered, in bytes: 6 MiB for every synchronous Lambda response,
    /// 1 MB for ALB, 128 KB for WebSocket messages.
    pub size_limit: usize,
    /// How long the front door waits for the function by default before it answers on its own,
    /// in milliseconds; `None` when only the Lambda deadline applies.
    pub integration_timeout_ms: Option<u64>,
    /// What the client gets when the function fails instead of answering (an unhandled error, a
    /// panic, a timeout), in the checker's words.
    pub(crate) function_failure: &'static str,
    /// What the client gets when the front door rejects the envelope, in the checker's words.
    pub(crate) rejection: &'static str,
}

/// The synchronous Lambda response limit (6 MiB, 6,291,456 bytes): the size limit of a response
/// to an event that names no front door.
pub const LAMBDA_RESPONSE_LIMIT: usize = 6 * 1024 * 1024;

const V1_KEYS: &[&str] = &[
    "statusCode",
    "headers",
    "multiValueHeaders",
    "body",
    "isBase64Encoded",
];
const V2_KEYS: &[&str] = &[
    "statusCode",
    "headers",
    "body",
    "isBase64Encoded",
    "cookies",
];
const ALB_KEYS: &[&str] = &[
    "statusCode",
    "statusDescription",
    "headers",
    "multiValueHeaders",
    "body",
    "isBase64Encoded",
];
const LATTICE_KEYS: &[&str] = &["statusCode", "headers", "body", "isBase64Encoded"];

const APIGW_502: &str = "the client gets 502 {\"message\": \"Internal server error\"}";
const APIGW_502_MALFORMED: &str = "the client gets 502 {\"message\": \"Internal server error\"}; the execution log says \"Malformed Lambda proxy response\"";
const HTTP_API_500: &str = "the client gets 500 {\"message\":\"Internal Server Error\"}";
const ALB_502: &str = "the client gets 502 Bad Gateway";

/// The table, indexed by the variant (`FrontDoor as usize`); `FrontDoor::ALL` lists the variants
/// in the same order, which a compile-time assertion below checks.
///
/// Sources: AWS documentation for the envelope members, the limits and the integration timeouts
/// (REST API 29 s by default, HTTP API 30 s fixed, WebSocket API 29 s; function URLs, ALB and VPC
/// Lattice have none); behaviour recorded against AWS for REST APIs' rejection of other members.
static PROFILES: [Profile; FrontDoor::ALL.len()] = [
    Profile {
        name: "rest",
        title: "API Gateway REST API",
        format: EnvelopeFormat::MultiValue,
        allowed_keys: V1_KEYS,
        rejects_other_keys: true,
        size_limit: LAMBDA_RESPONSE_LIMIT,
        integration_timeout_ms: Some(29_000),
        function_failure: APIGW_502,
        rejection: APIGW_502_MALFORMED,
    },
    Profile {
        name: "http1",
        title: "API Gateway HTTP API (payload 1.0)",
        format: EnvelopeFormat::MultiValue,
        allowed_keys: V1_KEYS,
        rejects_other_keys: false,
        size_limit: LAMBDA_RESPONSE_LIMIT,
        integration_timeout_ms: Some(30_000),
        function_failure: HTTP_API_500,
        rejection: HTTP_API_500,
    },
    Profile {
        name: "http2",
        title: "API Gateway HTTP API (payload 2.0)",
        format: EnvelopeFormat::SingleValueWithCookies,
        allowed_keys: V2_KEYS,
        rejects_other_keys: false,
        size_limit: LAMBDA_RESPONSE_LIMIT,
        integration_timeout_ms: Some(30_000),
        function_failure: HTTP_API_500,
        rejection: HTTP_API_500,
    },
    Profile {
        name: "url",
        title: "Lambda function URL",
        format: EnvelopeFormat::SingleValueWithCookies,
        allowed_keys: V2_KEYS,
        rejects_other_keys: false,
        size_limit: LAMBDA_RESPONSE_LIMIT,
        integration_timeout_ms: None,
        function_failure: HTTP_API_500,
        rejection: HTTP_API_500,
    },
    Profile {
        name: "alb",
        title: "Application Load Balancer",
        format: EnvelopeFormat::BothMaps,
        allowed_keys: ALB_KEYS,
        rejects_other_keys: false,
        size_limit: 1_000_000,
        integration_timeout_ms: None,
        function_failure: ALB_502,
        rejection: ALB_502,
    },
    Profile {
        name: "lattice",
        title: "VPC Lattice",
        format: EnvelopeFormat::SingleValue,
        allowed_keys: LATTICE_KEYS,
        rejects_other_keys: false,
        size_limit: LAMBDA_RESPONSE_LIMIT,
        integration_timeout_ms: None,
        function_failure: "the client gets an error instead of a response",
        rejection: "the client gets an error instead of the response",
    },
    Profile {
        name: "ws",
        title: "API Gateway WebSocket API",
        format: EnvelopeFormat::MultiValue,
        allowed_keys: V1_KEYS,
        rejects_other_keys: true,
        size_limit: 128_000,
        integration_timeout_ms: Some(29_000),
        function_failure: APIGW_502,
        rejection: APIGW_502_MALFORMED,
    },
];

// `ALL` and `PROFILES` are indexed by the variant: a variant added out of step fails the build.
const _: () = {
    let mut i = 0;
    while i < FrontDoor::ALL.len() {
        assert!(FrontDoor::ALL[i] as usize == i);
        i += 1;
    }
};

/// A slot of [`OVERRIDES`] that holds no override: the profile's default applies.
const DEFAULT: u64 = u64::MAX;
/// A slot of [`OVERRIDES`] that says "no integration timeout".
const NONE: u64 = u64::MAX - 1;

/// Integration timeouts set with [`FrontDoor::set_integration_timeout`], in ms, indexed by the
/// variant.
static OVERRIDES: [AtomicU64; FrontDoor::ALL.len()] =
    [const { AtomicU64::new(DEFAULT) }; FrontDoor::ALL.len()];

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

    /// What lambda-proxy knows about this front door.
    ///
    /// ```
    /// use lambda_proxy::front_door::{CookieRule, EnvelopeFormat};
    /// use lambda_proxy::FrontDoor;
    ///
    /// let alb = FrontDoor::Alb.profile();
    /// assert_eq!(alb.format, EnvelopeFormat::BothMaps);
    /// assert_eq!(alb.format.cookies(), CookieRule::MultiValueHeaders);
    /// assert_eq!(alb.size_limit, 1_000_000);
    /// ```
    pub fn profile(self) -> &'static Profile {
        &PROFILES[self as usize]
    }

    /// How the envelope carries headers and cookies.
    pub fn format(self) -> EnvelopeFormat {
        self.profile().format
    }

    /// The largest envelope this front door delivers, in bytes, JSON escaping and base64 growth
    /// included: 6 MiB (6,291,456) for every synchronous Lambda response, 1 MB (1,000,000) for
    /// ALB, 128 KB (128,000) for WebSocket messages.
    pub fn size_limit(self) -> usize {
        self.profile().size_limit
    }

    /// How long this front door waits for the function before it answers on its own (504 or 502):
    /// what [`set_integration_timeout`](FrontDoor::set_integration_timeout) set, else the
    /// default of [`Profile::integration_timeout_ms`]: REST API 29 s, HTTP API 30 s, WebSocket API
    /// 29 s; function URLs, ALB and VPC Lattice have none (the Lambda deadline is the only limit).
    pub fn integration_timeout(self) -> Option<Duration> {
        match OVERRIDES[self as usize].load(Ordering::Relaxed) {
            DEFAULT => self
                .profile()
                .integration_timeout_ms
                .map(Duration::from_millis),
            NONE => None,
            ms => Some(Duration::from_millis(ms)),
        }
    }

    /// Sets the integration timeout of this front door for the whole process, for example for a
    /// REST API whose timeout was raised above 29 s. Call it in `main` before
    /// [`run`](crate::run). Safe to call from any thread; the guards read it per invocation.
    ///
    /// ```
    /// use lambda_proxy::FrontDoor;
    /// use std::time::Duration;
    ///
    /// FrontDoor::RestApi.set_integration_timeout(Some(Duration::from_secs(120)));
    /// assert_eq!(FrontDoor::RestApi.integration_timeout(), Some(Duration::from_secs(120)));
    /// # FrontDoor::RestApi.set_integration_timeout(Some(Duration::from_secs(29)));
    /// ```
    pub fn set_integration_timeout(self, timeout: Option<Duration>) {
        let ms = timeout.map_or(NONE, |t| {
            u64::try_from(t.as_millis())
                .unwrap_or(NONE - 1)
                .min(NONE - 1)
        });
        OVERRIDES[self as usize].store(ms, Ordering::Relaxed);
    }

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
            RequestContext::ApiGatewayV1(ctx) => Self::payload_v1(ctx.stage.as_deref()),
            RequestContext::ApiGatewayV2(ctx) => Self::payload_v2(ctx.domain_name.as_deref()),
            RequestContext::Alb(_) => FrontDoor::Alb,
            RequestContext::WebSocket(_) => FrontDoor::WebSocket,
            RequestContext::VpcLattice(_) => FrontDoor::VpcLattice,
            // A context added by a later lambda_http version: only the origin-independent
            // rules apply.
            _ => return None,
        })
    }

    /// A payload 1.0 event: an HTTP API's has the `$default` stage, a REST API's another.
    pub(crate) fn payload_v1(stage: Option<&str>) -> FrontDoor {
        if stage == Some("$default") {
            FrontDoor::HttpApiV1
        } else {
            FrontDoor::RestApi
        }
    }

    /// A payload 2.0 event: a function URL's domain name has `.lambda-url.` in it.
    pub(crate) fn payload_v2(domain_name: Option<&str>) -> FrontDoor {
        if domain_name.is_some_and(|d| d.contains(".lambda-url.")) {
            FrontDoor::FunctionUrl
        } else {
            FrontDoor::HttpApiV2
        }
    }

    /// The front door of an event `lambda_http` read, before it becomes a request: by the same
    /// rules as [`FrontDoor::of`].
    pub(crate) fn of_event(event: &lambda_http::request::LambdaRequest) -> Option<FrontDoor> {
        use lambda_http::request::LambdaRequest;
        Some(match event {
            LambdaRequest::ApiGatewayV1(event) => {
                Self::payload_v1(event.request_context.stage.as_deref())
            }
            LambdaRequest::ApiGatewayV2(event) => {
                Self::payload_v2(event.request_context.domain_name.as_deref())
            }
            LambdaRequest::Alb(_) => FrontDoor::Alb,
            LambdaRequest::WebSocket(_) => FrontDoor::WebSocket,
            LambdaRequest::VpcLatticeV2(_) => FrontDoor::VpcLattice,
            _ => return None,
        })
    }

    /// A short stable name, as used by `lambda-proxy-check --front-door`.
    pub fn name(self) -> &'static str {
        self.profile().name
    }
}

/// The size limit for a response to a request from `front_door`; [`LAMBDA_RESPONSE_LIMIT`] when
/// the request names none.
pub(crate) fn size_limit(front_door: Option<FrontDoor>) -> usize {
    front_door.map_or(LAMBDA_RESPONSE_LIMIT, FrontDoor::size_limit)
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
        f.write_str(self.profile().title)
    }
}

/// The path within the API that a [`Router`](crate::Router) matches: what the client asked for
/// after the host, the stage and any base-path mapping, percent-encoded as clients send it. The
/// table in the [`router`](crate::router) documentation gives the rule for each front door: for
/// API Gateway, the matched resource or route key with its path parameters filled in (which has
/// neither stage nor base path), else the raw path without the stage; for the others, the raw
/// path.
pub fn path_in_api(request: &Request) -> std::borrow::Cow<'_, str> {
    routed_path(request).unwrap_or_else(|| std::borrow::Cow::Borrowed(raw_path(request)))
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
pub(crate) fn routed_path(request: &Request) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    let raw = || raw_path(request);
    Some(match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(ctx)) => {
            match ctx
                .resource_path
                .as_deref()
                .and_then(|template| fill(template, request))
            {
                Some(path) => path,
                None => Cow::Borrowed(raw()),
            }
        }
        Some(RequestContext::ApiGatewayV2(ctx)) => {
            let template = ctx.route_key.as_deref().and_then(|key| key.split_once(' '));
            if let Some(path) = template.and_then(|(_, template)| fill(template, request)) {
                return Some(path);
            }
            let raw = raw();
            match ctx.stage.as_deref() {
                Some(stage) if stage != "$default" => {
                    match raw.strip_prefix('/').and_then(|p| p.strip_prefix(stage)) {
                        Some("") => Cow::Borrowed("/"),
                        Some(rest) if rest.starts_with('/') => Cow::Borrowed(rest),
                        _ => Cow::Borrowed(raw),
                    }
                }
                _ => Cow::Borrowed(raw),
            }
        }
        Some(RequestContext::WebSocket(_)) => return None,
        _ => Cow::Borrowed(raw()),
    })
}

/// Whether a path parameter has a byte that [`fill`] must encode, so that `raw_http_path` cannot
/// be reused for it: outside printable ASCII (UTF-8 and control characters), or one of the
/// characters a segment cannot hold unencoded.
fn needs_encoding(value: &str) -> bool {
    value.bytes().any(|b| {
        !b.is_ascii_graphic()
            || matches!(
                b,
                b'"' | b'#' | b'%' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}'
            )
    })
}

/// An API Gateway template (`/users/{id}`, `/{proxy+}`) with the request's `pathParameters`
/// filled in, percent-encoded (a greedy `{name+}` keeps its `/`); `None` when it is no path
/// template (`$default`) or a parameter is missing.
fn fill<'r>(template: &str, request: &'r Request) -> Option<std::borrow::Cow<'r, str>> {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    /// What a path segment cannot hold unencoded.
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'/');
    const GREEDY: &AsciiSet = &SEGMENT.remove(b'/');
    if !template.starts_with('/') {
        return None;
    }
    let params = request.path_parameters_ref();
    // The usual resource, `/{proxy+}`: the path is `/` and the parameter, which `path` already
    // ends with when it needs no encoding (it then has no stage and no base path to remove).
    if template == "/{proxy+}" {
        let proxy = params?.first("proxy")?;
        let raw = request.raw_http_path();
        if !needs_encoding(proxy) {
            let tail = raw
                .len()
                .checked_sub(proxy.len() + 1)
                .and_then(|start| raw.get(start..));
            if let Some(tail) = tail.filter(|t| t.starts_with('/') && t.ends_with(proxy)) {
                return Some(std::borrow::Cow::Borrowed(tail));
            }
        }
    }
    let mut path = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        path.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        let (name, set) = match name.strip_suffix('+') {
            Some(name) => (name, GREEDY),
            None => (name, SEGMENT),
        };
        let value = params?.first(name)?;
        path.extend(utf8_percent_encode(value, set));
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    Some(std::borrow::Cow::Owned(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_index_the_table() {
        for door in FrontDoor::ALL {
            assert_eq!(door.name().parse::<FrontDoor>(), Ok(door));
            assert_eq!(PROFILES[door as usize].name, door.name());
        }
        assert!("nope".parse::<FrontDoor>().is_err());
    }

    #[test]
    fn an_override_is_read_for_its_own_front_door_only() {
        // WebSocket is the last slot: a lookup that fell back to the first would read REST's.
        let ws = FrontDoor::WebSocket;
        ws.set_integration_timeout(Some(Duration::from_millis(1_234)));
        assert_eq!(ws.integration_timeout(), Some(Duration::from_millis(1_234)));
        assert_eq!(
            FrontDoor::RestApi.integration_timeout(),
            Some(Duration::from_secs(29))
        );
        ws.set_integration_timeout(None);
        assert_eq!(ws.integration_timeout(), None);
        ws.set_integration_timeout(Some(Duration::MAX));
        assert!(ws.integration_timeout().is_some());
        ws.set_integration_timeout(Some(Duration::from_secs(29)));
    }
}
