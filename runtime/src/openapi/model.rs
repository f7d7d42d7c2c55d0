//! The parts of an operation while it is described, and how each is written as OpenAPI 3.1
//! JSON; the reading of a JSON Schema's properties, items and nullability.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Where the shared problem-details schema is referred to while the document is built; it is
/// named when the schemas of the handlers' types are known (`Problem`, unless one of them has
/// that name).
pub(crate) const PROBLEM_REF: &str = "#/components/schemas/__problem";

/// One parameter of an operation.
pub(crate) struct Parameter {
    pub(crate) name: String,
    location: &'static str,
    required: bool,
    schema: Value,
    description: Option<String>,
    /// `style: form, explode: true` with an object schema: any keys.
    free_form: bool,
}

impl Parameter {
    pub(crate) fn path(name: &str, schema: Value) -> Self {
        Parameter {
            name: name.to_owned(),
            location: "path",
            required: true,
            schema,
            description: None,
            free_form: false,
        }
    }

    pub(crate) fn query(name: String, required: bool, schema: Value) -> Self {
        Parameter {
            name,
            location: "query",
            required,
            schema,
            description: None,
            free_form: false,
        }
    }

    /// The whole query string as one object of any keys: a `Query<T>` whose `T` has no
    /// schema, or one that is no struct (a map).
    pub(crate) fn free_form_query(schema: Value) -> Self {
        Parameter {
            name: "query".to_owned(),
            location: "query",
            required: false,
            schema,
            description: Some("The query string's parameters.".to_owned()),
            free_form: true,
        }
    }

    pub(crate) fn header(name: &str, required: bool, description: &str) -> Self {
        Parameter {
            name: name.to_ascii_lowercase(),
            location: "header",
            required,
            schema: json!({ "type": "string" }),
            description: (!description.is_empty()).then(|| description.to_owned()),
            free_form: false,
        }
    }

    pub(crate) fn is(&self, name: &str, location: &str) -> bool {
        self.name == name && self.location == location
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("name".into(), self.name.clone().into());
        object.insert("in".into(), self.location.into());
        if let Some(description) = &self.description {
            object.insert("description".into(), description.clone().into());
        }
        if self.required {
            object.insert("required".into(), true.into());
        }
        if self.free_form {
            object.insert("style".into(), "form".into());
            object.insert("explode".into(), true.into());
        }
        object.insert("schema".into(), self.schema.clone());
        Value::Object(object)
    }
}

/// The request body of an operation.
pub(crate) struct RequestBody {
    required: bool,
    media_type: &'static str,
    schema: Value,
}

impl RequestBody {
    /// A JSON body, required.
    pub(crate) fn json(schema: Value) -> Self {
        RequestBody {
            required: true,
            media_type: "application/json",
            schema,
        }
    }

    /// A body of any content type, which may be empty.
    pub(crate) fn any(schema: Value) -> Self {
        RequestBody {
            required: false,
            media_type: "*/*",
            schema,
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "required": self.required,
            "content": { self.media_type: { "schema": self.schema } },
        })
    }
}

/// One response header: described in place, or a reference to one of `#/components/headers`.
pub(crate) struct Header {
    pub(crate) required: bool,
    pub(crate) schema: Value,
    pub(crate) description: &'static str,
    pub(crate) reference: Option<String>,
}

impl Header {
    /// A header described in place.
    pub(crate) fn new(required: bool, schema: Value, description: &'static str) -> Self {
        Header {
            required,
            schema,
            description,
            reference: None,
        }
    }

    /// A reference to `#/components/headers/{name}`, where the header is described.
    pub(crate) fn reference(name: &str) -> Self {
        Header {
            required: false,
            schema: Value::Null,
            description: "",
            reference: Some(format!("#/components/headers/{name}")),
        }
    }

    /// The header object: what `#/components/headers` holds for a reference to it.
    pub(crate) fn object(&self) -> Value {
        let mut object = Map::new();
        if !self.description.is_empty() {
            object.insert("description".into(), self.description.into());
        }
        if self.required {
            object.insert("required".into(), true.into());
        }
        object.insert("schema".into(), self.schema.clone());
        Value::Object(object)
    }

    fn to_json(&self) -> Value {
        match &self.reference {
            Some(reference) => json!({ "$ref": reference }),
            None => self.object(),
        }
    }
}

/// One response of an operation: every reason it is given, its headers, and each media type
/// with the schemas its body may have.
#[derive(Default)]
pub(crate) struct Response {
    pub(crate) reasons: Vec<String>,
    pub(crate) headers: BTreeMap<String, Header>,
    pub(crate) content: BTreeMap<String, Vec<Value>>,
}

impl Response {
    pub(crate) fn reason(&mut self, reason: &str) {
        if !self.reasons.iter().any(|r| r == reason) {
            self.reasons.push(reason.to_owned());
        }
    }

    pub(crate) fn content(&mut self, media_type: &str, schema: Value) {
        let schemas = self.content.entry(media_type.to_owned()).or_default();
        if !schemas.contains(&schema) {
            schemas.push(schema);
        }
    }

    /// A header the exit adds, which replaces the handler's own of that name (`Vary`, to which
    /// the exit appends `origin`).
    pub(crate) fn exit_header(&mut self, name: &str, header: Header) {
        self.headers.insert(name.to_owned(), header);
    }

