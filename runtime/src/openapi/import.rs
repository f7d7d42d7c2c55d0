//! The document as API Gateway imports a REST API: OpenAPI 3.0 (API Gateway imports 2.0 and
//! 3.0, not 3.1), each route a resource and method integrated with the function as a Lambda
//! proxy (`x-amazon-apigateway-integration`), a greedy `/{proxy+}` resource (and `/`) for every
//! other path, so that the router answers it (its 404 and 405), and the binary media types.
//!
//! Only what the import reads is written: paths, methods, path parameters, operation ids and
//! summaries. A proxy integration passes every request and answer through, so the schemas of the
//! contract stay in the 3.1 document, which is the one to give clients.

use super::Document;
use serde_json::{json, Map, Value};

impl Document {
    /// The document as API Gateway imports a REST API (`aws apigateway import-rest-api`, or a
    /// `AWS::ApiGateway::RestApi`'s `Body`): OpenAPI 3.0.1, every route's method integrated with
    /// the function at `integration_uri` as a Lambda proxy, every other method of its resource
    /// (`OPTIONS` for CORS preflights among them) through `x-amazon-apigateway-any-method`, a
    /// greedy `/{proxy+}` resource (and `/`, when no route has it) for every other path, so that
    /// the router answers what it has no route for (its 404 and 405, not API Gateway's 403), and
    /// `binary_media_types` as `x-amazon-apigateway-binary-media-types` (the content types API
    /// Gateway passes as binary; `*/*` for all). The greedy resource is left out when a route's
    /// variable segment sits at the root (`GET /{slug}`): API Gateway refuses two variable
    /// siblings, and paths no route matches then get its 403.
    ///
    /// `integration_uri` is the function's invocation URI,
    /// `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations`,
    /// or a CloudFormation `${..}` expression for `Fn::Sub`. A route with literal braces, which
    /// API Gateway's paths cannot hold, is left to the greedy resource.
    ///
    /// ```
    /// use lambda_proxy::openapi::{self, Info};
    /// use lambda_proxy::{proxy_handler, Router};
    ///
    /// #[proxy_handler(route = "GET /files/{*path}")]
    /// async fn file() -> String {
    ///     String::new()
    /// }
    ///
    /// # fn main() -> Result<(), lambda_proxy::router::RouteError> {
    /// let router = Router::new().route(file)?.openapi("/openapi.json", Info::new("files", "1"))?;
    /// let import = openapi::document(router)
    ///     .unwrap()
    ///     .api_gateway("${Function.Arn}", &["image/png"]);
    /// assert_eq!(import["openapi"], "3.0.1");
    /// let get = &import["paths"]["/files/{path+}"]["get"];
    /// assert_eq!(get["x-amazon-apigateway-integration"]["type"], "aws_proxy");
    /// assert!(import["paths"]["/{proxy+}"]["x-amazon-apigateway-any-method"].is_object());
    /// assert_eq!(import["x-amazon-apigateway-binary-media-types"][0], "image/png");
    /// # Ok(())
    /// # }
    /// ```
    pub fn api_gateway(&self, integration_uri: &str, binary_media_types: &[&str]) -> Value {
        let integration = json!({
            "type": "aws_proxy",
            "httpMethod": "POST",
            "uri": integration_uri,
            "passthroughBehavior": "when_no_match",
        });
        let mut paths: Map<String, Value> = Map::new();
        for route in &self.routes {
            if route.template.contains("{{") || route.template.contains("}}") {
                continue;
            }
            let resource = resource_path(&route.template);
            let item = paths
                .entry(resource)
                .or_insert_with(|| Value::Object(Map::new()));
            let documented = self.paths.get(&route.path);
            let parameters: Vec<Value> = lambda_proxy_core::route::parameters(&route.template)
                .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
                .collect();
            let (key, source) = match &route.method {
                Some(method) => (method.to_ascii_lowercase(), method.to_ascii_lowercase()),
                None => (
                    "x-amazon-apigateway-any-method".to_owned(),
                    "get".to_owned(),
                ),
            };
            let original = documented.and_then(|item| item.get(&source));
            let mut operation = Map::new();
            for field in ["operationId", "summary"] {
                if let Some(value) = original.and_then(|o| o.get(field)) {
                    let value = match (field, route.method.is_none(), value.as_str()) {
                        // The `ANY` route's one method: its id without the method's suffix.
                        ("operationId", true, Some(id)) => {
                            Value::String(id.strip_suffix("_get").unwrap_or(id).to_owned())
                        }
                        _ => value.clone(),
                    };
                    operation.insert(field.into(), value);
                }
            }
            if !parameters.is_empty() {
                operation.insert("parameters".into(), Value::Array(parameters));
            }
            operation.insert(
                "responses".into(),
                json!({ "default": { "description": "The function's answer, passed through." } }),
            );
            operation.insert(
                "x-amazon-apigateway-integration".into(),
                integration.clone(),
            );
            item[key] = Value::Object(operation);
        }
        let any = |parameters: Value| {
            json!({
                "parameters": parameters,
                "responses": { "default": { "description": "The function's answer: the router's 405 for a method it has no route for, its `OPTIONS` (CORS preflights included), its 404 for a path it has no route for." } },
                "x-amazon-apigateway-integration": integration.clone(),
            })
        };
        // Every method of a route's resource reaches the function: the methods it routes by
        // their integration, the others (`OPTIONS` among them, for CORS preflights) by the any
        // method, so that the router answers them instead of API Gateway's 403.
        for (resource, item) in paths.iter_mut() {
            if let Value::Object(item) = item {
                if !item.contains_key("x-amazon-apigateway-any-method") {
                    let parameters: Vec<Value> = resource_parameters(resource)
                        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
                        .collect();
                    item.insert(
                        "x-amazon-apigateway-any-method".into(),
                        any(Value::Array(parameters)),
                    );
                }
            }
        }
        // Every other path too, through a greedy resource, unless a route's variable segment
        // sits at the root already (API Gateway refuses two variable siblings).
        let variable_root = paths.keys().any(|p| p.starts_with("/{"));
        if !variable_root {
            paths.entry("/{proxy+}").or_insert_with(|| {
                json!({ "x-amazon-apigateway-any-method": any(json!([
                    { "name": "proxy", "in": "path", "required": true, "schema": { "type": "string" } }
                ])) })
            });
        }
        paths
            .entry("/")
            .or_insert_with(|| json!({ "x-amazon-apigateway-any-method": any(json!([])) }));
        let mut import = Map::new();
        import.insert("openapi".into(), "3.0.1".into());
        import.insert("info".into(), self.info.clone());
        if !binary_media_types.is_empty() {
            import.insert(
                "x-amazon-apigateway-binary-media-types".into(),
                json!(binary_media_types),
            );
        }
        import.insert("paths".into(), Value::Object(paths));
        Value::Object(import)
    }
}

/// The parameter names of an API Gateway resource path (`{name}` and the greedy `{name+}`, named
/// `name` as API Gateway names it).
fn resource_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter_map(|segment| {
        let name = segment.strip_prefix('{')?.strip_suffix('}')?;
        Some(name.strip_suffix('+').unwrap_or(name))
    })
}

/// A router template as an API Gateway resource path: a catch-all `{*rest}` is the greedy
/// `{rest+}`.
fn resource_path(template: &str) -> String {
    let mut path = String::with_capacity(template.len() + 1);
    let mut rest = template;
    while let Some(open) = rest.find("{*") {
        path.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        path.push('{');
        path.push_str(&rest[open + 2..open + close]);
        path.push_str("+}");
        rest = &rest[open + close + 1..];
    }
    path.push_str(rest);
    path
}
