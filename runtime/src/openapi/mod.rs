//! The API's contract: an OpenAPI 3.1 document of a [`Router`](crate::Router), written from what
//! its handlers already declare, served by a route, written to a file by a test, and held to by
//! every answer the testing kit sees. Enabled by the `openapi` feature.
//!
//! ```no_run
//! use lambda_proxy::openapi::Info;
//! use lambda_proxy::{proxy_handler, Json, Path, Router};
//! use schemars::JsonSchema;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, JsonSchema)]
//! struct User { id: u64, name: String }
//!
//! #[derive(Deserialize, JsonSchema)]
//! struct NewUser { name: String }
//!
//! /// One user.
//! ///
//! /// 404 when there is none.
//! #[proxy_handler(route = "GET /users/{id}")]
//! async fn get_user(Path(id): Path<u64>) -> Option<User> {
//!     (id == 7).then(|| User { id, name: "Ada".into() })
//! }
//!
//! /// Creates a user.
//! #[proxy_handler(route = "POST /users", status = 201)]
//! async fn create_user(Json(new): Json<NewUser>) -> User {
//!     User { id: 8, name: new.name }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), lambda_proxy::Error> {
//!     let app = Router::new()
//!         .route(get_user)?
//!         .route(create_user)?
//!         .openapi("/openapi.json", Info::new("users", "1.0.0"))?;
//!     lambda_proxy::run(app).await
//! }
//! ```
//!
//! # What each part of a handler says
//!
//! | the handler | the document |
//! | --- | --- |
//! | `route = "GET /users/{id}"` | the path and method; `{*rest}` is `{rest}` (with the template beside it, `x-lambda-proxy-template`); `ANY` is every method OpenAPI has |
//! | the fn's name | the `operationId` |
//! | its doc comment | the first paragraph is the `summary`, the rest the `description` |
//! | `Path<T>` | each template parameter, with the schema `T` gives it (a struct's field, a tuple's item, the one value); a string otherwise |
//! | `Query<T>` | one query parameter per field of `T`, required unless `Option` or `#[serde(default)]` |
//! | `Json<T>` | the required `application/json` body; the answers 400, 413, 415, 422 |
//! | `String`, `Bytes`, `Request` | a body of any content type |
//! | [`Caller<T>`](crate::Caller) | the `authorizer` security scheme ([`Info::security_scheme`]; an HTTP bearer JWT by default); the answers 401, 403 |
//! | [`Recorder`](crate::metrics::Recorder), `State<T>`, the Lambda `Context` | nothing: not what the client sends |
//! | a parameter type of your own | what its [`Input`] says |
//! | `T: Serialize` | `status` (default 200) with `content_type` (default `application/json`) and `T`'s schema |
//! | `headers("name" = "value")` | the header, required, on every answer of the handler's own: with its value, or any value where a `Reply` or `Response` may set its own |
//! | `headers("name")` | the header, required, on every answer of the handler's own |
//! | `()` | `status` (default 204), no body |
//! | `Option<T>` | and a 404 problem |
//! | `Result<T, E>` | and `E`'s statuses ([`ResponseError::statuses`](crate::ResponseError::statuses)): each variant's for `#[derive(ResponseError)]`, `4XX` and `5XX` for [`HttpError`](crate::HttpError) |
//! | [`Reply<T>`](crate::Reply) | `status`, and `2XX` (its status may be chosen at run time) |
//! | `(StatusCode, T)` | `2XX` |
//! | `Response<B>` | `default`: any status, any content |
//!
//! Every operation also lists lambda-proxy's own answers: 400 (a request the front door sent that
//! cannot be read), 414, 500 (a panic, an answer that does not serialize or is too large) and 504
//! (the time budget), each an `application/problem+json` body of the one `Problem` schema
//! (`ProblemDetails` when a type of the handlers' is called `Problem`). Under
//! an [`Exit`](crate::Exit) with a CORS policy, every answer lists the CORS headers. A router
//! answers 404 for a path it has no route for and 405 (with `Allow`) for a method it has none
//! for, and answers `HEAD` and `OPTIONS` itself on a path without an `ANY` route: those are not
//! operations.
//!
//! # Schemas
//!
//! Schemas come from `schemars` 1.x (`#[derive(JsonSchema)]` next to `Serialize` and
//! `Deserialize`), in JSON Schema 2020-12, the dialect of OpenAPI 3.1: a request's by its type's
//! `Deserialize` contract, an answer's by its `Serialize` contract, every named type once under
//! `#/components/schemas` (a type whose request schema differs, `{Name}Input`). Integer formats
//! carry their Rust type's bounds. A type without a `JsonSchema` impl is documented as an open
//! schema (any JSON) whose description names the type: the document never claims a shape it
//! does not know. Constraints written as `validator` attributes (`#[validate(length(min = 1, max
//! = 64))]`) appear in the schema, and with the `validate` feature they are checked at the door.
//!
//! # Served, written and held to
//!
//! [`Router::openapi`](crate::Router::openapi) serves the document at a path: of the routes as
//! they are when the router is served through its exit (so that it knows the exit's CORS
//! policy), built once on the first request for it, and answered with a `servers` entry for the URL the client used (the REST stage, the custom domain's base
//! path). [`document`] gives it to code (an import step, a test), and the testing kit's
//! `assert_openapi_file` keeps a committed copy current. [`Document::api_gateway`] writes it as
//! API Gateway imports a REST API (OpenAPI 3.0 with `x-amazon-apigateway-*` extensions). With the `testing` feature, every answer
//! the testing kit sees from a router is checked against the router's document.