    pub(crate) fn header(&mut self, name: &str, header: Header) {
        // A header some answers at this status lack is not required of all of them.
        match self.headers.get_mut(name) {
            Some(existing) => existing.required &= header.required,
            None => {
                self.headers.insert(name.to_owned(), header);
            }
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("description".into(), self.reasons.join(" ").into());
        if !self.headers.is_empty() {
            let headers: Map<String, Value> = self
                .headers
                .iter()
                .map(|(name, header)| (name.clone(), header.to_json()))
                .collect();
            object.insert("headers".into(), Value::Object(headers));
        }
        if !self.content.is_empty() {
            let content: Map<String, Value> = self
                .content
                .iter()
                .map(|(media_type, schemas)| {
                    let schema = match schemas.as_slice() {
                        [one] => one.clone(),
                        many => json!({ "anyOf": many }),
                    };
                    (media_type.clone(), json!({ "schema": schema }))
                })
                .collect();
            object.insert("content".into(), Value::Object(content));
        }
        Value::Object(object)
    }
}

/// The schema of a type that has none: any JSON, and the document says why.
pub(crate) fn open_schema(type_name: &str) -> Value {
    json!({
        "description": format!(
            "Any JSON: `{type_name}` has no JSON Schema (derive `schemars::JsonSchema` for it to describe it here)."
        )
    })
}

/// The problem-details schema (RFC 9457) every error answer has.
pub(crate) fn problem_schema() -> Value {
    json!({
        "type": "object",
        "description": "Problem details (RFC 9457). A 5xx never says more than a generic `detail`; quote `requestId` when reporting one.",
        "properties": {
            "type": { "type": "string", "description": "A URI naming the kind of problem; `about:blank` when only the status says it." },
            "title": { "type": "string" },
            "status": { "type": "integer", "minimum": 400, "maximum": 599 },
            "detail": { "type": "string" },
            "instance": { "type": "string" },
            "requestId": { "type": "string", "description": "The Lambda request id of the invocation." },
            "errors": {
                "type": "array",
                "description": "Every constraint the request breaks (a 422 of validation).",
                "items": {
                    "type": "object",
                    "properties": {
                        "pointer": { "type": "string", "description": "A JSON Pointer (as a URI fragment, `#/name`) to the value." },
                        "detail": { "type": "string" }
                    }
                }
            }
        },
        "required": ["type", "title", "status"]
    })
}

/// The schema of property `name` of an object schema.
pub(crate) fn property(schema: &Value, name: &str) -> Option<Value> {
    schema.get("properties")?.get(name).cloned()
}

/// The schema of item `index` of a tuple schema (`prefixItems`).
pub(crate) fn item(schema: &Value, index: usize) -> Option<Value> {
    schema.get("prefixItems")?.get(index).cloned()
}

/// The properties of an object schema, each with whether it is required; `None` for a schema
/// that lists none (a map, a scalar).
pub(crate) fn properties(schema: &Value) -> Option<Vec<(String, Value, bool)>> {
    let properties = schema.get("properties")?.as_object()?;
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    Some(
        properties
            .iter()
            .map(|(name, schema)| {
                (
                    name.clone(),
                    schema.clone(),
                    required.contains(&name.as_str()),
                )
            })
            .collect(),
    )
}

/// `schema` without its `null` alternative: a parameter that may be absent is not required, and
/// a query string or path has no `null` to send.
pub(crate) fn without_null(mut schema: Value) -> Value {
    let Some(object) = schema.as_object_mut() else {
        return schema;
    };
    if let Some(Value::Array(types)) = object.get_mut("type") {
        // `["null"]` alone is what the value is: kept.
        if types.len() > 1 {
            types.retain(|t| t != "null");
        }
        if let [one] = types.as_slice() {
            let one = one.clone();
            object.insert("type".into(), one);
        }
    }
    // schemars writes an optional enum or constant as `enum: [.., null]`.
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        if values.len() > 1 {
            values.retain(|v| !v.is_null());
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(options)) = object.get_mut(key) {
            options.retain(|option| option.get("type").and_then(Value::as_str) != Some("null"));
            if let [one] = options.as_slice() {
                let one = one.clone();
                object.remove(key);
                if let Value::Object(inner) = one {
                    for (k, v) in inner {
                        object.entry(k).or_insert(v);
                    }
                }
            }
        }
    }
    if object.get("default") == Some(&Value::Null) {
        object.remove("default");
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_that_may_be_absent_has_no_null_to_send() {
        let cases = [
            (
                json!({ "type": ["integer", "null"] }),
                json!({ "type": "integer" }),
            ),
            (json!({ "type": ["null"] }), json!({ "type": "null" })),
            (
                json!({ "type": ["string", "null"], "enum": ["a", "b", null] }),
                json!({ "type": "string", "enum": ["a", "b"] }),
            ),
            (
                json!({ "anyOf": [{ "$ref": "#/x" }, { "type": "null" }], "description": "d" }),
                json!({ "$ref": "#/x", "description": "d" }),
            ),
            (
                json!({ "type": ["integer", "null"], "default": null }),
                json!({ "type": "integer" }),
            ),
        ];
        for (schema, expected) in cases {
            assert_eq!(without_null(schema.clone()), expected, "{schema}");
        }
    }
}
