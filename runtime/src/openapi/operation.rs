//! One operation while it is described: what its handler, its parameters and its return type
//! add ([`Operation`]), and the statuses of an error type ([`ErrorStatuses`]).

use super::model::{Header, Parameter, RequestBody, Response, PROBLEM_REF};
use super::schemas::Schemas;
use crate::handler::HandlerConfig;
use http::StatusCode;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One operation of the document (a method on a path) while it is described: by the code
/// `#[proxy_handler(route = "..")]` generates, and by the [`Input`](super::Input) of a parameter
/// type of your own, through [`header`](Operation::header) and [`status`](Operation::status).
pub struct Operation<'a> {
    pub(crate) template: &'a str,
    pub(crate) schemas: &'a mut Schemas,
    pub(crate) id: String,
    summary: Option<String>,
    description: Option<String>,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) body: Option<RequestBody>,
    pub(crate) responses: BTreeMap<String, Response>,
    config: &'static HandlerConfig,
    /// The responses a [`Fill`](super::describe::Fill) adds its body to.
    slots: Vec<String>,
    /// The handler builds answers the document cannot know (a `Response`, or a route added with
    /// `Router::handle`): any status, with any content, empty or not.
    pub(crate) opaque: bool,
    /// The security schemes the operation requires, all of them, with their scopes.
    pub(crate) security: BTreeMap<String, Vec<String>>,
}

/// The statuses an error type answers with, for the OpenAPI document: exact ones, and "any 4xx"
/// or "any 5xx" for a type that chooses its status at run time ([`HttpError`](crate::HttpError)).
/// Filled by [`ResponseError::statuses`](crate::ResponseError::statuses).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ErrorStatuses {
    exact: BTreeSet<u16>,
    client: bool,
    server: bool,
}

impl ErrorStatuses {
    /// The error can answer `status` (4xx or 5xx; any other is answered 500).
    pub fn status(&mut self, status: StatusCode) -> &mut Self {
        if status.is_client_error() || status.is_server_error() {
            self.exact.insert(status.as_u16());
        } else {
            self.exact.insert(500);
        }
        self
    }

    /// The error can answer any 4xx status.
    pub fn any_client_error(&mut self) -> &mut Self {
        self.client = true;
        self
    }

    /// The error can answer any 5xx status.
    pub fn any_server_error(&mut self) -> &mut Self {
        self.server = true;
        self
    }
}

impl<'a> Operation<'a> {
    /// An operation on `template` (the route's, in the router's syntax) with nothing described
    /// yet; `id` is its operation id unless its handler names it.
    pub(crate) fn new(template: &'a str, id: String, schemas: &'a mut Schemas) -> Self {
        Operation {
            template,
            schemas,
            id,
            summary: None,
            description: None,
            parameters: Vec::new(),
            body: None,
            responses: BTreeMap::new(),
            config: &HandlerConfig::DEFAULT,
            slots: Vec::new(),
            opaque: false,
            security: BTreeMap::new(),
        }
    }

    /// What the generated code knows first: the attribute's configuration and the doc comment,
    /// split into its first paragraph (the summary) and the rest (the description).
    #[doc(hidden)]
    pub fn handler(&mut self, config: &'static HandlerConfig, summary: &str, description: &str) {
        self.config = config;
        self.summary = (!summary.is_empty()).then(|| summary.to_owned());
        self.description = (!description.is_empty()).then(|| description.to_owned());
    }

    /// A header the request carries (`required`) or may carry, as a string.
    pub fn header(&mut self, name: &str, required: bool, description: &str) -> &mut Self {
        let name = name.to_ascii_lowercase();
        if !self.parameters.iter().any(|p| p.is(&name, "header")) {
            self.parameters
                .push(Parameter::header(&name, required, description));
        }
        self
    }

    /// A security scheme the request must satisfy (with every other one declared), with the
    /// scopes it needs: `authorizer` for [`Caller`](crate::Caller). The scheme is defined by
    /// [`Info::security_scheme`](super::Info::security_scheme), an HTTP bearer JWT by default.
    pub fn security(&mut self, scheme: &str, scopes: &[&str]) -> &mut Self {
        let granted = self.security.entry(scheme.to_owned()).or_default();
        for scope in scopes {
            if !granted.iter().any(|s| s == scope) {
                granted.push((*scope).to_owned());
            }
        }
        self
    }

    /// A problem+json answer with `status` that the operation can give, and why.
    pub fn status(&mut self, status: StatusCode, why: &str) -> &mut Self {
        self.problem(status.as_u16().to_string(), why);
        self
    }

    /// A problem+json answer at response key `key` (`404`, `4XX`).
    pub(crate) fn problem(&mut self, key: String, why: &str) {
        let response = self.responses.entry(key).or_default();
        response.reason(why);
        response.content(crate::problem::PROBLEM_JSON, json!({ "$ref": PROBLEM_REF }));
    }

    /// The answers of an error type.
    pub(crate) fn error_statuses(&mut self, statuses: &ErrorStatuses) {
        for status in &statuses.exact {
            let reason = StatusCode::from_u16(*status)
                .map(crate::problem::reason)
                .unwrap_or("Error");
            self.problem(status.to_string(), reason);
        }
        if statuses.client {
            self.problem("4XX".into(), "A client error the handler chose.");
        }
        if statuses.server {
            self.problem("5XX".into(), "A server error the handler chose.");
        }
    }