mod build;
pub(crate) mod describe;
mod import;
mod model;
mod operation;
pub(crate) mod schemas;
pub(crate) mod serve;

pub(crate) use build::{document as build_document, Describe, Endpoint};
pub use describe::Input;
pub use operation::{ErrorStatuses, Operation};

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// The version of OpenAPI the document follows.
pub const VERSION: &str = "3.1.0";

/// The document's Info object and settings: its title and version (both required by OpenAPI),
/// a description, and the servers it names when it is not served (when it is, the URL the client
/// used).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Info {
    title: String,
    version: String,
    description: Option<String>,
    servers: Vec<String>,
    security_schemes: Map<String, Value>,
}

impl Info {
    /// The API's title and version (of the API, not of OpenAPI): `Info::new("users", "1.2.0")`, or
    /// the crate's own, `Info::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))`.
    pub fn new(title: impl Into<String>, version: impl Into<String>) -> Self {
        Info {
            title: title.into(),
            version: version.into(),
            description: None,
            servers: Vec::new(),
            security_schemes: Map::new(),
        }
    }

    /// The API's description (CommonMark).
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// A server the document names (`https://api.example.com/v1`), in the written document and in
    /// the served one in place of the URL the client used: for an HTTP API behind a custom
    /// domain whose API mapping has a path, which the event does not show. Repeat for several.
    #[must_use]
    pub fn server(mut self, url: impl Into<String>) -> Self {
        self.servers.push(url.into());
        self
    }

    /// The definition of security scheme `name` (an OpenAPI Security Scheme Object), for the
    /// operations that require it: `authorizer`, which every operation reading a
    /// [`Caller`](crate::Caller) requires, is an HTTP bearer JWT unless defined here.
    ///
    /// ```
    /// use lambda_proxy::openapi::Info;
    /// use serde_json::json;
    ///
    /// // The API's routes are signed with SigV4 (IAM authorization).
    /// let info = Info::new("users", "1.0.0").security_scheme(
    ///     "authorizer",
    ///     json!({"type": "apiKey", "name": "Authorization", "in": "header",
    ///            "x-amazon-apigateway-authtype": "awsSigv4"}),
    /// );
    /// ```
    #[must_use]
    pub fn security_scheme(mut self, name: impl Into<String>, scheme: Value) -> Self {
        self.security_schemes.insert(name.into(), scheme);
        self
    }

