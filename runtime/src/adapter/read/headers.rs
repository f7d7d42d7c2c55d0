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
    fn iter(&self) -> std::slice::Iter<'_, Str<'de>> {
        match self {
            Values::One(value) => std::slice::from_ref(value).iter(),
            Values::List(values) => values.iter(),
        }
    }
}

impl Header<'_> {
    /// Whether this member is of `name` (any case) and gives it a value: a member with an empty
    /// list does not put the name in the map.
    fn gives(&self, name: &str) -> bool {
        self.is(name) && !self.values.is_empty()
    }

    fn is(&self, name: &str) -> bool {
        self.name.0.eq_ignore_ascii_case(name)
    }
}

impl Values<'_> {
    fn is_empty(&self) -> bool {
        matches!(self, Values::List(values) if values.is_empty())
    }
}

/// The values a header map read as `aws_lambda_events` reads it gives `name` (every member of
/// that name in any case, in order: a value replaces those before it, a list adds to them), each
/// with whether it is kept.
pub(super) fn values_of<'a, 'de>(
    map: &'a [Header<'de>],
    name: &'a str,
) -> impl Iterator<Item = (&'a Str<'de>, bool)> {
    // The last single value of the name: it and every value after it are kept.
    let last_one = map
        .iter()
        .rposition(|header| header.is(name) && matches!(header.values, Values::One(_)));
    map.iter()
        .enumerate()
        .filter(move |(_, header)| header.is(name))
        .flat_map(move |(i, header)| {
            let kept = last_one.is_none_or(|last| i >= last);
            header.values.iter().map(move |value| (value, kept))
        })
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

/// Appends to `headers` the values `map` gives `name` (see [`values_of`]), the ones it does not
/// keep only checked; `None` when one is not a valid header value.
pub(super) fn append_values(
    headers: &mut HeaderMap,
    name: &HeaderName,
    map: &[Header<'_>],
) -> Option<()> {
    for (value, kept) in values_of(map, name.as_str()) {
        if kept {
            headers.append(name, header_value(&value.0)?);
        } else if !is_header_value(&value.0) {
            return None;
        }
    }
    Some(())
}

/// The request's headers as `lambda_http` makes them from the two maps of a payload 1.0 event
/// (`multi.extend(single)` of the maps `aws_lambda_events` reads): the multi-value map's names in
/// its order, each the single-value map has taking that map's values in place, then the
/// single-value map's other names in its order. Payload 2.0's, with no multi-value map, are the
/// single-value map's. `None` when a name or a value is not valid, where `aws_lambda_events`'
/// reader fails.
pub(super) fn merge(single: &[Header<'_>], multi: &[Header<'_>]) -> Option<HeaderMap> {
    merge_parallel(single, multi).or_else(|| merge_any(single, multi))
}

/// [`merge`] of the maps API Gateway sends: each name once, one value in the single-value map,
/// and the multi-value map empty or of the same names in the same order; `None` for any other
/// maps (or an invalid name or value, which [`merge_any`] then finds again).
pub(super) fn merge_parallel(single: &[Header<'_>], multi: &[Header<'_>]) -> Option<HeaderMap> {
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

/// [`merge`] of any two maps.
pub(super) fn merge_any(single: &[Header<'_>], multi: &[Header<'_>]) -> Option<HeaderMap> {
    let mut headers = HeaderMap::with_capacity(single.len().max(multi.len()));
    for (i, header) in multi.iter().enumerate() {
        let name = HeaderName::from_bytes(header.name.0.as_bytes()).ok()?;
        if single.iter().any(|other| other.gives(name.as_str())) {
            // The single-value map's values, where the multi-value map first gives the name;
            // this member's own values only checked.
            if header.values.iter().any(|value| !is_header_value(&value.0)) {
                return None;
            }
            let first = header.gives(name.as_str())
                && !multi[..i].iter().any(|before| before.gives(name.as_str()));
            if first {
                append_values(&mut headers, &name, single)?;
            }
            continue;
        }
        match &header.values {
            Values::One(value) => {
                headers.insert(name, header_value(&value.0)?);
            }
            Values::List(values) => {
                for value in values {
                    headers.append(&name, header_value(&value.0)?);
                }
            }
        }
    }
    for (i, header) in single.iter().enumerate() {
        if multi.iter().any(|other| other.gives(&header.name.0))
            && single.iter().any(|other| other.gives(&header.name.0))
        {
            continue; // placed above
        }
        let name = HeaderName::from_bytes(header.name.0.as_bytes()).ok()?;
        if !single[..i].iter().any(|before| before.is(name.as_str())) {
            append_values(&mut headers, &name, single)?;
        }
    }
    Some(headers)
}

/// The first value the single-value map gives `name`, as `HeaderMap::get` and `to_str` read it.
pub(super) fn first_str<'a>(map: &'a [Header<'_>], name: &'a str) -> Option<&'a str> {
    let (value, _) = values_of(map, name).find(|(_, kept)| *kept)?;
    value
        .0
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || b == b'\t')
        .then_some(&*value.0)
}

/// A header map, read as `aws_lambda_events`' `deserialize_headers` reads one from JSON: `null`
/// is an empty map, each member a string or a list of strings (a value of another shape is an
/// error); kept as sent, names and values checked when the maps are merged ([`merge`]).
pub(super) struct Headers;

impl<'de> DeserializeSeed<'de> for Headers {
    type Value = Vec<Header<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Headers {
    type Value = Vec<Header<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of headers")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
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