    /// The answer at response key `key` that the handler gives itself, with the attribute's
    /// headers: with their values (`exact`) for a body or `()`, which the attribute's headers
    /// overwrite; any value for a `Reply` or `Response`, whose own headers win.
    fn own(&mut self, key: String, why: &str, exact: bool) -> &mut Response {
        let headers = self.config.headers;
        let set = self.config.set_headers;
        let response = self.responses.entry(key).or_default();
        response.reason(why);
        for name in set {
            response.header(
                name,
                Header::new(true, json!({ "type": "string" }), "Set by the handler."),
            );
        }
        for (name, value) in headers {
            let schema = match value.to_str() {
                Ok(text) if exact => json!({ "type": "string", "const": text }),
                _ => json!({ "type": "string" }),
            };
            response.header(
                name.as_str(),
                Header::new(true, schema, "Set by the handler's attribute."),
            );
        }
        response
    }

    /// The answer of a return type the generated code cannot name (`impl Serialize`): a body
    /// of any JSON at the attribute's status.
    #[doc(hidden)]
    pub fn opaque_output(&mut self) {
        self.success(super::model::open_schema("impl Trait"));
    }

    /// The empty answer of `()`: the attribute's status, 204 by default.
    pub(crate) fn empty_success(&mut self) {
        let status = self.config.empty_status;
        self.own(
            status.to_string(),
            "The handler's answer, without a body.",
            true,
        );
    }

    /// The answer of a handler that builds its `Response` itself: any status, any content.
    pub(crate) fn any_answer(&mut self) {
        self.opaque = true;
        self.own(
            "default".into(),
            "Any answer the handler builds itself.",
            false,
        );
    }

    /// The answers of a [`Reply`](crate::Reply): the attribute's status, and any 2xx its
    /// `status` chooses at run time.
    pub(crate) fn reply_slots(&mut self) {
        let status = self.config.status.to_string();
        self.own(status.clone(), "The handler's answer.", false);
        self.own(
            "2XX".into(),
            "The handler's answer, with a status it chose.",
            false,
        );
        self.slots = vec![status, "2XX".into()];
    }

    /// The answers of `(StatusCode, T)`: any 2xx.
    pub(crate) fn status_body_slots(&mut self) {
        self.own(
            "2XX".into(),
            "The handler's answer, with a status it chose.",
            true,
        );
        self.slots = vec!["2XX".into()];
    }

    /// The body of the answers the level before listed.
    pub(crate) fn fill(&mut self, schema: Value) {
        let media_type = self.content_type();
        for key in std::mem::take(&mut self.slots) {
            if let Some(response) = self.responses.get_mut(&key) {
                response.content(&media_type, schema.clone());
            }
        }
    }

    /// A JSON body at the attribute's status (200 by default).
    pub(crate) fn success(&mut self, schema: Value) {
        let media_type = self.content_type();
        let status = self.config.status.to_string();
        self.own(status, "The handler's answer.", true)
            .content(&media_type, schema);
    }

    /// The content type of the handler's JSON bodies, without parameters.
    fn content_type(&self) -> String {
        let value = self
            .config
            .content_type
            .to_str()
            .unwrap_or("application/json");
        value
            .split(';')
            .next()
            .unwrap_or(value)
            .trim()
            .to_ascii_lowercase()
    }

    /// Path parameter `name` with `schema` (a later description of the same parameter wins).
    pub(crate) fn set_path_parameter(&mut self, name: &str, schema: Value) {
        self.parameters.retain(|p| !p.is(name, "path"));
        self.parameters.push(Parameter::path(name, schema));
    }

    /// Settles what was described: an opaque handler may answer any content at any status
    /// (its `default`, and the statuses the library answers too, which it may give itself).
    pub(crate) fn finish(&mut self) {
        if self.opaque {
            for response in self.responses.values_mut() {
                response.content("*/*", json!({}));
            }
        }
    }

    /// The operation object: every template parameter the description left out as a string,
    /// in template order before the others.
    pub(crate) fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("operationId".into(), self.id.clone().into());
        if let Some(summary) = &self.summary {
            object.insert("summary".into(), summary.clone().into());
        }
        if let Some(description) = &self.description {
            object.insert("description".into(), description.clone().into());
        }
        let names: Vec<&str> = lambda_proxy_core::route::parameters(self.template).collect();
        let mut parameters: Vec<Value> = names
            .iter()
            .map(
                |name| match self.parameters.iter().find(|p| p.is(name, "path")) {
                    Some(parameter) => parameter.to_json(),
                    None => Parameter::path(name, json!({ "type": "string" })).to_json(),
                },
            )
            .collect();
        parameters.extend(
            self.parameters
                .iter()
                .filter(|p| !names.iter().any(|name| p.is(name, "path")))
                .map(Parameter::to_json),
        );
        if !parameters.is_empty() {
            object.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = &self.body {
            object.insert("requestBody".into(), body.to_json());
        }
        let responses: Map<String, Value> = self
            .responses
            .iter()
            .map(|(key, response)| (key.clone(), response.to_json()))
            .collect();
        object.insert("responses".into(), Value::Object(responses));
        if !self.security.is_empty() {
            let requirement: Map<String, Value> = self
                .security
                .iter()
                .map(|(scheme, scopes)| (scheme.clone(), json!(scopes)))
                .collect();
            object.insert("security".into(), json!([requirement]));
        }
        Value::Object(object)
    }

    /// The open description of a route whose handler says nothing about itself (one added with
    /// `Router::handle`): its path parameters as strings, any answer.
    pub(crate) fn undescribed(&mut self) {
        self.opaque = true;
        self.responses
            .entry("default".into())
            .or_default()
            .reason("Any answer: this route's handler was added with `Router::handle`, and says nothing about itself.");
        self.body = Some(RequestBody::any(json!({})));
    }
}
