//! The CloudWatch embedded metric format, as its specification defines it: the published JSON
//! Schema (`tests/fixtures/emf/schema.json`), and the rules of the specification's text that the
//! schema does not express.

use serde_json::Value;

/// The specification's schema, compiled.
pub fn schema() -> jsonschema::Validator {
    let text = include_str!("../../fixtures/emf/schema.json");
    let schema: Value = serde_json::from_str(text).expect("the EMF schema is JSON");
    // The schema is written for draft 7 (its `$id`s are JSON Pointer fragments).
    jsonschema::draft7::new(&schema).expect("the EMF schema compiles")
}

/// Every rule `document` breaks, empty for a valid one.
pub fn violations(schema: &jsonschema::Validator, document: &Value) -> Vec<String> {
    let mut found: Vec<String> = schema
        .iter_errors(document)
        .map(|e| format!("schema: {e} at {}", e.instance_path()))
        .collect();
    let root = document.as_object();
    let directives = document["_aws"]["CloudWatchMetrics"].as_array();
    let mut metrics = 0;
    for directive in directives.into_iter().flatten() {
        let defined = directive["Metrics"].as_array().map_or(0, Vec::len);
        metrics += defined;
        if defined > 100 {
            found.push(format!("{defined} metrics in one directive: at most 100"));
        }
        for set in directive["Dimensions"].as_array().into_iter().flatten() {
            let set = set.as_array().cloned().unwrap_or_default();
            if set.len() > 30 {
                found.push(format!("{} dimensions in a set: at most 30", set.len()));
            }
            for name in set {
                let name = name.as_str().unwrap_or_default();
                if name.starts_with(':') || !name.is_ascii() {
                    found.push(format!("dimension name {name:?}"));
                }
                match root.and_then(|r| r.get(name)) {
                    Some(Value::String(value))
                        if !value.is_empty() && value.len() <= 1024 && value.is_ascii() => {}
                    other => found.push(format!(
                        "dimension {name:?} is not a root string of 1 to 1,024 ASCII characters: {other:?}"
                    )),
                }
            }
        }
        for metric in directive["Metrics"].as_array().into_iter().flatten() {
            let name = metric["Name"].as_str().unwrap_or_default();
            match root.and_then(|r| r.get(name)) {
                Some(Value::Number(_)) => {}
                Some(Value::Array(values))
                    if values.len() <= 100 && values.iter().all(Value::is_number) => {}
                other => found.push(format!(
                    "metric {name:?} is not a root number or array of at most 100 numbers: {other:?}"
                )),
            }
            if let Some(resolution) = metric.get("StorageResolution") {
                if resolution != 1 && resolution != 60 {
                    found.push(format!(
                        "metric {name:?} has StorageResolution {resolution}"
                    ));
                }
            }
        }
    }
    if metrics > 100 {
        found.push(format!("{metrics} metrics in one document: at most 100"));
    }
    // CloudWatch takes a timestamp up to 14 days old and 2 hours ahead.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    match document["_aws"]["Timestamp"].as_u64() {
        Some(ms) if ms + 14 * 24 * 3_600_000 >= now && ms <= now + 2 * 3_600_000 => {}
        other => found.push(format!(
            "Timestamp {other:?} is not within 14 days before and 2 hours after now ({now})"
        )),
    }
    found
}
