//! The document of one invocation, written into a line: its fixed parts once, in
//! [`Metrics::new`], the rest per invocation without formatting machinery.

use super::recorder::Recorder;
use super::{Metrics, MAX_DIMENSION_VALUE};
use crate::exit::record::Done;

impl Metrics {
    /// The document of the invocation `done` at `timestamp_ms`, into `out`: the parts that do
    /// not change written once, in [`Metrics::new`]; numbers written by `itoa`.
    pub(super) fn document(
        &self,
        out: &mut String,
        done: &Done<'_>,
        added: Option<&Recorder>,
        timestamp_ms: u64,
    ) {
        let added = added.map(Recorder::entries).unwrap_or_default();
        let mut numbers = itoa::Buffer::new();
        out.push_str(r#"{"_aws":{"Timestamp":"#);
        out.push_str(numbers.format(timestamp_ms));
        out.push_str(&self.parts.directive);
        if done.cold_start || !added.is_empty() {
            out.push_str(&self.parts.own_directive);
            let mut first = true;
            if done.cold_start {
                out.push_str(r#"{"Name":"cold_start","Unit":"Count"}"#);
                first = false;
            }
            for entry in &added {
                if !std::mem::take(&mut first) {
                    out.push(',');
                }
                // Names are checked when added: nothing to escape.
                out.push_str(r#"{"Name":""#);
                out.push_str(&entry.name);
                out.push_str(r#"","Unit":""#);
                out.push_str(entry.unit.as_str());
                out.push_str(r#""}"#);
            }
            out.push_str("]}");
        }
        out.push_str(&self.parts.service);
        match done.route {
            Some(route) if route_value(route) => json_string(out, route),
            _ => out.push_str(r#""-""#),
        }
        out.push_str(match done.status {
            100..=199 => r#","status_class":"1xx","requests":1,"latency":"#,
            200..=299 => r#","status_class":"2xx","requests":1,"latency":"#,
            300..=399 => r#","status_class":"3xx","requests":1,"latency":"#,
            400..=499 => r#","status_class":"4xx","requests":1,"latency":"#,
            _ => r#","status_class":"5xx","requests":1,"latency":"#,
        });
        // Milliseconds with three decimals, from whole microseconds.
        let micros = done.duration.as_micros();
        out.push_str(numbers.format(micros / 1000));
        let fraction = micros % 1000;
        out.push('.');
        if fraction < 100 {
            out.push('0');
        }
        if fraction < 10 {
            out.push('0');
        }
        out.push_str(numbers.format(fraction));
        // A status below 400 with an error kind: a stream that failed after its head.
        let failed = done.status >= 500 || (done.status < 400 && done.error.is_some());
        out.push_str(if failed {
            r#","errors":1"#
        } else {
            r#","errors":0"#
        });
        if done.cold_start {
            out.push_str(r#","cold_start":1"#);
        }
        for entry in &added {
            out.push_str(",\"");
            out.push_str(&entry.name);
            out.push_str("\":");
            match entry.values.as_slice() {
                [one] => write_number(out, *one),
                values => {
                    out.push('[');
                    for (i, value) in values.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        write_number(out, *value);
                    }
                    out.push(']');
                }
            }
        }
        out.push_str(r#","request_id":"#);
        json_string(out, done.request_id);
        if let Some(trace_id) = done.trace_id {
            out.push_str(r#","xray_trace_id":"#);
            json_string(out, trace_id);
        }
        out.push('}');
    }
}

/// The parts of every document that do not change, written once.
#[derive(Debug)]
pub(super) struct Parts {
    /// After the timestamp: the directive of `requests`, `latency` and `errors`.
    directive: String,
    /// The beginning of the directive of `cold_start` and the handler's metrics.
    own_directive: String,
    /// The `service` member, and the beginning of the `route` member.
    service: String,
}

impl Parts {
    pub(super) fn new(namespace: &str, service: &str) -> Parts {
        let mut service_member = String::from(r#"]},"service":"#);
        json_string(&mut service_member, service);
        service_member.push_str(r#","route":"#);
        Parts {
            directive: format!(
                r#","CloudWatchMetrics":[{{"Namespace":"{namespace}","Dimensions":[["service","route","status_class"]],"Metrics":[{{"Name":"requests","Unit":"Count"}},{{"Name":"latency","Unit":"Milliseconds"}},{{"Name":"errors","Unit":"Count"}}]}}"#
            ),
            own_directive: format!(
                r#",{{"Namespace":"{namespace}","Dimensions":[["service"]],"Metrics":["#
            ),
            service: service_member,
        }
    }
}

/// A finite number as JSON, in the shortest form that reads back as the same value: without an
/// exponent between 1e-5 and 1e16 (`0.125`, `3`), with one outside (`1e300`, not 301 digits).
fn write_number(out: &mut String, value: f64) {
    use std::fmt::Write as _;
    let magnitude = value.abs();
    if magnitude == 0.0 || (1e-5..1e16).contains(&magnitude) {
        let _ = write!(out, "{value}");
    } else {
        let _ = write!(out, "{value:e}");
    }
}

/// Whether `value` is a dimension value CloudWatch takes: 1 to 1,024 ASCII characters, no
/// control characters.
pub(super) fn dimension_value(value: &str) -> bool {
    !value.trim().is_empty()
        && value.len() <= MAX_DIMENSION_VALUE
        && value.bytes().all(|b| b.is_ascii() && !b.is_ascii_control())
}

/// Whether a route (`GET /users/{id}`) is a dimension value CloudWatch takes. A route is never
/// blank (its template begins with `/`): only its length and bytes are checked, in one pass.
fn route_value(route: &str) -> bool {
    !route.is_empty()
        && route.len() <= MAX_DIMENSION_VALUE
        && route.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Whether `value` has a byte JSON escapes (`"`, `\`, a control character): eight bytes at a
/// time, as the document's ids are checked on every invocation.
fn needs_escape(value: &str) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `x` is zero: the classic test, exact for the "has one" question.
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    let mut chunks = value.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let x = u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8]));
        // A byte below 0x20: below 0x20 once 0x80 is masked off, and 0x80 not set.
        let low = x.wrapping_sub(ONES * 0x20) & !x & HIGHS != 0;
        if low || has_zero(x ^ (ONES * u64::from(b'"'))) || has_zero(x ^ (ONES * u64::from(b'\\')))
        {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b == b'"' || b == b'\\' || b < 0x20)
}

/// `value` as a JSON string.
fn json_string(out: &mut String, value: &str) {
    out.push('"');
    json_escaped(out, value);
    out.push('"');
}

/// `value` escaped for a JSON string.
fn json_escaped(out: &mut String, value: &str) {
    if !needs_escape(value) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Unit;

    fn done<'a>(cold_start: bool, route: Option<&'a str>, status: u16) -> Done<'a> {
        Done {
            request_id: "req-1",
            front_door: Some("http2"),
            method: Some("GET"),
            route,
            status,
            duration: std::time::Duration::from_micros(1500),
            timestamp_ms: 1_700_000_000_000,
            body_bytes: 10,
            cold_start,
            error: None,
            trace_id: Some("Root=1-5759e988-bd862e3fe1be46a994272793"),
        }
    }

    #[test]
    fn the_document_is_the_specifications() {
        let metrics = Metrics::new("shop", "orders").unwrap();
        let recorder = Recorder::recording();
        recorder.add("items", 3.0, Unit::Count).unwrap();
        recorder.add("items", 4.0, Unit::Count).unwrap();
        let mut out = String::new();
        metrics.document(
            &mut out,
            &done(true, Some("GET /users/{id}"), 503),
            Some(&recorder),
            1_700_000_000_000,
        );
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            doc,
            serde_json::json!({
                "_aws": {
                    "Timestamp": 1_700_000_000_000_u64,
                    "CloudWatchMetrics": [
                        {"Namespace": "shop", "Dimensions": [["service", "route", "status_class"]],
                         "Metrics": [{"Name": "requests", "Unit": "Count"}, {"Name": "latency", "Unit": "Milliseconds"}, {"Name": "errors", "Unit": "Count"}]},
                        {"Namespace": "shop", "Dimensions": [["service"]],
                         "Metrics": [{"Name": "cold_start", "Unit": "Count"}, {"Name": "items", "Unit": "Count"}]}
                    ]
                },
                "service": "orders", "route": "GET /users/{id}", "status_class": "5xx",
                "requests": 1, "latency": 1.5, "errors": 1, "cold_start": 1, "items": [3, 4],
                "request_id": "req-1", "xray_trace_id": "Root=1-5759e988-bd862e3fe1be46a994272793"
            })
        );
        let mut warm = String::new();
        metrics.document(&mut warm, &done(false, None, 200), None, 1);
        let warm: serde_json::Value = serde_json::from_str(&warm).unwrap();
        assert_eq!(
            warm["_aws"]["CloudWatchMetrics"].as_array().unwrap().len(),
            1
        );
        assert_eq!(
            (&warm["route"], &warm["errors"]),
            (&serde_json::json!("-"), &serde_json::json!(0))
        );
        // A 4xx is not an error of the service; a stream that failed after its 200 head is.
        for (status, error, errors) in [
            (404, Some("not_found"), 0),
            (200, Some("timeout"), 1),
            (200, None, 0),
        ] {
            let mut out = String::new();
            let done = Done {
                error,
                ..done(false, None, status)
            };
            metrics.document(&mut out, &done, None, 1);
            let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(doc["errors"], errors, "{status} {error:?}");
        }
    }

    #[test]
    fn numbers_are_short_json_that_reads_back() {
        for value in [
            0.0, -0.0, 3.0, 0.125, -2.5, 1e-5, 9.9e15, 1e16, 1e300, -1e-300, 5e-324,
        ] {
            let mut out = String::new();
            write_number(&mut out, value);
            assert!(out.len() <= 24, "{value}: {out}");
            let read: f64 = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{out}: {e}"));
            assert_eq!(
                read.to_bits() & !(1 << 63),
                value.to_bits() & !(1 << 63),
                "{out}"
            );
        }
    }

    #[test]
    fn the_escape_check_finds_every_byte_json_escapes() {
        for byte in 0u8..=0x7f {
            for at in 0..20 {
                let mut text = vec![b'a'; 20];
                text[at] = byte;
                let text = String::from_utf8(text).unwrap();
                let expected = byte == b'"' || byte == b'\\' || byte < 0x20;
                assert_eq!(needs_escape(&text), expected, "{byte:#x} at {at}");
            }
        }
        assert!(!needs_escape("c6af9ac6-7b61-11e6-9a41-93e8deadbeef"));
        assert!(!needs_escape(
            "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
        ));
        assert!(!needs_escape("é ü 日本"));
    }

    #[test]
    fn every_shape_of_the_document_is_json_with_its_members() {
        let metrics = Metrics::new("shop", "orders").unwrap();
        for (cold, added) in [(false, false), (false, true), (true, false), (true, true)] {
            let recorder = Recorder::recording();
            if added {
                recorder.add("a", 1.5, Unit::Bytes).unwrap();
                recorder.add("b", 2.0, Unit::Count).unwrap();
            }
            let mut done = done(cold, Some("GET /a\"b\\c"), 200);
            done.request_id = "id \"quoted\" \\ \u{1}";
            let mut out = String::new();
            metrics.document(&mut out, &done, Some(&recorder), 1);
            let doc: serde_json::Value =
                serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
            let directives = doc["_aws"]["CloudWatchMetrics"].as_array().unwrap();
            assert_eq!(directives.len(), if cold || added { 2 } else { 1 }, "{out}");
            if cold || added {
                let names: Vec<&str> = directives[1]["Metrics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["Name"].as_str().unwrap())
                    .collect();
                let mut expected = Vec::new();
                if cold {
                    expected.push("cold_start");
                }
                if added {
                    expected.extend(["a", "b"]);
                }
                assert_eq!(names, expected, "{out}");
            }
            assert_eq!(doc["route"], "GET /a\"b\\c");
            assert_eq!(doc["request_id"], "id \"quoted\" \\ \u{1}");
            assert_eq!(doc.get("a").is_some(), added, "{out}");
            assert_eq!(doc.get("cold_start").is_some(), cold, "{out}");
        }
    }
}
