//! Which AWS service sent the event, and everything lambda-proxy knows about it: one table,
//! [`Profile`], read by the runtime's envelope writer and guards, the checker and the testing kit.
//!
//! "How is an ALB envelope shaped?" is answered here and nowhere else: see [`FrontDoor::profile`].
//!
//! Sources, for every row: the AWS documentation (the envelope members, the limits, the
//! integration timeouts, ALB's multi-value mode), behaviour recorded against AWS (REST APIs'
//! rejection of other members, their reading of a numeric string status, of `"headers": null`
//! and of boolean header values), and the SAM CLI emulator where nothing better exists (HTTP API
//! 1.0's requirement of `statusCode`, its ignoring of other members). Each field says which.

use std::fmt;
use std::time::Duration;

/// The AWS service ("front door") that invoked the function over HTTP.
///
/// Each front door accepts a slightly different response envelope (which header maps exist,
/// where cookies go, how large the answer may be). lambda-proxy shapes every response for the
/// front door the event came from; [`FrontDoor::profile`] lists what differs. `lambda_http` calls
/// this `RequestOrigin`.
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
    /// An Application Load Balancer target group in its default, single-value header mode.
    Alb,
    /// An Application Load Balancer target group with `lambda.multi_value_headers.enabled`.
    AlbMultiValue,
    /// VPC Lattice (event format v2).
    VpcLattice,
    /// API Gateway WebSocket API.
    WebSocket,
}

/// How a front door reads the headers of a response envelope.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnvelopeFormat {
    /// `multiValueHeaders` carries every value of every header, `Set-Cookie` included; `headers`
    /// is left out, because a header in both maps can reach the client twice. Payload format 1.0
    /// (REST API, HTTP API 1.0, WebSocket API) and ALB in multi-value mode.
    MultiValue,
    /// Payload format 2.0 (HTTP API 2.0, function URLs): a single-value `headers` map, so
    /// repeated values are comma-joined; every `Set-Cookie` value goes into the `cookies` array.
    SingleValueWithCookies,
    /// A single-value `headers` map only (VPC Lattice, ALB in single-value mode): repeated values
    /// are comma-joined, and only the first `Set-Cookie` can be sent.
    SingleValue,
}

impl EnvelopeFormat {
    /// Whether the envelope's one header map is the single-value `headers`, where repeated
    /// values must be comma-joined.
    #[inline]
    pub const fn single_value_headers(self) -> bool {
        !matches!(self, EnvelopeFormat::MultiValue)
    }

    /// The member that carries the headers: `multiValueHeaders` or `headers`.
    #[inline]
    pub const fn header_member(self) -> &'static str {
        match self {
            EnvelopeFormat::MultiValue => "multiValueHeaders",
            _ => "headers",
        }
    }

    /// How the envelope carries several `Set-Cookie` headers.
    #[inline]
    pub const fn cookies(self) -> CookieRule {
        match self {
            EnvelopeFormat::MultiValue => CookieRule::MultiValueHeaders,
            EnvelopeFormat::SingleValueWithCookies => CookieRule::CookiesArray,
            EnvelopeFormat::SingleValue => CookieRule::FirstOnly,
        }
    }
}

/// Where `Set-Cookie` values go. Cookies are never comma-joined: their values contain commas.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CookieRule {
    /// Every cookie in `multiValueHeaders`.
    MultiValueHeaders,
    /// Every cookie in the `cookies` array (payload format 2.0).
    CookiesArray,
    /// Only the first cookie can be sent; lambda-proxy keeps it and logs a warning.
    FirstOnly,
}

/// What a front door does with an envelope without `statusCode`.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MissingStatus {
    /// Payload format 2.0: an object without `statusCode` is not read as an envelope; the whole
    /// value becomes a 200 JSON body (DOC).
    InferredBody,
    /// The envelope is answered 200 (REST API: recorded against AWS).
    Defaults200,
    /// The envelope is rejected (ALB: DOC).
    Rejected,
    /// Probably rejected, not confirmed against AWS (the SAM emulator rejects it for HTTP API
    /// 1.0; VPC Lattice's documentation does not say).
    Unconfirmed,
}

