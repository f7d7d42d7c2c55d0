//! The document's schemas, written by `schemars` (JSON Schema 2020-12, the dialect of OpenAPI
//! 3.1): what a request sends by each type's `Deserialize` contract, what an answer carries by
//! its `Serialize` contract (the two differ where serde's attributes make them differ:
//! `#[serde(default)]`, `skip_serializing_if`).
//!
//! Both go to `#/components/schemas`: a type whose two schemas are the same once, a type whose
//! request schema differs as `{Name}Input`. Integer formats get the bounds of their Rust type
//! (`schemars` leaves out those of `u64` and `i32`), so that a client told the range is told the
//! truth.

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::JsonSchema;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Where the schemas are: `#/components/schemas/{name}`.
pub(crate) const COMPONENTS: &str = "#/components/schemas/";
/// Where request schemas are while the document is built, until each has its final name.
const REQUEST_COMPONENTS: &str = "#/components/schemas/__request/";

/// The two generators of a document.
pub(crate) struct Schemas {
    response: SchemaGenerator,
    request: SchemaGenerator,
}

impl Schemas {
    pub(crate) fn new() -> Self {
        let settings = |path: &'static str| {
            SchemaSettings::draft2020_12().with(|s| {
                s.definitions_path = path.into();
                s.meta_schema = None;
            })
        };
        Schemas {
            response: settings("/components/schemas")
                .for_serialize()
                .into_generator(),
            request: settings("/components/schemas/__request")
                .for_deserialize()
                .into_generator(),
        }
    }

    /// The schema of an answer's body of type `T` (a `$ref` for a named type).
    pub(crate) fn response<T: JsonSchema>(&mut self) -> Value {
        self.response.subschema_for::<T>().to_value()
    }

    /// The schema of a request's body of type `T` (a `$ref` for a named type).
    pub(crate) fn request<T: JsonSchema>(&mut self) -> Value {
        self.request.subschema_for::<T>().to_value()
    }

    /// The schema of `T` itself, never a `$ref` (the types inside it may be): for the
    /// parameters, which are read from its properties.
    pub(crate) fn request_inline<T: JsonSchema>(&mut self) -> Value {
        T::json_schema(&mut self.request).to_value()
    }

    /// `schema`, or the request schema its `$ref` names.
    pub(crate) fn resolve_request(&self, schema: &Value) -> Value {
        let name = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(REQUEST_COMPONENTS));
        match name.and_then(|name| self.request.definitions().get(name)) {
            Some(resolved) => resolved.clone(),
            None => schema.clone(),
        }
    }

    /// Every schema under its final name, and the renames to apply to the document's `$ref`s.
    pub(crate) fn finish(mut self) -> (Map<String, Value>, BTreeMap<String, String>) {
        let mut components = self.response.take_definitions(true);
        let requests = self.request.take_definitions(true);
        // A request schema shares its name with the response schema when the two are the same
        // once every reference in it points to its final name: decided until nothing changes.
        let mut shared: Vec<&String> = requests
            .keys()
            .filter(|name| components.contains_key(*name))
            .collect();
        let mut renames: BTreeMap<String, String>;
        loop {
            renames = requests
                .keys()
                .map(|name| {
                    let to = if shared.contains(&name) {
                        name.clone()
                    } else if components.contains_key(name) {
                        unused(&components, &requests, name)
                    } else {
                        name.clone()
                    };
                    (
                        format!("{REQUEST_COMPONENTS}{name}"),
                        format!("{COMPONENTS}{to}"),
                    )
                })
                .collect();
            let before = shared.len();
            shared.retain(|name| {
                let mut request = requests[*name].clone();
                rewrite_refs(&mut request, &renames);
                components.get(*name) == Some(&request)
            });
            if shared.len() == before {
                break;
            }
        }
        for (name, mut schema) in requests {
            let to = &renames[&format!("{REQUEST_COMPONENTS}{name}")][COMPONENTS.len()..];
            if !components.contains_key(to) {
                rewrite_refs(&mut schema, &renames);
                components.insert(to.to_owned(), schema);
            }
        }
        (components, renames)
    }
}

/// A name for the request schema of `name` that no schema has: `{name}Input`, numbered if
/// need be.
fn unused(components: &Map<String, Value>, requests: &Map<String, Value>, name: &str) -> String {
    let taken =
        |candidate: &str| components.contains_key(candidate) || requests.contains_key(candidate);
    let base = format!("{name}Input");
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(base)
}

/// Points every `$ref` of `value` named in `renames` to its new place.
pub(crate) fn rewrite_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref") {
                if let Some(to) = renames.get(reference.as_str()) {
                    reference.clone_from(to);
                }
            }
            for child in object.values_mut() {
                rewrite_refs(child, renames);
            }
        }
        Value::Array(items) => {
            for child in items {
                rewrite_refs(child, renames);
            }
        }
        _ => {}
    }
}

/// Adds to every integer schema of `value` with a `format` the bounds of that format that it
/// lacks: `schemars` writes `u64` as `{"type": "integer", "format": "uint64", "minimum": 0}`,
/// which lets a client send 2^64, which the handler refuses.
pub(crate) fn bound_integers(value: &mut Value) {
    match value {
        Value::Object(object) => {
            let bounds = object
                .get("format")
                .and_then(Value::as_str)
                .and_then(format_bounds);
            let integer = match object.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
                _ => false,
            };
            if let (Some((min, max)), true) = (bounds, integer) {
                object.entry("minimum").or_insert(min);
                object.entry("maximum").or_insert(max);
            }
            for child in object.values_mut() {
                bound_integers(child);
            }
        }
        Value::Array(items) => {
            for child in items {
                bound_integers(child);
            }
        }
        _ => {}
    }
}

/// The range of each integer format `schemars` writes (`int`/`uint` are `isize`/`usize`, of this
/// target's width). 128-bit formats are left unbounded: JSON numbers that large do not survive
/// most parsers anyway.
fn format_bounds(format: &str) -> Option<(Value, Value)> {
    Some(match format {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "int" => ((isize::MIN as i64).into(), (isize::MAX as i64).into()),
        "uint8" => (0.into(), u8::MAX.into()),
        "uint16" => (0.into(), u16::MAX.into()),
        "uint32" => (0.into(), u32::MAX.into()),
        "uint64" => (0.into(), u64::MAX.into()),
        "uint" => (0.into(), (usize::MAX as u64).into()),
        _ => return None,
    })
}
