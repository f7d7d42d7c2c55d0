//! The document of a router's routes served through an exit: each route's operation as its
//! handler describes it, the answers lambda-proxy gives on every route, the exit's CORS headers
//! on each answer, and the schemas.

use super::model::{self, Header};
use super::operation::Operation;
use super::schemas::{self, Schemas};
use super::{Document, Info, Route};
use crate::cors::Cors;
use http::{Method, StatusCode};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// How a routed handler describes its operation: the `describe` of its
/// [`RouteSpec`](crate::__private::RouteSpec).
pub(crate) type Describe = fn(&mut Operation<'_>);

/// One route of the router, as the document reads it.
pub(crate) struct Endpoint<'a> {
    /// The template, in the router's syntax.
    pub(crate) template: &'a str,
    /// `None` for `ANY`.
    pub(crate) method: Option<&'a Method>,
    /// The handler's fn name (or a closure's type name for `Router::handle`).
    pub(crate) name: &'a str,
    /// `None` for a route added with `Router::handle`.
    pub(crate) describe: Option<Describe>,
}

/// The methods an `ANY` route is documented under: every one OpenAPI has an operation for (the
/// route also answers a method of another name, which no document can list).
const ANY: [&str; 8] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
];

/// The answers any route can give, whatever its handler: lambda-proxy's own.
const EVERY_ROUTE: [(StatusCode, &str); 4] = [
    (
        StatusCode::BAD_REQUEST,
        "The request cannot be read: a header, query string or base64 body the front door sent that is not valid.",
    ),
    (
        StatusCode::URI_TOO_LONG,
        "The request's URI is longer than 65,534 bytes.",
    ),
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "The handler panicked, or its answer could not be serialized or was larger than the front door delivers.",
    ),
    (
        StatusCode::GATEWAY_TIMEOUT,
        "The invocation's time budget ran out (the Lambda deadline, the front door's integration timeout, the exit's or the handler's timeout).",
    ),
];

/// The document of `endpoints` served through an exit with `cors`.
pub(crate) fn document<'a>(
    endpoints: impl IntoIterator<Item = Endpoint<'a>>,
    cors: Option<&Cors>,
    info: &Info,
) -> Document {
    let mut schemas = Schemas::new();
    let cors_headers: Vec<(&str, Header)> = cors
        .map(Cors::document_headers)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, required, schema)| {
            let why = if required {
                "CORS: the answer depends on the request's `Origin`."
            } else {
                "CORS: on an answer to an allowed origin."
            };
            (name, Header::new(required, schema, why))
        })
        .collect();
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    let mut routes = Vec::new();
    let mut security_schemes = Map::new();
    for endpoint in endpoints {
        let methods: Vec<&str> = match endpoint.method {
            Some(method) => vec![method.as_str()],
            None => ANY.to_vec(),
        };
        let path = lambda_proxy_core::route::openapi_path(endpoint.template);
        if path != endpoint.template {
            // The template beside a path that says less, for the contract check.
            paths.entry(path.clone()).or_default().insert(
                lambda_proxy_core::route::OPENAPI_TEMPLATE.into(),
                endpoint.template.into(),
            );
        }
        for method in &methods {
            let id = operation_id(&endpoint, method, &path, &mut ids);
            let mut operation = Operation::new(endpoint.template, id, &mut schemas);
            match endpoint.describe {
                Some(describe) => describe(&mut operation),
                None => operation.undescribed(),
            }
            for (status, why) in EVERY_ROUTE {
                operation.status(status, why);
            }
            operation.finish();
            for scheme in operation.security.keys() {
                if !security_schemes.contains_key(scheme) {
                    security_schemes.insert(scheme.clone(), info.scheme(scheme));
                }
            }
            for response in operation.responses.values_mut() {
                for (name, _) in &cors_headers {
                    response.exit_header(name, Header::reference(&component_name(name)));
                }
            }
            paths
                .entry(path.clone())
                .or_default()
                .insert(method.to_ascii_lowercase(), operation.to_json());
        }
        routes.push(Route {
            template: endpoint.template.to_owned(),
            path: path.clone(),
            method: endpoint.method.map(|m| m.as_str().to_owned()),
        });
    }
    let (mut components, mut renames) = schemas.finish();
    // `Problem`, unless a type of the handlers' has that name.
    let problem = ["Problem", "ProblemDetails"]
        .into_iter()
        .map(str::to_owned)
        .chain((2..).map(|n| format!("ProblemDetails{n}")))
        .find(|name| !components.contains_key(name))
        .unwrap_or_default();
    renames.insert(
        model::PROBLEM_REF.to_owned(),
        format!("{}{problem}", schemas::COMPONENTS),
    );
    components.insert(problem, model::problem_schema());
    let mut paths = Value::Object(
        paths
            .into_iter()
            .map(|(path, item)| (path, Value::Object(item)))
            .collect(),
    );
    let mut components = json!({ "schemas": components });
    if !cors_headers.is_empty() {
        let headers: Map<String, Value> = cors_headers
            .iter()
            .map(|(name, header)| (component_name(name), header.object()))
            .collect();
        components["headers"] = Value::Object(headers);
    }
    if !security_schemes.is_empty() {
        components["securitySchemes"] = Value::Object(security_schemes);
    }
    for part in [&mut paths, &mut components] {
        schemas::rewrite_refs(part, &renames);
        schemas::bound_integers(part);
    }
    Document::new(info, paths, components, routes)
}

/// The name of header `name` under `#/components/headers`: `access-control-allow-origin` is
/// `AccessControlAllowOrigin`.
fn component_name(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The operation id: the handler's fn name, with the method for an `ANY` route, numbered when
/// taken (a router nested twice); for a route added with `Router::handle`, the method and path.
fn operation_id(
    endpoint: &Endpoint<'_>,
    method: &str,
    path: &str,
    ids: &mut BTreeSet<String>,
) -> String {
    let method = method.to_ascii_lowercase();
    let base = match (endpoint.describe, endpoint.method) {
        (Some(_), Some(_)) => endpoint.name.to_owned(),
        (Some(_), None) => format!("{}_{method}", endpoint.name),
        (None, _) => {
            let words: Vec<String> = path
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_lowercase)
                .collect();
            match words.is_empty() {
                true => format!("{method}_root"),
                false => format!("{method}_{}", words.join("_")),
            }
        }
    };
    let id = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}_{n}")))
        .find(|id| !ids.contains(id))
        .unwrap_or(base);
    ids.insert(id.clone());
    id
}
