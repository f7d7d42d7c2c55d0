//! The request a handler receives is the one `lambda_http` would have made from the same event:
//! for every event the repository holds (its own, and the HTTP fixtures of `lambda_http` and
//! `aws_lambda_events`) and for generated events of every front door, the request that reaches a
//! handler through lambda-proxy's adapter (its own event reader) equals, field by field and
//! extension by extension, the request `lambda_http::request::from_str` makes. Events that
//! `lambda_http` cannot read or convert reach no handler through lambda-proxy either.
//!
//! In its own test binary: it captures `tracing` output to see which reader read each event.

mod common;

use common::Captured;
use lambda_proxy::lambda_http::{self, Context, RequestExt};
use lambda_proxy::testing::Bytes;
use lambda_proxy::{proxy_handler, Body, Request};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::{Arc, Mutex};

type Slot = Arc<Mutex<Option<Request>>>;

#[proxy_handler]
async fn capture(req: Request, slot: Slot) -> &'static str {
    *slot.lock().unwrap() = Some(req);
    "captured"
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The request a handler receives from `event` through lambda-proxy's adapter, as
/// `lambda_runtime` hands the bytes over; `None` when no handler is called.
fn through_lambda_proxy(rt: &tokio::runtime::Runtime, event: &str) -> Option<Request> {
    let slot = Slot::default();
    let handler_slot = slot.clone();
    rt.block_on(lambda_proxy::testing::invoke_bytes(
        Bytes::copy_from_slice(event.as_bytes()),
        Context::default(),
        move |req| capture(req, handler_slot.clone()),
    ));
    let request = slot.lock().unwrap().take();
    request
}

/// The request `lambda_http` makes from `event`; `None` when it cannot read or convert it (it
/// panics on some URIs and bodies).
fn through_lambda_http(event: &str) -> Option<Request> {
    thread_local! {
        static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    // One hook for the whole binary, quiet only on the thread that expects the panic.
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.get() {
                previous(info);
            }
        }));
    });
    let event = event.to_owned();
    QUIET.set(true);
    let request = std::panic::catch_unwind(move || lambda_http::request::from_str(&event).ok());
    QUIET.set(false);
    request.ok().flatten()
}