/// What lambda-proxy knows about one front door. Read it with [`FrontDoor::profile`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    /// A short stable name, as used by `lambda-proxy check --front-door`.
    pub name: &'static str,
    /// The name of the service, for people.
    pub title: &'static str,
    /// How the envelope carries headers and cookies.
    pub format: EnvelopeFormat,
    /// Whether the envelope carries `statusDescription` (`"200 OK"`): ALB's (DOC).
    pub status_description: bool,
    /// The members an envelope may have.
    pub allowed_keys: &'static [&'static str],
    /// Whether any other member makes the front door reject the envelope (REST and WebSocket
    /// APIs: 502, recorded against AWS); elsewhere other members are ignored.
    pub rejects_other_keys: bool,
    /// What another member does where it is not rejected, in the checker's words.
    pub other_keys: &'static str,
    /// The largest envelope delivered, in bytes: 6 MiB for every synchronous Lambda response,
    /// 1 MB for ALB, 128 KB for WebSocket messages (DOC).
    pub size_limit: usize,
    /// What the client gets for an envelope over [`size_limit`](Profile::size_limit), in the
    /// checker's words, where it is not the Lambda Runtime API's refusal (413) followed by
    /// [`rejection`](Profile::rejection).
    pub too_large: Option<&'static str>,
    /// How long the front door waits for the function by default before it answers on its own,
    /// in milliseconds; `None` when only the Lambda deadline applies (DOC).
    pub integration_timeout_ms: Option<u64>,
    /// What an envelope without `statusCode` becomes.
    pub missing_status: MissingStatus,
    /// Whether a numeric string `statusCode` (`"201"`) is read as the number (REST API: recorded
    /// against AWS); elsewhere unconfirmed.
    pub numeric_string_status: bool,
    /// Whether `isBase64Encoded` must be present (ALB: DOC).
    pub requires_base64_flag: bool,
    /// Whether the format's header map ([`EnvelopeFormat::header_member`]) must be present (ALB:
    /// DOC).
    pub requires_header_map: bool,
    /// Whether a base64 body is decoded only for the API's `binaryMediaTypes` (REST API: DOC).
    pub binary_media_types: bool,
    /// Whether `"headers": null` is accepted (REST API: recorded against AWS); elsewhere
    /// unconfirmed.
    pub null_headers: bool,
    /// Whether a boolean header value is sent as the text `true` or `false` (REST API: recorded
    /// against AWS); elsewhere unconfirmed.
    pub boolean_header_values: bool,
    /// What the client gets when the function fails instead of answering (an unhandled error, a
    /// panic, a timeout), in the checker's words.
    pub function_failure: &'static str,
    /// What the client gets when the front door rejects the envelope, in the checker's words.
    pub rejection: &'static str,
    /// The answer the front door gives in place of the function's when the function fails, its
    /// envelope is rejected or too large (the answers of [`function_failure`] and
    /// [`rejection`]); `None` where it is not documented (VPC Lattice, WebSocket).
    ///
    /// [`function_failure`]: Profile::function_failure
    /// [`rejection`]: Profile::rejection
    pub failed: Option<OwnAnswer>,
    /// The answer the front door gives when its integration timeout
    /// ([`integration_timeout_ms`](Profile::integration_timeout_ms)) passes first.
    pub timed_out: Option<OwnAnswer>,
    /// Whether the event's path (REST API `path` and `requestContext.path`, payload 2.0
    /// `rawPath`, ALB and VPC Lattice `path`) keeps the client's percent-encoding (`/a%2Fb`), or
    /// arrives decoded (`/a/b`, `%20` a space), which cannot be undone. Recorded events: REST
    /// APIs keep it (a live capture of `/{proxy+}` with `%20`; aws-sam-cli#3524, `%2F` kept in
    /// production), function URLs keep it in `rawPath`; HTTP APIs decode it
    /// (aws-lambda-fastify#169, `/a%2Fb` arrives as `rawPath` `/a/b`). ALB passes the path as sent
    /// (the ELB guide: the load balancer does not decode).
    pub path_encoded: bool,
    /// Whether the event's `pathParameters` keep the client's percent-encoding (REST APIs:
    /// aws-sam-cli#3524, serverless-offline#265) or arrive decoded (HTTP APIs: Powertools#1098).
    /// Front doors without path parameters say `false`.
    pub path_parameters_encoded: bool,
    /// How the front door streams an answer when it is configured to (a function URL with
    /// `InvokeMode: RESPONSE_STREAM`, a REST API integration with `responseTransferMode:
    /// STREAM`); `None` for the front doors that never stream (DOC).
    pub streaming: Option<Streaming>,
    /// Whether what the front door does with a malformed envelope is documented or recorded
    /// against AWS (everywhere but VPC Lattice, whose documentation says little): the checker's
    /// findings are errors where it is, warnings where it is not.
    pub confirmed: bool,
}

