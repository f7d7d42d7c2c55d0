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
    let mut scan = Scan::default();
    scan.objects(trimmed);
    scan.best.map(|(_, e)| e).ok_or(InputError::NoJson)
}

/// The search for JSON objects in text, in time linear in the text: no byte is parsed again and
/// again by attempts that start at every `{` and fail at the same place far ahead.
#[derive(Default)]
struct Scan {
    best: Option<(u8, Extracted)>,
    /// Bytes handed to the JSON parser and to the structure pass, for the test that proves the
    /// work linear.
    steps: usize,
    /// What the retries (from a `{` inside a string of a failed prefix, or of an object still open
    /// where serde_json's depth limit was hit) may still read, together: the text's length.
    retry_budget: usize,
}

impl Scan {
    /// Every JSON object of `text` that a parse can read from its `{`, the best ranked kept.
    ///
    /// A parse from a `{` that fails at byte `f` read a valid JSON prefix up to `f`. Inside that
    /// prefix, an object that closes before `f` is valid JSON and is read on its own; one that
    /// does not close before `f` would fail at `f` again, so it is not tried; a `{` inside a
    /// string of the prefix is tried (it fails within a few bytes: the string's quotes are
    /// escaped), within a budget. The search goes on at `f`, or past the end of an object a retry
    /// read whole.
    fn objects(&mut self, text: &str) {
        self.retry_budget = text.len();
        let mut at = 0;
        while let Some(offset) = text[at..].find('{') {
            let start = at + offset;
            match self.parse(text, start, text.len()) {
                Ok(end) => at = end,
                Err(failure) => {
                    let mut failed_at = failure.at.clamp(start + 1, text.len());
                    while !text.is_char_boundary(failed_at) {
                        failed_at += 1;
                    }
                    let (unclosed, read_to) = self.inside_failed_prefix(text, start, failed_at);
                    // serde_json's depth limit depends on the depth, not on the place: an object
                    // still open where the limit was hit may be shallow enough on its own. There
                    // are at most as many of them as the limit allows (128).
                    // Those retries read no more, together over the whole search, than the text is
                    // long.
                    if failure.too_deep {
                        for s in unclosed {
                            // Outermost first: one read whole covers those inside it.
                            if s < at {
                                continue;
                            }
                            if let Some(end) = self.retry(text, s) {
                                at = at.max(end);
                            }
                        }
                    }
                    // Past what a retry read whole, too: objects inside it are not tried again.
                    at = at.max(failed_at).max(read_to);
                }
            }
        }
    }

    /// Parses one JSON value from `start`, reading no further than `limit`: its end, or where
    /// and why the parse failed.
    fn parse(&mut self, text: &str, start: usize, limit: usize) -> Result<usize, Failure> {
        let rest = &text[start..limit];
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                let end = start + stream.byte_offset();
                self.steps += end - start;
                self.consider(value, start, end);
                Ok(end)
            }
            Some(Err(error)) => {
                let at = start + error_offset(rest, &error);
                self.steps += at.saturating_sub(start);
                Err(Failure {
                    at,
                    too_deep: error.to_string().starts_with("recursion limit exceeded"),
                })
            }
            None => {
                self.steps += rest.len();
                Err(Failure {
                    at: limit,
                    too_deep: false,
                })
            }
        }
    }

    /// A retry from `start`, within what is left of the retry budget: the end of the object when
    /// it parsed.
    fn retry(&mut self, text: &str, start: usize) -> Option<usize> {
        if self.retry_budget == 0 {
            return None;
        }
        let limit = char_boundary(text, start + self.retry_budget);
        let before = self.steps;
        let parsed = self.parse(text, start, limit).ok();
        self.retry_budget = self.retry_budget.saturating_sub(self.steps - before);
        parsed
    }

    /// The objects inside `text[start..failed_at]`, a valid JSON prefix: the complete ones that
    /// no other complete one contains, and the `{` inside its strings. Returns the objects still
    /// open at `failed_at` (`start`'s excepted), and how far a retry read a whole object.
    fn inside_failed_prefix(
        &mut self,
        text: &str,
        start: usize,
        failed_at: usize,
    ) -> (Vec<usize>, usize) {
        let region = &text.as_bytes()[start..failed_at];
        self.steps += region.len();
        let mut open: Vec<usize> = Vec::new();
        let mut complete: Vec<(usize, usize)> = Vec::new();
        let mut in_string_braces: Vec<usize> = Vec::new();
        let (mut in_string, mut escaped) = (false, false);
        for (i, &b) in region.iter().enumerate() {
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    b'{' => in_string_braces.push(start + i),
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => open.push(if b == b'{' { start + i } else { usize::MAX }),
                b'}' | b']' => {
                    if let Some(opened) = open.pop() {
                        // Only objects, and only the outermost complete ones: an inner one is
                        // replaced by the one around it.
                        if opened != usize::MAX && opened != start {
                            // Spans nest, and close in order: the ones it contains are last.
                            while complete.last().is_some_and(|&(s, _)| s > opened) {
                                complete.pop();
                            }
                            complete.push((opened, start + i + 1));
                        }
                    }
                }
                _ => {}
            }
        }
        for (s, e) in complete {
            if let Ok(value) = serde_json::from_str::<Value>(&text[s..e]) {
                self.steps += e - s;
                self.consider(value, s, e);
            }
        }
        // Most fail within a few bytes (the string's own quotes are escaped); all of them read no
        // more, together over the whole search, than the text is long.
        let mut read_to = 0;
        for s in in_string_braces {
            // One read whole covers the braces inside it.
            if s < read_to {
                continue;
            }
            if let Some(end) = self.retry(text, s) {
                read_to = read_to.max(end);
            }
        }
        open.retain(|&s| s != usize::MAX && s != start);
        (open, read_to)
    }

    /// A parsed value from `text[start..end]`: kept when it ranks higher than the best so far.
    fn consider(&mut self, value: Value, start: usize, end: usize) {
        let candidate = match embedded_response(&value) {
            Some(inner) => inner,
            None => Extracted {
                value,
                size: end - start,
                found: Found::AtByte(start),
            },
        };
        let rank = rank(&candidate.value);
        if self.best.as_ref().is_none_or(|(r, _)| rank > *r) {
            self.best = Some((rank, candidate));
        }
    }
}

