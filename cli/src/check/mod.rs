//! The envelope checker: what a front door will do with a Lambda proxy response, and why.
//!
//! [`check`] takes any response a function returned (from any language) and the front door that
//! invoked it, and lists every problem as a [`Finding`]: the JSON path, what the front door will
//! do with it, why, and the fix. Findings come in four severities:
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
//! use lambda_proxy_cli::check::{check, Severity};
//! use lambda_proxy_cli::FrontDoor;
//!
//! let response = serde_json::json!({ "statusCode": 200, "body": { "id": 7 } });
//! let report = check(&response, FrontDoor::RestApi);
//! assert!(!report.accepted());
//! assert_eq!(report.findings()[0].path, "$.body");
//! assert_eq!(report.findings()[0].severity, Severity::Error);
//! ```
//!
//! [`extract`] finds the response in text that contains it (a CloudWatch log line, the output of
//! `aws lambda invoke`, a pasted object); the `lambda-proxy check` command is built on
//! both.
//!
//! The module is split as its work is: reading the input (`input.rs`), the rules (`rules.rs`),
//! and the [`catalogue`] of every finding's code, reason and fix.

pub mod catalogue;
mod input;
mod rules;

pub use input::{extract, Extracted, Found, InputError, MAX_INPUT};

use lambda_proxy_core::FrontDoor;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// How serious a [`Finding`] is.
#[non_exhaustive]
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
#[non_exhaustive]
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
    let mut checker = rules::Checker::new(front_door);
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

#[cfg(test)]
mod tests {
    use super::rules::member_path;
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

    /// Where the envelope's own types are wrong, no front door that reads the member delivers it.
    #[test]
    fn wrongly_typed_members_are_not_delivered() {
        let headers = json!({"statusCode": 200, "headers": ["a", "b"], "body": "hi"});
        for fd in FrontDoor::ALL {
            let report = check(&headers, fd);
            assert!(!report.accepted(), "{fd}: {report}");
            assert!(report
                .findings()
                .iter()
                .any(|f| f.code == "headers-not-object"));
        }
        let multi = json!({"statusCode": 200, "multiValueHeaders": "x", "body": "hi", "isBase64Encoded": false, "headers": {}});
        let multi_value = json!({"statusCode": 200, "multiValueHeaders": {"x-a": "1"}, "body": "hi", "isBase64Encoded": false, "headers": {}});
        for fd in [
            FrontDoor::RestApi,
            FrontDoor::HttpApiV1,
            FrontDoor::WebSocket,
            FrontDoor::AlbMultiValue,
        ] {
            assert!(!check(&multi, fd).accepted(), "{fd}");
            assert_eq!(
                codes(multi_value.clone(), fd),
                [("multi-value-not-array", Severity::Error)],
                "{fd}"
            );
        }
        let cookies = json!({"statusCode": 200, "body": "", "cookies": "a=1"});
        let cookie = json!({"statusCode": 200, "body": "", "cookies": [1]});
        let body = json!({"statusCode": 200, "body": 42});
        let flag = json!({"statusCode": 200, "body": "", "isBase64Encoded": "no"});
        for fd in [FrontDoor::HttpApiV2, FrontDoor::FunctionUrl] {
            assert!(!check(&cookies, fd).accepted());
            assert!(!check(&cookie, fd).accepted());
        }
        for fd in FrontDoor::ALL {
            assert!(!check(&body, fd).accepted(), "{fd}");
            assert!(!check(&flag, fd).accepted(), "{fd}");
        }
    }

    /// ALB reads the one header map of its target group's mode.
    #[test]
    fn alb_reads_the_map_of_its_mode() {
        let single = json!({"statusCode": 200, "statusDescription": "200 OK", "headers": {"x-a": "1, 2"}, "body": "", "isBase64Encoded": false});
        let multi = json!({"statusCode": 200, "statusDescription": "200 OK", "multiValueHeaders": {"x-a": ["1", "2"]}, "body": "", "isBase64Encoded": false});
        assert!(check(&single, FrontDoor::Alb).strict_ok());
        assert!(check(&multi, FrontDoor::AlbMultiValue).strict_ok());
        // The other mode's map is missing: the load balancer rejects the answer.
        assert!(
            codes(single, FrontDoor::AlbMultiValue).contains(&("headers-missing", Severity::Error))
        );
        assert!(codes(multi, FrontDoor::Alb).contains(&("headers-missing", Severity::Error)));
    }

    #[test]
    fn every_catalogue_entry_has_a_code_why_and_fix() {
        for rule in catalogue::ALL {
            assert!(!rule.code.is_empty() && !rule.why.is_empty() && !rule.fix.is_empty());
            assert!(rule
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        }
    }

    #[test]
    fn cors_mistakes() {
        let star = serde_json::json!({
            "statusCode": 200, "body": "",
            "headers": {"Access-Control-Allow-Origin": "*", "access-control-allow-credentials": "true"}
        });
        let no_vary = serde_json::json!({
            "statusCode": 200, "body": "",
            "multiValueHeaders": {"access-control-allow-origin": ["https://app.example.com"]}
        });
        let fine = serde_json::json!({
            "statusCode": 200, "body": "",
            "multiValueHeaders": {
                "access-control-allow-origin": ["https://app.example.com"],
                "vary": ["Accept-Encoding, Origin"]
            }
        });
        let codes = |response: &Value, fd| -> Vec<&'static str> {
            check(response, fd)
                .findings()
                .iter()
                .map(|f| f.code)
                .collect()
        };
        assert!(codes(&star, FrontDoor::HttpApiV2).contains(&"cors-any-origin-with-credentials"));
        assert!(!check(&star, FrontDoor::HttpApiV2).accepted());
        assert!(codes(&no_vary, FrontDoor::RestApi).contains(&"cors-origin-without-vary"));
        assert!(check(&no_vary, FrontDoor::RestApi).accepted());
        assert!(!codes(&fine, FrontDoor::RestApi)
            .iter()
            .any(|c| c.starts_with("cors")));
    }

    #[test]
    fn paths() {
        assert_eq!(member_path("$", "body"), "$.body");
        assert_eq!(member_path("$.headers", "x-id"), "$.headers[\"x-id\"]");
    }
}