/// An answer a front door gives on its own, in place of the function's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnAnswer {
    /// The status.
    pub status: u16,
    /// The `content-type` of the body.
    pub content_type: &'static str,
    /// The body.
    pub body: &'static str,
}

/// API Gateway's answer to a failed function or a rejected envelope (REST API: DOC).
const APIGW_FAILED: OwnAnswer = OwnAnswer {
    status: 502,
    content_type: "application/json",
    body: r#"{"message": "Internal server error"}"#,
};
/// A REST API's answer when its integration timeout passes (DOC).
const APIGW_TIMED_OUT: OwnAnswer = OwnAnswer {
    status: 504,
    content_type: "application/json",
    body: r#"{"message": "Endpoint request timed out"}"#,
};
/// An HTTP API's (and a function URL's) answer to a failed function or a rejected envelope
/// (DOC).
const HTTP_API_FAILED: OwnAnswer = OwnAnswer {
    status: 500,
    content_type: "application/json",
    body: r#"{"message":"Internal Server Error"}"#,
};
/// An HTTP API's answer when its 30 s integration timeout passes (reported by API users; not in
/// AWS's documentation).
const HTTP_API_TIMED_OUT: OwnAnswer = OwnAnswer {
    status: 503,
    content_type: "application/json",
    body: r#"{"message":"Service Unavailable"}"#,
};
/// A load balancer's answer to a failed function or a rejected or too large envelope (DOC), with
/// its error page.
const ALB_FAILED: OwnAnswer = OwnAnswer {
    status: 502,
    content_type: "text/html",
    body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
};

/// How a front door streams an answer (DOC: "Lambda response streaming", and API Gateway's
/// "response transfer mode").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Streaming {
    /// The most a streamed answer may carry, in bytes, its prelude included; `None` where no
    /// limit is documented. Function URLs: 200 MiB.
    pub size_limit: Option<u64>,
    /// How long the front door waits for a streamed answer to end, in milliseconds, in place of
    /// [`Profile::integration_timeout_ms`]; `None` when only the Lambda deadline applies.
    /// REST APIs: 15 minutes.
    pub timeout_ms: Option<u64>,
}

/// The most a streamed answer's prelude (its status, headers and cookies, as JSON) may take: API
/// Gateway reads it from the first 16 KiB of the stream (DOC).
pub const PRELUDE_LIMIT: usize = 16 * 1024;

/// Between a streamed answer's prelude and its body: eight NUL bytes (DOC).
pub const PRELUDE_DELIMITER: [u8; 8] = [0; 8];

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
    "body",
    "isBase64Encoded",
];
const ALB_MULTI_KEYS: &[&str] = &[
    "statusCode",
    "statusDescription",
    "multiValueHeaders",
    "body",
    "isBase64Encoded",
];
const LATTICE_KEYS: &[&str] = &["statusCode", "headers", "body", "isBase64Encoded"];

