//! The event JSON each front door sends to a function for an HTTP request: the one writer that
//! lambda-proxy's testing kit (`TestRequest`) and the local gateway (`lambda-proxy serve`) share.
//!
//! ```
//! use lambda_proxy_cli::event::HttpRequest;
//! use lambda_proxy_cli::FrontDoor;
//!
//! let mut request = HttpRequest::new(FrontDoor::RestApi, "GET", "/users/7");
//! request.stage = Some("dev".to_owned());
//! let event = request.event().unwrap();
//! assert_eq!(event["resource"], "/{proxy+}");
//! assert_eq!(event["pathParameters"]["proxy"], "users/7");
//! assert_eq!(event["requestContext"]["path"], "/dev/users/7");
//! ```

use base64::Engine as _;
use lambda_proxy_core::{Authorizer, FrontDoor};
use serde_json::{json, Map, Value};
use std::fmt;

/// An HTTP request as a front door receives it, to be written as that front door's event.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The front door whose event is written.
    pub front_door: FrontDoor,
    /// The method, as sent (`GET`).
    pub method: String,
    /// The path as the client sent it (percent-encoded), without the query, within the API: a
    /// named stage or a base path is added by the writer.
    pub path: String,
    /// The query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The query string as the client sent it, for the front doors that pass it on as sent
    /// (payload 2.0's `rawQueryString`, ALB, VPC Lattice); `None`: written from
    /// [`query`](HttpRequest::query), each name and value percent-encoded.
    pub raw_query: Option<String>,
    /// Path parameters to send beside the ones the [`resource`](HttpRequest::resource) gives.
    pub path_params: Vec<(String, String)>,
    /// The REST resource or HTTP API route template (`/users/{id}`); `None`: `/{proxy+}` for a
    /// REST API, the `$default` route for an HTTP API.
    pub resource: Option<String>,
    /// The stage: REST `prod` unless set; an HTTP API's `$default` unless set.
    pub stage: Option<String>,
    /// A custom domain's base path mapping (`v1`), which begins the path the function sees.
    pub base_path: Option<String>,
    /// The headers, names in lowercase, in order; repeated names repeat.
    pub headers: Vec<(String, String)>,
    /// The cookies (`name=value`), sent as payload 2.0's `cookies` or in a `cookie` header.
    pub cookies: Vec<String>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
    /// Whether the body is sent base64-encoded (`isBase64Encoded`).
    pub binary: bool,
    /// The identity the front door's authorizer verified: where each front door writes it.
    pub caller: Option<(Authorizer, Value)>,
    /// `requestContext.requestId`.
    pub context_request_id: String,
    /// When the request arrived, in Unix-epoch milliseconds (`requestTimeEpoch`, `timeEpoch`).
    pub time_epoch_ms: u64,
}

/// Why an [`HttpRequest`] has no event: what the front door would not send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventError(String);

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EventError {}

impl HttpRequest {
    /// A request with no query, headers or body, as it arrived on 14 November 2023.
    pub fn new(front_door: FrontDoor, method: &str, path: &str) -> HttpRequest {
        HttpRequest {
            front_door,
            method: method.to_owned(),
            path: path.to_owned(),
            query: Vec::new(),
            raw_query: None,
            path_params: Vec::new(),
            resource: None,
            stage: None,
            base_path: None,
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            binary: false,
            caller: None,
            context_request_id: "Ab1Cd2Ef3Gh4Ij=".to_owned(),
            time_epoch_ms: 1_700_000_000_000,
        }
    }
}

/// A path parameter as API Gateway sends it: percent-decoded.
fn decode(raw: &str) -> String {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}

/// The headers an Application Load Balancer adds to every request it sends a Lambda target (the
/// ELB guide's example event).
const ALB_HEADERS: [(&str, &str); 5] = [
    ("host", "lambda-alb-123578498.us-east-1.elb.amazonaws.com"),
    (
        "x-amzn-trace-id",
        "Root=1-5c536348-3d683b8b04734faae651f476",
    ),
    ("x-forwarded-for", "203.0.113.7"),
    ("x-forwarded-port", "443"),
    ("x-forwarded-proto", "https"),
];

/// The host of an API on its execute-api endpoint.
const EXECUTE_API: &str = "abcdef1234.execute-api.us-east-1.amazonaws.com";

impl HttpRequest {
    fn body_value(&self) -> (Value, bool) {
        match &self.body {
            None => (Value::Null, false),
            Some(bytes) if self.binary => (
                Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
                true,
            ),
            Some(bytes) => (
                Value::String(String::from_utf8_lossy(bytes).into_owned()),
                false,
            ),
        }
    }

