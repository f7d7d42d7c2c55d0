//! The envelope checker: what a front door will do with a Lambda proxy response, and why.
//!
//! [`check`] takes any response a function returned (from any language) and the front door that
//! invoked it, and lists every problem as a [`Finding`]: the JSON path, what the front door will
//! do with it, why, and the fix. Findings come in three severities:
//!
//! - [`Severity::Error`]: the front door rejects the response (the client gets a bare 502 or 500)
//!   or mangles it (the client gets something other than what the function meant). Each is backed
//!   by AWS documentation or behaviour recorded against AWS.
//! - [`Severity::Warning`]: behaviour that is not confirmed anywhere, or that depends on the API's
//!   configuration. The finding says so instead of guessing.
//! - [`Severity::Strict`]: accepted, but outside the strict contract lambda-proxy guarantees for
//!   its own responses (for example a numeric string as `statusCode`).
//! - [`Severity::Note`]: correct, but what the client gets depends on how the API is configured
//!   (a base64 body on a REST API, for example). Notes never fail a check.
//!
//! ```
//! use lambda_proxy::check::{check, Severity};
//! use lambda_proxy::FrontDoor;
//!
//! let response = serde_json::json!({ "statusCode": 200, "body": { "id": 7 } });
//! let report = check(&response, FrontDoor::RestApi);
//! assert!(!report.accepted());
//! assert_eq!(report.findings()[0].path, "$.body");
//! assert_eq!(report.findings()[0].severity, Severity::Error);
//! ```
//!
//! [`extract`] finds the response in text that contains it (a CloudWatch log line, the output of
//! `aws lambda invoke`, a pasted object); the `lambda-proxy-check` command-line tool is built on
//! both.

use crate::front_door::FrontDoor;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// How serious a [`Finding`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The front door rejects or mangles the response.
    Error,
    /// Unconfirmed or configuration-dependent behaviour.
    Warning,
    /// Accepted, but outside lambda-proxy's strict contract.
    Strict,
    /// Correct; the outcome depends on the API's configuration.
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Strict => "strict",
            Severity::Note => "note",
        })
    }
}

/// One problem in a response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// A stable identifier, such as `body-not-string`.
    pub code: &'static str,
    /// Where in the response: a JSON path such as `$.body` or `$.headers["x-id"]`.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// What the front door does with it.
    pub effect: String,
    /// Why, with the source of the fact.
    pub why: String,
    /// How to fix it.
    pub fix: String,
}

/// Every finding for one response and front door.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    #[serde(rename = "frontDoor", serialize_with = "front_door_name")]
    front_door: FrontDoor,
    accepted: bool,
    #[serde(rename = "strictOk")]
    strict_ok: bool,
    findings: Vec<Finding>,
}

fn front_door_name<S: serde::Serializer>(fd: &FrontDoor, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(fd.name())
}

impl Report {
    /// The front door the response was checked for.
    pub fn front_door(&self) -> FrontDoor {
        self.front_door
    }

    /// Every finding, errors first.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Whether the front door delivers the response as the function meant it: no
    /// [`Severity::Error`] finding.
    pub fn accepted(&self) -> bool {
        self.accepted
    }

    /// Whether the response meets lambda-proxy's strict contract: no finding but notes.
    pub fn strict_ok(&self) -> bool {
        self.strict_ok
    }

    /// The findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

impl fmt::Display for Report {
    /// A plain-words diagnosis: one paragraph per finding, then a verdict.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(
                f,
                "{}: {}: {}",
                finding.severity, finding.path, finding.message
            )?;
            writeln!(f, "  effect: {}", finding.effect)?;
            writeln!(f, "  why:    {}", finding.why)?;
            writeln!(f, "  fix:    {}", finding.fix)?;
        }
        let (e, w, s) = (
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Strict),
        );
        let n = self.count(Severity::Note);
        let counts = format!(
            "{e} error{}, {w} warning{}, {s} strict, {n} note{}",
            plural(e),
            plural(w),
            plural(n)
        );
        if !self.accepted {
            write!(
                f,
                "{}: this response is not delivered as meant ({counts})",
                self.front_door
            )
        } else if self.findings.is_empty() {
            write!(
                f,
                "{}: valid, and meets the strict contract",
                self.front_door
            )
        } else if self.strict_ok {
            write!(
                f,
                "{}: valid, and meets the strict contract ({counts})",
                self.front_door
            )
        } else {
            write!(f, "{}: accepted ({counts})", self.front_door)
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Checks `response` (the whole JSON value a function returned) for `front_door`.
pub fn check(response: &Value, front_door: FrontDoor) -> Report {
    let size = serde_json::to_string(response).map_or(0, |s| s.len());
    check_sized(response, front_door, size)
}

/// As [`check`], with the size of the response's JSON text as the function sent it.
pub fn check_sized(response: &Value, front_door: FrontDoor, size: usize) -> Report {
    let mut checker = Checker {
        fd: front_door,
        findings: Vec::new(),
    };
    checker.response(response, size);
    let mut findings = checker.findings;
    findings.sort_by_key(|f| f.severity);
    Report {
        front_door,
        accepted: !findings.iter().any(|f| f.severity == Severity::Error),
        strict_ok: findings.iter().all(|f| f.severity == Severity::Note),
        findings,
    }
}

/// Why text could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// Nothing but white space.
    Empty,
    /// Not UTF-8 text.
    NotText,
    /// Larger than the checker reads.
    TooLarge {
        /// The most the checker reads, in bytes.
        limit: usize,
    },
    /// No JSON value in the text.
    NoJson,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => f.write_str("the input is empty: give the response JSON, a log line containing it, or a file"),
            InputError::NotText => f.write_str("the input is not UTF-8 text: give the response JSON as text"),
            InputError::TooLarge { limit } => write!(f, "the input is larger than {limit} bytes, which is more than any front door accepts; give the response alone"),
            InputError::NoJson => f.write_str("no JSON object found in the input: give the response JSON (e.g. {\"statusCode\": 200, \"body\": \"...\"}) or a log line that contains it"),
        }
    }
}

