//! A users service: list, get, create, delete, with the store shared between handlers, and who
//! the caller is.
//!
//! One Lambda function serves every route (a `{proxy+}` resource, `$default` route, function URL
//! or ALB listener rule); the [`Router`] built by [`routes`] picks the handler, and answers 404 for
//! an unknown path and 405 (with `Allow`) for a method a path does not have; [`app`] serves it
//! through an [`Exit`] with the browser app's CORS policy.
//!
//! The router serves its OpenAPI document at `GET /openapi.json`, written from the handlers:
//! `examples/openapi/crud.json` is the committed copy, kept current by a test. The constraints of
//! [`NewUser`] and [`Page`] are declared once, on the types: the document shows them, and a
//! request that breaks one is answered 422 before its handler runs.

use lambda_proxy::metrics::Metrics;
use lambda_proxy::openapi::Info;
use lambda_proxy::router::RouteError;
use lambda_proxy::serve::ExitService;
use lambda_proxy::{proxy_handler, Caller, Cors, Exit, Json, Path, Query, Reply, Router, State};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use validator::Validate;

/// A user as stored and as sent.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct User {
    /// The id, assigned by the store.
    pub id: u64,
    /// The display name.
    pub name: String,
}

/// The body of `POST /users`.
#[derive(Debug, Deserialize, JsonSchema, Validate)]
pub struct NewUser {
    /// The display name, 1 to 64 characters.
    #[validate(length(min = 1, max = 64))]
    pub name: String,
}

/// An in-memory store; a real service would hold a database client here.
#[derive(Debug, Default)]
pub struct Store {
    users: Mutex<BTreeMap<u64, User>>,
}

impl Store {
    /// A store with a few users.
    pub fn seeded() -> Self {
        let store = Store::default();
        for name in ["Ada", "Grace", "Edsger"] {
            store.insert(name.to_owned());
        }
        store
    }

    fn insert(&self, name: String) -> User {
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        let id = users.keys().next_back().map_or(1, |last| last + 1);
        let user = User { id, name };
        users.insert(id, user.clone());
        user
    }

    fn get(&self, id: u64) -> Option<User> {
        self.lock().get(&id).cloned()
    }

    fn remove(&self, id: u64) -> Option<User> {
        self.lock().remove(&id)
    }

    fn page(&self, after: u64, limit: usize) -> Vec<User> {
        self.lock()
            .range(after.saturating_add(1)..)
            .take(limit)
            .map(|(_, user)| user.clone())
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, User>> {
        self.users.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The query of `GET /users`: `?after=3&limit=10`.
#[derive(Debug, Deserialize, JsonSchema, Validate)]
pub struct Page {
    /// List the users whose id is above this one.
    #[serde(default)]
    pub after: u64,
    /// At most this many, 1 to 100 (default 100).
    #[validate(range(min = 1, max = 100))]
    pub limit: Option<usize>,
}

/// `GET /users`: a page of users, oldest first.
#[proxy_handler(route = "GET /users", headers("cache-control" = "max-age=10"))]
pub async fn list_users(State(store): State<Arc<Store>>, Query(page): Query<Page>) -> Vec<User> {
    store.page(page.after, page.limit.unwrap_or(100))
}

/// `GET /users/{id}`: 404 when there is no such user, 400 when the id is not a number.
#[proxy_handler(route = "GET /users/{id}")]
pub async fn get_user(Path(id): Path<u64>, State(store): State<Arc<Store>>) -> Option<User> {
    store.get(id)
}

/// `POST /users`: 201 with a `location` header; 400 for a body that is not JSON, 422 for one of
/// the wrong shape or whose name is not 1 to 64 characters.
#[proxy_handler(route = "POST /users", status = 201, headers("location"))]
pub async fn create_user(State(store): State<Arc<Store>>, Json(new): Json<NewUser>) -> Reply<User> {
    let user = store.insert(new.name);
    let location = format!("/users/{}", user.id);
    Reply::new(user).header("location", location)
}

/// `DELETE /users/{id}`: 204, or 404 when there is no such user.
#[proxy_handler(route = "DELETE /users/{id}")]
pub async fn delete_user(Path(id): Path<u64>, State(store): State<Arc<Store>>) -> Option<()> {
    store.remove(id).map(|_| ())
}

/// The caller, as the front door's authorizer verified them (a JWT or Cognito user pool
/// authorizer's claims, a Lambda authorizer's context).
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
pub struct Me {
    /// The caller's subject: the `sub` claim.
    pub sub: String,
}

/// `GET /me`: who the caller is; 401 on a request no authorizer verified.
#[proxy_handler(route = "GET /me")]
pub async fn me(caller: Caller<Me>) -> Me {
    caller.claims
}

/// The browser app that calls this service, with cookies.
pub const BROWSER_APP: &str = "https://app.example.com";

/// The CORS policy: the browser app, with credentials, may send JSON; preflights are cached for
/// ten minutes. Its answers carry the CORS headers, errors included; other origins get none.
///
/// # Panics
///
/// Never: the policy is valid (the tests build it).
pub fn cors() -> Cors {
    Cors::builder()
        .allow_origins([BROWSER_APP])
        .allow_credentials()
        .allow_headers(["content-type"])
        .expose_headers(["location"])
        .max_age(std::time::Duration::from_secs(600))
        .build()
        .expect("a policy browsers accept")
}

/// Every route, with `store` shared between them, and the OpenAPI document at
/// `GET /openapi.json`.
///
/// # Errors
///
/// A [`RouteError`] if two routes conflicted (they do not: the tests build it).
pub fn routes(store: Arc<Store>) -> Result<Router<Arc<Store>>, RouteError> {
    Router::new()
        .with_state(store)
        .route(list_users)?
        .route(get_user)?
        .route(create_user)?
        .route(delete_user)?
        .route(me)?
        .openapi("/openapi.json", info())
}

/// The document's title and version: the service's.
pub fn info() -> Info {
    Info::new("users", "1.0.0").description(
        "A users service on AWS Lambda: list, get, create and delete users. Every error is an `application/problem+json` body with the Lambda request id.",
    )
}

/// The service's CloudWatch metrics: namespace `crud`, service `users`.
///
/// # Panics
///
/// Never: the names are valid (the tests build them).
pub fn metrics() -> Metrics {
    Metrics::new("crud", "users").expect("a namespace and service CloudWatch takes")
}

/// The service: the routes through an exit that answers the browser app.
///
/// # Errors
///
/// A [`RouteError`] if two routes conflicted (they do not: the tests build it).
pub fn app(store: Arc<Store>) -> Result<ExitService<Router<Arc<Store>>>, RouteError> {
    Ok(Exit::new().cors(cors()).around(routes(store)?))
}
