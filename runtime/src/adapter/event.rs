//! Reading the event: a `Deserialize` that keeps the error, and the light second read of the
//! event's bytes that tells the front door when `lambda_http` could not read it.

use crate::front_door::FrontDoor;
use http::HeaderValue;
use lambda_http::request::LambdaRequest;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use std::cell::RefCell;
use std::task::{Context, Poll};

/// An invocation's event: the request `lambda_http` read from it, or why it could not. A struct
/// with an `Option` rather than an enum, so that the request (1.5 KB) is moved out of it once, by
/// [`to_request`](super::convert::to_request), not copied through the match of an enum.
pub(crate) struct Event {
    /// The HTTP event of a front door `lambda_http` knows; `None` when it could not be read.
    pub(crate) request: Option<LambdaRequest>,
    /// Why `lambda_http` could not read it (its message, for the log).
    pub(crate) error: Option<String>,
}

impl<'de> Deserialize<'de> for Event {
    /// Never fails: a failure is kept, so that the invocation still gets an answer (the Lambda
    /// runtime would post it to `/error`, and the client would get the front door's 502). The
    /// happy path reads the event once, as `lambda_http` does.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match LambdaRequest::deserialize(deserializer) {
            Ok(request) => Event {
                request: Some(request),
                error: None,
            },
            Err(error) => Event {
                request: None,
                error: Some(error.to_string()),
            },
        })
    }
}

thread_local! {
    /// The bytes of the event being deserialized on this thread, kept by [`KeepRawEvent`] for the
    /// one case that needs them: an event `lambda_http` could not read.
    static RAW_EVENT: RefCell<Option<bytes::Bytes>> = const { RefCell::new(None) };
}

/// Keeps `raw` as the bytes of the event being read on this thread, for
/// [`raw_event`], until the guard is dropped. The Lambda runtime deserializes the event
/// and calls the handler's service synchronously inside the outer service's `call`, on this
/// thread, so a thread-local is enough, also when several invocations run at once.
pub(crate) fn keep_raw_event(raw: bytes::Bytes) -> RawEventGuard {
    RAW_EVENT.with_borrow_mut(|slot| *slot = Some(raw));
    RawEventGuard(())
}

/// Forgets the kept event bytes when dropped (a guard, not a closure: the event and the future
/// the runtime gets back are hundreds of bytes, and each move through a closure copies them).
pub(crate) struct RawEventGuard(());

impl Drop for RawEventGuard {
    fn drop(&mut self) {
        RAW_EVENT.with_borrow_mut(|slot| *slot = None);
    }
}

/// What the kept bytes of the event being read on this thread tell (`None` when they are not
/// kept, or tell no front door).
pub(crate) fn raw_event() -> Option<Probed> {
    RAW_EVENT.with_borrow(|raw| raw.as_deref().and_then(probe))
}

/// The tower layer that keeps each invocation's event bytes for [`raw_event`]: on the
/// happy path it costs a reference count and two thread-local writes.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct KeepRawEvent;

impl<S> lambda_http::tower::Layer<S> for KeepRawEvent {
    type Service = KeepRawEventService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        KeepRawEventService { inner }
    }
}

/// See [`KeepRawEvent`].
#[derive(Clone, Debug)]
pub(crate) struct KeepRawEventService<S> {
    inner: S,
}

impl<S> lambda_http::Service<lambda_http::lambda_runtime::LambdaInvocation>
    for KeepRawEventService<S>
where
    S: lambda_http::Service<lambda_http::lambda_runtime::LambdaInvocation>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, invocation: lambda_http::lambda_runtime::LambdaInvocation) -> S::Future {
        let _kept = keep_raw_event(invocation.body.clone());
        self.inner.call(invocation)
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