    fn header_pairs(&self, with_cookies: bool) -> Vec<(String, String)> {
        let mut pairs = self.headers.clone();
        if with_cookies && !self.cookies.is_empty() {
            pairs.push(("cookie".into(), self.cookies.join("; ")));
        }
        pairs
    }

    /// The resource (or route) template and the path parameters API Gateway would send with
    /// it; for HTTP API 2.0 the `$default` route (no template) unless one is set.
    fn route(&self) -> Result<(Option<String>, Value), EventError> {
        let rest = matches!(self.front_door, FrontDoor::RestApi | FrontDoor::HttpApiV1);
        let template = match (&self.resource, rest) {
            (Some(template), _) => template.clone(),
            // `/{proxy+}` needs one segment at least: the root is its own resource.
            (None, true) if self.path == "/" => "/".to_owned(),
            (None, true) => "/{proxy+}".to_owned(),
            (None, false) => {
                if !self.path_params.is_empty() {
                    return Err(EventError(format!(
                        "path parameters without a resource: {} sends path parameters only for a route that has them",
                        self.front_door
                    )));
                }
                return Ok((None, Value::Null));
            }
        };
        let mut params = Map::new();
        let path = self.path.split('?').next().unwrap_or("");
        let mut segments = path.split('/').skip(1);
        let mut parts = template.split('/').skip(1).peekable();
        let mismatch = || {
            Err(EventError(format!(
                "path {:?} does not match resource {template:?}; API Gateway would not send this event",
                self.path
            )))
        };
        while let Some(part) = parts.next() {
            match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(greedy) if greedy.ends_with('+') => {
                    let rest: Vec<&str> = segments.by_ref().collect();
                    if rest.is_empty() || rest == [""] || parts.peek().is_some() {
                        return mismatch();
                    }
                    let value = self.as_sent(&rest.join("/"));
                    params.insert(greedy.trim_end_matches('+').into(), value.into());
                }
                Some(name) => match segments.next() {
                    Some(segment) if !segment.is_empty() => {
                        params.insert(name.into(), self.as_sent(segment).into());
                    }
                    _ => return mismatch(),
                },
                None if segments.next() == Some(part) => {}
                None => return mismatch(),
            }
        }
        if segments.next().is_some() {
            return mismatch();
        }
        for (name, value) in &self.path_params {
            if !params.contains_key(name) {
                return Err(EventError(format!(
                    "path parameter {name:?}: resource {template:?} has no such parameter; API Gateway would not send it"
                )));
            }
            params.insert(name.clone(), value.clone().into());
        }
        Ok((Some(template), nullable(params)))
    }

    /// A path parameter's value as the front door sends it: as the client spelled it (REST
    /// APIs), or percent-decoded (HTTP APIs), by [`Profile::path_parameters_encoded`].
    ///
    /// [`Profile::path_parameters_encoded`]: lambda_proxy_core::front_door::Profile::path_parameters_encoded
    fn as_sent(&self, value: &str) -> String {
        match self.front_door.profile().path_parameters_encoded {
            true => value.to_owned(),
            false => decode(value),
        }
    }

    /// The path as the front door sends it in the event: as the client spelled it, or
    /// percent-decoded (HTTP APIs), by [`Profile::path_encoded`].
    ///
    /// [`Profile::path_encoded`]: lambda_proxy_core::front_door::Profile::path_encoded
    fn path_as_sent(&self, path: &str) -> String {
        match self.front_door.profile().path_encoded {
            true => path.to_owned(),
            false => decode(path),
        }
    }

    /// The query string as the client sent it, or as a client would: names and values
    /// percent-encoded.
    fn query_string(&self) -> String {
        if let Some(raw) = &self.raw_query {
            return raw.clone();
        }
        self.encoded_query()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The query parameters percent-encoded, as ALB and VPC Lattice pass them on (API Gateway
    /// decodes them).
    fn encoded_query(&self) -> Vec<(String, String)> {
        use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
        if let Some(raw) = &self.raw_query {
            return raw
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (name.to_owned(), value.to_owned())
                })
                .collect();
        }
        let encode = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
        self.query
            .iter()
            .map(|(k, v)| (encode(k), encode(v)))
            .collect()
    }

    /// The event JSON, as the front door would send it to the function; an error for what it
    /// would not send (a path that does not match the resource, a path parameter the resource
    /// does not have, an authorizer the front door does not have, a front door without HTTP
    /// events).
    pub fn event(&self) -> Result<Value, EventError> {
        let (body, is_base64) = self.body_value();
        let headers = self.header_pairs(true);
        let mut event = match self.front_door {
            FrontDoor::RestApi | FrontDoor::HttpApiV1 => {
                let http_api = self.front_door == FrontDoor::HttpApiV1;
                let stage = match (&self.stage, http_api) {
                    (Some(stage), _) => stage.as_str(),
                    (None, true) => "$default",
                    (None, false) => "prod",
                };
                let (resource, path_parameters) = self.route()?;
                let sent = self.path_as_sent(&self.path);
                let (path, context_path, domain) = match &self.base_path {
                    Some(base) => {
                        let path = format!("/{base}{sent}");
                        (path.clone(), path, "api.example.com")
                    }
                    // An HTTP API's named stage begins the path, as in payload 2.0.
                    None if http_api && stage != "$default" => {
                        let path = format!("/{stage}{sent}");
                        (path.clone(), path, EXECUTE_API)
                    }
                    None if http_api => (sent.clone(), sent, EXECUTE_API),
                    None => (sent.clone(), format!("/{stage}{sent}"), EXECUTE_API),
                };
                let mut event = json!({
                    "resource": resource,
                    "path": path,
                    "httpMethod": self.method,
                    "headers": last_values(&headers),
                    "multiValueHeaders": all_values(&headers),
                    "queryStringParameters": nullable(last_values(&self.query)),
                    "multiValueQueryStringParameters": nullable(all_values(&self.query)),
                    "pathParameters": path_parameters,
                    "stageVariables": null,
                    "requestContext": {
                        "accountId": "123456789012",
                        "apiId": "abcdef1234",
                        "resourceId": if http_api { "$default" } else { "a1b2c3" },
                        "resourcePath": resource,
                        "stage": stage,
                        "requestId": self.context_request_id,
                        "httpMethod": self.method,
                        "path": context_path,
                        "protocol": "HTTP/1.1",
                        "domainName": domain,
                        "requestTimeEpoch": self.time_epoch_ms,
                        "identity": { "sourceIp": "203.0.113.7", "userAgent": "lambda-proxy-test" }
                    },
                    "body": body,
                    "isBase64Encoded": is_base64
                });
                if http_api {
                    event["version"] = json!("1.0");
                }
                event
            }
            FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl => {
                let url = self.front_door == FrontDoor::FunctionUrl;
                let domain = if url {
                    "abcdefghijklmnopqrstuvwxyz.lambda-url.us-east-1.on.aws"
                } else if self.base_path.is_some() {
                    "api.example.com"
                } else {
                    EXECUTE_API
                };
                let stage = match &self.stage {
                    Some(stage) if !url => stage.as_str(),
                    _ => "$default",
                };
                // A named stage begins the path, behind a custom domain too; an API mapping's key
                // never does (recorded reports: serverless-express#465, aws-lambda-rust-runtime#919).
                let path = match stage {
                    "$default" => self.path.clone(),
                    stage => format!("/{stage}{}", self.path),
                };
                // HTTP APIs send `rawPath` decoded, function URLs as the client spelled it; both
                // send `requestContext.http.path` decoded.
                let raw_path = self.path_as_sent(&path);
                let http_path = decode(&path);
                let (route, path_parameters) = if url {
                    (None, Value::Null)
                } else {
                    self.route()?
                };
                let route_key = route.map_or_else(|| "$default".to_owned(), |t| format!("ANY {t}"));
                let mut event = json!({
                    "version": "2.0",
                    "routeKey": route_key,
                    "rawPath": raw_path,
                    "rawQueryString": self.query_string(),
                    "headers": joined_values(&self.header_pairs(false)),
                    "requestContext": {
                        "accountId": "123456789012",
                        "apiId": "abcdef1234",
                        "domainName": domain,
                        "domainPrefix": domain.split('.').next().unwrap_or_default(),
                        "http": {
                            "method": self.method,
                            "path": http_path,
                            "protocol": "HTTP/1.1",
                            "sourceIp": "203.0.113.7",
                            "userAgent": "lambda-proxy-test"
                        },
                        "requestId": self.context_request_id,
                        "routeKey": route_key,
                        "stage": stage,
                        "time": clf_time(self.time_epoch_ms),
                        "timeEpoch": self.time_epoch_ms
                    },
                    "isBase64Encoded": is_base64
                });
                if !self.cookies.is_empty() {
                    event["cookies"] = json!(self.cookies);
                }
                if !path_parameters.is_null() {
                    event["pathParameters"] = path_parameters;
                }
                if !self.query.is_empty() {
                    event["queryStringParameters"] = Value::Object(joined_values(&self.query));
                }
                if !body.is_null() {
                    event["body"] = body;
                }
                event
            }
            FrontDoor::Alb | FrontDoor::AlbMultiValue => {
                // The headers a load balancer adds to every request (so that an event always has
                // some, in the map of its mode), after the client's.
                let mut headers = headers.clone();
                for (name, value) in ALB_HEADERS {
                    if !headers.iter().any(|(n, _)| n == name) {
                        headers.push((name.to_owned(), value.to_owned()));
                    }
                }
                let mut event = json!({
                    "requestContext": { "elb": { "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdef1234567890" } },
                    "httpMethod": self.method,
                    "path": self.path,
                    "body": if body.is_null() { json!("") } else { body },
                    "isBase64Encoded": is_base64
                });
                if self.front_door == FrontDoor::AlbMultiValue {
                    event["multiValueHeaders"] = Value::Object(all_values(&headers));
                    event["multiValueQueryStringParameters"] =
                        Value::Object(all_values(&self.encoded_query()));
                } else {
                    event["headers"] = Value::Object(last_values(&headers));
                    event["queryStringParameters"] =
                        Value::Object(last_values(&self.encoded_query()));
                }
                event
            }
            FrontDoor::VpcLattice => {
                let mut event = json!({
                    "version": "2.0",
                    "path": self.path,
                    "method": self.method,
                    "headers": all_values(&headers),
                    "isBase64Encoded": is_base64,
                    "requestContext": {
                        "serviceNetworkArn": "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123456789abcdef0",
                        "serviceArn": "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0",
                        "targetGroupArn": "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0",
                        "identity": { "type": "NONE" },
                        "region": "us-east-1",
                        "timeEpoch": "1700000000000000"
                    }
                });
                if !self.query.is_empty() {
                    event["queryStringParameters"] =
                        Value::Object(all_values(&self.encoded_query()));
                }
                if !body.is_null() {
                    event["body"] = body;
                }
                event
            }
            FrontDoor::WebSocket => json!({
                "headers": last_values(&headers),
                "multiValueHeaders": all_values(&headers),
                "requestContext": {
                    "routeKey": "$default",
                    "eventType": "MESSAGE",
                    "extendedRequestId": "Ab1Cd2Ef3Gh4Ij=",
                    "requestTime": "14/Nov/2023:22:13:20 +0000",
                    "messageDirection": "IN",
                    "stage": "production",
                    "connectedAt": 1_700_000_000_000_u64,
                    "requestTimeEpoch": 1_700_000_000_000_u64,
                    "identity": { "sourceIp": "203.0.113.7" },
                    "requestId": "Ab1Cd2Ef3Gh4Ij=",
                    "domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
                    "connectionId": "Ab1Cd2Ef3Gh4Ij=",
                    "messageId": "Ab1Cd2Ef3Gh4Ij=",
                    "apiId": "abcdef1234"
                },
                "body": body,
                "isBase64Encoded": is_base64
            }),
            other => {
                return Err(EventError(format!("{other} sends no HTTP request event")));
            }
        };
        if let Some((authorizer, claims)) = &self.caller {
            self.add_caller(&mut event, *authorizer, claims)?;
        }
        Ok(event)
    }

    /// The caller's identity, where the front door puts it and as it writes it.
    fn add_caller(
        &self,
        event: &mut Value,
        authorizer: Authorizer,
        claims: &Value,
    ) -> Result<(), EventError> {
        let door = self.front_door;
        let context = &mut event["requestContext"];
        let scopes = || {
            claims
                .get("scope")
                .and_then(Value::as_str)
                .map(|scope| json!(scope.split_whitespace().collect::<Vec<_>>()))
                .unwrap_or(Value::Null)
        };
        let merged = |mut into: Value, from: Value| {
            if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
                into.extend(from);
            }
            into
        };
        match (door, authorizer) {
            (FrontDoor::HttpApiV2, Authorizer::Jwt | Authorizer::CognitoUserPool) => {
                context["authorizer"] = json!({ "jwt": { "claims": stringified(claims), "scopes": scopes() } });
            }
            (FrontDoor::HttpApiV2, Authorizer::Lambda) => {
                context["authorizer"] = json!({ "lambda": claims });
            }
            (FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl, Authorizer::Iam) => {
                context["authorizer"] = json!({ "iam": claims });
            }
            // Payload 1.0 of an HTTP API lists the JWT's scopes beside its claims (`null` for
            // none); a REST API's Cognito user pool authorizer sends the claims alone.
            (FrontDoor::HttpApiV1, Authorizer::Jwt | Authorizer::CognitoUserPool) => {
                context["authorizer"] = json!({ "claims": stringified(claims), "scopes": scopes() });
            }
            (FrontDoor::RestApi, Authorizer::CognitoUserPool) => {
                context["authorizer"] = json!({ "claims": stringified(claims) });
            }
            (FrontDoor::RestApi | FrontDoor::HttpApiV1 | FrontDoor::WebSocket, Authorizer::Lambda) => {
                let base = json!({ "principalId": "test-principal", "integrationLatency": 0 });
                context["authorizer"] = merged(base, stringified(claims));
            }
            (FrontDoor::RestApi | FrontDoor::HttpApiV1 | FrontDoor::WebSocket, Authorizer::Iam) => {
                let identity = context["identity"].take();
                context["identity"] = merged(identity, claims.clone());
            }
            (FrontDoor::VpcLattice, Authorizer::Iam) => {
                context["identity"] = merged(json!({ "type": "AWS_IAM" }), claims.clone());
            }
            (door, authorizer) => {
                return Err(EventError(format!(
                    "{door} has no {authorizer} authorizer: a function URL and VPC Lattice verify IAM callers only, an ALB's OIDC authentication sends headers, a REST API's JWTs come from a Cognito user pool authorizer"
                )))
            }
        }
        Ok(())
    }
}