const APIGW_502: &str = "the client gets 502 {\"message\": \"Internal server error\"}";
const APIGW_502_MALFORMED: &str = "the client gets 502 {\"message\": \"Internal server error\"}; the execution log says \"Malformed Lambda proxy response\"";
const HTTP_API_500: &str = "the client gets 500 {\"message\":\"Internal Server Error\"}";
const ALB_502: &str = "the client gets 502 Bad Gateway";
const IGNORED: &str = "probably ignored; not documented";

/// The row of a front door whose envelope is the REST API's (payload format 1.0).
const V1: Profile = Profile {
    name: "rest",
    title: "API Gateway REST API",
    format: EnvelopeFormat::MultiValue,
    status_description: false,
    allowed_keys: V1_KEYS,
    rejects_other_keys: true,
    other_keys: APIGW_502_MALFORMED,
    size_limit: LAMBDA_RESPONSE_LIMIT,
    too_large: None,
    integration_timeout_ms: Some(29_000),
    missing_status: MissingStatus::Defaults200,
    numeric_string_status: true,
    requires_base64_flag: false,
    requires_header_map: false,
    binary_media_types: true,
    null_headers: true,
    boolean_header_values: true,
    function_failure: APIGW_502,
    rejection: APIGW_502_MALFORMED,
    failed: Some(APIGW_FAILED),
    timed_out: Some(APIGW_TIMED_OUT),
    path_encoded: true,
    path_parameters_encoded: true,
    streaming: Some(Streaming {
        size_limit: None,
        timeout_ms: Some(15 * 60 * 1000),
    }),
    confirmed: true,
};

/// HTTP API payload 2.0 and function URLs.
const V2: Profile = Profile {
    name: "http2",
    title: "API Gateway HTTP API (payload 2.0)",
    format: EnvelopeFormat::SingleValueWithCookies,
    status_description: false,
    allowed_keys: V2_KEYS,
    rejects_other_keys: false,
    other_keys: IGNORED,
    size_limit: LAMBDA_RESPONSE_LIMIT,
    too_large: None,
    integration_timeout_ms: Some(30_000),
    missing_status: MissingStatus::InferredBody,
    numeric_string_status: false,
    requires_base64_flag: false,
    requires_header_map: false,
    binary_media_types: false,
    null_headers: false,
    boolean_header_values: false,
    function_failure: HTTP_API_500,
    rejection: HTTP_API_500,
    failed: Some(HTTP_API_FAILED),
    timed_out: Some(HTTP_API_TIMED_OUT),
    path_encoded: false,
    path_parameters_encoded: false,
    streaming: None,
    confirmed: true,
};

/// ALB in single-value mode.
const ALB: Profile = Profile {
    name: "alb",
    title: "Application Load Balancer",
    format: EnvelopeFormat::SingleValue,
    status_description: true,
    allowed_keys: ALB_KEYS,
    rejects_other_keys: false,
    other_keys: IGNORED,
    size_limit: 1_000_000,
    too_large: Some("the load balancer answers 502"),
    integration_timeout_ms: None,
    missing_status: MissingStatus::Rejected,
    numeric_string_status: false,
    requires_base64_flag: true,
    requires_header_map: true,
    binary_media_types: false,
    null_headers: false,
    boolean_header_values: false,
    function_failure: ALB_502,
    rejection: ALB_502,
    failed: Some(ALB_FAILED),
    timed_out: None,
    path_encoded: true,
    path_parameters_encoded: false,
    streaming: None,
    confirmed: true,
};

