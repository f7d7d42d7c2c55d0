//! The embedded metric format checker of `lambda-proxy emf`: whether a CloudWatch EMF document
//! (from lambda-proxy's metrics, Powertools', or any function's) is one CloudWatch turns into
//! metrics, by the rules of the specification and CloudWatch's limits
//! ([`lambda_proxy_core::emf`]).
//!
//! ```
//! let document = serde_json::json!({
//!     "_aws": {
//!         "Timestamp": 1_767_225_600_000_u64,
//!         "CloudWatchMetrics": [{
//!             "Namespace": "shop",
//!             "Dimensions": [["service"]],
//!             "Metrics": [{"Name": "orders", "Unit": "Count"}]
//!         }]
//!     },
//!     "service": "orders",
//!     "orders": 1
//! });
//! assert!(lambda_proxy_cli::emf::check(&document).is_empty());
//! ```

use lambda_proxy_core::emf::{
    Unit, MAX_DIMENSIONS, MAX_DIMENSION_NAME, MAX_DIMENSION_VALUE, MAX_MAGNITUDE, MAX_METRICS,
    MAX_NAME, MAX_NAMESPACE, MAX_VALUES,
};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Every rule `document` breaks, each said in a sentence; empty for a document CloudWatch turns
/// into metrics. The timestamp's age is not judged: CloudWatch takes one up to 14 days old and 2
/// hours ahead of when it reads the log, which a checker of a saved log cannot know.
pub fn check(document: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let Some(root) = document.as_object() else {
        return vec!["the document is not a JSON object".into()];
    };
    let Some(aws) = root.get("_aws").and_then(Value::as_object) else {
        return vec!["`_aws` is missing or not an object: this is no EMF document".into()];
    };
    match aws.get("Timestamp") {
        // An integer, written as one or as a number with no fraction (JSON Schema's `integer`).
        Some(Value::Number(n)) if n.as_f64().is_some_and(|t| t >= 0.0 && t.fract() == 0.0) => {}
        other => found.push(format!(
            "`_aws.Timestamp` must be an integer of milliseconds since the epoch, not {}",
            shown(other)
        )),
    }
    let Some(directives) = aws.get("CloudWatchMetrics").and_then(Value::as_array) else {
        found.push("`_aws.CloudWatchMetrics` is missing or not an array".into());
        return found;
    };
    // The metrics the document defines, by name (a name in two directives is one metric).
    let mut names: BTreeSet<&str> = BTreeSet::new();
    let mut over = false;
    // A metric's storage resolution, by name: one name cannot have two in a document.
    let mut resolutions: BTreeMap<&str, i64> = BTreeMap::new();
    for (d, directive) in directives.iter().enumerate() {
        let at = format!("`_aws.CloudWatchMetrics[{d}]`");
        let Some(directive) = directive.as_object() else {
            found.push(format!("{at} is not an object"));
            continue;
        };
        match directive.get("Namespace") {
            Some(Value::String(ns))
                if !ns.trim().is_empty()
                    && ns.len() <= MAX_NAMESPACE
                    && printable(ns)
                    && !ns.starts_with("AWS/") => {}
            other => found.push(format!(
                "{at}.Namespace must be 1 to {MAX_NAMESPACE} printable ASCII characters, not beginning with `AWS/`, not {}",
                shown(other)
            )),
        }
        dimensions(root, directive, &at, &mut found);
        match directive.get("Metrics").and_then(Value::as_array) {
            None => found.push(format!("{at}.Metrics is missing or not an array")),
            Some(definitions) => {
                if definitions.len() > MAX_METRICS {
                    over = true;
                    found.push(format!(
                        "{at}.Metrics has {} metrics: at most {MAX_METRICS}",
                        definitions.len()
                    ));
                }
                for (m, definition) in definitions.iter().enumerate() {
                    let at = format!("{at}.Metrics[{m}]");
                    if let Some(name) = metric(root, definition, &at, &mut resolutions, &mut found)
                    {
                        names.insert(name);
                    }
                }
            }
        }
    }
    if names.len() > MAX_METRICS && !over {
        found.push(format!(
            "the document defines {} metrics: at most {MAX_METRICS}",
            names.len()
        ));
    }
    found
}

