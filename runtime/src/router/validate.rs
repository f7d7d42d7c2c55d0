//! Constraints checked at the door (feature `validate`): a routed handler's `Json<T>`,
//! `Query<T>` or `Path<T>` whose `T` derives `validator::Validate` is checked once it is read,
//! before the handler runs, and a value that breaks a constraint answers 422 with every field
//! that does (RFC 9457's `errors`: a JSON Pointer and a message for each). `validator` names a
//! field by its Rust name: under `#[serde(rename)]` the pointer names the field, not the member
//! the client sent.
//!
//! The same attributes give the OpenAPI document its constraints (`schemars` reads
//! `#[validate(..)]`), so that what the document promises is what the door checks. `validator`
//! counts a string's length in characters, as JSON Schema's `minLength` and `maxLength` do.
//!
//! The choice is by type, at the handler (auto-ref specialization, as `dispatch.rs` chooses a
//! return kind): a `T` that does not derive `Validate` is not checked, and costs nothing.

use super::extract::{Json, Path, Query};
use crate::error::HttpError;
use serde_json::{json, Value};
use std::marker::PhantomData;
use validator::{Validate, ValidationError, ValidationErrors, ValidationErrorsKind};

/// A parameter type, for the choice of its check.
pub struct Check<P>(PhantomData<fn() -> P>);

impl<P> Check<P> {
    /// The marker.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Check(PhantomData)
    }
}

/// A parameter whose value has constraints.
pub trait CheckValid<P> {
    /// Checks the value.
    ///
    /// # Errors
    ///
    /// The 422 answer naming every field that breaks a constraint.
    fn __proxy_check(&self, value: &P) -> Result<(), HttpError>;
}

/// Any other parameter.
pub trait CheckNone<P> {
    /// Nothing to check.
    ///
    /// # Errors
    ///
    /// Never.
    #[inline]
    fn __proxy_check(&self, _: &P) -> Result<(), HttpError> {
        Ok(())
    }
}

impl<T: Validate> CheckValid<Json<T>> for &Check<Json<T>> {
    fn __proxy_check(&self, value: &Json<T>) -> Result<(), HttpError> {
        checked(&value.0, "the request body")
    }
}

impl<T: Validate> CheckValid<Query<T>> for &Check<Query<T>> {
    fn __proxy_check(&self, value: &Query<T>) -> Result<(), HttpError> {
        checked(&value.0, "the query parameters")
    }
}

impl<T: Validate> CheckValid<Path<T>> for &Check<Path<T>> {
    fn __proxy_check(&self, value: &Path<T>) -> Result<(), HttpError> {
        checked(&value.0, "the path parameters")
    }
}

impl<P> CheckNone<P> for Check<P> {}

/// `value` checked; the 422 when it breaks a constraint.
fn checked<T: Validate>(value: &T, what: &str) -> Result<(), HttpError> {
    value
        .validate()
        .map_err(|errors| unprocessable(&errors, what))
}

/// The 422 for `errors` found in `what`: a `detail` that names the first, an `errors` member with
/// each, sorted by pointer.
#[cold]
fn unprocessable(errors: &ValidationErrors, what: &str) -> HttpError {
    let mut found = Vec::new();
    collect(errors, "#", &mut found);
    found.sort();
    let detail = match found.as_slice() {
        [] => format!("{what} break a constraint"),
        [(pointer, message)] => format!("{what}: {pointer}: {message}"),
        [(pointer, message), rest @ ..] => format!(
            "{what}: {pointer}: {message} (and {} more, in `errors`)",
            rest.len()
        ),
    };
    let list: Vec<Value> = found
        .into_iter()
        .map(|(pointer, detail)| json!({ "pointer": pointer, "detail": detail }))
        .collect();
    HttpError::unprocessable_entity(detail).with_extension("errors", Value::Array(list))
}

/// Every error of `errors` under `prefix` (a JSON Pointer as a URI fragment), with its message.
fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<(String, String)>) {
    for (field, kind) in errors.errors() {
        let pointer = match field.as_ref() {
            // A check of the whole struct (`#[validate(schema(..))]`).
            "__all__" => prefix.to_owned(),
            field => format!("{prefix}/{}", crate::request::pointer_token(field)),
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for error in list {
                    out.push((pointer.clone(), message(error)));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &pointer, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{pointer}/{index}"), out);
                }
            }
        }
    }
}

