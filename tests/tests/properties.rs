//! Property tests: whatever a handler returns, for every front door, the envelope meets the
//! strict contract; and the checker never panics, whatever it is given.
//!
//! Case counts are set per property below and recorded in docs/testing.md; `PROPTEST_CASES`
//! overrides them all (e.g. `PROPTEST_CASES=10000 cargo test --test properties`).

mod common;

use common::front_doors;
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Body, HttpError, Reply, Request, Response, StatusCode};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(cases),
        ..ProptestConfig::default()
    }
}

/// Any text: ASCII, control characters, quotes and backslashes, any Unicode scalar.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,24}",
        "[\\x00-\\x1f\"\\\\]{0,12}",
        any::<String>(),
        Just("\u{2028}\u{2029}\u{feff}\u{fffd}😀".to_owned()),
    ]
}

/// Any JSON value, numbers at their extremes, nested up to 6 levels.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from), // NaN and infinities become null
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[proxy_handler]
async fn as_value(_req: Request, value: Value) -> Value {
    value
}

#[proxy_handler]
async fn as_result(_req: Request, value: Value) -> Result<Value, HttpError> {
    if value.is_array() {
        Err(HttpError::unprocessable_entity(value.to_string()))
    } else {
        Ok(value)
    }
}

#[proxy_handler]
async fn as_option(_req: Request, value: Value) -> Option<Value> {
    (!value.is_null()).then_some(value)
}

#[proxy_handler(status = 201, headers("x-kind" = "reply"))]
async fn as_reply(_req: Request, value: Value) -> Reply<Value> {
    Reply::new(value).header("x-extra", "1")
}

proptest! {
    #![proptest_config(config(128))]

    /// Every JSON value, through every return kind and every front door.
    #[test]
    fn any_json_through_every_kind_and_front_door(value in json()) {
        let rt = runtime();
        for request in front_doors() {
            rt.block_on(async {
                let v = value.clone();
                request.clone().invoke(move |r| as_value(r, v.clone())).await.assert_valid();
                let v = value.clone();
                request.clone().invoke(move |r| as_result(r, v.clone())).await.assert_valid();
                let v = value.clone();
                request.clone().invoke(move |r| as_option(r, v.clone())).await.assert_valid();
                let v = value.clone();
                let envelope = request.clone().invoke(move |r| as_reply(r, v.clone())).await;
                envelope.assert_valid();
                // The body is the value, exactly (serde_json writes NaN as null both times).
                let body: Value = envelope.json_body().unwrap();
                prop_assert_eq!(body, serde_json::from_str::<Value>(&value.to_string()).unwrap());
                Ok(())
            })?;
        }
    }
}

/// A struct with the awkward parts: floats, 128-bit integers, chars, options, maps.
#[derive(Clone, Debug, serde::Serialize)]
struct Awkward {
    float: f64,
    big: u128,
    small: i128,
    letter: char,
    maybe: Option<String>,
    tags: BTreeMap<String, Vec<u8>>,
    nested: Vec<Vec<Option<bool>>>,
}

fn awkward() -> impl Strategy<Value = Awkward> {
    (
        any::<f64>(),
        any::<u128>(),
        any::<i128>(),
        any::<char>(),
        proptest::option::of(text()),
        prop::collection::btree_map(text(), prop::collection::vec(any::<u8>(), 0..4), 0..4),
        prop::collection::vec(
            prop::collection::vec(proptest::option::of(any::<bool>()), 0..3),
            0..3,
        ),
    )
        .prop_map(|(float, big, small, letter, maybe, tags, nested)| Awkward {
            float,
            big,
            small,
            letter,
            maybe,
            tags,
            nested,
        })
}

#[proxy_handler]
async fn awkward_handler(_req: Request, value: Awkward) -> Result<Awkward, HttpError> {
    Ok(value)
}

/// Maps with non-string keys cannot be JSON: the answer is a 500, still a valid envelope.
#[proxy_handler]
async fn tuple_keys(_req: Request, keys: Vec<(u8, u8)>) -> HashMap<(u8, u8), bool> {
    keys.into_iter().map(|k| (k, true)).collect()
}

/// Header values from "user input": any bytes `http` accepts.
#[proxy_handler]
async fn echo_headers(_req: Request, values: Vec<Vec<u8>>, status: u16) -> Response<Body> {
    let mut response = Response::new(Body::from("ok"));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if status == 405 {
        // RFC 9110: a 405 names the methods it allows (the checker's `405-without-allow`).
        response
            .headers_mut()
            .insert("allow", lambda_proxy::HeaderValue::from_static("GET"));
    }
    for (i, value) in values.into_iter().enumerate() {
        if let Ok(value) = lambda_proxy::HeaderValue::from_bytes(&value) {
            let name = if i % 3 == 0 {
                "set-cookie".to_owned()
            } else {
                format!("x-h{}", i % 2)
            };
            response.headers_mut().append(
                lambda_proxy::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value,
            );
        }
    }
    response
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn awkward_structs(value in awkward()) {
        let rt = runtime();
        for request in front_doors() {
            let v = value.clone();
            let envelope = rt.block_on(request.invoke(move |r| awkward_handler(r, v.clone())));
            envelope.assert_valid();
            prop_assert_eq!(envelope.status(), 200);
        }
    }

    #[test]
    fn non_string_map_keys_are_a_valid_500(keys in prop::collection::vec(any::<(u8, u8)>(), 1..4)) {
        let rt = runtime();
        for request in front_doors() {
            let k = keys.clone();
            let envelope = rt.block_on(request.invoke(move |r| tuple_keys(r, k.clone())));
            envelope.assert_valid();
            prop_assert_eq!(envelope.status(), 500);
        }
    }

    #[test]
    fn any_header_bytes_and_status(
        values in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..12), 0..6),
        status in 100u16..1000,
    ) {
        let rt = runtime();
        for request in front_doors() {
            let v = values.clone();
            let envelope = rt.block_on(request.invoke(move |r| echo_headers(r, v.clone(), status)));
            envelope.assert_valid();
        }
    }
}