/// Whether `text` is printable ASCII.
fn printable(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// The dimension sets of a directive, and the root members they name.
fn dimensions(
    root: &Map<String, Value>,
    directive: &Map<String, Value>,
    at: &str,
    found: &mut Vec<String>,
) {
    let Some(sets) = directive.get("Dimensions").and_then(Value::as_array) else {
        found.push(format!("{at}.Dimensions is missing or not an array"));
        return;
    };
    if sets.is_empty() {
        found.push(format!(
            "{at}.Dimensions is empty: give at least one set (`[[]]` for none)"
        ));
    }
    for (s, set) in sets.iter().enumerate() {
        let Some(names) = set.as_array() else {
            found.push(format!("{at}.Dimensions[{s}] is not an array of names"));
            continue;
        };
        if names.len() > MAX_DIMENSIONS {
            found.push(format!(
                "{at}.Dimensions[{s}] has {} dimensions: at most {MAX_DIMENSIONS}",
                names.len()
            ));
        }
        for name in names {
            let Some(name) = name.as_str() else {
                found.push(format!(
                    "{at}.Dimensions[{s}] has a name that is not a string: {name}"
                ));
                continue;
            };
            if name.trim().is_empty()
                || name.len() > MAX_DIMENSION_NAME
                || !name.is_ascii()
                || name.starts_with(':')
            {
                found.push(format!(
                    "dimension name {name:?}: 1 to {MAX_DIMENSION_NAME} ASCII characters, not beginning with `:`"
                ));
            }
            match root.get(name) {
                Some(Value::String(value))
                    if !value.trim().is_empty()
                        && value.len() <= MAX_DIMENSION_VALUE
                        && value.bytes().all(|b| b.is_ascii() && !b.is_ascii_control()) => {}
                other => found.push(format!(
                    "{at}.Dimensions[{s}]: dimension {name:?} must be a member of the document whose value is a string of 1 to {MAX_DIMENSION_VALUE} ASCII characters, not {}",
                    shown(other)
                )),
            }
        }
    }
}

/// One metric definition, and the root member it names.
fn metric<'a>(
    root: &'a Map<String, Value>,
    definition: &'a Value,
    at: &str,
    resolutions: &mut BTreeMap<&'a str, i64>,
    found: &mut Vec<String>,
) -> Option<&'a str> {
    let Some(definition) = definition.as_object() else {
        found.push(format!("{at} is not an object"));
        return None;
    };
    let name = match definition.get("Name") {
        Some(Value::String(name)) if !name.trim().is_empty() && name.len() <= MAX_NAME => name,
        other => {
            found.push(format!(
                "{at}.Name must be a string of 1 to {MAX_NAME} characters, not {}",
                shown(other)
            ));
            return None;
        }
    };
    match definition.get("Unit") {
        None => {}
        Some(Value::String(unit)) if Unit::from_name(unit).is_some() => {}
        Some(other) => found.push(format!(
            "metric {name:?} has the unit {other}, which CloudWatch does not have (`Count`, `Milliseconds`, `Bytes/Second`, ...)"
        )),
    }
    // Absent, the resolution is the standard one, 60.
    let resolution = match definition.get("StorageResolution") {
        None => Some(60),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(r) if r == 1.0 || r == 60.0 => Some(if r == 1.0 { 1 } else { 60 }),
            _ => None,
        },
        Some(_) => None,
    };
    match resolution {
        Some(resolution) => {
            if let Some(before) = resolutions.insert(name, resolution) {
                if before != resolution {
                    found.push(format!(
                        "metric {name:?} has two storage resolutions in one document: {before} and {resolution}"
                    ));
                }
            }
        }
        None => found.push(format!(
            "metric {name:?} has StorageResolution {}: 1 (high resolution) or 60",
            shown(definition.get("StorageResolution"))
        )),
    }
    let in_range = |v: &Value| v.as_f64().is_some_and(|v| v.abs() <= MAX_MAGNITUDE);
    match root.get(name.as_str()) {
        Some(value @ Value::Number(_)) if in_range(value) => {}
        Some(Value::Array(values)) if values.iter().all(in_range) => {
            if values.len() > MAX_VALUES {
                found.push(format!(
                    "metric {name:?} has {} values: at most {MAX_VALUES}",
                    values.len()
                ));
            }
        }
        other => found.push(format!(
            "metric {name:?} must be a member of the document whose value is a number or an array of numbers, each from -2^360 to 2^360, not {}",
            shown(other)
        )),
    }
    Some(name.as_str())
}

/// A member's value as a finding shows it.
fn shown(value: Option<&Value>) -> String {
    match value {
        None => "missing".into(),
        Some(value) => {
            let text = value.to_string();
            match text.char_indices().nth(80) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text,
            }
        }
    }
}