/// What a broken constraint says: its own message when it has one, else one written from its
/// code and parameters.
fn message(error: &ValidationError) -> String {
    if let Some(message) = &error.message {
        return message.to_string();
    }
    let param = |name: &str| error.params.get(name).map(ToString::to_string);
    let unit = match error.params.get("value") {
        Some(Value::String(_)) => "characters",
        Some(Value::Array(_)) => "items",
        Some(Value::Object(_)) => "entries",
        _ => "long",
    };
    match error.code.as_ref() {
        "length" => match (param("equal"), param("min"), param("max")) {
            (Some(n), _, _) => format!("must have exactly {n} {unit}"),
            (None, Some(min), Some(max)) => format!("must have {min} to {max} {unit}"),
            (None, Some(min), None) => format!("must have at least {min} {unit}"),
            (None, None, Some(max)) => format!("must have at most {max} {unit}"),
            (None, None, None) => "has the wrong length".to_owned(),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be from {min} to {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            (None, None) => "is out of range".to_owned(),
        },
        "email" => "must be an email address".to_owned(),
        "url" => "must be a URL".to_owned(),
        "regex" => "does not match the required pattern".to_owned(),
        "required" => "is required".to_owned(),
        "contains" => format!(
            "must contain {}",
            param("needle").unwrap_or_else(|| "the required text".into())
        ),
        "does_not_contain" => format!(
            "must not contain {}",
            param("needle").unwrap_or_else(|| "the forbidden text".into())
        ),
        "must_match" => format!(
            "must match {}",
            param("other").unwrap_or_else(|| "the other field".into())
        ),
        code => format!("breaks the `{code}` constraint"),
    }
}

/// A parameter type, for the description of its check in the OpenAPI document.
#[cfg(feature = "openapi")]
pub struct Checked<P>(PhantomData<fn() -> P>);

#[cfg(feature = "openapi")]
impl<P> Checked<P> {
    /// The marker.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Checked(PhantomData)
    }
}

/// A parameter whose value has constraints: its 422 is documented.
#[cfg(feature = "openapi")]
pub trait CheckedValid {
    /// Describes the check.
    fn __proxy_checked(&self, operation: &mut crate::openapi::Operation<'_>);
}

/// Any other parameter.
#[cfg(feature = "openapi")]
pub trait CheckedNone {
    /// Nothing to describe.
    #[inline]
    fn __proxy_checked(&self, _: &mut crate::openapi::Operation<'_>) {}
}

#[cfg(feature = "openapi")]
macro_rules! checked_described {
    ($($wrapper:ident => $why:literal;)*) => {$(
        impl<T: Validate> CheckedValid for &Checked<$wrapper<T>> {
            fn __proxy_checked(&self, operation: &mut crate::openapi::Operation<'_>) {
                operation.status(http::StatusCode::UNPROCESSABLE_ENTITY, $why);
            }
        }
    )*};
}

#[cfg(feature = "openapi")]
checked_described! {
    Json => "The request body breaks a constraint (`errors` lists each).";
    Query => "A query parameter breaks a constraint (`errors` lists each).";
    Path => "A path parameter breaks a constraint (`errors` lists each).";
}

#[cfg(feature = "openapi")]
impl<P> CheckedNone for Checked<P> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Validate)]
    struct Name {
        #[validate(length(min = 1, max = 4))]
        name: String,
        #[validate(range(min = 1, max = 100))]
        limit: u32,
        #[validate(nested)]
        inner: Inner,
    }

    #[derive(Validate)]
    struct Inner {
        #[validate(length(max = 1))]
        tags: Vec<String>,
    }

    #[test]
    fn every_broken_constraint_is_listed_with_its_pointer() {
        let value = Name {
            name: "Adéla!".into(),
            limit: 0,
            inner: Inner {
                tags: vec!["a".into(), "b".into()],
            },
        };
        let error = checked(&value, "the request body").unwrap_err();
        assert_eq!(error.status(), 422);
        let errors = crate::ResponseError::extensions(&error).unwrap()["errors"].clone();
        assert_eq!(
            errors,
            json!([
                { "pointer": "#/inner/tags", "detail": "must have at most 1 items" },
                { "pointer": "#/limit", "detail": "must be from 1 to 100" },
                { "pointer": "#/name", "detail": "must have 1 to 4 characters" },
            ])
        );
        assert_eq!(
            crate::ResponseError::public_detail(&error).unwrap(),
            "the request body: #/inner/tags: must have at most 1 items (and 2 more, in `errors`)"
        );
        // Characters, not bytes: "Adél" is 4 characters (5 bytes).
        let ok = Name {
            name: "Adél".into(),
            limit: 1,
            inner: Inner { tags: vec![] },
        };
        assert!(checked(&ok, "the request body").is_ok());
    }
}
