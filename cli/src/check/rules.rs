//! The rules: what each front door does with each part of a response. The words of every finding
//! are in the catalogue (`catalogue.rs`); the front-door facts in [`FrontDoor::profile`].
//!
//! The severity follows what is known: [`Severity::Error`] where AWS documents the behaviour or it
//! was recorded against AWS, and wherever a member has the wrong JSON type (API Gateway
//! deserializes the envelope into typed members: a non-object `headers`, a non-array
//! `multiValueHeaders` value, a number as `body`); [`Severity::Warning`] where the behaviour is
//! not confirmed anywhere.

use super::catalogue::{self as c, Rule};
use super::input::{looks_like_envelope, rank};
use super::{Finding, Severity};
use lambda_proxy_core::attribute::NO_BODY;
use lambda_proxy_core::front_door::{EnvelopeFormat, FrontDoor, MissingStatus};
use lambda_proxy_core::header::{is_origin, is_printable_ascii};
use serde_json::{Map, Value};

/// The statuses a front door takes as such, as `u64` for JSON numbers.
const STATUS: std::ops::RangeInclusive<u64> = *lambda_proxy_core::attribute::STATUS.start() as u64
    ..=*lambda_proxy_core::attribute::STATUS.end() as u64;

impl Finding {
    /// A finding of `rule`, with its why and fix, at `path`.
    fn new(rule: &Rule, severity: Severity, path: impl Into<String>) -> Self {
        Finding {
            severity,
            code: rule.code,
            path: path.into(),
            message: String::new(),
            effect: String::new(),
            why: rule.why.to_owned(),
            fix: rule.fix.to_owned(),
        }
    }

    fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    fn effect(mut self, effect: impl Into<String>) -> Self {
        self.effect = effect.into();
        self
    }

    /// A fix more specific than the catalogue's.
    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }

    /// A why more specific than the catalogue's.
    fn why(mut self, why: impl Into<String>) -> Self {
        self.why = why.into();
        self
    }
}

/// How confident a fact is, for one front door.
#[derive(Clone, Copy, PartialEq)]
enum Known {
    /// Documented or recorded against AWS: an error.
    Sure,
    /// Not confirmed for this front door: a warning.
    Unsure,
}

impl Known {
    fn severity(self) -> Severity {
        match self {
            Known::Sure => Severity::Error,
            Known::Unsure => Severity::Warning,
        }
    }
}

pub(super) struct Checker {
    fd: FrontDoor,
    format: EnvelopeFormat,
    pub(super) findings: Vec<Finding>,
}

impl Checker {
    pub(super) fn new(fd: FrontDoor) -> Self {
        Checker {
            fd,
            format: fd.format(),
            findings: Vec::new(),
        }
    }

    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Payload format 2.0 (HTTP API 2.0, function URLs).
    fn v2(&self) -> bool {
        self.format == EnvelopeFormat::SingleValueWithCookies
    }

    /// Whether a value without `statusCode` becomes the body of a 200 (payload format 2.0).
    fn infers_envelope(&self) -> bool {
        self.fd.profile().missing_status == MissingStatus::InferredBody
    }