/// The EMF documents of a log, with their line numbers (from 1): each line that is a JSON object
/// with `_aws`, or that ends with one after a prefix (the timestamp and stream `aws logs tail`
/// writes before each event); and, as an `Err` with the reason, each line that names `_aws` but
/// is no such object (`NaN`, a cut line, text after the object), which CloudWatch would not read
/// either. Other lines are skipped.
pub fn documents(log: &str) -> Vec<(usize, Result<Value, String>)> {
    log.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let read = |start: usize| -> Option<Value> {
                let value: Value = serde_json::from_str(line[start..].trim_end()).ok()?;
                value.get("_aws").is_some().then_some(value)
            };
            // The document is the object that ends the line: it begins at one of its `{`.
            if let Some(value) = line.match_indices('{').find_map(|(start, _)| read(start)) {
                return Some((i + 1, Ok(value)));
            }
            line.contains("\"_aws\"").then(|| {
                let start = line.find('{').unwrap_or(0);
                let why = match serde_json::from_str::<Value>(line[start..].trim_end()) {
                    Err(error) => {
                        format!("the line names `_aws` but is not a JSON object: {error}")
                    }
                    Ok(_) => "the line names `_aws` but no object that ends it has it".to_owned(),
                };
                (i + 1, Err(why))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid() -> Value {
        json!({
            "_aws": {"Timestamp": 1_700_000_000_000_u64, "CloudWatchMetrics": [
                {"Namespace": "shop", "Dimensions": [["service", "route"]],
                 "Metrics": [{"Name": "latency", "Unit": "Milliseconds"}, {"Name": "hits", "StorageResolution": 1}]}
            ]},
            "service": "orders", "route": "GET /orders", "latency": 1.5, "hits": [1, 2]
        })
    }

    #[test]
    fn a_valid_document_has_no_finding() {
        assert_eq!(check(&valid()), Vec::<String>::new());
        let none = json!({"_aws": {"Timestamp": 1, "CloudWatchMetrics": [{"Namespace": "n", "Dimensions": [[]], "Metrics": []}]}});
        assert_eq!(check(&none), Vec::<String>::new());
        // A timestamp written with an exponent, a resolution written as 60.0, and one metric
        // defined by two directives (one metric, not two) with the same resolution.
        let mut doc = valid();
        doc["_aws"]["Timestamp"] = json!(1.7e12);
        doc["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["StorageResolution"] = json!(60.0);
        let second = json!({"Namespace": "shop", "Dimensions": [["service"]], "Metrics": [{"Name": "latency"}]});
        doc["_aws"]["CloudWatchMetrics"]
            .as_array_mut()
            .unwrap()
            .push(second);
        assert_eq!(check(&doc), Vec::<String>::new());
    }

    #[test]
    fn each_broken_rule_is_named() {
        let broken = |edit: &dyn Fn(&mut Value), needle: &str| {
            let mut doc = valid();
            edit(&mut doc);
            let found = check(&doc);
            assert!(
                found.iter().any(|f| f.contains(needle)),
                "{needle:?} not in {found:?}"
            );
        };
        broken(&|d| d["_aws"]["Timestamp"] = json!("now"), "Timestamp");
        broken(&|d| d["_aws"]["Timestamp"] = json!(1.5), "Timestamp");
        broken(
            &|d| d["_aws"]["CloudWatchMetrics"] = json!({}),
            "CloudWatchMetrics",
        );
        broken(
            &|d| d["_aws"]["CloudWatchMetrics"][0]["Namespace"] = json!(""),
            "Namespace",
        );
        broken(
            &|d| d["_aws"]["CloudWatchMetrics"][0]["Dimensions"] = json!([]),
            "at least one set",
        );
        broken(&|d| d["service"] = json!(7), "dimension \"service\"");
        broken(&|d| d["route"] = json!("é"), "dimension \"route\"");
        broken(
            &|d| {
                d.as_object_mut()
                    .unwrap()
                    .remove("route")
                    .map(drop)
                    .unwrap_or(())
            },
            "dimension \"route\"",
        );
        broken(
            &|d| {
                d["_aws"]["CloudWatchMetrics"][0]["Dimensions"] =
                    json!([(0..31).map(|i| format!("d{i}")).collect::<Vec<_>>()])
            },
            "at most 30",
        );
        broken(
            &|d| d["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0][0] = json!(":x"),
            "beginning with `:`",
        );
        broken(
            &|d| d["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Unit"] = json!("Nanoseconds"),
            "unit",
        );
        broken(
            &|d| d["_aws"]["CloudWatchMetrics"][0]["Metrics"][1]["StorageResolution"] = json!(5),
            "StorageResolution",
        );
        broken(&|d| d["latency"] = json!("fast"), "metric \"latency\"");
        broken(
            &|d| d["hits"] = json!((0..101).collect::<Vec<_>>()),
            "101 values",
        );
        broken(
            &|d| {
                let defs: Vec<Value> = (0..101).map(|i| json!({"Name": format!("m{i}")})).collect();
                d["_aws"]["CloudWatchMetrics"][0]["Metrics"] = json!(defs);
                for i in 0..101 {
                    d[format!("m{i}")] = json!(1);
                }
            },
            "at most 100",
        );
        broken(
            &|d| {
                d["_aws"]["CloudWatchMetrics"][0]["Metrics"] = json!([
                    {"Name": "hits", "StorageResolution": 1}, {"Name": "hits", "StorageResolution": 60}
                ]);
            },
            "two storage resolutions",
        );
        assert!(!check(&json!([])).is_empty());
        assert!(check(&json!({"a": 1}))[0].contains("no EMF document"));
    }

    #[test]
    fn documents_are_found_in_log_lines() {
        let log = "START RequestId: 1\n{\"level\":\"INFO\",\"fields\":{}}\n2026-12-07T00:00:00Z\tabc\t{\"_aws\":{},\"x\":1}\n{\"_aws\":{\"Timestamp\":1}}\nnot json {\n";
        let found = documents(log);
        assert_eq!(
            found.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            [3, 4]
        );
    }
}
