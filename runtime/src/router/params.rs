//! Path and query parameters as typed values: one serde `Deserializer` reads both, so that every
//! failure names the parameter and says what was expected (`path parameter "id": expected an
//! unsigned integer, got "abc"`).
//!
//! Parameters are text. A value is parsed only when the target type asks for a number, a bool or
//! a char; strings, `Option`, unit enum variants and newtypes work as in any serde format. The
//! whole set of parameters deserializes as a struct or map (by name), a tuple (in order), or a
//! single value when there is exactly one. A query key given several times fills a `Vec`.

use super::Route;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Where the parameters come from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Path,
    Query,
}

impl Source {
    fn what(self) -> &'static str {
        match self {
            Source::Path => "path parameter",
            Source::Query => "query parameter",
        }
    }
}

/// Why the parameters do not fit the type.
#[derive(Debug)]
pub(crate) enum ParamError {
    /// A value is wrong: the client's mistake. The message names the parameter.
    Value(String),
    /// A value is wrong, said by a `Deserialize` impl (`#[serde(try_from)]`, a custom message)
    /// that does not know which parameter it read: the client's mistake.
    Invalid(String),
    /// The set of parameters does not fit the type (a missing field, a count that differs): the
    /// client's mistake for a query, the route's for a path.
    Shape(String),
    /// A field of the type has no parameter: the client's mistake for a query, the route's for
    /// a path.
    Missing(&'static str),
}

impl ParamError {
    /// The message, naming `source` where the error itself does not.
    pub(crate) fn describe(&self, source: Source) -> String {
        match self {
            ParamError::Value(message) => message.clone(),
            ParamError::Invalid(message) | ParamError::Shape(message) => {
                format!("{}s: {message}", source.what())
            }
            ParamError::Missing(field) => format!("{} {field:?} is missing", source.what()),
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Value(message)
            | ParamError::Invalid(message)
            | ParamError::Shape(message) => f.write_str(message),
            ParamError::Missing(field) => write!(f, "{field:?} is missing"),
        }
    }
}

impl std::error::Error for ParamError {}

impl de::Error for ParamError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ParamError::Invalid(message.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        ParamError::Missing(field)
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        ParamError::Shape(format!(
            "unknown {field:?}, expected one of {}",
            expected.join(", ")
        ))
    }
}

/// One parameter: its name and every value it was given (a path parameter has one).
pub(crate) struct Param<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) values: smallvec::SmallVec<[Cow<'a, str>; 1]>,
    /// Whether a value (or the name) is not UTF-8 once decoded: reading it is the client's 400.
    pub(crate) invalid: bool,
}

/// One part of a query string (`a%20b+c`) decoded as `application/x-www-form-urlencoded` (`+` is a
/// space), and whether it is UTF-8 once decoded (if not, lossily decoded, for messages only).
fn decode(part: &str) -> (Cow<'_, str>, bool) {
    if !part.bytes().any(|b| b == b'%' || b == b'+') {
        return (Cow::Borrowed(part), true);
    }
    let spaced = part.replace('+', " ");
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(&spaced).collect();
    match String::from_utf8(bytes) {
        Ok(text) => (Cow::Owned(text), true),
        Err(not_utf8) => (
            Cow::Owned(String::from_utf8_lossy(not_utf8.as_bytes()).into_owned()),
            false,
        ),
    }
}

/// The parameters of one source, in order.
pub(crate) struct Params<'a> {
    pub(crate) source: Source,
    list: List<'a>,
}

