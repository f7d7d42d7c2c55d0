//! The envelope posted to the Runtime API: the response written as its front door reads it, with
//! `aws_lambda_events`' response types exactly as `lambda_http` fills them (the same bytes), or,
//! for an event whose front door cannot be told, an envelope every front door accepts (but ALB
//! in multi-value mode, whose events always tell it).

use crate::front_door::{EnvelopeFormat, FrontDoor};
use http::header::SET_COOKIE;
use http::HeaderMap;
use lambda_http::aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayV2httpResponse};
use lambda_http::aws_lambda_events::vpc_lattice::VpcLatticeResponse;
use lambda_http::{Body, Response};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A response envelope, serialized by the Lambda runtime.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Envelope {
    /// Payload format 1.0: REST API, HTTP API 1.0, WebSocket API.
    V1(ApiGatewayProxyResponse),
    /// Payload format 2.0: HTTP API 2.0, function URLs.
    V2(ApiGatewayV2httpResponse),
    /// ALB, in the header map of its target group's mode.
    Alb(Alb),
    /// VPC Lattice.
    Lattice(VpcLatticeResponse),
    /// An event whose front door could not be told.
    AnyFrontDoor(AnyFrontDoor),
}

/// An ALB envelope: `statusCode`, `statusDescription`, the one header map the target group reads
/// (`headers` in single-value mode, `multiValueHeaders` in multi-value mode: the load balancer
/// reads only that one), `body` and `isBase64Encoded`. `aws_lambda_events`' response type always
/// writes both maps.
#[derive(Debug)]
pub(crate) struct Alb {
    status: http::StatusCode,
    headers: HeaderMap,
    multi_value: bool,
    body: Option<Body>,
    is_base64_encoded: bool,
}

impl Serialize for Alb {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// Every value of each header, as a list.
        struct Multi<'a>(&'a HeaderMap);
        impl Serialize for Multi<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.keys_len()))?;
                for name in self.0.keys() {
                    let values: Vec<&str> = self
                        .0
                        .get_all(name)
                        .iter()
                        .filter_map(|v| v.to_str().ok())
                        .collect();
                    map.serialize_entry(name.as_str(), &values)?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("statusCode", &self.status.as_u16())?;
        let description = format_args!(
            "{} {}",
            self.status.as_u16(),
            self.status.canonical_reason().unwrap_or_default()
        );
        map.serialize_entry("statusDescription", &description)?;
        if self.multi_value {
            map.serialize_entry("multiValueHeaders", &Multi(&self.headers))?;
        } else {
            map.serialize_entry("headers", &SingleValue(&self.headers))?;
        }
        if let Some(body) = &self.body {
            // `Body` writes binary as base64.
            map.serialize_entry("body", body)?;
        }
        map.serialize_entry("isBase64Encoded", &self.is_base64_encoded)?;
        map.end()
    }
}

/// A single-value `headers` map: repeated values comma-joined (normalization has usually joined
/// them already), and only the first `Set-Cookie`, which cannot be joined.
struct SingleValue<'a>(&'a HeaderMap);

impl Serialize for SingleValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.keys_len()))?;
        for name in self.0.keys() {
            let mut values = self.0.get_all(name).iter().filter_map(|v| v.to_str().ok());
            let first = values.next().unwrap_or("");
            let rest: Vec<&str> = if name == SET_COOKIE {
                Vec::new()
            } else {
                values.collect()
            };
            if rest.is_empty() {
                map.serialize_entry(name.as_str(), first)?;
            } else {
                let mut joined = first.to_owned();
                for value in rest {
                    joined.push_str(", ");
                    joined.push_str(value);
                }
                map.serialize_entry(name.as_str(), &joined)?;
            }
        }
        map.end()
    }
}

/// `statusCode`, a single-value `headers` map, `body` and `isBase64Encoded`: the members every
/// front door reads and none rejects (REST APIs reject any other member; ALB in single-value
/// mode requires these, in multi-value mode `multiValueHeaders` instead).
#[derive(Debug)]
pub(crate) struct AnyFrontDoor {
    status: u16,
    headers: HeaderMap,
    body: Option<Body>,
    is_base64_encoded: bool,
}

impl Serialize for AnyFrontDoor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("statusCode", &self.status)?;
        map.serialize_entry("headers", &SingleValue(&self.headers))?;
        // `Body` writes binary as base64.
        map.serialize_entry("body", self.body.as_ref().unwrap_or(&Body::Empty))?;
        map.serialize_entry("isBase64Encoded", &self.is_base64_encoded)?;
        map.end()
    }
}

/// Makes the body what `lambda_http`'s `IntoResponse` would make it (text or binary, from the
/// headers; see [`body::sent_as_text`](crate::body::sent_as_text)), in place, without its boxed
/// future, its second copy of a text body and its parse of the content type. `false`, with the
/// response unchanged, where only `lambda_http`'s conversion gives the same bytes (text in a
/// charset other than UTF-8, or a binary body sent as text, which it decodes).
pub(crate) fn body_as_sent(response: &mut Response<Body>) -> bool {
    let text = crate::body::sent_as_text(response.headers());
    match response.body() {
        // `lambda_http` decodes text with `encoding_rs`, which also drops a leading byte-order
        // mark: such bodies are left to it.
        Body::Text(body) if text => {
            crate::body::utf8_charset(response.headers()) && !body.starts_with('\u{feff}')
        }
        Body::Binary(_) => !text,
        // Text whatever its content type says (JSON lines): sent as text.
        Body::Text(_) if response.extensions().get::<crate::stream::Text>().is_some() => true,
        Body::Text(_) => {
            if let Body::Text(text) = std::mem::take(response.body_mut()) {
                *response.body_mut() = Body::Binary(text.into_bytes());
            }
            true
        }
        _ => false,
    }
}

