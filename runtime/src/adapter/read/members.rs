//! The members of an event, read in one pass: the top-level object, and the readers of the
//! members that are not header maps.

use super::headers::Headers;
use super::{payload, Context, Fields, Payload, Query};
use http::Method;
use lambda_http::aws_lambda_events::query_map::{self, QueryMap};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// Declares the members of an event this reader reads, each with its bit in [`Fields::seen`].
macro_rules! keys {
    ($($key:ident = $name:literal,)*) => {
        /// A member of an event this reader reads; [`Member::Other`] for any other.
        #[derive(Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub(super) enum Member { $($key,)* Other }

        impl Member {
            fn of(name: &str) -> Member {
                match name { $($name => Member::$key,)* _ => Member::Other }
            }
        }
    };
}

keys! {
    Resource = "resource",
    Path = "path",
    HttpMethod = "httpMethod",
    Headers = "headers",
    MultiValueHeaders = "multiValueHeaders",
    QueryStringParameters = "queryStringParameters",
    MultiValueQueryStringParameters = "multiValueQueryStringParameters",
    PathParameters = "pathParameters",
    StageVariables = "stageVariables",
    RequestContext = "requestContext",
    Body = "body",
    IsBase64Encoded = "isBase64Encoded",
    Version = "version",
    RouteKey = "routeKey",
    RawPath = "rawPath",
    RawQueryString = "rawQueryString",
    Cookies = "cookies",
    // Members of payload 2.0's event type that only custom authorizers' events carry: read as
    // that type reads them (an `Option<String>`), and dropped.
    Type = "type",
    MethodArn = "methodArn",
    IdentitySource = "identitySource",
    AuthorizationToken = "authorizationToken",
    Method = "method",
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MemberVisitor;
        impl Visitor<'_> for MemberVisitor {
            type Value = Member;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Member, E> {
                Ok(Member::of(name))
            }
        }
        deserializer.deserialize_str(MemberVisitor)
    }
}

/// `queryStringParameters` (or `multiValueQueryStringParameters`, as payload 1.0) read as the
/// event type reads them.
pub(super) struct QuerySeed(Payload);

impl<'de> DeserializeSeed<'de> for QuerySeed {
    type Value = QueryMap;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<QueryMap, D::Error> {
        match self.0 {
            Payload::V1 => query_map::serde::standard::deserialize_empty(deserializer),
            Payload::V2 => query_map::serde::aws_api_gateway_v2::deserialize_empty(deserializer),
        }
    }
}

/// The event's top-level object, read member by member into [`Fields`].
pub(super) struct Top<'a> {
    /// Set when the event is left to `lambda_http`'s reader before its end.
    pub(super) left: &'a mut bool,
}