// Lives on the stack for the one call that reads the parameters.
#[allow(clippy::large_enum_variant)]
enum List<'a> {
    /// A route's parameters, one value each, read where the router keeps them.
    Path(&'a Route<'a>),
    /// A query's, grouped by name; inline up to four.
    Query(smallvec::SmallVec<[Param<'a>; 4]>),
}

impl<'a> Params<'a> {
    /// The parameters of a query string (`a=1&b=2&a=3`), decoded as `application/x-www-form-urlencoded`
    /// (`+` as a space), repeated keys grouped in first-seen order. A name or value that is not
    /// UTF-8 once decoded (`%FF`) makes its parameter invalid: reading it answers 400, as a path
    /// parameter's does.
    pub(crate) fn query(query: &'a str) -> Self {
        let mut params: smallvec::SmallVec<[Param<'a>; 4]> = smallvec::SmallVec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let ((name, name_ok), (value, value_ok)) = (decode(name), decode(value));
            match params.iter_mut().find(|p| p.name == name) {
                Some(param) => {
                    param.values.push(value);
                    param.invalid |= !(name_ok && value_ok);
                }
                None => params.push(Param {
                    name,
                    values: smallvec::smallvec![value],
                    invalid: !(name_ok && value_ok),
                }),
            }
        }
        Params {
            source: Source::Query,
            list: List::Query(params),
        }
    }

    /// The path parameters of a matched route.
    #[inline]
    pub(crate) fn path(params: &'a Route<'a>) -> Self {
        Params {
            source: Source::Path,
            list: List::Path(params),
        }
    }

    #[inline]
    fn len(&self) -> usize {
        match &self.list {
            List::Path(params) => params.len(),
            List::Query(params) => params.len(),
        }
    }

    /// Parameter `index`.
    #[inline]
    fn at(&self, index: usize) -> Option<ValueDe<'_>> {
        let (name, values, invalid) = match &self.list {
            // Checked when the route was matched (`Route::decode`).
            List::Path(params) => {
                let (name, value) = params.at(index)?;
                (name, Values::One(value), false)
            }
            List::Query(params) => {
                let param = params.get(index)?;
                (&*param.name, Values::Many(&param.values), param.invalid)
            }
        };
        Some(ValueDe {
            source: self.source,
            name,
            values,
            invalid,
        })
    }

    /// The one parameter, for a type that reads a single value.
    #[inline]
    fn single(&self) -> Result<ValueDe<'_>, ParamError> {
        match (self.len(), self.at(0)) {
            (1, Some(value)) => Ok(value),
            (n, _) => Err(ParamError::Shape(format!("expected one, found {n}"))),
        }
    }
}