#[proxy_handler]
async fn big_string(_req: Request, len: usize, fill: char) -> String {
    std::iter::repeat_n(fill, len).collect()
}

proptest! {
    #![proptest_config(config(8))]

    /// Multi-megabyte strings: delivered when they fit the front door, a valid 500 when not.
    #[test]
    fn multi_megabyte_strings(len in 1_000_000usize..7_000_000, fill in prop_oneof![Just('a'), Just('"'), Just('\u{1}'), Just('é')]) {
        let rt = runtime();
        for request in [TestRequest::http_api(), TestRequest::alb(), TestRequest::websocket()] {
            let limit = request.front_door().size_limit();
            let envelope = rt.block_on(request.invoke(move |r| big_string(r, len, fill)));
            envelope.assert_valid();
            prop_assert!(envelope.raw().len() <= limit);
        }
    }
}

proptest! {
    #![proptest_config(config(2000))]

    /// The checker's input path never panics on arbitrary bytes.
    #[test]
    fn checker_never_panics_on_bytes(input in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(found) = lambda_proxy_cli::check::extract(&input) {
            for fd in lambda_proxy::FrontDoor::ALL {
                let _ = lambda_proxy_cli::check::check_sized(&found.value, fd, found.size).to_string();
            }
        }
    }

    /// ... nor on text that is nearly a response.
    #[test]
    fn checker_never_panics_on_near_envelopes(
        prefix in "[ -~]{0,20}",
        value in json(),
        status in json(),
        body in json(),
        headers in json(),
    ) {
        let mut envelope = serde_json::Map::new();
        envelope.insert("statusCode".into(), status);
        envelope.insert("body".into(), body);
        envelope.insert("headers".into(), headers.clone());
        envelope.insert("multiValueHeaders".into(), headers);
        envelope.insert("isBase64Encoded".into(), value.clone());
        envelope.insert("cookies".into(), value);
        let text = format!("{prefix}{}", Value::Object(envelope));
        let found = lambda_proxy_cli::check::extract(text.as_bytes());
        prop_assert!(found.is_ok());
        for fd in lambda_proxy::FrontDoor::ALL {
            let found = found.as_ref().unwrap();
            let _ = lambda_proxy_cli::check::check_sized(&found.value, fd, found.size).to_string();
        }
    }
}

#[proxy_handler]
async fn reads_everything(req: Request) -> Result<String, HttpError> {
    use lambda_proxy::ProxyRequestExt;
    let _: Option<String> = req.query_param_opt("q")?;
    let body: Result<Value, _> = req.json();
    Ok(format!("{} {}", req.uri(), body.is_ok()))
}

/// Any bytes, as a JSON string can carry them (every Unicode scalar, control characters, quotes).
fn bytes_text() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        "[\\x00-\\x7f]{0,16}",
        Just("\"<>\u{7f} %zz%%".to_owned()),
        Just("a".repeat(70_000)),
    ]
}

/// Sets `name` to `value` in every header map the event has, in its own shape.
fn set_header(event: &mut Value, name: &str, value: &str) {
    for key in ["headers", "multiValueHeaders"] {
        if let Some(map) = event.get_mut(key).and_then(Value::as_object_mut) {
            let multi = key == "multiValueHeaders" || map.values().any(Value::is_array);
            let value = if multi {
                serde_json::json!([value])
            } else {
                serde_json::json!(value)
            };
            map.insert(name.to_owned(), value);
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Events a front door can deliver, with any bytes in header names and values, the query
    /// string, the path and the body (marked base64 or not): every one is answered with an
    /// envelope that meets the strict contract, through the same adapter as `run`.
    #[test]
    fn any_event_bytes_get_a_valid_answer(
        name in bytes_text(),
        value in bytes_text(),
        query in bytes_text(),
        path in bytes_text(),
        body in bytes_text(),
        base64 in any::<bool>(),
    ) {
        let rt = runtime();
        for request in front_doors() {
            let front_door = request.front_door();
            let mut event = request.event();
            set_header(&mut event, &name, &value);
            for key in ["path", "rawPath"] {
                if event.get(key).is_some() {
                    event[key] = Value::String(format!("/{path}"));
                }
            }
            if event.get("rawQueryString").is_some() {
                event["rawQueryString"] = Value::String(query.clone());
            } else if front_door != lambda_proxy::FrontDoor::WebSocket {
                event["queryStringParameters"] = serde_json::json!({ "q": query });
                if event.get("multiValueQueryStringParameters").is_some() {
                    event["multiValueQueryStringParameters"] = serde_json::json!({ "q": [query] });
                }
            }
            event["body"] = Value::String(body.clone());
            event["isBase64Encoded"] = Value::Bool(base64);
            let event = lambda_proxy::testing::TestEvent::from_json(&event.to_string()).unwrap();
            let envelope = rt.block_on(event.invoke(reads_everything));
            envelope.assert_valid();
            let status = envelope.status();
            prop_assert!(matches!(status, 200 | 400 | 414), "{front_door}: {}", envelope.raw());
        }
    }
}