/// Everything of a request a handler can read, as comparable values.
#[derive(Debug, PartialEq)]
struct Seen {
    method: String,
    /// The URI, without the query when `lambda_http` writes it from a query map.
    uri: String,
    /// That query's pairs, sorted.
    query: Vec<String>,
    version: String,
    /// In iteration order: handlers that walk the headers see the same order.
    headers: Vec<(String, String)>,
    body: (&'static str, Vec<u8>),
    raw_http_path: String,
    query_string_parameters: Value,
    path_parameters: Value,
    stage_variables: Value,
    /// The variant and the serialized context.
    request_context: Option<(String, Value)>,
}

/// A query map as a JSON object, its names sorted (`QueryMap::iter` panics on a name with no
/// values, which `multiValueQueryStringParameters` can send).
fn sorted(map: lambda_http::aws_lambda_events::query_map::QueryMap) -> Value {
    serde_json::to_value(map).unwrap()
}

fn seen(request: &Request) -> Seen {
    let mut query_string_parameters = sorted(request.query_string_parameters());
    if let Some(
        lambda_http::request::RequestContext::Alb(_)
        | lambda_http::request::RequestContext::VpcLattice(_),
    ) = request.request_context_ref()
    {
        // For ALB and VPC Lattice `lambda_http` decodes the parameters by writing them as a
        // query in a `HashMap`'s order and reading it back: the values of two names that decode
        // to one come in that order.
        for values in query_string_parameters
            .as_object_mut()
            .unwrap()
            .values_mut()
        {
            values
                .as_array_mut()
                .unwrap()
                .sort_by_key(|value| value.to_string());
        }
    }
    // `lambda_http` writes the query of a REST, ALB, VPC Lattice or WebSocket event from the
    // query map it keeps, in the map's (a `HashMap`'s) iteration order, which differs from one
    // map to the next: the query is compared as a set of pairs, cut from the URI by its length.
    let mut uri = request.uri().to_string();
    let mut query = Vec::new();
    let v2 = matches!(
        request.request_context_ref(),
        Some(lambda_http::request::RequestContext::ApiGatewayV2(_))
    );
    let map = request.query_string_parameters();
    if !v2 && !map.is_empty() {
        let written = map.to_query_string();
        let mut pairs: Vec<String> = written.split('&').map(str::to_owned).collect();
        pairs.sort();
        // (A host with a `#` or a `?` in it leaves the URI without that query at its end.)
        if let Some(cut) = uri.len().checked_sub(written.len()) {
            if uri.is_char_boundary(cut) {
                let mut tail: Vec<String> = uri[cut..].split('&').map(str::to_owned).collect();
                tail.sort();
                if tail == pairs {
                    query = tail;
                    uri.truncate(cut);
                }
            }
        }
    }
    Seen {
        method: request.method().to_string(),
        uri,
        query,
        version: format!("{:?}", request.version()),
        headers: request
            .headers()
            .iter()
            .filter(|(name, _)| *name != "x-amzn-trace-id")
            .map(|(name, value)| (name.to_string(), format!("{value:?}")))
            .collect(),
        body: match request.body() {
            Body::Empty => ("empty", Vec::new()),
            Body::Text(text) => ("text", text.as_bytes().to_vec()),
            Body::Binary(bytes) => ("binary", bytes.clone()),
            _ => ("other", Vec::new()),
        },
        raw_http_path: request.raw_http_path().to_owned(),
        query_string_parameters,
        path_parameters: sorted(request.path_parameters()),
        stage_variables: sorted(request.stage_variables()),
        request_context: request.request_context_ref().map(|context| {
            let variant = format!("{context:?}");
            let variant = variant[..variant.find('(').unwrap_or(variant.len())].to_owned();
            (variant, serde_json::to_value(context).unwrap())
        }),
    }
}

/// Holds lambda-proxy's request to `lambda_http`'s for `event`; answers whether a handler ran.
fn same_request(rt: &tokio::runtime::Runtime, name: &str, event: &str) -> bool {
    let proxy = through_lambda_proxy(rt, event);
    let upstream = through_lambda_http(event);
    match (&proxy, &upstream) {
        (Some(proxy), Some(upstream)) => {
            assert_eq!(seen(proxy), seen(upstream), "{name}: the requests differ");
            // Beyond those `lambda_http` adds, lambda-proxy's adapter adds the invocation's
            // `Context`, as `lambda_http`'s adapter does, and nothing else.
            assert_eq!(
                proxy.extensions().len(),
                upstream.extensions().len() + 1,
                "{name}: the extensions differ"
            );
            assert!(proxy.lambda_context_ref().is_some(), "{name}");
            true
        }
        (None, None) => false,
        _ => panic!(
            "{name}: a request from {} only",
            if proxy.is_some() {
                "lambda-proxy"
            } else {
                "lambda_http"
            }
        ),
    }
}

/// Which reader read each event: the adapter traces when `lambda_http`'s reads one.
fn read_by_lambda_http(rt: &tokio::runtime::Runtime, event: &str) -> bool {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    through_lambda_proxy(rt, event);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    log.contains("read by lambda_http's reader")
}

fn fixtures() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut events = Vec::new();
    for dir in [
        "fixtures/lambda_http",
        "fixtures/aws_lambda_events",
        "e2e/events",
        "../bench/events",
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
            events.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    events
}

/// The events the testing kit builds, for every front door.
fn kit_events() -> Vec<(String, String)> {
    let mut events = Vec::new();
    for request in common::front_doors() {
        let door = request.front_door();
        let variants = [
            request.clone(),
            request
                .clone()
                .method("POST")
                .path("/users/7/a b")
                .query("q", "a b&c")
                .query("q", "é")
                .header("X-Mixed-Case", "1")
                .header("accept", "text/html")
                .header("accept", "application/json")
                .cookie("a=1")
                .cookie("b=2")
                .json(&json!({"name": "Ada"})),
            request
                .clone()
                .stage("dev")
                .path("/dev/items")
                .binary(vec![0, 159, 146, 150]),
            request.clone().origin("https://app.example.com"),
        ];
        for (i, variant) in variants.into_iter().enumerate() {
            events.push((
                format!("kit {door:?} {i}"),
                serde_json::to_string(&variant.event()).unwrap(),
            ));
        }
    }
    events
}

#[test]
fn every_event_of_the_repository_gives_the_request_lambda_http_gives() {
    let rt = runtime();
    let mut read = 0;
    let mut fast = Vec::new();
    let mut slow = Vec::new();
    for (name, event) in fixtures().into_iter().chain(kit_events()) {
        let reached = same_request(&rt, &name, &event);
        read += usize::from(reached);
        let value: Value = serde_json::from_str(&event).unwrap_or(Value::Null);
        // A REST or HTTP API event that a handler receives is read by lambda-proxy's reader; one
        // that `lambda_http` cannot read (a header value with a control character, say) is left
        // to `lambda_http`'s, which says why, as are WebSocket events (`lambda_http` reads those
        // with an `httpMethod` as REST events).
        let api_gateway = reached
            && value["requestContext"]["connectionId"].is_null()
            && (value["requestContext"]["http"].is_object()
                || (value["httpMethod"].is_string()
                    && value["requestContext"]["httpMethod"].is_string()));
        if read_by_lambda_http(&rt, &event) {
            slow.push((name, api_gateway));
        } else {
            fast.push(name);
        }
    }
    let left: Vec<_> = slow
        .iter()
        .filter(|(_, api_gateway)| *api_gateway)
        .collect();
    assert!(
        left.is_empty(),
        "API Gateway events read by lambda_http's reader: {left:?}"
    );
    eprintln!(
        "{read} events reached a handler; {} read by lambda-proxy's reader, {} by lambda_http's",
        fast.len(),
        slow.len()
    );
    assert!(read >= 80, "{read} events reached a handler");
    assert!(
        fast.len() >= 50,
        "{} read by lambda-proxy's reader",
        fast.len()
    );
}

/// A header name as clients and front doors send them: any case, sometimes invalid.
fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        // `host` and `x-forwarded-proto` are set apart (see `event_members`): most values of
        // theirs make a URI `lambda_http` cannot build.
        30 => prop::sample::select(vec![
            "Accept", "accept", "ACCEPT", "Content-Type", "cookie", "Origin", "X-Forwarded-For",
            "User-Agent", "X-Amzn-Trace-Id", "x-custom", "X-Custom",
        ])
        .prop_map(str::to_owned),
        30 => "[a-zA-Z][a-zA-Z0-9-]{0,12}",
        1 => "[ -~]{0,6}",
    ]
}