/// The table, indexed by the variant (`FrontDoor as usize`); `FrontDoor::ALL` lists the variants
/// in the same order, which a compile-time assertion below checks.
static PROFILES: [Profile; FrontDoor::ALL.len()] = [
    V1,
    // An HTTP API, answered in the 1.0 envelope.
    Profile {
        name: "http1",
        title: "API Gateway HTTP API (payload 1.0)",
        format: EnvelopeFormat::MultiValue,
        allowed_keys: V1_KEYS,
        other_keys: "probably ignored (observed with SAM)",
        missing_status: MissingStatus::Unconfirmed,
        streaming: None,
        ..V2
    },
    V2,
    Profile {
        name: "url",
        title: "Lambda function URL",
        integration_timeout_ms: None,
        timed_out: None,
        path_encoded: true,
        streaming: Some(Streaming {
            size_limit: Some(200 * 1024 * 1024),
            timeout_ms: None,
        }),
        ..V2
    },
    ALB,
    Profile {
        name: "alb-multi",
        title: "Application Load Balancer (multi-value headers)",
        format: EnvelopeFormat::MultiValue,
        allowed_keys: ALB_MULTI_KEYS,
        ..ALB
    },
    Profile {
        name: "lattice",
        title: "VPC Lattice",
        format: EnvelopeFormat::SingleValue,
        status_description: false,
        allowed_keys: LATTICE_KEYS,
        rejects_other_keys: false,
        other_keys: IGNORED,
        size_limit: LAMBDA_RESPONSE_LIMIT,
        too_large: None,
        integration_timeout_ms: None,
        missing_status: MissingStatus::Unconfirmed,
        numeric_string_status: false,
        requires_base64_flag: false,
        requires_header_map: false,
        binary_media_types: false,
        null_headers: false,
        boolean_header_values: false,
        function_failure: "the client gets an error instead of a response",
        rejection: "the client gets an error instead of the response",
        failed: None,
        timed_out: None,
        path_encoded: true,
        path_parameters_encoded: false,
        streaming: None,
        confirmed: false,
    },
    Profile {
        name: "ws",
        title: "API Gateway WebSocket API",
        size_limit: 128_000,
        too_large: Some("the message cannot be sent to the client"),
        failed: None,
        timed_out: None,
        streaming: None,
        ..V1
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

impl FrontDoor {
    /// Every front door, in a fixed order.
    pub const ALL: [FrontDoor; 8] = [
        FrontDoor::RestApi,
        FrontDoor::HttpApiV1,
        FrontDoor::HttpApiV2,
        FrontDoor::FunctionUrl,
        FrontDoor::Alb,
        FrontDoor::AlbMultiValue,
        FrontDoor::VpcLattice,
        FrontDoor::WebSocket,
    ];

    /// What lambda-proxy knows about this front door.
    ///
    /// ```
    /// use lambda_proxy_core::front_door::{CookieRule, EnvelopeFormat};
    /// use lambda_proxy_core::FrontDoor;
    ///
    /// let alb = FrontDoor::AlbMultiValue.profile();
    /// assert_eq!(alb.format, EnvelopeFormat::MultiValue);
    /// assert_eq!(alb.format.cookies(), CookieRule::MultiValueHeaders);
    /// assert_eq!(alb.size_limit, 1_000_000);
    /// ```
    #[inline]
    pub fn profile(self) -> &'static Profile {
        &PROFILES[self as usize]
    }

    /// How the envelope carries headers and cookies.
    #[inline]
    pub fn format(self) -> EnvelopeFormat {
        self.profile().format
    }

    /// The largest envelope this front door delivers, in bytes, JSON escaping and base64 growth
    /// included: 6 MiB (6,291,456) for every synchronous Lambda response, 1 MB (1,000,000) for
    /// ALB, 128 KB (128,000) for WebSocket messages.
    #[inline]
    pub fn size_limit(self) -> usize {
        self.profile().size_limit
    }

    /// How long this front door waits for the function by default before it answers on its own
    /// (504 or 502): REST API 29 s, HTTP API 30 s, WebSocket API 29 s; function URLs, ALB and
    /// VPC Lattice have none (the Lambda deadline is the only limit). A REST API whose timeout
    /// was raised says so to lambda-proxy's exit (`Exit::integration_timeout`).
    #[inline]
    pub fn integration_timeout(self) -> Option<Duration> {
        self.profile()
            .integration_timeout_ms
            .map(Duration::from_millis)
    }

    /// How this front door streams an answer when configured to: function URLs (200 MiB) and
    /// REST APIs (15 minutes); `None` for the others, which never stream.
    #[inline]
    pub fn streaming(self) -> Option<Streaming> {
        self.profile().streaming
    }

    /// A short stable name, as used by `lambda-proxy check --front-door`.
    #[inline]
    pub fn name(self) -> &'static str {
        self.profile().name
    }

    /// The front door of a payload 1.0 event: an HTTP API's has the `$default` stage, a REST
    /// API's another (REST APIs and HTTP APIs with payload 1.0 send the same event shape).
    #[inline]
    pub fn of_payload_v1(stage: Option<&str>) -> FrontDoor {
        if stage == Some("$default") {
            FrontDoor::HttpApiV1
        } else {
            FrontDoor::RestApi
        }
    }

    /// The front door of a payload 2.0 event: a function URL's domain name has `.lambda-url.` in
    /// it.
    #[inline]
    pub fn of_payload_v2(domain_name: Option<&str>) -> FrontDoor {
        if domain_name.is_some_and(|d| d.contains(".lambda-url.")) {
            FrontDoor::FunctionUrl
        } else {
            FrontDoor::HttpApiV2
        }
    }

    /// The front door of an ALB event: the target group's multi-value setting shows in the
    /// event, which carries `multiValueHeaders` (and `multiValueQueryStringParameters`) in that
    /// mode and `headers` otherwise, never both (DOC: the ELB user guide, "Enable multi-value
    /// headers"). `multi_value` is whether either multi-value map is non-empty: what can still be
    /// told once `lambda_http` has read the event, which makes an absent map an empty one.
    #[inline]
    pub fn of_alb(multi_value: bool) -> FrontDoor {
        if multi_value {
            FrontDoor::AlbMultiValue
        } else {
            FrontDoor::Alb
        }
    }
}

