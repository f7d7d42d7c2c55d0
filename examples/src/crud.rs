//! A users service: list, get, create, delete, with the state shared between handlers.
//!
//! One Lambda function serves every route (a `{proxy+}` resource, `$default` route, function URL
//! or ALB listener rule); [`route`] picks the handler.

use lambda_proxy::{
    proxy_handler, Body, HttpError, ProxyRequestExt, Reply, Request, Response, StatusCode,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

/// A user as stored and as sent.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    /// The id, assigned by the store.
    pub id: u64,
    /// The display name.
    pub name: String,
}

/// The body of `POST /users`.
#[derive(Debug, Deserialize)]
pub struct NewUser {
    /// The display name, 1 to 64 characters.
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

    fn all(&self) -> Vec<User> {
        self.lock().values().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, User>> {
        self.users.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The path segments after `users`, wherever the front door puts the stage.
fn users_path(req: &Request) -> Option<Vec<String>> {
    let segments: Vec<&str> = req
        .uri()
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let at = segments.iter().position(|s| *s == "users")?;
    Some(segments[at + 1..].iter().map(|s| (*s).to_owned()).collect())
}

fn user_id(req: &Request) -> Result<u64, HttpError> {
    let raw = users_path(req)
        .and_then(|rest| rest.first().cloned())
        .unwrap_or_default();
    raw.parse()
        .map_err(|_| HttpError::bad_request(format!("user id must be a number, got {raw:?}")))
}

/// `GET /users`
#[proxy_handler(headers("cache-control" = "max-age=10"))]
pub async fn list_users(_req: Request, store: Arc<Store>) -> Vec<User> {
    store.all()
}

/// `GET /users/{id}`: 404 when there is no such user.
#[proxy_handler]
pub async fn get_user(req: Request, store: Arc<Store>) -> Result<Option<User>, HttpError> {
    let id = user_id(&req)?;
    Ok(store.get(id))
}

/// `POST /users`: 201 with a `location` header.
#[proxy_handler]
pub async fn create_user(req: Request, store: Arc<Store>) -> Result<Reply<User>, HttpError> {
    let new: NewUser = req.json()?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(HttpError::unprocessable_entity(
            "name must be 1 to 64 characters",
        ));
    }
    let user = store.insert(name.to_owned());
    let location = format!("/users/{}", user.id);
    Ok(Reply::new(user)
        .status(StatusCode::CREATED)
        .header("location", location))
}

/// `DELETE /users/{id}`: 204, or 404 when there is no such user.
#[proxy_handler]
pub async fn delete_user(req: Request, store: Arc<Store>) -> Result<Option<()>, HttpError> {
    let id = user_id(&req)?;
    Ok(store.remove(id).map(|_| ()))
}

/// Anything else.
#[proxy_handler]
pub async fn fallback(req: Request) -> Result<(), HttpError> {
    match users_path(&req) {
        Some(rest) if rest.len() <= 1 => Err(HttpError::method_not_allowed(format!(
            "{} is not supported here",
            req.method()
        ))
        .with_header(
            "allow",
            if rest.is_empty() {
                "GET, POST"
            } else {
                "GET, DELETE"
            },
        )),
        _ => Err(HttpError::not_found(format!(
            "no route for {}",
            req.uri().path()
        ))),
    }
}

/// Routes a request to its handler.
pub async fn route(req: Request, store: Arc<Store>) -> Result<Response<Body>, Infallible> {
    let rest = users_path(&req);
    let method = req.method().as_str();
    match (method, rest.as_ref().map(Vec::len)) {
        ("GET", Some(0)) => list_users(req, store).await,
        ("POST", Some(0)) => create_user(req, store).await,
        ("GET", Some(1)) => get_user(req, store).await,
        ("DELETE", Some(1)) => delete_user(req, store).await,
        _ => fallback(req).await,
    }
}
