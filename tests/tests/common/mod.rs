//! Helpers shared by the integration tests: the strict envelope written out per front door.
#![allow(dead_code)]

pub mod emf;
pub mod runtime_api;

/// The `x-case` header of a request, by which the runtime-loop tests choose what their handler
/// does (`ok` without one).
pub fn case(req: &Request) -> String {
    req.headers()
        .get("x-case")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("ok")
        .to_owned()
}

/// Captures what `tracing` writes, for the duration of one test.
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

use lambda_proxy::testing::{TestRequest, REQUEST_ID};
use lambda_proxy::{Body, FrontDoor, Request, Response, StatusCode};

/// Every front door, ALB in both header modes.
pub fn front_doors() -> Vec<TestRequest> {
    vec![
        TestRequest::rest_api(),
        TestRequest::http_api_v1(),
        TestRequest::http_api(),
        TestRequest::function_url(),
        TestRequest::alb(),
        TestRequest::alb_multi_value(),
        TestRequest::vpc_lattice(),
        TestRequest::websocket(),
    ]
}

/// Every front door that sends HTTP requests: WebSocket events have no method and path of their
/// own (a router answers them 404, see `router.rs`).
pub fn http_front_doors() -> Vec<TestRequest> {
    front_doors()
        .into_iter()
        .filter(|r| r.front_door() != FrontDoor::WebSocket)
        .collect()
}

/// The envelope `lambda_http`'s own adapter writes for `request` served by `service`: what
/// `lambda_http::run(service)` would post, to compare with lambda-proxy's.
pub async fn through_lambda_http<S>(request: &TestRequest, service: S) -> String
where
    S: lambda_proxy::lambda_http::Service<
        Request,
        Response = Response<Body>,
        Error = std::convert::Infallible,
    >,
    S::Future: Send + 'static,
{
    use lambda_proxy::lambda_http::{request::LambdaRequest, Adapter, LambdaEvent, Service};
    let event: LambdaRequest = serde_json::from_value(request.event()).unwrap();
    let mut adapter = Adapter::from(service);
    let Ok(answer) = adapter
        .call(LambdaEvent::new(event, request.context()))
        .await;
    serde_json::to_string(&answer).unwrap()
}

/// The strict envelope each front door reads, written out per front door: what the runtime must
/// post for a response with `status`, `headers` (in order, repeats allowed) and a text body.
///
/// The rules are AWS's: "Output format of a Lambda function for proxy integration" in the API
/// Gateway developer guide (REST and HTTP API payload 1.0: `multiValueHeaders`), "Working with AWS
/// Lambda proxy integrations for HTTP APIs" (payload 2.0: single-value `headers`, `cookies`),
/// "Lambda functions as targets" in the Elastic Load Balancing guide (`statusDescription`, and
/// "you must use `multiValueHeaders` if you have enabled multi-value headers and `headers`
/// otherwise") and "Lambda functions as targets" in the VPC Lattice guide. They are written out here on
/// purpose, not read from `FrontDoor::profile`: an oracle that read the table under test would not
/// catch a wrong entry in it.
pub fn wire(front_door: FrontDoor, status: u16, headers: &[(&str, &str)], body: &str) -> String {
    let body = serde_json::to_string(body).unwrap();
    let names: Vec<&str> = {
        let mut names = Vec::new();
        for (n, _) in headers {
            if !names.contains(n) {
                names.push(*n);
            }
        }
        names
    };
    let values = |name: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .collect()
    };
    let json = |s: &str| serde_json::to_string(s).unwrap();
    let multi = |names: &[&str], joined: bool| -> String {
        let entries: Vec<String> = names
            .iter()
            .map(|n| {
                let vs = values(n);
                let vs: Vec<String> = if joined && *n != "set-cookie" {
                    vec![json(&vs.join(", "))]
                } else {
                    vs.iter().map(|v| json(v)).collect()
                };
                format!("{}:[{}]", json(n), vs.join(","))
            })
            .collect();
        format!("{{{}}}", entries.join(","))
    };
    let single = |names: &[&str], cookie_rule: &dyn Fn(&[&str]) -> String| -> String {
        let entries: Vec<String> = names
            .iter()
            .map(|n| {
                let vs = values(n);
                let v = if *n == "set-cookie" {
                    cookie_rule(&vs)
                } else {
                    vs.join(", ")
                };
                format!("{}:{}", json(n), json(&v))
            })
            .collect();
        format!("{{{}}}", entries.join(","))
    };
    match front_door {
        FrontDoor::RestApi | FrontDoor::HttpApiV1 | FrontDoor::WebSocket => format!(
            r#"{{"statusCode":{status},"headers":{{}},"multiValueHeaders":{},"body":{body},"isBase64Encoded":false}}"#,
            multi(&names, false)
        ),
        FrontDoor::HttpApiV2 | FrontDoor::FunctionUrl => {
            let plain: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| *n != "set-cookie")
                .collect();
            let cookies: Vec<String> = values("set-cookie").iter().map(|c| json(c)).collect();
            format!(
                r#"{{"statusCode":{status},"headers":{},"multiValueHeaders":{{}},"body":{body},"isBase64Encoded":false,"cookies":[{}]}}"#,
                single(&plain, &|_| unreachable!()),
                cookies.join(",")
            )
        }
        FrontDoor::Alb | FrontDoor::AlbMultiValue => {
            let reason = StatusCode::from_u16(status)
                .unwrap()
                .canonical_reason()
                .unwrap_or("");
            let map = if front_door == FrontDoor::Alb {
                format!(
                    r#""headers":{}"#,
                    single(&names, &|cookies| cookies[0].to_string())
                )
            } else {
                format!(r#""multiValueHeaders":{}"#, multi(&names, false))
            };
            format!(
                r#"{{"statusCode":{status},"statusDescription":"{status} {reason}",{map},"body":{body},"isBase64Encoded":false}}"#
            )
        }
        FrontDoor::VpcLattice => {
            let headers = if names.is_empty() {
                String::new()
            } else {
                format!(
                    r#","headers":{}"#,
                    single(&names, &|cookies| cookies[0].to_string())
                )
            };
            format!(r#"{{"isBase64Encoded":false,"statusCode":{status}{headers},"body":{body}}}"#)
        }
        _ => unreachable!("new front door"),
    }
}

pub async fn check<F, Fut>(handler: F, status: u16, headers: &[(&str, &str)], body: &str)
where
    F: FnMut(Request) -> Fut + Clone,
    Fut: std::future::Future<Output = Result<Response<Body>, std::convert::Infallible>> + Send,
{
    for request in front_doors() {
        let front_door = request.front_door();
        let envelope = request.invoke(handler.clone()).await;
        assert_eq!(
            envelope.raw(),
            wire(front_door, status, headers, body),
            "front door: {front_door}"
        );
        envelope.assert_valid();
    }
}

/// The problem body for `status`; a 5xx without a detail of its own gets the generic one.
pub fn problem(status: u16, title: &str, detail: Option<&str>) -> String {
    let generic =
        "The server could not complete this request. Quote the requestId when reporting it.";
    let detail = detail.or((status >= 500).then_some(generic));
    let detail = detail.map_or(String::new(), |d| {
        format!(r#","detail":{}"#, serde_json::to_string(d).unwrap())
    });
    format!(
        r#"{{"type":"about:blank","title":"{title}","status":{status}{detail},"requestId":"{REQUEST_ID}"}}"#
    )
}

pub const JSON: (&str, &str) = ("content-type", "application/json");
pub const PROBLEM: (&str, &str) = ("content-type", "application/problem+json");