/// The primitive methods of the top-level deserializer: they read the single parameter.
macro_rules! single_value {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
            self.single()?.$method(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &Params<'_> {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_map(MapAccess {
            params: self,
            index: 0,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_seq(SeqAccess {
            params: self,
            index: 0,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        if len != self.len() {
            return Err(ParamError::Shape(format!(
                "expected {len}, found {}",
                self.len()
            )));
        }
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self.len() {
            0 => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.single()?.deserialize_enum(name, variants, visitor)
    }

    single_value! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_identifier
        deserialize_ignored_any
    }
}

struct MapAccess<'p, 'a> {
    params: &'p Params<'a>,
    index: usize,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_> {
    type Error = ParamError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ParamError> {
        match self.params.at(self.index) {
            Some(param) => seed.deserialize(param.name.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ParamError> {
        let param = self.params.at(self.index);
        self.index += 1;
        match param {
            // An error from the value's own `Deserialize` names the parameter too.
            Some(param) => seed.deserialize(param).map_err(|e| param.named(e)),
            None => Err(ParamError::Shape("a value without a key".into())),
        }
    }
}

struct SeqAccess<'p, 'a> {
    params: &'p Params<'a>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, '_> {
    type Error = ParamError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ParamError> {
        let param = self.params.at(self.index);
        self.index += 1;
        param
            .map(|param| seed.deserialize(param).map_err(|e| param.named(e)))
            .transpose()
    }
}

/// The values of one parameter.
#[derive(Clone, Copy)]
enum Values<'p> {
    One(&'p str),
    Many(&'p [Cow<'p, str>]),
}

/// One parameter's values.
#[derive(Clone, Copy)]
struct ValueDe<'p> {
    source: Source,
    name: &'p str,
    values: Values<'p>,
    /// Not UTF-8 once decoded.
    invalid: bool,
}

impl<'p> ValueDe<'p> {
    /// The error for a parameter that is not UTF-8 once decoded, or `Ok`.
    fn valid(&self) -> Result<(), ParamError> {
        match self.invalid {
            true => Err(ParamError::Value(format!(
                "{} {:?} is not valid UTF-8 once decoded",
                self.source.what(),
                self.name
            ))),
            false => Ok(()),
        }
    }

    /// The one value, for a type that reads one.
    fn one(&self) -> Result<&'p str, ParamError> {
        self.valid()?;
        match self.values {
            Values::One(value) => Ok(value),
            Values::Many([value]) => Ok(value),
            Values::Many(values) => Err(ParamError::Value(format!(
                "{} {:?}: given {} times, expected once",
                self.source.what(),
                self.name,
                values.len()
            ))),
        }
    }

    /// The error for a value that is not a `what`.
    fn expected(&self, what: &str, value: &str) -> ParamError {
        ParamError::Value(format!(
            "{} {:?}: expected {what}, got {value:?}",
            self.source.what(),
            self.name
        ))
    }

    /// Names the parameter in an error raised below it (an unknown enum variant, a custom
    /// `Deserialize` impl's message).
    fn named(&self, error: ParamError) -> ParamError {
        match error {
            ParamError::Missing(field) => ParamError::Value(format!(
                "{} {:?}: field {field:?} is missing",
                self.source.what(),
                self.name
            )),
            ParamError::Shape(message) | ParamError::Invalid(message) => {
                ParamError::Value(format!("{} {:?}: {message}", self.source.what(), self.name))
            }
            value => value,
        }
    }
}

/// The methods that parse the value as a number, a bool or a char.
macro_rules! parsed {
    ($($method:ident => $visit:ident $ty:ty, $what:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
            let value = self.one()?;
            match value.parse::<$ty>() {
                Ok(parsed) => visitor.$visit(parsed).map_err(|e| self.named(e)),
                Err(_) => Err(self.expected($what, value)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for ValueDe<'_> {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        if matches!(self.values, Values::Many(values) if values.len() > 1) {
            return self.deserialize_seq(visitor);
        }
        visitor.visit_str(self.one()?).map_err(|e| self.named(e))
    }

    parsed! {
        deserialize_bool => visit_bool bool, "true or false";
        deserialize_i8 => visit_i8 i8, "an integer from -128 to 127";
        deserialize_i16 => visit_i16 i16, "an integer from -32768 to 32767";
        deserialize_i32 => visit_i32 i32, "a 32-bit integer";
        deserialize_i64 => visit_i64 i64, "an integer";
        deserialize_i128 => visit_i128 i128, "an integer";
        deserialize_u8 => visit_u8 u8, "an unsigned integer up to 255";
        deserialize_u16 => visit_u16 u16, "an unsigned integer up to 65535";
        deserialize_u32 => visit_u32 u32, "an unsigned 32-bit integer";
        deserialize_u64 => visit_u64 u64, "an unsigned integer";
        deserialize_u128 => visit_u128 u128, "an unsigned integer";
        deserialize_f32 => visit_f32 f32, "a number";
        deserialize_f64 => visit_f64 f64, "a number";
        deserialize_char => visit_char char, "a single character";
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.valid()?;
        let values: &[Cow<'_, str>] = match self.values {
            Values::One(value) => {
                let one = ValueDe {
                    values: Values::One(value),
                    ..self
                };
                return visitor
                    .visit_seq(de::value::SeqDeserializer::new(std::iter::once(one)))
                    .map_err(|e| self.named(e));
            }
            Values::Many(values) => values,
        };
        let values = values.iter().map(|value| ValueDe {
            values: Values::One(value),
            ..self
        });
        visitor
            .visit_seq(de::value::SeqDeserializer::new(values))
            .map_err(|e| self.named(e))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        let value: de::value::StrDeserializer<'_, ParamError> = self.one()?.into_deserializer();
        visitor.visit_enum(value).map_err(|e| self.named(e))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_str(self.one()?).map_err(|e| self.named(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_str(visitor)
    }

    /// A parameter the type does not read is not looked at, valid or not.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bytes byte_buf unit_struct tuple tuple_struct map struct identifier
    }
}

impl<'de> IntoDeserializer<'de, ParamError> for ValueDe<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn path<T: de::DeserializeOwned>(pairs: &[(&str, &str)]) -> Result<T, ParamError> {
        let names: Vec<Box<str>> = pairs.iter().map(|(n, _)| (*n).into()).collect();
        let values = pairs.iter().map(|(_, v)| *v);
        let params = Route::decode("/test", &names, values, None).unwrap();
        let value = T::deserialize(&Params::path(&params));
        value
    }

    fn query<T: de::DeserializeOwned>(query: &str) -> Result<T, ParamError> {
        T::deserialize(&Params::query(query))
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Ids {
        user: u64,
        post: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Order {
        Asc,
        Desc,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Search {
        q: String,
        page: Option<u32>,
        tag: Vec<String>,
        order: Option<Order>,
    }

    #[test]
    fn one_value_a_tuple_or_a_struct() {
        assert_eq!(path::<u64>(&[("id", "7")]).unwrap(), 7);
        assert_eq!(path::<String>(&[("id", "a b")]).unwrap(), "a b");
        assert_eq!(
            path::<(u64, String)>(&[("user", "7"), ("post", "x")]).unwrap(),
            (7, "x".into())
        );
        assert_eq!(
            path::<Ids>(&[("post", "x"), ("user", "7")]).unwrap(),
            Ids {
                user: 7,
                post: "x".into()
            }
        );
        assert_eq!(path::<Order>(&[("o", "desc")]).unwrap(), Order::Desc);
    }

    #[test]
    fn a_wrong_value_is_named() {
        let error = path::<u64>(&[("id", "abc")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"path parameter "id": expected an unsigned integer, got "abc""#
        );
        assert!(matches!(error, ParamError::Value(_)));
        let error = path::<Ids>(&[("user", "-1"), ("post", "x")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"path parameter "user": expected an unsigned integer, got "-1""#
        );
        let error = path::<Order>(&[("o", "up")]).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with(r#"path parameter "o": unknown variant `up`"#),
            "{error}"
        );
    }

    #[test]
    fn a_shape_that_does_not_fit_is_the_routes_mistake() {
        let error = path::<u64>(&[("a", "1"), ("b", "2")]).unwrap_err();
        assert!(matches!(error, ParamError::Shape(_)), "{error}");
        let error = path::<(u64, u64, u64)>(&[("a", "1"), ("b", "2")]).unwrap_err();
        assert_eq!(
            error.describe(Source::Path),
            "path parameters: expected 3, found 2"
        );
        let error = path::<Ids>(&[("user", "1")]).unwrap_err();
        assert!(matches!(error, ParamError::Missing("post")));
        assert_eq!(
            error.describe(Source::Path),
            r#"path parameter "post" is missing"#
        );
    }

    #[test]
    fn queries_repeat_keys_into_vecs_and_decode() {
        let search: Search = query("q=caf%C3%A9+au+lait&tag=a&page=2&tag=b").unwrap();
        assert_eq!(
            search,
            Search {
                q: "café au lait".into(),
                page: Some(2),
                tag: vec!["a".into(), "b".into()],
                order: None,
            }
        );
        let search: Search = query("q=x&tag=only&order=asc").unwrap();
        assert_eq!(search.tag, ["only"]);
        assert_eq!(search.order, Some(Order::Asc));
        let error = query::<Search>("q=x&q=y&tag=a").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"query parameter "q": given 2 times, expected once"#
        );
        let error = query::<Search>("q=x&page=two&tag=a").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"query parameter "page": expected an unsigned 32-bit integer, got "two""#
        );
        let error = query::<Search>("page=1").unwrap_err();
        assert_eq!(
            error.describe(Source::Query),
            r#"query parameter "q" is missing"#
        );
        assert_eq!(
            query::<std::collections::HashMap<String, String>>("a=1&b=")
                .unwrap()
                .len(),
            2
        );
    }

    /// A value that is not UTF-8 once decoded is the client's 400, naming the parameter, as a
    /// path parameter's is; one the type does not read is not looked at.
    #[test]
    fn a_query_value_that_is_not_utf8_is_an_error_naming_it() {
        let error = query::<Search>("q=%FF&tag=a").unwrap_err();
        assert!(matches!(error, ParamError::Value(_)));
        assert_eq!(
            error.to_string(),
            r#"query parameter "q" is not valid UTF-8 once decoded"#
        );
        let error = query::<std::collections::HashMap<String, String>>("a=1&name=%FF").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"query parameter "name" is not valid UTF-8 once decoded"#
        );
        let error = query::<Search>("q=x&tag=a&tag=%C3").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"query parameter "tag" is not valid UTF-8 once decoded"#
        );
        // An unknown parameter the struct skips.
        let search: Search = query("q=x&tag=a&other=%FF").unwrap();
        assert_eq!(search.q, "x");
    }

    /// A type with a `Deserialize` of its own that rejects a value.
    #[derive(Debug, Deserialize)]
    #[serde(try_from = "String")]
    struct Sku(String);

    impl TryFrom<String> for Sku {
        type Error = String;
        fn try_from(value: String) -> Result<Self, String> {
            if value.starts_with("SKU-") {
                Ok(Sku(value))
            } else {
                Err(format!("{value:?} is not a SKU"))
            }
        }
    }

    #[derive(Debug, Deserialize)]
    struct Filters {
        sku: Option<Sku>,
        #[serde(default)]
        tag: Vec<String>,
    }

    #[test]
    fn a_deserialize_of_its_own_is_the_clients_mistake_and_named() {
        let error = path::<Sku>(&[("sku", "X-1")]).unwrap_err();
        assert!(matches!(error, ParamError::Invalid(_)), "{error:?}");
        assert_eq!(
            error.describe(Source::Path),
            r#"path parameters: "X-1" is not a SKU"#
        );
        let error = query::<Filters>("sku=X-1").unwrap_err();
        assert_eq!(
            error.describe(Source::Query),
            r#"query parameter "sku": "X-1" is not a SKU"#
        );
        let sku = query::<Filters>("sku=SKU-1").unwrap().sku.unwrap();
        assert_eq!(sku.0, "SKU-1");
        // An absent `Vec` with `#[serde(default)]` is empty; without it, missing.
        assert!(query::<Filters>("").unwrap().tag.is_empty());
    }

    #[test]
    fn an_optional_query_reads_every_key() {
        let none: Option<Filters> = query("").unwrap();
        assert!(none.is_none());
        let some: Option<Filters> = query("sku=SKU-1&tag=a&tag=b").unwrap();
        assert_eq!(some.unwrap().tag, ["a", "b"]);
    }

    #[test]
    fn an_unknown_field_is_the_routes_mistake() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Only {
            id: u64,
        }
        let error = path::<Only>(&[("id", "1"), ("extra", "2")]).unwrap_err();
        assert!(matches!(error, ParamError::Shape(_)), "{error:?}");
    }
}
