//! Finding the response in what the user gives the checker: the response JSON itself, a
//! CloudWatch log line that contains it, the output of `aws lambda invoke`, a pasted object.

use serde_json::Value;
use std::fmt;

/// Why text could not be checked.
#[non_exhaustive]
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

/// Where in the input the response was found.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// The whole input is the response.
    WholeInput,
    /// A JSON object starting at this byte offset of the input.
    AtByte(usize),
    /// Inside a string member of a JSON object (a log record's `message`), by the member's name.
    InsideString(String),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::WholeInput => f.write_str("the whole input"),
            Found::AtByte(offset) => write!(f, "at byte {offset} of the input"),
            Found::InsideString(key) => write!(f, "inside the string member \"{key}\""),
        }
    }
}

/// The response found in a text.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub struct Extracted {
    /// The response.
    pub value: Value,
    /// The length of its JSON text, in bytes.
    pub size: usize,
    /// Where it was found.
    pub found: Found,
}

/// The members that make an object look like a response envelope (or Lambda's error object).
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
            found: Found::WholeInput,
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
                        found: Found::AtByte(start),
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
pub(super) fn rank(value: &Value) -> u8 {
    let Some(map) = value.as_object() else {
        return 0;
    };
    if map.contains_key("statusCode") {
        2
    } else if looks_like_envelope(map) {
        1
    } else {
        0
    }
}

/// Whether an object has any member of an envelope (or of Lambda's error object).
pub(super) fn looks_like_envelope(map: &serde_json::Map<String, Value>) -> bool {
    ENVELOPE_KEYS.iter().any(|k| map.contains_key(*k))
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
            found: Found::InsideString(key.clone()),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extraction_from_text() {
        let line = r#"2026-11-24T10:00:00Z abc INFO Endpoint response body before transformations: {"statusCode":200,"body":{"a":1}}"#;
        let found = extract(line.as_bytes()).unwrap();
        assert_eq!(found.value["statusCode"], 200);
        assert_eq!(found.found, Found::AtByte(77));
        let log = r#"{"level":"INFO","message":"{\"statusCode\": 201, \"body\": \"x\"}"}"#;
        let found = extract(log.as_bytes()).unwrap();
        assert_eq!(found.value["statusCode"], 201);
        assert_eq!(found.found, Found::InsideString("message".into()));
        assert_eq!(extract(b"   "), Err(InputError::Empty));
        assert_eq!(extract(b"\xff\xfe"), Err(InputError::NotText));
        assert_eq!(extract(b"no json here"), Err(InputError::NoJson));
        let invoke = "{\n  \"StatusCode\": 200,\n  \"ExecutedVersion\": \"$LATEST\"\n}\n{\"statusCode\": 404, \"body\": \"\"}";
        assert_eq!(extract(invoke.as_bytes()).unwrap().value["statusCode"], 404);
        assert_eq!(extract(b" {} ").unwrap().found, Found::WholeInput);
    }
}
