//! Reading the event: from the bytes `lambda_runtime` hands over to the request of the app, or
//! to why there is none; and the light read of the bytes that tells the front door of an event
//! that cannot be read.

use super::convert::{to_request, Unreadable};
use crate::front_door::FrontDoor;
use http::HeaderValue;
use lambda_http::request::LambdaRequest;
use lambda_http::Request;
use serde::de::IgnoredAny;
use serde::Deserialize;

/// An invocation's event, read: the request of the app, or why there is none. Read from the
/// event's bytes ([`read_bytes`]), so that the bytes are at hand for the light read of an event
/// that cannot be read, and what moves on is the request (a few hundred bytes), not the event
/// types `lambda_http` reads (1.5 KB).
#[allow(clippy::large_enum_variant)] // the request is the common case; the other is boxed
pub(crate) enum Event {
    /// The request, and the front door that sent it.
    Read {
        request: Request,
        front_door: Option<FrontDoor>,
    },
    /// An event that is not an HTTP request of a front door, or that cannot be read as one.
    Unread(Box<Unread>),
}

/// Why an event could not be read, and what the light read of its bytes found.
pub(crate) struct Unread {
    pub(crate) front_door: Option<FrontDoor>,
    pub(crate) why: Unreadable,
    /// The reader's message, for the log.
    pub(crate) error: Option<String>,
    /// The `Origin` and whether the request is a `HEAD`, when the light read found them.
    pub(crate) probed: Option<Probed>,
}

impl Event {
    fn unread(
        front_door: Option<FrontDoor>,
        why: Unreadable,
        error: Option<String>,
        probed: Option<Probed>,
    ) -> Event {
        Event::Unread(Box::new(Unread {
            front_door,
            why,
            error,
            probed,
        }))
    }
}

/// Reads the event's bytes as the Lambda Runtime API hands them over. Never fails: a failure is
/// kept, so that the invocation still gets an answer (`lambda_runtime` would post it to
/// `/error`, and the client would get the front door's 502).
pub(crate) fn read_bytes(bytes: &[u8]) -> Event {
    match std::str::from_utf8(bytes) {
        Ok(event) => read(event),
        Err(_) => Event::unread(None, Unreadable::NOT_HTTP, None, None),
    }
}

/// Reads an event as `lambda_http` does: an event of a front door lambda-proxy's reader does not
/// read, or one it leaves.
#[inline(never)]
fn lambda_http_read(event: &str) -> Result<LambdaRequest, serde_json::Error> {
    tracing::trace!("the event is read by lambda_http's reader");
    LambdaRequest::deserialize(&mut serde_json::Deserializer::from_str(event))
}

/// An event `lambda_http` could not read: its front door, `Origin` and method from the light read.
#[cold]
fn lambda_http_failed(bytes: &[u8], error: serde_json::Error) -> Event {
    let probed = probe(bytes);
    let (front_door, why) = match &probed {
        Some(probed) => (Some(probed.front_door), Unreadable::EVENT),
        None => (None, Unreadable::NOT_HTTP),
    };
    Event::unread(front_door, why, Some(error.to_string()), probed)
}

/// Reads an event into the request of the app: an API Gateway event by lambda-proxy's own reader
/// ([`super::read`]), which makes the request `lambda_http` would; any other, or one that reader
/// leaves, as `lambda_http` reads and converts it, the conversion under the panic guard
/// ([`to_request`]).
pub(crate) fn read(event: &str) -> Event {
    use super::read::Read;
    let bytes = event.as_bytes();
    let event = match super::read::api_gateway(event) {
        Read::Request(request, front_door) => {
            return Event::Read {
                request,
                front_door: Some(front_door),
            }
        }
        Read::Unreadable(front_door, why) => {
            return Event::unread(Some(front_door), why, None, probe(bytes));
        }
        Read::Leave => match lambda_http_read(event) {
            Ok(event) => event,
            Err(error) => return lambda_http_failed(bytes, error),
        },
    };
    let front_door = crate::front_door::of_event(&event);
    let mut slot = Some(event);
    match to_request(&mut slot) {
        Ok(request) => Event::Read {
            request,
            front_door,
        },
        Err(why) => Event::unread(front_door, why, None, probe(bytes)),
    }
}

