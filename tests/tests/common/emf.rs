//! The CloudWatch embedded metric format, judged twice: by the specification's published JSON
//! Schema (`tests/fixtures/emf/schema.json`), an outside judge, and by the rules of its text and
//! CloudWatch's limits as `lambda-proxy emf` checks them (`lambda_proxy_cli::emf`), with the
//! timestamp's window against now.

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
    found.extend(lambda_proxy_cli::emf::check(document));
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
