//! The header maps of an event: read as sent, merged as `lambda_http` merges them.

use super::members::Str;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use smallvec::SmallVec;
use std::borrow::Cow;
use std::fmt;

/// One member of a header map, as sent: a value (`insert`ed by `aws_lambda_events`' reader,
/// replacing the values before it of the same name in any case) or a list (`append`ed).
pub(super) struct Header<'de> {
    pub(super) name: Str<'de>,
    pub(super) values: Values<'de>,
}

pub(super) enum Values<'de> {
    One(Str<'de>),
    /// A list, most often of one value (`multiValueHeaders`).
    List(SmallVec<[Str<'de>; 1]>),
}

impl<'de> Values<'de> {
    /// A member with an empty list does not put the name in the map.
    fn is_empty(&self) -> bool {
        matches!(self, Values::List(values) if values.is_empty())
    }

    fn iter(&self) -> std::slice::Iter<'_, Str<'de>> {
        match self {
            Values::One(value) => std::slice::from_ref(value).iter(),
            Values::List(values) => values.iter(),
        }
    }
}

/// A header value of the request, by `HeaderValue::from_str`'s rule.
pub(super) fn header_value(value: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(value).ok()
}

/// `HeaderValue::from_str`'s rule, without building the value: visible ASCII, space, tab, and
/// any byte from 0x80.
pub(super) fn is_header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| (b >= 0x20 && b != 0x7f) || b == b'\t')
}

/// A header map as `aws_lambda_events`' reader makes it: a value inserted (replacing those
/// before it of the name, in any case), each value of a list appended; `None` where a name or a
/// value is not valid, as that reader fails.
fn map(members: &[Header<'_>]) -> Option<HeaderMap> {
    let mut map = HeaderMap::with_capacity(members.len());
    for header in members {
        let name = HeaderName::from_bytes(header.name.0.as_bytes()).ok()?;
        match &header.values {
            Values::One(value) => {
                map.insert(name, header_value(&value.0)?);
            }
            Values::List(values) => {
                for value in values {
                    map.append(&name, header_value(&value.0)?);
                }
            }
        }
    }
    Some(map)
}

/// The request's headers as `lambda_http` makes them (`multi.extend(single)` of the maps
/// `aws_lambda_events` reads), and, when they are not the single-value map (see
/// [`merge_parallel`]), that map, which the URI is made from. `None` where a name or a value is
/// not valid, as `aws_lambda_events`' reader fails.
pub(super) fn merge(
    single: &[Header<'_>],
    multi: &[Header<'_>],
) -> Option<(HeaderMap, Option<HeaderMap>)> {
    if let Some(headers) = merge_parallel(single, multi) {
        return Some((headers, None));
    }
    let single = map(single)?;
    let mut headers = map(multi)?;
    headers.extend(single.clone());
    Some((headers, Some(single)))
}

/// [`merge`] of the maps API Gateway sends: each name once and with one value in the
/// single-value map, and the multi-value map empty (payload 2.0 has none) or of the same names in
/// the same order, whose values are then only checked. The headers are then the single-value
/// map, in its order. `None` for any other maps (and for an invalid name or value, which [`map`]
/// then finds again).
fn merge_parallel(single: &[Header<'_>], multi: &[Header<'_>]) -> Option<HeaderMap> {
    if !multi.is_empty() && multi.len() != single.len() {
        return None;
    }
    let mut headers = HeaderMap::with_capacity(single.len());
    for (i, header) in single.iter().enumerate() {
        let Values::One(value) = &header.values else {
            return None;
        };
        if let Some(other) = multi.get(i) {
            // The multi-value map's values are checked, not kept: most often they are the
            // single-value map's, which `header_value` checks.
            let parallel = other.name.0.eq_ignore_ascii_case(&header.name.0)
                && !other.values.is_empty()
                && other
                    .values
                    .iter()
                    .all(|other| other.0 == value.0 || is_header_value(&other.0));
            if !parallel {
                return None;
            }
        }
        let name = HeaderName::from_bytes(header.name.0.as_bytes()).ok()?;
        if headers.insert(name, header_value(&value.0)?).is_some() {
            return None; // a name twice, in two cases
        }
    }
    Some(headers)
}

/// A header map, read as `aws_lambda_events`' `deserialize_headers` reads one from JSON (in
/// [`OrNull`](super::members::OrNull): `null` is an empty map), each member a string or a list
/// of strings (a value of another shape is an
/// error); kept as sent, names and values checked when the maps are merged ([`merge`]).
pub(super) struct Headers;

impl<'de> Visitor<'de> for Headers {
    type Value = Vec<Header<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of headers")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut headers = Vec::with_capacity(24);
        while let Some(name) = map.next_key()? {
            let values = map.next_value_seed(ValuesSeed)?;
            headers.push(Header { name, values });
        }
        Ok(headers)
    }
}

/// The value of one member of a header map: a string, or a list of strings.
pub(super) struct ValuesSeed;

impl<'de> DeserializeSeed<'de> for ValuesSeed {
    type Value = Values<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Values<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValuesSeed {
    type Value = Values<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a header value or a list of them")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Values<'de>, E> {
        Ok(Values::One(Str(Cow::Borrowed(value))))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Values<'de>, E> {
        Ok(Values::One(Str(Cow::Owned(value.to_owned()))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut list: A) -> Result<Values<'de>, A::Error> {
        let mut values = SmallVec::new();
        while let Some(value) = list.next_element()? {
            values.push(value);
        }
        Ok(Values::List(values))
    }
}