/// `at`, or the end of `text` when it is past it, moved forward to a character boundary.
fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Where, and whether because of serde_json's depth limit, a parse failed.
struct Failure {
    at: usize,
    too_deep: bool,
}

/// The byte offset in `text` of a parse error, from its line and column (serde_json counts
/// columns in bytes).
fn error_offset(text: &str, error: &serde_json::Error) -> usize {
    let line_start = if error.line() <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(error.line() - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    (line_start + error.column().saturating_sub(1)).min(text.len())
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
        // Inside a record that is cut off, the complete envelope is still found.
        let cut =
            r#"log {"record": {"a": 1, "response": {"statusCode": 202, "body": ""}, "b": [1, 2"#;
        assert_eq!(extract(cut.as_bytes()).unwrap().value["statusCode"], 202);
        // Inside a record too deep for serde_json, a shallow envelope is still found.
        let deep = format!(
            r#"{{"a": {}{{"statusCode": 204, "x": {}1{}}}"#,
            "[".repeat(10),
            "[".repeat(125),
            "]".repeat(125)
        );
        assert_eq!(extract(deep.as_bytes()).unwrap().value["statusCode"], 204);
        // A `{` that a failed parse read as part of a string: `{"` then an envelope.
        let quoted = r#"{"{"statusCode": 205, "body": ""}"#;
        assert_eq!(extract(quoted.as_bytes()).unwrap().value["statusCode"], 205);
        // And inside a string of such a record, unescaped as a log message carries it.
        let nested = r#"x {"m": "{}", "n": {"statusCode": 203}, "cut": "#;
        assert_eq!(extract(nested.as_bytes()).unwrap().value["statusCode"], 203);
    }

    /// The crafted input of the issue (6.1 s in a release build for 10 MB; 10.08 s here with
    /// `1,` as the padding): `{"a":[` and padding, repeated.
    /// The work, counted in bytes handed to the parser and to the structure pass, grows linearly
    /// with the input: the whole-input parse, the structure pass, and retries within a budget of
    /// the input's length.
    #[test]
    fn the_search_is_linear_in_the_input() {
        let steps = |blocks: usize| {
            let block = format!("{{\"a\":[{}", "1,".repeat(4_000));
            let text = block.repeat(blocks);
            let mut scan = Scan::default();
            scan.objects(&text);
            (scan.steps, text.len())
        };
        for blocks in [10, 100, 400] {
            let (work, len) = steps(blocks);
            assert!(
                work <= 3 * len,
                "{blocks} blocks: {work} steps for {len} bytes"
            );
        }
    }
}