/// The size limit for a response to a request from `front_door`; [`LAMBDA_RESPONSE_LIMIT`] when
/// the request names none.
#[inline]
pub fn size_limit(front_door: Option<FrontDoor>) -> usize {
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

    /// Parses a [`FrontDoor::name`] (`rest`, `http1`, `http2`, `url`, `alb`, `alb-multi`,
    /// `lattice`, `ws`).
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
    fn every_allowed_member_list_names_the_header_map_of_its_format() {
        for door in FrontDoor::ALL {
            let profile = door.profile();
            assert!(
                profile
                    .allowed_keys
                    .contains(&profile.format.header_member()),
                "{door}"
            );
            assert_eq!(
                profile.allowed_keys.contains(&"statusDescription"),
                profile.status_description,
                "{door}"
            );
            assert_eq!(
                profile.allowed_keys.contains(&"cookies"),
                profile.format.cookies() == CookieRule::CookiesArray,
                "{door}"
            );
        }
    }

    #[test]
    fn events_tell_their_front_door() {
        assert_eq!(
            FrontDoor::of_payload_v1(Some("$default")),
            FrontDoor::HttpApiV1
        );
        assert_eq!(FrontDoor::of_payload_v1(Some("prod")), FrontDoor::RestApi);
        assert_eq!(FrontDoor::of_payload_v1(None), FrontDoor::RestApi);
        let url = Some("abc.lambda-url.us-east-1.on.aws");
        assert_eq!(FrontDoor::of_payload_v2(url), FrontDoor::FunctionUrl);
        assert_eq!(FrontDoor::of_payload_v2(None), FrontDoor::HttpApiV2);
        assert_eq!(FrontDoor::of_alb(true), FrontDoor::AlbMultiValue);
        assert_eq!(FrontDoor::of_alb(false), FrontDoor::Alb);
    }
}