/// A header value: usually valid, sometimes with a control character, quotes, or non-ASCII.
fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        100 => "[ -~]{0,16}",
        1 => "[\\x00-\\x1f\\x7f\"\\\\]{0,3}",
        5 => "[a-z]{1,4}[é😀\u{80}]",
        20 => prop::sample::select(vec![
            "https", "http", "HTTPS", "example.com", "a.example:8443", "", "a, b",
            "abc123.execute-api.us-east-1.amazonaws.com", "x.lambda-url.eu-west-1.on.aws",
            "Example.COM", "0x7f.example", "example.123", "xn--nxasmq6b.com", "-a.example",
            "127.0.0.1", "[::1]", "a..b", "a.example.",
        ])
        .prop_map(str::to_owned),
    ]
}

/// A path: spaces, percent-escapes, non-ASCII, a stage prefix.
fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(
            "[a-z0-9]{1,6}|%2F|%2e|a b|é|\\{x\\}|dev|\\$default|\\.|\\.\\.|\\.well-known|a;b=c|~u|!\\$&'\\(\\)\\*\\+,;=:@",
            0..4
        )
        .prop_map(|parts| format!("/{}", parts.join("/"))),
        1 => Just(String::new()),
        1 => "[ -~]{0,12}",
    ]
}

fn small_map(value: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    prop::collection::btree_map(header_name(), value, 0..6)
        .prop_map(|map| Value::Object(map.into_iter().collect()))
}