/// `response` (its body already text or binary, as `lambda_http` converts it from the headers)
/// as `front_door`'s envelope.
pub(crate) fn envelope(front_door: Option<FrontDoor>, response: Response<Body>) -> Envelope {
    let (parts, body) = response.into_parts();
    let (is_base64_encoded, body) = match body {
        text @ Body::Text(_) => (false, Some(text)),
        binary @ Body::Binary(_) => (true, Some(binary)),
        _ => (false, None),
    };
    let headers = parts.headers;
    let status = parts.status.as_u16();
    let Some(front_door) = front_door else {
        return Envelope::AnyFrontDoor(AnyFrontDoor {
            status,
            headers,
            body,
            is_base64_encoded,
        });
    };
    if front_door.profile().status_description {
        return Envelope::Alb(Alb {
            status: parts.status,
            headers,
            multi_value: front_door.format() == EnvelopeFormat::MultiValue,
            body,
            is_base64_encoded,
        });
    }
    match front_door.format() {
        EnvelopeFormat::MultiValue => {
            let mut envelope = ApiGatewayProxyResponse::default();
            envelope.status_code = i64::from(status);
            // Every header in `multiValueHeaders` only: a header in both maps can reach the
            // client twice.
            envelope.multi_value_headers = headers;
            envelope.body = body;
            envelope.is_base64_encoded = is_base64_encoded;
            Envelope::V1(envelope)
        }
        EnvelopeFormat::SingleValueWithCookies => {
            let mut headers = headers;
            let mut envelope = ApiGatewayV2httpResponse::default();
            envelope.cookies = headers
                .get_all(SET_COOKIE)
                .iter()
                .map(|v| v.to_str().unwrap_or_default().to_owned())
                .collect();
            headers.remove(SET_COOKIE);
            envelope.status_code = i64::from(status);
            envelope.headers = headers;
            envelope.body = body;
            envelope.is_base64_encoded = is_base64_encoded;
            Envelope::V2(envelope)
        }
        // VPC Lattice (and any single-value format to come).
        _ => {
            let mut envelope = VpcLatticeResponse::default();
            envelope.status_code = status;
            envelope.headers = headers;
            envelope.body = body;
            envelope.is_base64_encoded = is_base64_encoded;
            Envelope::Lattice(envelope)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_http::IntoResponse;

    /// The body conversion gives what `lambda_http`'s does, for every kind of body and header
    /// that decides it; where it cannot, it leaves the response to `lambda_http`.
    #[test]
    fn the_envelope_for_any_front_door_keeps_binary_bodies_and_repeated_headers() {
        let response = Response::builder()
            .status(200)
            .header("x-a", "1")
            .header("x-a", "2")
            .header("set-cookie", "a=1")
            .header("set-cookie", "b=2")
            .body(Body::Binary(vec![0, 1, 2]))
            .unwrap();
        let json = serde_json::to_string(&envelope(None, response)).unwrap();
        assert_eq!(
            json,
            r#"{"statusCode":200,"headers":{"x-a":"1, 2","set-cookie":"a=1"},"body":"AAEC","isBase64Encoded":true}"#
        );
        // ALB in multi-value mode reads `multiValueHeaders` only, but its events always tell
        // their front door.
        for door in FrontDoor::ALL
            .into_iter()
            .filter(|d| *d != FrontDoor::AlbMultiValue)
        {
            let report =
                lambda_proxy_cli::check::check(&serde_json::from_str(&json).unwrap(), door);
            assert!(report.accepted(), "{door}: {report}");
        }
    }

    #[tokio::test]
    async fn the_body_is_converted_as_lambda_http_converts_it() {
        let bodies = [
            Body::Text("{\"a\":\"é\"}".into()),
            Body::Text(String::new()),
            Body::Text("\u{feff}with a byte-order mark".into()),
            Body::Binary(vec![0x89, b'P', 0xff]),
            Body::Binary(vec![0xef, 0xbb, 0xbf, b'x']),
            Body::Binary("plain".into()),
        ];
        let headers: [&[(&str, &str)]; 11] = [
            &[],
            &[("content-type", "application/json")],
            &[("content-type", "text/plain; charset=utf-8")],
            &[("content-type", "text/plain; charset=\"UTF-8\"")],
            &[("content-type", "text/plain; charset=iso-8859-1")],
            &[("content-type", "text/html;charset=windows-1252")],
            &[("content-type", "image/png")],
            &[("content-type", "application/vnd.api+json; profile=x")],
            &[
                ("content-type", "application/json"),
                ("content-encoding", "gzip"),
            ],
            &[
                ("content-type", "application/octet-stream"),
                ("x-lambda-http-content-encoding", "text"),
            ],
            &[("content-type", "not a media type")],
        ];
        for body in &bodies {
            for headers in headers {
                let mut builder = Response::builder();
                for (name, value) in headers {
                    builder = builder.header(*name, *value);
                }
                let response = builder.body(body.clone()).unwrap();
                let theirs = response.clone().into_response().await;
                let mut ours = response;
                if !body_as_sent(&mut ours) {
                    ours = ours.into_response().await;
                }
                assert_eq!(ours.body(), theirs.body(), "{body:?} {headers:?}");
                assert_eq!(ours.headers(), theirs.headers());
            }
        }
    }
}