/// A claims object as API Gateway writes it for a JWT and for a REST API's authorizers: every
/// value a string, an array as its items between brackets, separated by spaces.
fn stringified(claims: &Value) -> Value {
    let text = |value: &Value| match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let Some(claims) = claims.as_object() else {
        return claims.clone();
    };
    let claims: Map<String, Value> = claims
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Value::Array(items) => {
                    format!("[{}]", items.iter().map(text).collect::<Vec<_>>().join(" "))
                }
                other => text(other),
            };
            (name.clone(), Value::String(value))
        })
        .collect();
    Value::Object(claims)
}

fn last_values(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.insert(k.clone(), Value::String(v.clone()));
    }
    map
}

fn all_values(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in pairs {
        let entry = map.entry(k.clone()).or_insert_with(|| json!([]));
        if let Value::Array(values) = entry {
            values.push(Value::String(v.clone()));
        }
    }
    map
}

fn joined_values(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in pairs {
        match map.get_mut(k) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(v);
            }
            _ => {
                map.insert(k.clone(), Value::String(v.clone()));
            }
        }
    }
    map
}

fn nullable(map: Map<String, Value>) -> Value {
    if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    }
}

/// A time in the common log format API Gateway writes in `requestContext.time`
/// (`14/Nov/2023:22:13:20 +0000`), from Unix-epoch milliseconds.
fn clf_time(epoch_ms: u64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = epoch_ms / 1000;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days to a civil date (Howard Hinnant's algorithm), for dates from 1970 on.
    let z = days as i64 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{day:02}/{}/{year}:{:02}:{:02}:{:02} +0000",
        MONTHS[(month - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_is_written_as_api_gateway_writes_it() {
        assert_eq!(clf_time(1_700_000_000_000), "14/Nov/2023:22:13:20 +0000");
        assert_eq!(clf_time(0), "01/Jan/1970:00:00:00 +0000");
        assert_eq!(clf_time(1_709_208_000_000), "29/Feb/2024:12:00:00 +0000");
    }

    #[test]
    fn what_a_front_door_would_not_send_is_an_error() {
        let mut request = HttpRequest::new(FrontDoor::RestApi, "GET", "/users/7");
        request.resource = Some("/orders/{id}".to_owned());
        assert!(request
            .event()
            .unwrap_err()
            .to_string()
            .contains("does not match"));
        let request = HttpRequest::new(FrontDoor::WebSocket, "GET", "/");
        assert!(request.event().is_ok());
        let mut request = HttpRequest::new(FrontDoor::FunctionUrl, "GET", "/");
        request.caller = Some((Authorizer::Jwt, json!({})));
        assert!(request.event().is_err());
    }

    #[test]
    fn a_raw_query_is_passed_on_as_sent() {
        let mut request = HttpRequest::new(FrontDoor::HttpApiV2, "GET", "/");
        request.query = vec![("a b".into(), "c".into())];
        request.raw_query = Some("a%20b=c".into());
        let event = request.event().unwrap();
        assert_eq!(event["rawQueryString"], "a%20b=c");
        assert_eq!(event["queryStringParameters"]["a b"], "c");
        let mut request = HttpRequest::new(FrontDoor::Alb, "GET", "/");
        request.raw_query = Some("a%20b=c&d".into());
        let event = request.event().unwrap();
        assert_eq!(event["queryStringParameters"]["a%20b"], "c");
        assert_eq!(event["queryStringParameters"]["d"], "");
    }
}