fn headers() -> impl Strategy<Value = Value> {
    prop_oneof![
        16 => small_map(header_value().prop_map(Value::from).boxed()),
        1 => Just(Value::Null),
        1 => Just(json!({"accept": 7})),
    ]
}

fn multi_value_headers() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => small_map(
            prop::collection::vec(header_value().prop_map(Value::from), 0..3)
                .prop_map(Value::Array)
                .boxed()
        ),
        1 => Just(Value::Null),
        1 => small_map(header_value().prop_map(Value::from).boxed()),
    ]
}

fn query() -> impl Strategy<Value = Value> {
    let key = "[a-z]{1,3}|a b|%41|é|&|=";
    prop_oneof![
        4 => prop::collection::btree_map(key, "[ -~]{0,6}|é|%20|a\\+b", 0..4)
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k, v.into())).collect())),
        1 => Just(Value::Null),
    ]
}

fn multi_query() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::collection::btree_map(
            "[a-z]{1,3}|a b|%41",
            // `query_map` panics on an empty list, in `lambda_http` as in lambda-proxy.
            prop_oneof![12 => prop::collection::vec("[ -~]{0,6}|é", 1..3), 1 => Just(vec![])],
            0..4
        )
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k, json!(v))).collect())),
        1 => Just(Value::Null),
    ]
}

fn body() -> impl Strategy<Value = (Value, Value)> {
    prop_oneof![
        3 => Just((Value::Null, json!(false))),
        6 => "[ -~]{0,12}".prop_map(|b| (json!(b), json!(false))),
        2 => Just((json!("aGVsbG8="), json!(true))),
        1 => Just((json!("not base64!"), json!(true))),
        1 => Just((json!("x"), Value::Null)),
    ]
}