impl Top<'_> {
    /// Stops reading: the event is left to `lambda_http`'s reader. The reader returns
    /// at once rather than failing: serde_json's custom errors cost thousands of instructions (a
    /// message formatted, then searched for a position), where the end of the object not being
    /// reached is a cheap error of its own.
    fn leave<'de>(self, fields: Fields<'de>) -> Fields<'de> {
        *self.left = true;
        fields
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an API Gateway event")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<Member>()? {
            if key != Member::Other {
                if fields.has(key) {
                    return Ok(self.leave(fields));
                }
                fields.seen |= 1 << key as u32;
            }
            match key {
                // Read as the event types read them (an `Option<String>`), and not kept: the
                // request does not keep them (the last four only custom authorizers' events of
                // payload 2.0 carry).
                Member::Resource
                | Member::Version
                | Member::RouteKey
                | Member::Type
                | Member::MethodArn
                | Member::IdentitySource
                | Member::AuthorizationToken => {
                    map.next_value::<Option<Str<'de>>>()?;
                }
                Member::Path => fields.path = map.next_value()?,
                Member::HttpMethod => fields.http_method = Some(map.next_value_seed(MethodSeed)?),
                Member::Headers => fields.headers = map.next_value_seed(OrNull(Headers))?,
                Member::MultiValueHeaders => {
                    fields.multi_value_headers = map.next_value_seed(OrNull(Headers))?;
                }
                Member::QueryStringParameters => {
                    fields.query_string_parameters = Some(match payload(&fields) {
                        Some(payload) => {
                            Query::Read(payload, map.next_value_seed(QuerySeed(payload))?)
                        }
                        None => Query::Sent(map.next_value()?),
                    });
                }
                Member::MultiValueQueryStringParameters => {
                    let multi = map.next_value_seed(QuerySeed(Payload::V1))?;
                    fields.multi_value_query_string_parameters = Some(multi);
                }
                Member::PathParameters => {
                    fields.path_parameters = map.next_value_seed(OrNull(Strings))?;
                }
                Member::StageVariables => {
                    fields.stage_variables = map.next_value_seed(OrNull(Strings))?;
                }
                // A context that is not the event type's fails here: the event is left to
                // `lambda_http`, which tries its other types.
                Member::RequestContext => {
                    fields.request_context = Some(match payload(&fields) {
                        Some(Payload::V1) => Context::V1(map.next_value()?),
                        Some(Payload::V2) => Context::V2(map.next_value()?),
                        None => {
                            let context: &RawValue = map.next_value()?;
                            if of_another_front_door(context.get()) {
                                return Ok(self.leave(fields));
                            }
                            Context::Sent(context)
                        }
                    });
                }
                // VPC Lattice's name of the method: its events are left to `lambda_http`.
                Member::Method => return Ok(self.leave(fields)),
                Member::Body => fields.body = map.next_value()?,
                Member::IsBase64Encoded => fields.is_base64_encoded = Some(map.next_value()?),
                Member::RawPath => fields.raw_path = map.next_value()?,
                Member::RawQueryString => fields.raw_query_string = map.next_value()?,
                Member::Cookies => fields.cookies = map.next_value()?,
                Member::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }
}

/// A string, borrowed from the event's bytes unless it has escapes (serde's `Cow<str>` always
/// copies).
pub(super) struct Str<'de>(pub(super) Cow<'de, str>);

impl Str<'_> {
    pub(super) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(s.to_owned())))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

/// Whether a request context names a member of the contexts of ALB, VPC Lattice or WebSocket
/// APIs: a cheap look at its text, so that their events are left to `lambda_http` as soon as the
/// context is read (it comes first in ALB's events). A string that holds such a name only
/// leaves an event this reader could have read; a name written with escapes is caught later,
/// when the context is read as the front door's.
pub(super) fn of_another_front_door(context: &str) -> bool {
    ["\"connectionId\"", "\"elb\"", "\"serviceNetworkArn\""]
        .iter()
        .any(|name| context.contains(name))
}

/// A map that may be `null` (an empty map), as `aws_lambda_events` reads its maps: `V` reads the
/// map itself.
pub(super) struct OrNull<V>(pub(super) V);

impl<'de, V: Visitor<'de, Value: Default>> DeserializeSeed<'de> for OrNull<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, V: Visitor<'de, Value: Default>> Visitor<'de> for OrNull<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        Ok(V::Value::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        Ok(V::Value::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_map(self.0)
    }
}

/// A map of strings as `aws_lambda_events` reads one (`deserialize_nullish` of a
/// `HashMap<String, String>`: `null` is empty, a name twice keeps the last value), made into the
/// map of a `QueryMap` as `lambda_http` makes it (`QueryMap::from`), in one step.
pub(super) struct Strings;

impl<'de> Visitor<'de> for Strings {
    type Value = HashMap<String, Vec<String>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of strings")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut strings = HashMap::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((name, value)) = map.next_entry::<String, String>()? {
            strings.insert(name, vec![value]);
        }
        Ok(strings)
    }
}

/// `aws_lambda_events`' reader of an HTTP method: an empty string is `GET`.
pub(super) struct MethodSeed;

impl<'de> DeserializeSeed<'de> for MethodSeed {
    type Value = Method;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Method, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for MethodSeed {
    type Value = Method;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("valid method name")
    }

    fn visit_str<E: de::Error>(self, method: &str) -> Result<Method, E> {
        if method.is_empty() {
            return Ok(Method::GET);
        }
        method.parse().map_err(|_| E::custom("an invalid method"))
    }
}
