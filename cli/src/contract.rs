//! Whether an answer keeps an OpenAPI 3.1 document's promise: [`Contract::check`] finds the
//! operation of a request in the document and says what about the answer it does not document.
//!
//! For the operation of the request's method and path, the answer's status must be documented
//! (exactly, by its range such as `4XX`, or by `default`); its content type must be one the
//! response lists; a JSON body must validate against the listed schema (JSON Schema 2020-12, by
//! the `jsonschema` crate, with the document's `#/components` to resolve references); every
//! header the response marks `required` must be there, and every documented header that is there
//! must fit its schema.
//!
//! Some answers are HTTP's and need no operation: `404` for a path the document does not list,
//! `405` with `Allow` for a method a path does not have, `OPTIONS` answered `204` or `200` (with
//! `Allow`, or a CORS preflight's `Access-Control-Allow-Methods`), and
//! `HEAD` answered as the path's `GET` without a body.
//!
//! ```
//! use lambda_proxy_cli::contract::{Answer, Contract};
//! use serde_json::json;
//!
//! let document = json!({
//!     "openapi": "3.1.0",
//!     "info": { "title": "users", "version": "1" },
//!     "paths": { "/users/{id}": { "get": { "responses": {
//!         "200": {
//!             "description": "The user.",
//!             "content": { "application/json": { "schema": {
//!                 "type": "object",
//!                 "properties": { "id": { "type": "integer" } },
//!                 "required": ["id"]
//!             } } }
//!         }
//!     } } } }
//! });
//! let contract = Contract::new(&document).unwrap();
//! let headers = [("content-type".to_owned(), "application/json".to_owned())];
//! let answer = Answer { status: 200, headers: &headers, body: br#"{"id":"seven"}"# };
//! let findings = contract.check("GET", "/users/7", &answer);
//! assert_eq!(findings.len(), 1);
//! assert!(findings[0].contains("/id"), "{findings:?}");
//! ```

use base64::Engine as _;
use lambda_proxy_core::front_door::CookieRule;
use lambda_proxy_core::FrontDoor;
use serde_json::{json, Value};
use std::fmt;

/// One answer as the client receives it.
#[derive(Clone, Copy, Debug)]
pub struct Answer<'a> {
    /// The status code.
    pub status: u16,
    /// Every header, `(name, value)`, names in any case.
    pub headers: &'a [(String, String)],
    /// The body's bytes (decoded from base64 where the envelope carried it so).
    pub body: &'a [u8],
}

impl Answer<'_> {
    /// The values of header `name` (any case).
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// What the client receives from a response envelope, by the rules of the front door it is for:
/// the status, each header from the map the front door reads (`multiValueHeaders` where it has a
/// value, else `headers`; `Set-Cookie` from `cookies` on HTTP API 2.0 and function URLs), and the
/// body, base64-decoded when the envelope says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// `statusCode` (0 when it is missing or not a number).
    pub status: u16,
    /// Every header, `(name, value)`, names lowercased, in name order.
    pub headers: Vec<(String, String)>,
    /// The body's bytes.
    pub body: Vec<u8>,
}

impl Received {
    /// What the client receives from `envelope`, a response for `front_door`.
    pub fn of(envelope: &Value, front_door: FrontDoor) -> Self {
        let status = envelope["statusCode"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0);
        let mut names: Vec<String> = ["headers", "multiValueHeaders"]
            .iter()
            .filter_map(|map| envelope[*map].as_object())
            .flat_map(|map| map.keys().map(|k| k.to_ascii_lowercase()))
            .collect();
        names.sort();
        names.dedup();
        let mut headers: Vec<(String, String)> = Vec::new();
        let cookies_array = front_door.format().cookies() == CookieRule::CookiesArray;
        for name in names {
            if cookies_array && name == "set-cookie" {
                continue;
            }
            for value in header_values(envelope, &name) {
                headers.push((name.clone(), value));
            }
        }
        if cookies_array {
            for cookie in envelope["cookies"].as_array().into_iter().flatten() {
                if let Some(cookie) = cookie.as_str() {
                    headers.push(("set-cookie".to_owned(), cookie.to_owned()));
                }
            }
        }
        let text = envelope["body"].as_str().unwrap_or("");
        let body = if envelope["isBase64Encoded"].as_bool().unwrap_or(false) {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap_or_default()
        } else {
            text.as_bytes().to_vec()
        };
        Received {
            status,
            headers,
            body,
        }
    }