/// The members of one generated event of `door`, to be written in any order.
fn event_members() -> impl Strategy<Value = Vec<(String, Value)>> {
    let doors = prop::sample::select(vec![
        "rest", "http1", "http2", "url", "alb", "lattice", "ws",
    ]);
    (
        doors,
        path(),
        headers(),
        multi_value_headers(),
        query(),
        multi_query(),
        body(),
        prop::sample::select(vec![
            "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "", "get",
            "BREW", "G T",
        ]),
        prop::sample::select(vec!["prod", "$default", "dev", ""]),
        prop::option::of("[a-z=&%+ ]{0,10}"),
        prop::option::of(prop::collection::vec("[a-z]=[0-9]", 0..3)),
        (
            any::<u8>(),
            prop::bool::weighted(0.05),
            prop::option::weighted(0.8, (
                prop::sample::select(vec!["Host", "host", "HOST"]),
                prop_oneof![
                    6 => prop::sample::select(vec![
                        "abc123.execute-api.us-east-1.amazonaws.com",
                        "x.lambda-url.eu-west-1.on.aws", "example.com", "api.example.co.uk",
                    ]),
                    4 => prop::sample::select(vec![
                        "a.example:8443", "a.example:443", "Example.COM", "0x7f.example",
                        "xn--nxasmq6b.com", "-a.example", "127.0.0.1", "[::1]", "a.example.",
                        "é.example",
                    ]),
                    1 => prop::sample::select(vec!["example.123", "a..b", "", "a b", "xn--a.com"]),
                ],
            )),
            prop::option::weighted(0.3, prop::sample::select(vec!["https", "http", "HTTPS", "ftp", "", "h s"])),
        ),
    )
        .prop_map(
            |(door, path, headers, multi, query, multi_query, (body, b64), method, stage, raw_query, cookies, (extra, twice, host, proto))| {
                let (mut headers, mut multi) = (headers, multi);
                for (name, value) in host.into_iter().chain(proto.map(|p| ("X-Forwarded-Proto", p))) {
                    if let Value::Object(map) = &mut headers {
                        map.insert(name.to_owned(), json!(value));
                    }
                    if let Value::Object(map) = &mut multi {
                        map.insert(name.to_owned(), json!([value]));
                    }
                }
                if extra & 128 != 0 {
                    // As API Gateway sends them: the multi-value map of the same names, in the
                    // same order; sometimes with a value that is not a valid header value.
                    if let Value::Object(single) = &headers {
                        let mut parallel: serde_json::Map<String, Value> = single
                            .iter()
                            .map(|(name, value)| (name.clone(), json!([value])))
                            .collect();
                        if extra & 32 != 0 {
                            if let Some((_, value)) = parallel.iter_mut().next() {
                                *value = json!(["a\u{1}b"]);
                            }
                        }
                        multi = Value::Object(parallel);
                    }
                }
                let mut members: Vec<(String, Value)> = vec![
                    ("headers".into(), headers),
                    ("body".into(), body),
                    ("isBase64Encoded".into(), b64),
                ];
                let mut push = |k: &str, v: Value| members.push((k.to_owned(), v));
                match door {
                    "rest" | "http1" | "ws" => {
                        push("resource", json!("/{proxy+}"));
                        push("path", json!(path));
                        push("httpMethod", json!(method));
                        push("multiValueHeaders", multi);
                        push("queryStringParameters", query);
                        push("multiValueQueryStringParameters", multi_query);
                        push("pathParameters", if extra & 1 == 0 { json!({"proxy": "a b"}) } else { Value::Null });
                        push("stageVariables", if extra & 2 == 0 { json!({"v": "1"}) } else { Value::Null });
                        let mut context = json!({
                            "accountId": "123456789012", "resourceId": "abc", "stage": stage,
                            "requestId": "r-1", "httpMethod": method, "resourcePath": "/{proxy+}",
                            "identity": {"sourceIp": "203.0.113.7", "userAgent": "curl"},
                            "apiId": "a1b2c3",
                        });
                        if door == "http1" {
                            push("version", json!("1.0"));
                            context["domainName"] = json!("a1b2c3.execute-api.us-east-1.amazonaws.com");
                        }
                        if door == "ws" {
                            context = json!({
                                "connectionId": "c-1", "connectedAt": 1547230720092u64,
                                "eventType": "MESSAGE", "messageDirection": "IN",
                                "extendedRequestId": "x-1", "requestTimeEpoch": 0,
                                "routeKey": "$default", "stage": stage, "apiId": "a1",
                                "requestId": "r-3", "domainName": "a1.execute-api.eu-central-1.amazonaws.com",
                            });
                            // A WebSocket event with an `httpMethod` in its context is read by
                            // `lambda_http` as a REST event.
                            if extra & 64 != 0 {
                                context["httpMethod"] = json!(method);
                            }
                        }
                        if extra & 4 != 0 {
                            context["authorizer"] = json!({"principalId": "u-1", "claims": {"sub": "u-1"}, "n": 3});
                        }
                        push("requestContext", context);
                    }
                    "http2" | "url" => {
                        push("version", json!("2.0"));
                        push("routeKey", json!("$default"));
                        // Payload 2.0's type reads `path` as `rawPath`; both is a duplicate.
                        push(if extra & 8 == 0 { "rawPath" } else { "path" }, json!(path));
                        if extra & 224 == 224 {
                            push("path", json!("/also"));
                        }
                        if let Some(raw_query) = raw_query {
                            push("rawQueryString", json!(raw_query));
                        }
                        if let Some(cookies) = cookies {
                            push("cookies", json!(cookies));
                        }
                        push("queryStringParameters", query);
                        if extra & 1 == 0 {
                            push("pathParameters", json!({"id": "7"}));
                        }
                        let domain = if door == "url" { "abc.lambda-url.us-east-1.on.aws" } else { "a1.execute-api.us-east-1.amazonaws.com" };
                        let mut context = json!({
                            "accountId": "123456789012", "apiId": "a1", "domainName": domain,
                            "requestId": "r-2", "routeKey": "$default", "stage": stage,
                            "time": "06/Dec/2026:21:00:00 +0000", "timeEpoch": 1,
                            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                                     "sourceIp": "203.0.113.7", "userAgent": "curl"},
                        });
                        if extra & 4 != 0 {
                            context["authorizer"] = json!({"jwt": {"claims": {"sub": "u-1"}, "scopes": ["a"]}});
                        }
                        if extra & 18 == 18 {
                            // VPC Lattice's members in an HTTP API event: still one.
                            push("method", json!(method));
                            for (name, value) in [("serviceNetworkArn", "arn:sn"), ("serviceArn", "arn:s"), ("targetGroupArn", "arn:tg"), ("region", "us-east-1")] {
                                context[name] = json!(value);
                            }
                            // (`timeEpoch` stays HTTP API's number, which VPC Lattice's type does
                            // not read: the event is HTTP API's for both readers.)
                        }
                        push("requestContext", context);
                    }
                    "alb" => {
                        // ALB and VPC Lattice events always carry their query maps.
                        let query = if query.is_null() { json!({}) } else { query };
                        let multi_query = if multi_query.is_null() { json!({}) } else { multi_query };
                        push("path", json!(path));
                        push("httpMethod", json!(method));
                        if extra & 1 == 0 {
                            push("multiValueHeaders", multi);
                            push("multiValueQueryStringParameters", multi_query);
                        } else {
                            push("queryStringParameters", query);
                        }
                        push("requestContext", json!({"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:tg"}}));
                    }
                    _ => {
                        let query = if query.is_null() { json!({}) } else { query };
                        push("version", json!("2.0"));
                        push("path", json!(path));
                        push("method", json!(method));
                        push("queryStringParameters", query);
                        push("requestContext", json!({"serviceNetworkArn": "arn:sn", "serviceArn": "arn:s", "targetGroupArn": "arn:tg", "region": "us-east-1", "timeEpoch": "1"}));
                    }
                }
                if extra & 16 != 0 {
                    push("somethingElse", json!({"a": [1, 2]}));
                }
                if twice {
                    // A member twice: serde's readers reject the event.
                    push("body", json!("again"));
                }
                members
            },
        )
}