    /// What the client gets when the function failed instead of answering.
    fn failed(&self) -> &'static str {
        self.fd.profile().function_failure
    }

    /// What the front door answers when it rejects a response.
    fn rejected(&self) -> &'static str {
        self.fd.profile().rejection
    }

    pub(super) fn response(&mut self, response: &Value, size: usize) {
        let limit = self.fd.size_limit();
        if size > limit {
            let effect = match self.fd.profile().too_large {
                Some(effect) => effect.to_owned(),
                None => format!(
                    "the Lambda Runtime API refuses it (413, \"Exceeded maximum allowed payload size\") and {}",
                    self.rejected()
                ),
            };
            self.push(
                Finding::new(&c::TOO_LARGE, Severity::Error, "$")
                    .message(format!(
                        "the response is {size} bytes; {} delivers at most {limit}",
                        self.fd
                    ))
                    .effect(effect),
            );
        }
        match response {
            Value::Object(map) => self.object(map),
            other => self.not_an_object(other),
        }
    }

    fn not_an_object(&mut self, value: &Value) {
        let kind = kind(value);
        // An envelope serialized twice: the response is a string holding the envelope's JSON.
        let double = value
            .as_str()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .is_some_and(|inner| rank(&inner) == 2);
        const TWICE: &str = "the response is a string that holds an envelope's JSON: the envelope was serialized twice";
        if self.infers_envelope() {
            let finding = if double {
                Finding::new(&c::INFERRED_V2, Severity::Error, "$")
                    .message(TWICE)
                    .effect("HTTP API answers 200 with that text as the body: the client sees the envelope itself")
            } else {
                Finding::new(&c::INFERRED_V2, Severity::Strict, "$")
                    .message(format!("the response is {kind}, not an envelope"))
                    .effect("payload format 2.0 infers one: status 200, content-type application/json, and this value as the body")
            };
            self.push(finding);
            return;
        }
        // Recorded against AWS (strings) and in SAM (other values) for API Gateway; documented
        // for ALB. Not known for VPC Lattice.
        let known = if self.fd.profile().confirmed {
            Known::Sure
        } else {
            Known::Unsure
        };
        let finding =
            Finding::new(&c::NOT_AN_OBJECT, known.severity(), "$").effect(self.rejected());
        self.push(if double {
            finding.message(TWICE).fix(
                "return the envelope object itself; do not serialize it to a string (only its body is a string)",
            )
        } else {
            finding.message(format!("the response is {kind}, not an envelope object"))
        });
    }

    fn object(&mut self, map: &Map<String, Value>) {
        if map.contains_key("errorMessage") && !map.contains_key("statusCode") {
            let text = |key: &str| map.get(key).and_then(Value::as_str).unwrap_or("");
            let timeout = text("errorMessage").contains("Task timed out")
                || text("errorType") == "Sandbox.Timedout";
            let finding = if timeout {
                Finding::new(&c::FUNCTION_TIMEOUT, Severity::Error, "$")
                    .message("the function timed out: Lambda stopped it before it answered")
            } else {
                Finding::new(&c::FUNCTION_ERROR, Severity::Error, "$").message(
                    "this is Lambda's error object ({errorMessage, errorType}): the function failed (an unhandled error, a panic or a timeout) instead of answering",
                )
            };
            self.push(finding.effect(self.failed()));
            return;
        }
        if self.infers_envelope() && !map.contains_key("statusCode") {
            // Not read as an envelope at all: the whole object becomes the body.
            self.status(map);
            return;
        }
        self.keys(map);
        let status = self.status(map);
        self.body(map, status);
        self.base64(map);
        self.headers(map);
        self.cors(map);
        self.allow(map, status);
        self.cookies(map);
    }

    fn keys(&mut self, map: &Map<String, Value>) {
        let profile = self.fd.profile();
        let allowed = profile.allowed_keys;
        for key in map.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let path = member_path("$", key);
            // lambda_http writes an empty multiValueHeaders for payload 2.0, which ignores it.
            if self.v2() && key == "multiValueHeaders" {
                if map[key].as_object().is_some_and(Map::is_empty) {
                    continue;
                }
                self.push(
                    Finding::new(&c::MULTI_VALUE_HEADERS_V2, Severity::Warning, path)
                        .message("payload format 2.0 has no multiValueHeaders")
                        .effect("these headers are probably ignored and never reach the client"),
                );
                continue;
            }
            // An empty header map the front door does not read (lambda_http writes both maps for
            // ALB) carries nothing.
            let empty_map = matches!(key.as_str(), "headers" | "multiValueHeaders")
                && map[key].as_object().is_some_and(Map::is_empty);
            if empty_map && !profile.rejects_other_keys {
                continue;
            }
            let known = if profile.rejects_other_keys {
                Known::Sure
            } else {
                Known::Unsure
            };
            let effect = profile.other_keys;
            self.push(
                Finding::new(&c::UNKNOWN_KEY, known.severity(), path)
                    .message(format!("`{key}` is not allowed in a response to {}", self.fd))
                    .effect(effect)
                    .why(format!(
                        "the allowed members are {}; REST APIs reject any other (recorded against AWS)",
                        allowed.join(", ")
                    ))
                    .fix(format!("remove `{key}`")),
            );
        }
    }

    /// Checks `statusCode`; returns it when it is usable.
    fn status(&mut self, map: &Map<String, Value>) -> Option<u16> {
        let path = "$.statusCode";
        let Some(status) = map.get("statusCode") else {
            let missing = "statusCode is missing";
            let finding = match self.fd.profile().missing_status {
                MissingStatus::InferredBody if looks_like_envelope(map) => {
                    Finding::new(&c::STATUS_MISSING_V2_ENVELOPE, Severity::Error, path)
                        .message("statusCode is missing, so this object is not read as an envelope")
                        .effect("HTTP API answers 200 with the whole object as a JSON body: the client sees your envelope, headers and all")
                }
                MissingStatus::InferredBody => {
                    Finding::new(&c::STATUS_MISSING_V2_DATA, Severity::Strict, path)
                        .message(missing)
                        .effect("payload format 2.0 infers 200, content-type application/json, and the whole object as the body")
                }
                MissingStatus::Rejected => {
                    Finding::new(&c::STATUS_MISSING_ALB, Severity::Error, path)
                        .message(missing)
                        .effect(self.rejected())
                }
                MissingStatus::Unconfirmed => {
                    Finding::new(&c::STATUS_MISSING_UNCONFIRMED, Severity::Warning, path)
                        .message(missing)
                        .effect("probably rejected (the SAM emulator rejects it for HTTP API 1.0); not confirmed against AWS")
                }
                // `Defaults200` (the enum is non-exhaustive).
                _ => {
                    Finding::new(&c::STATUS_MISSING_REST, Severity::Strict, path)
                        .message(missing)
                        .effect("the client gets 200, whatever happened")
                }
            };
            self.push(finding);
            return None;
        };
        match status {
            Value::Number(n) => {
                let Some(code) = n.as_u64().or_else(|| n.as_i64().map(|_| 0)) else {
                    self.push(
                        Finding::new(&c::STATUS_NOT_INTEGER, Severity::Warning, path)
                            .message(format!("statusCode {n} is not an integer"))
                            .effect("not confirmed: the SAM emulator accepts 201.7, API Gateway's behaviour is unknown"),
                    );
                    return None;
                };
                if !STATUS.contains(&code) {
                    self.push(
                        Finding::new(&c::STATUS_OUT_OF_RANGE, Severity::Warning, path)
                            .message(format!(
                                "statusCode {n} is not an HTTP status code ({}–{})",
                                STATUS.start(),
                                STATUS.end()
                            ))
                            .effect("not confirmed: emulators pass such values through; clients and proxies may reject them"),
                    );
                    return None;
                }
                u16::try_from(code).ok()
            }
            Value::String(s) => match s.trim().parse::<u16>() {
                Ok(code) => {
                    let message = format!("statusCode is the string {s:?}, not a number");
                    let fix = format!("write it as a number: \"statusCode\": {code}");
                    let read_by_rest = lambda_proxy_core::attribute::STATUS.contains(&code)
                        && self.fd.profile().numeric_string_status;
                    self.push(if read_by_rest {
                        Finding::new(&c::STATUS_STRING_REST, Severity::Strict, path)
                            .message(message)
                            .effect(format!("a REST API reads it as {code}"))
                            .fix(fix)
                    } else {
                        Finding::new(&c::STATUS_STRING, Severity::Warning, path)
                            .message(message)
                            .effect(format!(
                                "not confirmed for {}: it may be read as {code} or rejected",
                                self.fd
                            ))
                            .fix(fix)
                    });
                    Some(code)
                }
                Err(_) => {
                    self.push(
                        Finding::new(&c::STATUS_NOT_A_NUMBER_STRING, Severity::Error, path)
                            .message(format!(
                                "statusCode is the string {s:?}, which is not a number"
                            ))
                            .effect(self.rejected()),
                    );
                    None
                }
            },
            other => {
                self.push(
                    Finding::new(&c::STATUS_NOT_A_NUMBER, Severity::Error, path)
                        .message(format!("statusCode is {}, not a number", kind(other)))
                        .effect(self.rejected()),
                );
                None
            }
        }
    }

    fn body(&mut self, map: &Map<String, Value>, status: Option<u16>) {
        let path = "$.body";
        match map.get("body") {
            Some(Value::Null) => self.push(
                Finding::new(&c::BODY_NULL, Severity::Warning, path)
                    .message("body is null")
                    .effect("not confirmed: probably taken as an empty body"),
            ),
            None => {
                if !status.is_some_and(|s| NO_BODY.contains(&s)) {
                    self.push(
                        Finding::new(&c::BODY_MISSING, Severity::Strict, path)
                            .message("body is missing")
                            .effect("the client gets an empty body"),
                    );
                }
            }
            Some(Value::String(body)) => {
                if status.is_some_and(|s| NO_BODY.contains(&s)) && !body.is_empty() {
                    self.push(
                        Finding::new(&c::BODY_ON_NO_CONTENT, Severity::Strict, path)
                            .message(format!("a {} response has a body", status.unwrap_or(204)))
                            .effect("HTTP clients ignore it or fail on it"),
                    );
                }
                self.content_type(map, body);
            }
            Some(value @ (Value::Object(_) | Value::Array(_))) => {
                self.push(
                    Finding::new(&c::BODY_OBJECT, Severity::Error, path)
                        .message(format!("body is {}, not a string", kind(value)))
                        .effect(self.rejected()),
                );
            }
            Some(other) => self.push(
                Finding::new(&c::BODY_SCALAR, Severity::Error, path)
                    .message(format!("body is {}, not a string", kind(other)))
                    .effect(self.rejected()),
            ),
        }
    }

    /// A JSON body without a content type.
    fn content_type(&mut self, map: &Map<String, Value>, body: &str) {
        let trimmed = body.trim_start();
        let looks_json = (trimmed.starts_with('{') || trimmed.starts_with('['))
            && serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok();
        if !looks_json || header_present(map, "content-type") {
            return;
        }
        self.push(
            Finding::new(&c::CONTENT_TYPE_MISSING, Severity::Strict, "$.headers")
                .message("the body is JSON but no content-type is given")
                .effect("API Gateway adds content-type: application/json for REST and HTTP APIs; other front doors send none"),
        );
    }

    fn base64(&mut self, map: &Map<String, Value>) {
        let path = "$.isBase64Encoded";
        match map.get("isBase64Encoded") {
            None => {
                if self.fd.profile().requires_base64_flag {
                    self.push(
                        Finding::new(&c::BASE64_FLAG_MISSING, Severity::Error, path)
                            .message("isBase64Encoded is missing")
                            .effect(self.rejected()),
                    );
                }
            }
            Some(Value::Bool(true)) => {
                let body = map.get("body").and_then(Value::as_str).unwrap_or("");
                if !is_base64(body) {
                    self.push(
                        Finding::new(&c::BASE64_INVALID, Severity::Error, "$.body")
                            .message("isBase64Encoded is true but body is not valid base64")
                            .effect("the front door fails to decode it (a REST API answers 500) or sends the text as it is"),
                    );
                } else if self.fd.profile().binary_media_types {
                    self.push(
                        Finding::new(&c::BASE64_BINARY_MEDIA_TYPES, Severity::Note, "$.body")
                            .message("a base64 body reaches the client decoded only if the REST API is configured for it")
                            .effect("without a binaryMediaTypes entry matching the request's Accept header, the client receives the base64 text"),
                    );
                }
            }
            Some(Value::Bool(false)) => {}
            Some(other) => self.push(
                Finding::new(&c::BASE64_FLAG_NOT_BOOLEAN, Severity::Error, path)
                    .message(format!("isBase64Encoded is {}, not a boolean", kind(other)))
                    .effect(self.rejected()),
            ),
        }
    }

    /// CORS mistakes a browser or a cache trips on, read from both header maps.
    fn cors(&mut self, map: &Map<String, Value>) {
        let values = |name: &str| -> Vec<&str> {
            let mut found = Vec::new();
            if let Some(Value::Object(headers)) = map.get("headers") {
                for (key, value) in headers {
                    if key.eq_ignore_ascii_case(name) {
                        found.extend(value.as_str());
                    }
                }
            }
            if let Some(Value::Object(headers)) = map.get("multiValueHeaders") {
                for (key, value) in headers {
                    if key.eq_ignore_ascii_case(name) {
                        found.extend(
                            value
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(Value::as_str),
                        );
                    }
                }
            }
            found
        };
        let origins = values("access-control-allow-origin");
        let Some(origin) = origins.first().map(|o| o.trim()) else {
            return;
        };
        let several = origins.len() > 1 || origin.contains(',') || origin.contains(' ');
        if several {
            self.push(
                Finding::new(&c::CORS_SEVERAL_ORIGINS, Severity::Error, "$.headers")
                    .message(format!(
                        "Access-Control-Allow-Origin has more than one value ({})",
                        origins.join(", ")
                    ))
                    .effect(
                        "browsers reject the answer: the page sees \"CORS error\", not its status",
                    ),
            );
        }
        let credentials = values("access-control-allow-credentials");
        let credentialed = credentials
            .iter()
            .any(|v| v.trim().eq_ignore_ascii_case("true"));
        if let Some(other) = credentials.iter().find(|v| **v != "true") {
            self.push(
                Finding::new(&c::CORS_CREDENTIALS_NOT_TRUE, Severity::Warning, "$.headers")
                    .message(format!(
                        "Access-Control-Allow-Credentials is {other:?}, not exactly \"true\""
                    ))
                    .effect("browsers block the answer to a request with credentials (cookies, Authorization)"),
            );
        }
        if !several && origin != "*" && origin != "null" && !is_origin(origin) {
            self.push(
                Finding::new(&c::CORS_ORIGIN_NOT_SERIALIZED, Severity::Error, "$.headers")
                    .message(format!(
                        "Access-Control-Allow-Origin {origin:?} is not an origin as browsers send it"
                    ))
                    .effect("no page's origin matches it: browsers block the answer"),
            );
        }
        if credentialed {
            for name in [
                "access-control-allow-headers",
                "access-control-allow-methods",
                "access-control-expose-headers",
            ] {
                let star = values(name)
                    .iter()
                    .any(|v| v.split(',').any(|item| item.trim() == "*"));
                if star {
                    self.push(
                        Finding::new(&c::CORS_WILDCARD_WITH_CREDENTIALS, Severity::Warning, "$.headers")
                            .message(format!("{name} is * on an answer that allows credentials"))
                            .effect("the browser reads * as a name, not a wildcard: a preflight for any other header or method fails"),
                    );
                }
            }
        }
        if origin == "*" && credentialed {
            self.push(
                Finding::new(&c::CORS_STAR_WITH_CREDENTIALS, Severity::Error, "$.headers")
                    .message("Access-Control-Allow-Origin is * and Access-Control-Allow-Credentials is true")
                    .effect("browsers reject the answer: the page sees \"CORS error\", not its status"),
            );
        } else if origin != "*" {
            let varies = values("vary").iter().any(|v| {
                v.split(',')
                    .any(|item| item.trim().eq_ignore_ascii_case("origin") || item.trim() == "*")
            });
            if !varies {
                self.push(
                    Finding::new(&c::CORS_NO_VARY, Severity::Warning, "$.headers")
                        .message(format!("Access-Control-Allow-Origin is {origin:?}, and Vary does not name Origin"))
                        .effect("a cache may serve this answer to another origin, which the browser then blocks"),
                );
            }
        }
    }

    /// A 405 answer names the methods it does allow.
    fn allow(&mut self, map: &Map<String, Value>, status: Option<u16>) {
        if status == Some(405) && !header_present(map, "allow") {
            self.push(
                Finding::new(
                    &c::METHOD_NOT_ALLOWED_WITHOUT_ALLOW,
                    Severity::Strict,
                    "$.headers",
                )
                .message("a 405 answer without Allow")
                .effect("the client cannot tell which methods the resource accepts"),
            );
        }
    }

    fn headers(&mut self, map: &Map<String, Value>) {
        let single = map.get("headers");
        let multi = map.get("multiValueHeaders");
        if self.fd.profile().requires_header_map {
            let required = self.format.header_member();
            if !map.contains_key(required) {
                self.push(
                    Finding::new(
                        &c::HEADERS_MISSING,
                        Severity::Error,
                        format!("$.{required}"),
                    )
                    .message(format!("{required} is missing"))
                    .effect(self.rejected()),
                );
            }
        }
        match single {
            None => {}
            Some(Value::Null) if !self.fd.profile().null_headers => self.push(
                Finding::new(&c::HEADERS_NULL, Severity::Warning, "$.headers")
                    .message("headers is null")
                    .effect(format!(
                        "not confirmed for {}; REST APIs accept it",
                        self.fd
                    )),
            ),
            Some(Value::Null) => {}
            Some(Value::Object(headers)) => {
                for (name, value) in headers {
                    let path = member_path("$.headers", name);
                    self.header_name(&path, name);
                    self.header_value(&path, name, value);
                    if self.v2() && name.eq_ignore_ascii_case("set-cookie") {
                        self.push(
                            Finding::new(&c::SET_COOKIE_IN_HEADERS, Severity::Strict, path)
                                .message("Set-Cookie is in headers")
                                .effect("only one cookie can be set this way"),
                        );
                    }
                }
            }
            // Every front door reads `headers`: a wrongly typed one is a malformed envelope.
            Some(other) => self.push(
                Finding::new(&c::HEADERS_NOT_OBJECT, Severity::Error, "$.headers")
                    .message(format!("headers is {}, not an object", kind(other)))
                    .effect(self.rejected()),
            ),
        }
        let Some(multi) = multi else { return };
        if self.format != EnvelopeFormat::MultiValue {
            return; // reported as an unknown key
        }
        match multi {
            Value::Null => {}
            Value::Object(headers) => {
                for (name, values) in headers {
                    let path = member_path("$.multiValueHeaders", name);
                    self.header_name(&path, name);
                    match values {
                        Value::Array(values) => {
                            for (i, value) in values.iter().enumerate() {
                                self.header_value(&format!("{path}[{i}]"), name, value);
                            }
                        }
                        other => self.push(
                            Finding::new(&c::MULTI_VALUE_NOT_ARRAY, Severity::Error, path.clone())
                                .message(format!(
                                    "the value of {name} in multiValueHeaders is {}, not an array",
                                    kind(other)
                                ))
                                .effect(self.rejected())
                                .fix(format!("send an array of strings: \"{name}\": [\"...\"]")),
                        ),
                    }
                    if self.fd.profile().allowed_keys.contains(&"headers") {
                        let twice = single
                            .and_then(Value::as_object)
                            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case(name)));
                        if twice {
                            self.push(
                                Finding::new(&c::HEADER_IN_BOTH_MAPS, Severity::Warning, path)
                                    .message(format!(
                                        "{name} is in both headers and multiValueHeaders"
                                    ))
                                    .effect("the client may receive it twice"),
                            );
                        }
                    }
                }
            }
            other => self.push(
                Finding::new(
                    &c::MULTI_VALUE_HEADERS_NOT_OBJECT,
                    Severity::Error,
                    "$.multiValueHeaders",
                )
                .message(format!(
                    "multiValueHeaders is {}, not an object",
                    kind(other)
                ))
                .effect(self.rejected()),
            ),
        }
    }

    fn header_name(&mut self, path: &str, name: &str) {
        if !lambda_proxy_core::header::is_header_name(name) {
            self.push(
                Finding::new(&c::HEADER_NAME_INVALID, Severity::Warning, path)
                    .message(format!("{name:?} is not a valid HTTP header name"))
                    .effect(
                        "not confirmed: the header is probably dropped or the response rejected",
                    ),
            );
        }
    }

    fn header_value(&mut self, path: &str, name: &str, value: &Value) {
        match value {
            Value::String(text) => {
                if text.bytes().any(|b| b == b'\r' || b == b'\n') {
                    self.push(
                        Finding::new(&c::HEADER_VALUE_CRLF, Severity::Warning, path)
                            .message(format!("the value of {name} contains CR or LF"))
                            .effect("not confirmed: the header is dropped or the response rejected; if it got through it would split the header"),
                    );
                } else if !is_printable_ascii(text.as_bytes()) {
                    self.push(
                        Finding::new(&c::HEADER_VALUE_NOT_ASCII, Severity::Strict, path)
                            .message(format!(
                                "the value of {name} has control characters or non-ASCII text"
                            ))
                            .effect("clients may misread it; plain lambda_http fails to serialize such a value"),
                    );
                }
            }
            Value::Bool(_) if self.fd.profile().boolean_header_values => self.push(
                Finding::new(&c::HEADER_VALUE_BOOLEAN_REST, Severity::Strict, path)
                    .message(format!("the value of {name} is a boolean, not a string"))
                    .effect("a REST API sends it as the text true or false"),
            ),
            other => self.push(
                Finding::new(&c::HEADER_VALUE_NOT_STRING, Severity::Warning, path)
                    .message(format!("the value of {name} is {}, not a string", kind(other)))
                    .effect("not confirmed: LocalStack rejects the response; AWS's behaviour is unknown"),
            ),
        }
    }

    fn cookies(&mut self, map: &Map<String, Value>) {
        if !self.v2() {
            return;
        }
        match map.get("cookies") {
            None | Some(Value::Null) => {}
            Some(Value::Array(cookies)) => {
                for (i, cookie) in cookies.iter().enumerate() {
                    if !cookie.is_string() {
                        self.push(
                            Finding::new(
                                &c::COOKIE_NOT_STRING,
                                Severity::Error,
                                format!("$.cookies[{i}]"),
                            )
                            .message(format!("cookie {i} is {}, not a string", kind(cookie)))
                            .effect(self.rejected()),
                        );
                    }
                }
            }
            Some(other) => self.push(
                Finding::new(&c::COOKIES_NOT_ARRAY, Severity::Error, "$.cookies")
                    .message(format!("cookies is {}, not an array", kind(other)))
                    .effect(self.rejected()),
            ),
        }
    }
}

fn header_present(map: &Map<String, Value>, name: &str) -> bool {
    ["headers", "multiValueHeaders"].iter().any(|key| {
        map.get(*key)
            .and_then(Value::as_object)
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case(name)))
    })
}

/// `$.headers["x-id"]`, or `$.body` for identifier-like keys.
pub(super) fn member_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        format!("{parent}.{key}")
    } else {
        format!(
            "{parent}[{}]",
            serde_json::to_string(key).unwrap_or_default()
        )
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Standard base64 with padding, as API Gateway decodes it.
fn is_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|b| **b == b'=').count();
    padding <= 2
        && bytes[..bytes.len() - padding]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
}