impl std::error::Error for InputError {}

/// The most input [`extract`] reads: 64 MiB, ten times the largest response any front door
/// accepts.
pub const MAX_INPUT: usize = 64 * 1024 * 1024;

/// The response found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Extracted {
    /// The response.
    pub value: Value,
    /// The length of its JSON text, in bytes.
    pub size: usize,
    /// Where it was found, for the user: `the whole input`, or the byte offset in the text.
    pub found: String,
}

const ENVELOPE_KEYS: [&str; 7] = [
    "statusCode",
    "body",
    "headers",
    "multiValueHeaders",
    "isBase64Encoded",
    "cookies",
    "errorMessage",
];

/// Finds the response in `input`: the whole input when it is JSON, else the JSON object in it
/// that looks most like a response (one with `statusCode`, then one with other envelope keys, then
/// the first object), including one embedded as a JSON string in a log record.
///
/// # Errors
///
/// [`InputError`] when the input is empty, not UTF-8, larger than [`MAX_INPUT`], or holds no JSON.
pub fn extract(input: &[u8]) -> Result<Extracted, InputError> {
    if input.len() > MAX_INPUT {
        return Err(InputError::TooLarge { limit: MAX_INPUT });
    }
    let text = std::str::from_utf8(input).map_err(|_| InputError::NotText)?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
        // A log record wrapping the response as a string: prefer the response.
        if let Some(inner) = embedded_response(&value) {
            return Ok(inner);
        }
        return Ok(Extracted {
            size: trimmed.len(),
            value,
            found: "the whole input".into(),
        });
    }
    let mut best: Option<(u8, Extracted)> = None;
    let mut attempts = 0;
    let mut at = 0;
    while let Some(offset) = trimmed[at..].find('{') {
        let start = at + offset;
        attempts += 1;
        if attempts > 10_000 {
            break;
        }
        let mut stream = serde_json::Deserializer::from_str(&trimmed[start..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                let end = start + stream.byte_offset();
                let candidate = match embedded_response(&value) {
                    Some(inner) => inner,
                    None => Extracted {
                        value,
                        size: end - start,
                        found: format!("at byte {start} of the input"),
                    },
                };
                let rank = rank(&candidate.value);
                if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                    best = Some((rank, candidate));
                }
                at = end;
            }
            _ => at = start + 1,
        }
    }
    best.map(|(_, e)| e).ok_or(InputError::NoJson)
}

/// 2: has `statusCode`; 1: has other envelope keys; 0: any object.
fn rank(value: &Value) -> u8 {
    let Some(map) = value.as_object() else {
        return 0;
    };
    if map.contains_key("statusCode") {
        2
    } else if ENVELOPE_KEYS.iter().any(|k| map.contains_key(*k)) {
        1
    } else {
        0
    }
}

/// A string member of `value` (such as a log record's `message`) that is itself a response with a
/// `statusCode`.
fn embedded_response(value: &Value) -> Option<Extracted> {
    let map = value.as_object()?;
    if map.contains_key("statusCode") {
        return None;
    }
    map.iter().find_map(|(key, member)| {
        let text = member.as_str()?;
        let start = text.find('{')?;
        let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
        let inner = stream.next()?.ok()?;
        (rank(&inner) == 2).then(|| Extracted {
            size: stream.byte_offset(),
            value: inner,
            found: format!("inside the string member \"{key}\""),
        })
    })
}

/// How confident a fact is, for one front door.
#[derive(Clone, Copy, PartialEq)]
enum Known {
    /// Documented or recorded against AWS: an error.
    Sure,
    /// Not confirmed for this front door: a warning.
    Unsure,
}

struct Checker {
    fd: FrontDoor,
    findings: Vec<Finding>,
}