/// One event's JSON text, its members in the given order.
fn write(members: &[(String, Value)]) -> String {
    let members: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}: {v}", Value::from(k.as_str())))
        .collect();
    format!("{{{}}}", members.join(", "))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000),
        ..ProptestConfig::default()
    })]

    /// Generated events of every front door, their members in any order: the request a handler
    /// receives is `lambda_http`'s, and an event `lambda_http` rejects reaches no handler.
    #[test]
    fn generated_events_give_the_request_lambda_http_gives(
        members in event_members().prop_shuffle()
    ) {
        let rt = runtime();
        let event = write(&members);
        same_request(&rt, &event, &event);
    }
}

/// The property above says something of lambda-proxy's reader only if it reads a good share of
/// the generated events: counted on 400 of them (deterministic), a sixth are read by it (VPC
/// Lattice's among them), a third by `lambda_http`'s (ALB and WebSocket events, and events it
/// leaves, such as header maps that are not of the same names), and the rest, broken on purpose,
/// by neither.
#[test]
fn lambda_proxys_reader_reads_most_generated_api_gateway_events() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let rt = runtime();
    let mut runner = TestRunner::deterministic();
    let strategy = event_members().prop_shuffle();
    let (mut ours, mut theirs, mut none) = (0, 0, 0);
    for _ in 0..400 {
        let event = write(&strategy.new_tree(&mut runner).unwrap().current());
        if through_lambda_http(&event).is_none() {
            none += 1;
        } else if read_by_lambda_http(&rt, &event) {
            theirs += 1;
        } else {
            ours += 1;
        }
    }
    eprintln!("read by lambda-proxy's reader {ours}, by lambda_http's {theirs}, by neither {none}");
    assert!(ours >= 60, "{ours} of 400 read by lambda-proxy's reader");
    assert!(
        theirs >= 60 && none >= 60,
        "{theirs} by lambda_http's, {none} by neither"
    );
}