    /// The answer to check.
    pub fn answer(&self) -> Answer<'_> {
        Answer {
            status: self.status,
            headers: &self.headers,
            body: &self.body,
        }
    }
}

/// The values of header `name` (lowercase) in `envelope`: from `multiValueHeaders` when it holds
/// a non-empty list for it, else from `headers`.
fn header_values(envelope: &Value, name: &str) -> Vec<String> {
    let find = |map: &Value| -> Option<Value> {
        map.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    match find(&envelope["multiValueHeaders"]) {
        Some(Value::Array(values)) if !values.is_empty() => values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => find(&envelope["headers"])
            .and_then(|v| v.as_str().map(str::to_owned))
            .into_iter()
            .collect(),
    }
}

/// A document that cannot be checked against: not an OpenAPI 3.1 document, or one whose paths
/// cannot be matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractError(String);

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ContractError {}

use lambda_proxy_core::route::OPENAPI_TEMPLATE as TEMPLATE;

/// An OpenAPI 3.1 document, ready to check answers against.
#[derive(Clone, Debug)]
pub struct Contract {
    document: Value,
    paths: matchit::Router<String>,
}

impl Contract {
    /// Reads `document`.
    ///
    /// # Errors
    ///
    /// A document whose `openapi` is not 3.1.x, that has no `paths` object, or two of whose
    /// paths match the same requests.
    pub fn new(document: &Value) -> Result<Self, ContractError> {
        let version = document
            .get("openapi")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !version.starts_with("3.1.") {
            return Err(ContractError(format!(
                "not an OpenAPI 3.1 document: `openapi` is {:?}",
                document.get("openapi").unwrap_or(&Value::Null)
            )));
        }
        let paths = document
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| ContractError("the document has no `paths` object".into()))?;
        let mut matcher = matchit::Router::new();
        for (path, item) in paths {
            // lambda-proxy writes the router's template beside a path OpenAPI cannot say (a
            // catch-all, `{*rest}`, is `{rest}` there), so that `/files/a/b` is matched by it.
            let template = item.get(TEMPLATE).and_then(Value::as_str).unwrap_or(path);
            matcher
                .insert(template, path.clone())
                .map_err(|e| ContractError(format!("path {path:?}: {e}")))?;
        }
        Ok(Contract {
            document: document.clone(),
            paths: matcher,
        })
    }

    /// What `answer`, to a `method` request for `path` (the path within the API, as the
    /// client sent it), does that the document does not say: one sentence per finding, none
    /// when it keeps the promise.
    pub fn check(&self, method: &str, path: &str, answer: &Answer<'_>) -> Vec<String> {
        let path = path.split('?').next().unwrap_or(path);
        match self.paths.at(path) {
            Ok(matched) => self.check_operation(method, matched.value, answer),
            Err(_) if answer.status == 404 => Vec::new(),
            Err(_) => vec![format!(
                "{method} {path}: the document has no path for it, and the answer is {}, not 404",
                answer.status
            )],
        }
    }

    /// As [`check`](Contract::check), for the document's path `path` (`/users/{id}`), already
    /// matched.
    pub fn check_operation(&self, method: &str, path: &str, answer: &Answer<'_>) -> Vec<String> {
        let method = method.to_ascii_uppercase();
        let Some(item) = self.document["paths"].get(path) else {
            return vec![format!("the document has no path {path:?}")];
        };
        let head = method == "HEAD";
        let documented = |m: &str| item.get(m.to_ascii_lowercase()).filter(|o| o.is_object());
        let operation = documented(&method).or_else(|| documented("GET").filter(|_| head));
        let Some(operation) = operation else {
            return self.without_operation(&method, path, answer);
        };
        let label = format!("{method} {path}");
        let mut findings = Vec::new();
        let responses = &operation["responses"];
        let key = answer.status.to_string();
        let range = format!("{}XX", answer.status / 100);
        let Some((_, response)) = [key.as_str(), range.as_str(), "default"]
            .into_iter()
            .find_map(|k| Some((k, responses.get(k)?)))
        else {
            let listed: Vec<&String> = responses
                .as_object()
                .map(|r| r.keys().collect())
                .unwrap_or_default();
            findings.push(format!(
                "{label}: status {} is not documented (the operation lists {})",
                answer.status,
                listed
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return findings;
        };
        let response = self.resolve(response);
        self.check_headers(&label, response, answer, &mut findings);
        if !head {
            self.check_content(&label, response, answer, &mut findings);
        }
        findings
    }

    /// An answer to a method the path documents no operation for.
    fn without_operation(&self, method: &str, path: &str, answer: &Answer<'_>) -> Vec<String> {
        let allow = answer.header("allow");
        match (method, answer.status) {
            // `Allow`, or a CORS preflight's `Access-Control-Allow-Methods`.
            ("OPTIONS", 200 | 204) => Vec::new(),
            (_, 405) if !allow.is_empty() => Vec::new(),
            (_, 405) => vec![format!(
                "{method} {path}: a 405 without `Allow`, which RFC 9110 requires"
            )],
            _ => vec![format!(
                "{method} {path}: the document has no {method} operation, and the answer is {}, not 405",
                answer.status
            )],
        }
    }

    /// `value`, or what its `$ref` points to in the document.
    fn resolve<'v>(&'v self, value: &'v Value) -> &'v Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference
                .strip_prefix('#')
                .and_then(|pointer| self.document.pointer(pointer))
                .unwrap_or(value),
            None => value,
        }
    }

    fn check_headers(
        &self,
        label: &str,
        response: &Value,
        answer: &Answer<'_>,
        findings: &mut Vec<String>,
    ) {
        let Some(headers) = response.get("headers").and_then(Value::as_object) else {
            return;
        };
        for (name, header) in headers {
            let header = self.resolve(header);
            let values = answer.header(name);
            if values.is_empty() {
                if header.get("required") == Some(&Value::Bool(true)) {
                    findings.push(format!(
                        "{label}: the {} answer has no `{name}` header, which the document requires",
                        answer.status
                    ));
                }
                continue;
            }
            if let Some(schema) = header.get("schema") {
                let value = Value::String(values.join(", "));
                for error in self.validate(schema, &value) {
                    findings.push(format!(
                        "{label}: header `{name}` of the {} answer: {error}",
                        answer.status
                    ));
                }
            }
        }
    }

    fn check_content(
        &self,
        label: &str,
        response: &Value,
        answer: &Answer<'_>,
        findings: &mut Vec<String>,
    ) {
        let content = response.get("content").and_then(Value::as_object);
        let empty = answer.body.is_empty();
        // HTTP's statuses without content, and a response of any content, may have no body.
        let no_content = matches!(answer.status, 100..=199 | 204 | 304);
        let any = content.is_some_and(|c| c.keys().any(|k| k.starts_with("*/*")));
        if empty && (no_content || any) {
            return;
        }
        let Some(content) = content.filter(|c| !c.is_empty()) else {
            if !empty {
                findings.push(format!(
                    "{label}: the {} answer has a body, which the document does not list",
                    answer.status
                ));
            }
            return;
        };
        if empty {
            findings.push(format!(
                "{label}: the {} answer has no body, where the document lists {}",
                answer.status,
                content.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
            return;
        }
        let header = answer.header("content-type");
        let media_type = header
            .first()
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let (_, media) = match content
            .iter()
            .find(|(listed, _)| media_matches(listed, &media_type))
        {
            Some(found) => found,
            None => {
                findings.push(format!(
                    "{label}: the {} answer's content type is {:?}, where the document lists {}",
                    answer.status,
                    media_type,
                    content.keys().cloned().collect::<Vec<_>>().join(", ")
                ));
                return;
            }
        };
        let json = media_type == "application/json" || media_type.ends_with("+json");
        let (Some(schema), true) = (media.get("schema"), json) else {
            return;
        };
        let body: Value = match serde_json::from_slice(answer.body) {
            Ok(body) => body,
            Err(error) => {
                findings.push(format!(
                    "{label}: the {} answer's body is not JSON ({error}), as {media_type} says",
                    answer.status
                ));
                return;
            }
        };
        for error in self.validate(schema, &body) {
            findings.push(format!(
                "{label}: the {} answer's body: {error}",
                answer.status
            ));
        }
    }

    /// Every way `instance` breaks `schema`, which may refer to the document's components.
    fn validate(&self, schema: &Value, instance: &Value) -> Vec<String> {
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "allOf": [schema],
            "components": self.document.get("components").cloned().unwrap_or(Value::Null),
        });
        match jsonschema::draft202012::new(&root) {
            Ok(validator) => validator
                .iter_errors(instance)
                .map(|error| {
                    let at = error.instance_path().to_string();
                    let at = if at.is_empty() { "/".to_owned() } else { at };
                    format!("at {at}: {error}")
                })
                .collect(),
            Err(error) => vec![format!("the document's schema cannot be read: {error}")],
        }
    }
}