/// What the light read of an event's bytes finds.
#[derive(Debug, PartialEq)]
pub(crate) struct Probed {
    pub(crate) front_door: FrontDoor,
    /// The request's `Origin`, for the CORS headers of the answer, when it is a valid value.
    pub(crate) origin: Option<HeaderValue>,
    /// Whether the request is a `HEAD`, whose answer has no body.
    pub(crate) head: bool,
}

/// The members of an event that tell its front door and its `Origin`, and nothing else: every
/// other member is skipped without being built.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "requestContext")]
    request_context: Option<ProbeContext>,
    #[serde(rename = "httpMethod")]
    http_method: Option<serde_json::Value>,
    /// VPC Lattice's.
    method: Option<serde_json::Value>,
    headers: Option<serde_json::Value>,
    #[serde(rename = "multiValueHeaders")]
    multi_value_headers: Option<serde_json::Value>,
    #[serde(rename = "multiValueQueryStringParameters")]
    multi_value_query_string_parameters: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ProbeContext {
    elb: Option<IgnoredAny>,
    #[serde(rename = "serviceNetworkArn")]
    service_network_arn: Option<IgnoredAny>,
    #[serde(rename = "connectionId")]
    connection_id: Option<IgnoredAny>,
    http: Option<ProbeHttp>,
    stage: Option<serde_json::Value>,
    #[serde(rename = "domainName")]
    domain_name: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ProbeHttp {
    method: Option<serde_json::Value>,
}

/// The front door and the `Origin` of an event, from its bytes: a light read that works on
/// events `lambda_http` rejects (an invalid header value, say). `None` when the bytes are not a
/// JSON object or the members tell no front door.
pub(crate) fn probe(event: &[u8]) -> Option<Probed> {
    let probe: Probe = serde_json::from_slice(event).ok()?;
    let ctx = probe.request_context?;
    let text = |value: &Option<serde_json::Value>| {
        value
            .as_ref()
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let non_empty = |map: &Option<serde_json::Value>| {
        map.as_ref()
            .and_then(serde_json::Value::as_object)
            .is_some_and(|map| !map.is_empty())
    };
    let front_door = if ctx.elb.is_some() {
        // As `front_door::of_event` tells it from the event `lambda_http` read.
        FrontDoor::of_alb(
            non_empty(&probe.multi_value_headers)
                || non_empty(&probe.multi_value_query_string_parameters),
        )
    } else if ctx.service_network_arn.is_some() {
        FrontDoor::VpcLattice
    } else if ctx.connection_id.is_some() {
        FrontDoor::WebSocket
    } else if ctx.http.is_some() {
        FrontDoor::of_payload_v2(text(&ctx.domain_name).as_deref())
    } else if probe.http_method.is_some() {
        FrontDoor::of_payload_v1(text(&ctx.stage).as_deref())
    } else {
        return None;
    };
    // `Origin` in any case, in either map: a single value, or the first of a list.
    fn map(
        headers: &Option<serde_json::Value>,
    ) -> impl Iterator<Item = (&String, &serde_json::Value)> {
        headers
            .as_ref()
            .and_then(serde_json::Value::as_object)
            .into_iter()
            .flatten()
    }
    let single = map(&probe.headers);
    let multi = map(&probe.multi_value_headers);
    let origin = single
        .chain(multi)
        .filter(|(name, _)| name.eq_ignore_ascii_case("origin"))
        .find_map(|(_, value)| match value {
            serde_json::Value::String(origin) => Some(origin.as_str()),
            serde_json::Value::Array(list) => list.first().and_then(serde_json::Value::as_str),
            _ => None,
        })
        .and_then(|origin| HeaderValue::from_str(origin).ok());
    let method = ctx
        .http
        .and_then(|http| http.method)
        .or(probe.http_method)
        .or(probe.method);
    let head = method
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .is_some_and(|m| m.eq_ignore_ascii_case("HEAD"));
    Some(Probed {
        front_door,
        origin,
        head,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_read_or_kept_unread() {
        let rest = r#"{"resource": "/{proxy+}", "path": "/a b", "httpMethod": "POST", "headers": {"Host": "x.example", "X-A": "1"}, "multiValueHeaders": {"Host": ["x.example"], "X-A": ["1"]}, "queryStringParameters": {"q": "1"}, "multiValueQueryStringParameters": {"q": ["1", "2"]}, "pathParameters": {"proxy": "a b"}, "requestContext": {"httpMethod": "POST", "stage": "prod", "resourcePath": "/{proxy+}"}, "body": "hi", "isBase64Encoded": false}"#;
        let alb = r#"{"requestContext": {"elb": {"targetGroupArn": "arn"}}, "httpMethod": "GET", "path": "/", "headers": {"host": "x"}, "body": "", "isBase64Encoded": false}"#;
        let seen = |event: Event| match event {
            Event::Read {
                request,
                front_door,
            } => format!("{front_door:?} {} {}", request.method(), request.uri()),
            Event::Unread(unread) => {
                format!("unread {:?} {}", unread.front_door, unread.why.reason)
            }
        };
        assert_eq!(
            seen(read_bytes(rest.as_bytes())),
            "Some(RestApi) POST https://x.example/prod/a%20b?q=1&q=2"
        );
        assert_eq!(seen(read_bytes(alb.as_bytes())), "Some(Alb) GET https://x/");
        for not_http in [&b"{}"[..], b"not json", b"\xff\xfe{}"] {
            assert!(
                seen(read_bytes(not_http)).starts_with("unread None"),
                "{not_http:?}"
            );
        }
    }

    #[test]
    fn the_probe_finds_the_front_door_and_the_origin_of_unreadable_events() {
        let rest = br#"{"httpMethod": "GET", "requestContext": {"stage": "prod"}, "headers": {"ORIGIN": "https://a.example", "x-bad": "a\u0001b"}}"#;
        let probed = probe(rest).unwrap();
        assert_eq!(probed.front_door, FrontDoor::RestApi);
        assert_eq!(probed.origin.unwrap(), "https://a.example");
        let alb = br#"{"httpMethod": "GET", "requestContext": {"elb": {}}, "multiValueHeaders": {"Origin": ["https://b.example"]}}"#;
        let probed = probe(alb).unwrap();
        assert_eq!(probed.front_door, FrontDoor::AlbMultiValue);
        assert_eq!(probed.origin.unwrap(), "https://b.example");
        let alb = br#"{"httpMethod": "GET", "requestContext": {"elb": {}}, "headers": {"origin": "https://c.example"}}"#;
        assert_eq!(probe(alb).unwrap().front_door, FrontDoor::Alb);
        // The rule `front_door::of_event` applies: a non-empty multi-value map.
        let alb = br#"{"httpMethod": "GET", "requestContext": {"elb": {}}, "multiValueHeaders": {}, "multiValueQueryStringParameters": {"a": ["1"]}}"#;
        assert_eq!(probe(alb).unwrap().front_door, FrontDoor::AlbMultiValue);
        let alb =
            br#"{"httpMethod": "GET", "requestContext": {"elb": {}}, "multiValueHeaders": {}}"#;
        assert_eq!(probe(alb).unwrap().front_door, FrontDoor::Alb);
        let http = br#"{"requestContext": {"http": {}, "domainName": "x.lambda-url.us-east-1.on.aws"}, "headers": {"origin": 7}, "multiValueHeaders": "x"}"#;
        let probed = probe(http).unwrap();
        assert_eq!(probed.front_door, FrontDoor::FunctionUrl);
        assert_eq!(probed.origin, None);
        let head = br#"{"requestContext": {"http": {"method": "HEAD"}}}"#;
        assert!(probe(head).unwrap().head);
        let lattice = br#"{"method": "HEAD", "requestContext": {"serviceNetworkArn": "arn"}}"#;
        assert!(probe(lattice).unwrap().head);
        assert!(!probe(rest).unwrap().head);
        assert_eq!(probe(b"{}"), None);
        assert_eq!(probe(b"not json"), None);
    }
}