    /// The definition of scheme `name`: the one given, else an HTTP bearer JWT.
    pub(crate) fn scheme(&self, name: &str) -> Value {
        self.security_schemes.get(name).cloned().unwrap_or_else(|| {
            serde_json::json!({
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "The identity the front door's authorizer verifies before the function is invoked.",
            })
        })
    }

    fn to_json(&self) -> Value {
        let mut info = serde_json::Map::new();
        info.insert("title".into(), self.title.clone().into());
        info.insert("version".into(), self.version.clone().into());
        if let Some(description) = &self.description {
            info.insert("description".into(), description.clone().into());
        }
        Value::Object(info)
    }
}

/// A route of the document: its template in the router's syntax, its path in the document's and
/// its method (`None` for `ANY`), for the testing kit's check of an answer and the import into API
/// Gateway.
#[derive(Clone, Debug)]
pub(crate) struct Route {
    pub(crate) template: String,
    pub(crate) path: String,
    pub(crate) method: Option<String>,
}

/// An OpenAPI 3.1 document: built by a [`Router`](crate::Router) (see the [module
/// documentation](self)), serialized as JSON.
#[derive(Clone, Debug)]
pub struct Document {
    info: Value,
    servers: Vec<String>,
    paths: Value,
    components: Value,
    pub(crate) routes: Vec<Route>,
}

impl Document {
    pub(crate) fn new(info: &Info, paths: Value, components: Value, routes: Vec<Route>) -> Self {
        Document {
            info: info.to_json(),
            servers: info.servers.clone(),
            paths,
            components,
            routes,
        }
    }

    /// The document as a JSON value.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The document as pretty-printed JSON, members in the order OpenAPI lists them (`openapi`,
    /// `info`, `servers`, `paths`, `components`), with a final newline: the text to commit.
    pub fn to_pretty_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The `paths` object.
    pub fn paths(&self) -> &Value {
        &self.paths
    }

    /// The `components` object.
    pub fn components(&self) -> &Value {
        &self.components
    }

    /// The operation object of `method` (any case) on `path` (as the document writes it,
    /// `/users/{id}`).
    pub fn operation(&self, method: &str, path: &str) -> Option<&Value> {
        self.paths.get(path)?.get(method.to_ascii_lowercase())
    }

    fn serialize_with<S: Serializer>(
        &self,
        servers: &[&str],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("openapi", VERSION)?;
        map.serialize_entry("info", &self.info)?;
        if !servers.is_empty() {
            let servers: Vec<Value> = servers
                .iter()
                .map(|url| serde_json::json!({ "url": url }))
                .collect();
            map.serialize_entry("servers", &servers)?;
        }
        map.serialize_entry("paths", &self.paths)?;
        map.serialize_entry("components", &self.components)?;
        map.end()
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let servers: Vec<&str> = self.servers.iter().map(String::as_str).collect();
        self.serialize_with(&servers, serializer)
    }
}

/// The document of `app`, when it is a [`Router`](crate::Router) that declares one with
/// [`Router::openapi`](crate::Router::openapi) (served through its exit, as
/// [`run`](crate::run) serves it); `None` for any other app.
///
/// ```
/// use lambda_proxy::openapi::{self, Info};
/// use lambda_proxy::{proxy_handler, Router};
///
/// /// Every user's name.
/// #[proxy_handler(route = "GET /users")]
/// async fn list_users() -> Vec<String> {
///     vec!["Ada".into()]
/// }
///
/// # fn main() -> Result<(), lambda_proxy::router::RouteError> {
/// let app = Router::new()
///     .route(list_users)?
///     .openapi("/openapi.json", Info::new("users", "1.0.0"))?;
/// let document = openapi::document(app).expect("the router declares a document");
/// let operation = document.operation("GET", "/users").unwrap();
/// assert_eq!(operation["operationId"], "list_users");
/// assert_eq!(operation["summary"], "Every user's name.");
/// # Ok(())
/// # }
/// ```
pub fn document<A: crate::Serve>(app: A) -> Option<Document> {
    use crate::app::AppService;
    let exit = app.into_exit();
    exit.service().document(exit.cors(), true)
}