/// Whether the document's media type `listed` (`application/json`, `text/*`, `*/*`) covers the
/// answer's `actual` one.
fn media_matches(listed: &str, actual: &str) -> bool {
    let listed = listed
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if listed == "*/*" || listed == actual {
        return true;
    }
    match listed.strip_suffix("/*") {
        Some(kind) => actual.split('/').next() == Some(kind),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        json!({
            "openapi": "3.1.0",
            "info": { "title": "t", "version": "1" },
            "paths": {
                "/users": {
                    "post": { "responses": {
                        "201": {
                            "description": "Created.",
                            "headers": { "location": { "required": true, "schema": { "type": "string" } } },
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } }
                        },
                        "4XX": { "$ref": "#/components/responses/Problem" }
                    } }
                }
            },
            "components": {
                "schemas": {
                    "User": {
                        "type": "object",
                        "properties": { "id": { "type": "integer", "minimum": 1 } },
                        "required": ["id"]
                    }
                },
                "responses": {
                    "Problem": {
                        "description": "A problem.",
                        "content": { "application/problem+json": { "schema": { "type": "object" } } }
                    }
                }
            }
        })
    }

    fn answer<'a>(status: u16, headers: &'a [(String, String)], body: &'a str) -> Answer<'a> {
        Answer {
            status,
            headers,
            body: body.as_bytes(),
        }
    }

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn an_answer_that_keeps_the_promise_has_no_finding() {
        let contract = Contract::new(&document()).unwrap();
        let h = headers(&[
            ("Content-Type", "application/json"),
            ("location", "/users/1"),
        ]);
        assert_eq!(
            contract.check("POST", "/users", &answer(201, &h, r#"{"id":1}"#)),
            Vec::<String>::new()
        );
        let problem = headers(&[("content-type", "application/problem+json")]);
        assert!(contract
            .check("POST", "/users", &answer(422, &problem, "{}"))
            .is_empty());
        // HTTP's own answers.
        assert!(contract
            .check("GET", "/orders", &answer(404, &problem, "{}"))
            .is_empty());
        let allow = headers(&[("allow", "POST, OPTIONS")]);
        assert!(contract
            .check("PUT", "/users", &answer(405, &allow, ""))
            .is_empty());
        assert!(contract
            .check("OPTIONS", "/users", &answer(204, &allow, ""))
            .is_empty());
    }

    #[test]
    fn a_catch_all_is_matched_by_the_template_beside_its_path() {
        let document = json!({
            "openapi": "3.1.0",
            "info": { "title": "t", "version": "1" },
            "paths": { "/files/{path}": {
                "x-lambda-proxy-template": "/files/{*path}",
                "get": { "responses": { "200": { "description": "A file." } } }
            } }
        });
        let contract = Contract::new(&document).unwrap();
        let none = headers(&[]);
        assert!(contract
            .check("GET", "/files/a/b/c", &answer(200, &none, ""))
            .is_empty());
    }

    #[test]
    fn what_the_client_receives_by_the_front_door_s_rules() {
        let envelope = json!({
            "statusCode": 201,
            "headers": { "Content-Type": "application/json", "vary": "ignored" },
            "multiValueHeaders": { "vary": ["origin", "accept"], "x-empty": [] },
            "cookies": ["a=1", "b=2"],
            "body": "eyJpZCI6MX0=",
            "isBase64Encoded": true
        });
        let received = Received::of(&envelope, FrontDoor::HttpApiV2);
        assert_eq!(received.status, 201);
        assert_eq!(received.body, br#"{"id":1}"#);
        assert_eq!(
            received.headers,
            headers(&[
                ("content-type", "application/json"),
                ("vary", "origin"),
                ("vary", "accept"),
                ("set-cookie", "a=1"),
                ("set-cookie", "b=2"),
            ])
        );
        // REST reads cookies from the maps, not from `cookies`.
        let rest = Received::of(&envelope, FrontDoor::RestApi);
        assert!(!rest.headers.iter().any(|(n, _)| n == "set-cookie"));
    }

    #[test]
    fn each_broken_promise_is_a_finding() {
        let contract = Contract::new(&document()).unwrap();
        let json_only = headers(&[("content-type", "application/json")]);
        let cases: Vec<(Answer<'_>, &str)> = vec![
            (
                answer(201, &json_only, r#"{"id":0}"#),
                "no `location` header",
            ),
            (
                answer(200, &json_only, "{}"),
                "status 200 is not documented",
            ),
            (answer(201, &json_only, "[]"), "is not of type \"object\""),
            (answer(201, &json_only, ""), "has no body"),
            (answer(201, &json_only, "{"), "is not JSON"),
        ];
        for (answer, expected) in cases {
            let findings = contract.check("POST", "/users", &answer);
            assert!(
                findings.iter().any(|f| f.contains(expected)),
                "{expected}: {findings:?}"
            );
        }
        let text = headers(&[("content-type", "text/plain"), ("location", "/u")]);
        let findings = contract.check("POST", "/users", &answer(201, &text, "hi"));
        assert!(
            findings[0].contains("content type is \"text/plain\""),
            "{findings:?}"
        );
        let bare = headers(&[]);
        assert!(contract.check("PUT", "/users", &answer(405, &bare, ""))[0].contains("Allow"));
        // A 204 has no body, whatever the response lists; the query is not the path.
        let mut no_content = document();
        no_content["paths"]["/users"]["post"]["responses"]["204"] =
            json!({ "description": "No content.", "content": { "application/json": {} } });
        let contract = Contract::new(&no_content).unwrap();
        assert!(contract
            .check("POST", "/users?dry=1", &answer(204, &bare, ""))
            .is_empty());
        assert!(contract.check("GET", "/orders", &answer(200, &bare, ""))[0].contains("not 404"));
        assert!(Contract::new(&json!({ "openapi": "3.0.3", "paths": {} })).is_err());
    }
}