/// The front doors that read payload format 1.0 envelopes.
fn v1(fd: FrontDoor) -> bool {
    matches!(
        fd,
        FrontDoor::RestApi | FrontDoor::HttpApiV1 | FrontDoor::WebSocket
    )
}

fn v2(fd: FrontDoor) -> bool {
    matches!(fd, FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl)
}

impl Checker {
    // Every argument is a distinct part of the finding, each call names them in order.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
        effect: impl Into<String>,
        why: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.findings.push(Finding {
            severity,
            code,
            path: path.into(),
            message: message.into(),
            effect: effect.into(),
            why: why.into(),
            fix: fix.into(),
        });
    }

    /// What the client gets when the function failed instead of answering.
    fn failed(&self) -> &'static str {
        match self.fd {
            FrontDoor::HttpApiV1 | FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl => {
                "the client gets 500 {\"message\":\"Internal Server Error\"}"
            }
            FrontDoor::Alb => "the client gets 502 Bad Gateway",
            FrontDoor::VpcLattice => "the client gets an error instead of a response",
            _ => "the client gets 502 {\"message\": \"Internal server error\"}",
        }
    }

    /// What the front door answers when it rejects a response.
    fn rejected(&self) -> &'static str {
        match self.fd {
            FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl => {
                "the client gets 500 {\"message\":\"Internal Server Error\"}"
            }
            FrontDoor::HttpApiV1 => "the client gets 500 {\"message\":\"Internal Server Error\"}",
            FrontDoor::Alb => "the client gets 502 Bad Gateway",
            FrontDoor::VpcLattice => "the client gets an error instead of the response",
            _ => "the client gets 502 {\"message\": \"Internal server error\"}; the execution log says \"Malformed Lambda proxy response\"",
        }
    }

    fn severity(known: Known) -> Severity {
        match known {
            Known::Sure => Severity::Error,
            Known::Unsure => Severity::Warning,
        }
    }

    fn response(&mut self, response: &Value, size: usize) {
        let limit = self.fd.size_limit();
        if size > limit {
            let effect = match self.fd {
                FrontDoor::Alb => "the load balancer answers 502".to_owned(),
                FrontDoor::WebSocket => "the message cannot be sent to the client".to_owned(),
                _ => format!(
                    "the Lambda Runtime API refuses it (413, \"Exceeded maximum allowed payload size\") and {}",
                    self.rejected()
                ),
            };
            self.push(
                Severity::Error,
                "too-large",
                "$",
                format!("the response is {size} bytes; {} delivers at most {limit}", self.fd),
                effect,
                "AWS documents 6 MB for synchronous Lambda responses, 1 MB for ALB and 128 KB for WebSocket messages; base64 bodies count at 4/3 of the binary size",
                "return less (paginate, compress, or hand out a pre-signed S3 URL for large content)",
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
        if v2(self.fd) {
            let (severity, message, effect) = if double {
                (
                    Severity::Error,
                    "the response is a string that holds an envelope's JSON: the envelope was serialized twice".to_owned(),
                    "HTTP API answers 200 with that text as the body: the client sees the envelope itself".to_owned(),
                )
            } else {
                (
                    Severity::Strict,
                    format!("the response is {kind}, not an envelope"),
                    "payload format 2.0 infers one: status 200, content-type application/json, and this value as the body".to_owned(),
                )
            };
            self.push(
                severity,
                "not-an-object",
                "$",
                message,
                effect,
                "AWS documents that a 2.0 response without statusCode is taken as the body of a 200 answer",
                "return an object {\"statusCode\": 200, \"headers\": {...}, \"body\": \"...\"} with the body as a string",
            );
            return;
        }
        let known = match self.fd {
            FrontDoor::RestApi | FrontDoor::HttpApiV1 | FrontDoor::WebSocket | FrontDoor::Alb => {
                Known::Sure
            }
            _ => Known::Unsure,
        };
        let (message, fix) = if double {
            (
                "the response is a string that holds an envelope's JSON: the envelope was serialized twice".to_owned(),
                "return the envelope object itself; do not serialize it to a string (only its body is a string)",
            )
        } else {
            (
                format!("the response is {kind}, not an envelope object"),
                "return an object {\"statusCode\": 200, \"headers\": {...}, \"body\": \"...\"} with the body as a string",
            )
        };
        self.push(
            Self::severity(known),
            "not-an-object",
            "$",
            message,
            self.rejected(),
            "the proxy integration reads statusCode, headers and body from a JSON object (recorded against AWS for strings; SAM rejects other values)",
            fix,
        );
    }

    fn object(&mut self, map: &Map<String, Value>) {
        if map.contains_key("errorMessage") && !map.contains_key("statusCode") {
            let text = |key: &str| map.get(key).and_then(Value::as_str).unwrap_or("");
            if text("errorMessage").contains("Task timed out")
                || text("errorType") == "Sandbox.Timedout"
            {
                self.push(
                    Severity::Error,
                    "function-timeout",
                    "$",
                    "the function timed out: Lambda stopped it before it answered",
                    self.failed(),
                    "AWS documents that a timed-out invocation reaches the client as the front door's generic error (REST APIs answer 504 on their own after 29 s)",
                    "answer before the deadline: read it from the Lambda context and reply with a 504 or partial result in time (lambda-proxy's timeout guard does this); raise the function timeout, or make the handler faster",
                );
                return;
            }
            self.push(
                Severity::Error,
                "function-error",
                "$",
                "this is Lambda's error object ({errorMessage, errorType}): the function failed (an unhandled error, a panic or a timeout) instead of answering",
                self.failed(),
                "AWS documents that a function error reaches the client as the front door's generic error, with no body the function controls",
                "catch every error in the handler and answer with an envelope (lambda-proxy's #[proxy_handler] does this for Rust); look at errorMessage and the function's log for the cause",
            );
            return;
        }
        if v2(self.fd) && !map.contains_key("statusCode") {
            // Not read as an envelope at all: the whole object becomes the body.
            self.status(map);
            return;
        }
        self.keys(map);
        let status = self.status(map);
        self.body(map, status);
        self.base64(map);
        self.headers(map);
        self.cookies(map);
    }

    fn allowed(&self) -> &'static [&'static str] {
        match self.fd {
            FrontDoor::RestApi | FrontDoor::HttpApiV1 | FrontDoor::WebSocket => &[
                "statusCode",
                "headers",
                "multiValueHeaders",
                "body",
                "isBase64Encoded",
            ],
            FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl => &[
                "statusCode",
                "headers",
                "body",
                "isBase64Encoded",
                "cookies",
            ],
            FrontDoor::Alb => &[
                "statusCode",
                "statusDescription",
                "headers",
                "multiValueHeaders",
                "body",
                "isBase64Encoded",
            ],
            _ => &["statusCode", "headers", "body", "isBase64Encoded"],
        }
    }

    fn keys(&mut self, map: &Map<String, Value>) {
        let allowed = self.allowed();
        for key in map.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let path = member_path("$", key);
            // lambda_http writes an empty multiValueHeaders for payload 2.0, which ignores it.
            if v2(self.fd) && key == "multiValueHeaders" {
                if map[key].as_object().is_some_and(Map::is_empty) {
                    continue;
                }
                self.push(
                    Severity::Warning,
                    "multi-value-headers-v2",
                    path,
                    "payload format 2.0 has no multiValueHeaders",
                    "these headers are probably ignored and never reach the client",
                    "AWS documents headers, cookies, body, isBase64Encoded and statusCode for 2.0 responses; what happens to other keys is not documented",
                    "put each header in headers, comma-joining repeated values, and Set-Cookie values in cookies",
                );
                continue;
            }
            let (known, effect) = match self.fd {
                FrontDoor::RestApi | FrontDoor::WebSocket => {
                    (Known::Sure, self.rejected().to_owned())
                }
                FrontDoor::HttpApiV1 => (
                    Known::Unsure,
                    "probably ignored (observed with SAM)".to_owned(),
                ),
                _ => (Known::Unsure, "probably ignored; not documented".to_owned()),
            };
            let severity = if known == Known::Sure {
                Severity::Error
            } else {
                Severity::Warning
            };
            self.push(
                severity,
                "unknown-key",
                path,
                format!("`{key}` is not allowed in a response to {}", self.fd),
                effect,
                format!(
                    "the allowed members are {}; REST APIs reject any other (recorded against AWS)",
                    allowed.join(", ")
                ),
                format!("remove `{key}`"),
            );
        }
    }

    /// Checks `statusCode`; returns it when it is usable.
    fn status(&mut self, map: &Map<String, Value>) -> Option<u16> {
        let path = "$.statusCode";
        let Some(status) = map.get("statusCode") else {
            match self.fd {
                FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl => {
                    let looks_like_envelope = ENVELOPE_KEYS.iter().any(|k| map.contains_key(*k));
                    if looks_like_envelope {
                        self.push(Severity::Error, "status-missing", path,
                            "statusCode is missing, so this object is not read as an envelope",
                            "HTTP API answers 200 with the whole object as a JSON body: the client sees your envelope, headers and all",
                            "AWS documents that a 2.0 response without statusCode is taken as the body of a 200 answer",
                            "add \"statusCode\": 200 (an integer)");
                    } else {
                        self.push(Severity::Strict, "status-missing", path,
                            "statusCode is missing",
                            "payload format 2.0 infers 200, content-type application/json, and the whole object as the body",
                            "AWS documents this inference for 2.0 responses",
                            "return an envelope with \"statusCode\" and the object serialized as \"body\"");
                    }
                }
                FrontDoor::Alb => self.push(Severity::Error, "status-missing", path,
                    "statusCode is missing", self.rejected(),
                    "AWS documents statusCode as required for ALB responses",
                    "add \"statusCode\": 200 (an integer)"),
                FrontDoor::HttpApiV1 | FrontDoor::VpcLattice => self.push(Severity::Warning, "status-missing", path,
                    "statusCode is missing", "probably rejected (the SAM emulator rejects it for HTTP API 1.0); not confirmed against AWS",
                    "the envelope's status is how the client learns the outcome",
                    "add \"statusCode\": 200 (an integer)"),
                _ => self.push(Severity::Strict, "status-missing", path,
                    "statusCode is missing", "the client gets 200, whatever happened",
                    "recorded against AWS: a REST API answers 200 when statusCode is missing",
                    "add \"statusCode\" (an integer)"),
            }
            return None;
        };
        match status {
            Value::Number(n) => {
                let Some(code) = n.as_u64().or_else(|| n.as_i64().map(|_| 0)) else {
                    self.push(Severity::Warning, "status-not-integer", path,
                        format!("statusCode {n} is not an integer"),
                        "not confirmed: the SAM emulator accepts 201.7, API Gateway's behaviour is unknown",
                        "a status code is a whole number",
                        "use an integer such as 201");
                    return None;
                };
                if !(100..=599).contains(&code) {
                    self.push(Severity::Warning, "status-out-of-range", path,
                        format!("statusCode {n} is not an HTTP status code (100–599)"),
                        "not confirmed: emulators pass such values through; clients and proxies may reject them",
                        "HTTP status codes are three digits, 100 to 599",
                        "use a status between 100 and 599 (500 for a failure)");
                    return None;
                }
                u16::try_from(code).ok()
            }
            Value::String(s) => match s.trim().parse::<u16>() {
                Ok(code) if (100..=599).contains(&code) && self.fd == FrontDoor::RestApi => {
                    self.push(
                        Severity::Strict,
                        "status-string",
                        path,
                        format!("statusCode is the string {s:?}, not a number"),
                        format!("a REST API reads it as {code}"),
                        "recorded against AWS: numeric strings are accepted by REST APIs",
                        format!("write it as a number: \"statusCode\": {code}"),
                    );
                    Some(code)
                }
                Ok(code) => {
                    self.push(Severity::Warning, "status-string", path,
                        format!("statusCode is the string {s:?}, not a number"),
                        format!("not confirmed for {}: it may be read as {code} or rejected", self.fd),
                        "REST APIs accept numeric strings (recorded against AWS); other front doors are not documented",
                        format!("write it as a number: \"statusCode\": {code}"));
                    Some(code)
                }
                Err(_) => {
                    self.push(Severity::Error, "status-not-a-number", path,
                        format!("statusCode is the string {s:?}, which is not a number"),
                        self.rejected(),
                        "recorded against AWS (REST API) and the SAM emulator: a non-numeric statusCode is rejected",
                        "use an integer status code such as 200");
                    None
                }
            },
            other => {
                self.push(
                    Severity::Error,
                    "status-not-a-number",
                    path,
                    format!("statusCode is {}, not a number", kind(other)),
                    self.rejected(),
                    "a status code must be an integer; API Gateway cannot read one from this",
                    "use an integer status code such as 200",
                );
                None
            }
        }
    }

    fn body(&mut self, map: &Map<String, Value>, status: Option<u16>) {
        let path = "$.body";
        match map.get("body") {
            None | Some(Value::Null) => {
                if map.get("body").is_some() {
                    self.push(
                        Severity::Warning,
                        "body-null",
                        path,
                        "body is null",
                        "not confirmed: probably taken as an empty body",
                        "API Gateway expects body to be a string",
                        "send \"body\": \"\" for an empty body",
                    );
                } else if !matches!(status, Some(204 | 304)) {
                    self.push(
                        Severity::Strict,
                        "body-missing",
                        path,
                        "body is missing",
                        "the client gets an empty body",
                        "recorded against AWS: a missing body is an empty one",
                        "send \"body\": \"\" explicitly, or the content meant",
                    );
                }
            }
            Some(Value::String(body)) => {
                if matches!(status, Some(204 | 304)) && !body.is_empty() {
                    self.push(
                        Severity::Strict,
                        "body-on-no-content",
                        path,
                        format!("a {} response has a body", status.unwrap_or(204)),
                        "HTTP clients ignore it or fail on it",
                        "204 and 304 responses carry no body (RFC 9110)",
                        "send an empty body, or another status",
                    );
                }
                self.content_type(map, body);
            }
            Some(value @ (Value::Object(_) | Value::Array(_))) => {
                let effect = if v2(self.fd) {
                    "HTTP API answers 500 {\"message\":\"Internal Server Error\"}".to_owned()
                } else {
                    self.rejected().to_owned()
                };
                self.push(Severity::Error, "body-not-string", path,
                    format!("body is {}, not a string", kind(value)),
                    effect,
                    "the proxy integration requires body to be a string; an object body is the classic cause of \"Malformed Lambda proxy response\" (real execution logs)",
                    "serialize the object, e.g. JSON.stringify(body) / json.dumps(body) / serde_json::to_string(&body), and send it with content-type: application/json");
            }
            Some(other) => {
                self.push(
                    Severity::Warning,
                    "body-not-string",
                    path,
                    format!("body is {}, not a string", kind(other)),
                    "not confirmed: probably rejected as a malformed response",
                    "API Gateway expects body to be a string",
                    "send it as a string, e.g. \"body\": \"42\"",
                );
            }
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
        self.push(Severity::Strict, "content-type-missing", "$.headers",
            "the body is JSON but no content-type is given",
            "API Gateway adds content-type: application/json for REST and HTTP APIs; other front doors send none",
            "recorded against AWS: API Gateway adds the header when none is given",
            "send content-type: application/json with JSON bodies");
    }

    fn base64(&mut self, map: &Map<String, Value>) {
        let path = "$.isBase64Encoded";
        match map.get("isBase64Encoded") {
            None => {
                if self.fd == FrontDoor::Alb {
                    self.push(
                        Severity::Error,
                        "base64-flag-missing",
                        path,
                        "isBase64Encoded is missing",
                        self.rejected(),
                        "AWS documents isBase64Encoded as required for ALB responses",
                        "add \"isBase64Encoded\": false (true only for base64 bodies)",
                    );
                }
            }
            Some(Value::Bool(true)) => {
                let body = map.get("body").and_then(Value::as_str).unwrap_or("");
                if !is_base64(body) {
                    self.push(Severity::Error, "base64-invalid", "$.body",
                        "isBase64Encoded is true but body is not valid base64",
                        "the front door fails to decode it (a REST API answers 500) or sends the text as it is",
                        "recorded against AWS: invalid base64 with a matching binaryMediaTypes entry is a 500",
                        "base64-encode the bytes (standard alphabet, with padding), or set isBase64Encoded to false for text");
                } else if self.fd == FrontDoor::RestApi {
                    self.push(Severity::Note, "base64-binary-media-types", "$.body",
                        "a base64 body reaches the client decoded only if the REST API is configured for it",
                        "without a binaryMediaTypes entry matching the request's Accept header, the client receives the base64 text",
                        "recorded against AWS and documented: REST APIs decode base64 bodies only for binaryMediaTypes",
                        "add the content type (or */*) to the API's binaryMediaTypes, and have clients send a matching Accept header");
                }
            }
            Some(Value::Bool(false)) => {}
            Some(other) => {
                self.push(
                    Severity::Warning,
                    "base64-flag-not-boolean",
                    path,
                    format!("isBase64Encoded is {}, not a boolean", kind(other)),
                    "not confirmed against AWS: the SAM emulator rejects such values",
                    "isBase64Encoded is a JSON boolean",
                    "use true or false",
                );
            }
        }
    }

    fn headers(&mut self, map: &Map<String, Value>) {
        let single = map.get("headers");
        let multi = map.get("multiValueHeaders");
        match single {
            None if self.fd == FrontDoor::Alb && multi.is_none() => {
                self.push(Severity::Error, "headers-missing", "$.headers",
                    "headers is missing", self.rejected(),
                    "AWS documents headers as required for ALB responses (multiValueHeaders in multi-value mode)",
                    "send \"headers\": {} and \"multiValueHeaders\": {} with the response headers");
            }
            None => {}
            Some(Value::Null) if self.fd != FrontDoor::RestApi => {
                self.push(
                    Severity::Warning,
                    "headers-null",
                    "$.headers",
                    "headers is null",
                    format!("not confirmed for {}; REST APIs accept it", self.fd),
                    "recorded against AWS for REST APIs only",
                    "send \"headers\": {}",
                );
            }
            Some(Value::Null) => {}
            Some(Value::Object(headers)) => {
                for (name, value) in headers {
                    let path = member_path("$.headers", name);
                    self.header_name(&path, name);
                    self.header_value(&path, name, value);
                    if v2(self.fd) && name.eq_ignore_ascii_case("set-cookie") {
                        self.push(Severity::Strict, "set-cookie-in-headers", path.clone(),
                            "Set-Cookie is in headers",
                            "only one cookie can be set this way",
                            "AWS documents cookies as the place for Set-Cookie values in payload 2.0",
                            "move the cookie to the \"cookies\" array");
                    }
                }
            }
            Some(other) => {
                self.push(
                    Severity::Warning,
                    "headers-not-object",
                    "$.headers",
                    format!("headers is {}, not an object", kind(other)),
                    "not confirmed: probably rejected as a malformed response",
                    "headers maps names to string values",
                    "send an object such as {\"content-type\": \"application/json\"}",
                );
            }
        }
        let Some(multi) = multi else { return };
        if v2(self.fd)
            || !matches!(
                self.fd,
                FrontDoor::RestApi | FrontDoor::HttpApiV1 | FrontDoor::WebSocket | FrontDoor::Alb
            )
        {
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
                        other => {
                            let known = if v1(self.fd) {
                                Known::Sure
                            } else {
                                Known::Unsure
                            };
                            self.push(Self::severity(known), "multi-value-not-array", path.clone(),
                                format!("the value of {name} in multiValueHeaders is {}, not an array", kind(other)),
                                if known == Known::Sure { self.rejected().to_owned() } else { "not confirmed: probably rejected".to_owned() },
                                "recorded against AWS: a multiValueHeaders value that is not an array is a 502",
                                format!("send an array of strings: \"{name}\": [\"...\"]"));
                        }
                    }
                    if self.fd != FrontDoor::Alb {
                        let twice = single
                            .and_then(Value::as_object)
                            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case(name)));
                        if twice {
                            self.push(Severity::Warning, "header-in-both-maps", path,
                                format!("{name} is in both headers and multiValueHeaders"),
                                "the client may receive it twice",
                                "API Gateway merges the two maps; the documentation says once, real reports say twice",
                                "put each header in one map only (multiValueHeaders when it repeats)");
                        }
                    }
                }
            }
            other => {
                self.push(
                    Severity::Warning,
                    "headers-not-object",
                    "$.multiValueHeaders",
                    format!("multiValueHeaders is {}, not an object", kind(other)),
                    "not confirmed: probably rejected as a malformed response",
                    "multiValueHeaders maps names to arrays of strings",
                    "send an object such as {\"set-cookie\": [\"a=1\", \"b=2\"]}",
                );
            }
        }
    }

    fn header_name(&mut self, path: &str, name: &str) {
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token {
            self.push(
                Severity::Warning,
                "header-name-invalid",
                path,
                format!("{name:?} is not a valid HTTP header name"),
                "not confirmed: the header is probably dropped or the response rejected",
                "header names are RFC 9110 tokens: letters, digits and !#$%&'*+-.^_`|~",
                "rename the header",
            );
        }
    }

    fn header_value(&mut self, path: &str, name: &str, value: &Value) {
        match value {
            Value::String(text) => {
                if text.bytes().any(|b| b == b'\r' || b == b'\n') {
                    self.push(Severity::Warning, "header-value-crlf", path,
                        format!("the value of {name} contains CR or LF"),
                        "not confirmed: the header is dropped or the response rejected; if it got through it would split the header",
                        "line breaks end a header line in HTTP/1.1; values copied from user input are the usual source",
                        "remove line breaks (and other control characters) from header values");
                } else if !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                    self.push(Severity::Strict, "header-value-not-ascii", path,
                        format!("the value of {name} has control characters or non-ASCII text"),
                        "clients may misread it; plain lambda_http fails to serialize such a value",
                        "header values are printable ASCII (RFC 9110 allows other bytes only as obsolete text)",
                        "percent-encode the value, or move it to the body");
                }
            }
            Value::Bool(_) if self.fd == FrontDoor::RestApi => {
                self.push(
                    Severity::Strict,
                    "header-value-not-string",
                    path,
                    format!("the value of {name} is a boolean, not a string"),
                    "a REST API sends it as the text true or false",
                    "recorded against AWS: boolean header values are accepted by REST APIs",
                    "send it as a string",
                );
            }
            other => {
                self.push(
                    Severity::Warning,
                    "header-value-not-string",
                    path,
                    format!("the value of {name} is {}, not a string", kind(other)),
                    "not confirmed: LocalStack rejects the response; AWS's behaviour is unknown",
                    "header values are strings",
                    "send it as a string",
                );
            }
        }
    }

    fn cookies(&mut self, map: &Map<String, Value>) {
        if !v2(self.fd) {
            return;
        }
        match map.get("cookies") {
            None | Some(Value::Null) => {}
            Some(Value::Array(cookies)) => {
                for (i, cookie) in cookies.iter().enumerate() {
                    if !cookie.is_string() {
                        self.push(
                            Severity::Warning,
                            "cookie-not-string",
                            format!("$.cookies[{i}]"),
                            format!("cookie {i} is {}, not a string", kind(cookie)),
                            "not confirmed: probably rejected as a malformed response",
                            "each cookie is the text of one Set-Cookie header",
                            "send \"name=value; Path=/\" strings",
                        );
                    }
                }
            }
            Some(other) => {
                self.push(
                    Severity::Warning,
                    "cookies-not-array",
                    "$.cookies",
                    format!("cookies is {}, not an array", kind(other)),
                    "not confirmed: probably rejected as a malformed response",
                    "AWS documents cookies as an array of Set-Cookie values",
                    "send an array of strings",
                );
            }
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
fn member_path(parent: &str, key: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(response: Value, fd: FrontDoor) -> Vec<(&'static str, Severity)> {
        check(&response, fd)
            .findings()
            .iter()
            .map(|f| (f.code, f.severity))
            .collect()
    }

    #[test]
    fn a_strict_envelope_has_no_findings() {
        let ok = json!({"statusCode": 200, "headers": {}, "multiValueHeaders": {"content-type": ["application/json"]}, "body": "{}", "isBase64Encoded": false});
        assert!(check(&ok, FrontDoor::RestApi).strict_ok());
        let ok = json!({"statusCode": 200, "headers": {"content-type": "application/json"}, "multiValueHeaders": {}, "body": "{}", "isBase64Encoded": false, "cookies": []});
        assert!(check(&ok, FrontDoor::HttpApiV2).strict_ok());
    }

    #[test]
    fn object_body_is_the_classic_502() {
        let r = json!({"statusCode": 200, "body": {"id": 1}});
        assert_eq!(
            codes(r, FrontDoor::RestApi),
            [("body-not-string", Severity::Error)]
        );
    }

    #[test]
    fn rest_rejects_unknown_keys_http_v1_ignores_them() {
        let r = json!({"statusCode": 200, "body": "", "statusDescription": "200 OK"});
        assert_eq!(
            codes(r.clone(), FrontDoor::RestApi),
            [("unknown-key", Severity::Error)]
        );
        assert_eq!(
            codes(r.clone(), FrontDoor::HttpApiV1),
            [("unknown-key", Severity::Warning)]
        );
        assert!(check(&r, FrontDoor::Alb)
            .findings()
            .iter()
            .all(|f| f.code != "unknown-key"));
    }

    #[test]
    fn missing_status_on_http_api_2_mangles_an_envelope() {
        let r = json!({"headers": {"x": "1"}, "body": "hi"});
        assert_eq!(
            codes(r, FrontDoor::HttpApiV2)[0],
            ("status-missing", Severity::Error)
        );
        let data = json!({"id": 1});
        assert_eq!(
            codes(data, FrontDoor::HttpApiV2),
            [("status-missing", Severity::Strict)]
        );
    }

    #[test]
    fn status_forms() {
        let s = |v: Value| codes(json!({"statusCode": v, "body": ""}), FrontDoor::RestApi);
        assert_eq!(s(json!("201")), [("status-string", Severity::Strict)]);
        assert_eq!(s(json!("test")), [("status-not-a-number", Severity::Error)]);
        assert_eq!(s(json!(201.7)), [("status-not-integer", Severity::Warning)]);
        assert_eq!(s(json!(999)), [("status-out-of-range", Severity::Warning)]);
        assert_eq!(s(json!(true)), [("status-not-a-number", Severity::Error)]);
    }

    #[test]
    fn function_error_object() {
        let r = json!({"errorMessage": "boom", "errorType": "Runtime.Panic"});
        assert_eq!(
            codes(r, FrontDoor::RestApi),
            [("function-error", Severity::Error)]
        );
    }

    #[test]
    fn base64() {
        let r = json!({"statusCode": 200, "body": "not base64!", "isBase64Encoded": true});
        assert_eq!(
            codes(r, FrontDoor::HttpApiV2),
            [("base64-invalid", Severity::Error)]
        );
        let r = json!({"statusCode": 200, "body": "iVBORw==", "isBase64Encoded": true});
        assert_eq!(
            codes(r.clone(), FrontDoor::RestApi),
            [("base64-binary-media-types", Severity::Note)]
        );
        assert!(check(&r, FrontDoor::RestApi).strict_ok());
        assert!(check(&r, FrontDoor::HttpApiV2).strict_ok());
    }

    #[test]
    fn extraction_from_text() {
        let line = r#"2026-11-24T10:00:00Z abc INFO Endpoint response body before transformations: {"statusCode":200,"body":{"a":1}}"#;
        let found = extract(line.as_bytes()).unwrap();
        assert_eq!(found.value["statusCode"], 200);
        let log = r#"{"level":"INFO","message":"{\"statusCode\": 201, \"body\": \"x\"}"}"#;
        assert_eq!(extract(log.as_bytes()).unwrap().value["statusCode"], 201);
        assert_eq!(extract(b"   "), Err(InputError::Empty));
        assert_eq!(extract(b"\xff\xfe"), Err(InputError::NotText));
        assert_eq!(extract(b"no json here"), Err(InputError::NoJson));
        let invoke = "{\n  \"StatusCode\": 200,\n  \"ExecutedVersion\": \"$LATEST\"\n}\n{\"statusCode\": 404, \"body\": \"\"}";
        assert_eq!(extract(invoke.as_bytes()).unwrap().value["statusCode"], 404);
    }

    #[test]
    fn paths() {
        assert_eq!(member_path("$", "body"), "$.body");
        assert_eq!(member_path("$.headers", "x-id"), "$.headers[\"x-id\"]");
    }
}
