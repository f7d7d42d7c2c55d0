//! The route that serves a router's document: serialized once, answered with a `servers` entry
//! for the URL the client used, so that a client reading it behind a REST stage or a custom
//! domain's base path calls the API where it is.

use super::{Document, VERSION};
use crate::front_door::{path_in_api, FrontDoor};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};

/// A document ready to serve: its JSON text before and after the place of `servers`.
#[derive(Debug)]
pub(crate) struct Served {
    head: String,
    tail: String,
    /// The document names its servers itself ([`Info::server`](super::Info::server)).
    fixed: bool,
}

impl Served {
    pub(crate) fn new(document: &Document) -> Self {
        if !document.servers.is_empty() {
            let text = serde_json::to_string(document).unwrap_or_default();
            return Served {
                head: text,
                tail: String::new(),
                fixed: true,
            };
        }
        let json = |value: &serde_json::Value| serde_json::to_string(value).unwrap_or_default();
        Served {
            head: format!(r#"{{"openapi":"{VERSION}","info":{}"#, json(&document.info)),
            tail: format!(
                r#","paths":{},"components":{}}}"#,
                json(&document.paths),
                json(&document.components)
            ),
            fixed: false,
        }
    }

    /// The answer to `request`: the document, 200, `application/json`.
    pub(crate) fn answer(&self, request: &Request) -> Response<Body> {
        let server = (!self.fixed).then(|| server_url(request)).flatten();
        let text = match server {
            Some(url) => {
                let url = serde_json::to_string(&url).unwrap_or_else(|_| "\"/\"".into());
                let mut text =
                    String::with_capacity(self.head.len() + self.tail.len() + url.len() + 24);
                text.push_str(&self.head);
                text.push_str(r#","servers":[{"url":"#);
                text.push_str(&url);
                text.push_str("}]");
                text.push_str(&self.tail);
                text
            }
            None => {
                let mut text = String::with_capacity(self.head.len() + self.tail.len());
                text.push_str(&self.head);
                text.push_str(&self.tail);
                text
            }
        };
        let mut response = Response::new(Body::Text(text));
        *response.status_mut() = StatusCode::OK;
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}

/// The URL of the API the client called, from the request the document is served to: the
/// scheme and host, and what the client's path has before the path within the API (a REST
/// stage on the execute-api host, a base path on a custom domain, an HTTP API's named stage).
///
/// An HTTP API behind a custom domain sends no trace of its API mapping's path: the URL is then
/// relative to the document's own (`.`), which resolves to the API's root wherever it is served.
/// `None` when the path does not end with the path within the API (no `servers` entry: the
/// document's own host).
pub(crate) fn server_url(request: &Request) -> Option<String> {
    let within = path_in_api(request);
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
    };
    let raw = match request.raw_http_path() {
        "" => request.uri().path(),
        raw => raw,
    };
    let (door, domain, client_path) = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(ctx)) => (
            FrontDoor::of_payload_v1(ctx.stage.as_deref()),
            ctx.domain_name.as_deref(),
            ctx.path.as_deref().unwrap_or(raw),
        ),
        Some(RequestContext::ApiGatewayV2(ctx)) => (
            FrontDoor::of_payload_v2(ctx.domain_name.as_deref()),
            ctx.domain_name.as_deref(),
            raw,
        ),
        _ => (FrontDoor::Alb, None, raw),
    };
    let host = domain
        .filter(|d| !d.is_empty())
        .or_else(|| header("host"))?;
    let http_api = matches!(door, FrontDoor::HttpApiV1 | FrontDoor::HttpApiV2);
    if http_api && !host.ends_with(".amazonaws.com") {
        return Some(relative_root(&within));
    }
    let prefix = client_path.strip_suffix(&*within)?;
    let scheme = match header("x-forwarded-proto") {
        Some("http") => "http",
        _ => "https",
    };
    Some(format!("{scheme}://{host}{prefix}"))
}

/// The API's root relative to a document served at `within` (`/openapi.json`: `.`;
/// `/docs/openapi.json`: `..`).
fn relative_root(within: &str) -> String {
    let depth = within.matches('/').count().max(1);
    match depth {
        1 => ".".to_owned(),
        n => vec![".."; n - 1].join("/"),
    }
}
