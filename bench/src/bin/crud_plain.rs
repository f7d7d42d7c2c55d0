//! The CRUD example's users service written with plain lambda_http, without lambda-proxy: the
//! same routes, status codes and headers, JSON via serde_json, errors as JSON bodies. Used to
//! compare binary sizes (see `BENCHMARKS.md`).

use lambda_http::http::header::{CONTENT_TYPE, LOCATION};
use lambda_http::http::StatusCode;
use lambda_http::{service_fn, Body, Error, Request, RequestExt, Response};
use serde::Serialize;
use std::sync::Arc;

#[path = "../users.rs"]
mod users;

use users::{NewUser, Store, User};

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

fn json<T: Serialize>(status: StatusCode, value: &T) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "application/json")
        .body(Body::Text(serde_json::to_string(value)?))?)
}

fn problem(req: &Request, status: StatusCode, detail: &str) -> Result<Response<Body>, Error> {
    let request_id = req
        .lambda_context_ref()
        .map(|ctx| ctx.request_id.clone())
        .unwrap_or_default();
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
        "requestId": request_id,
    });
    Ok(Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "application/problem+json")
        .body(Body::Text(body.to_string()))?)
}

fn user_id(req: &Request) -> Result<u64, String> {
    let raw = users_path(req)
        .and_then(|rest| rest.first().cloned())
        .unwrap_or_default();
    raw.parse()
        .map_err(|_| format!("user id must be a number, got {raw:?}"))
}

fn body_bytes(req: &Request) -> &[u8] {
    match req.body() {
        Body::Text(text) => text.as_bytes(),
        Body::Binary(bytes) => bytes,
        _ => &[],
    }
}

async fn route(req: Request, store: Arc<Store>) -> Result<Response<Body>, Error> {
    let rest = users_path(&req);
    let method = req.method().as_str();
    match (method, rest.as_ref().map(Vec::len)) {
        ("GET", Some(0)) => {
            let users: Vec<User> = store.lock().values().cloned().collect();
            let mut response = json(StatusCode::OK, &users)?;
            response
                .headers_mut()
                .insert("cache-control", "max-age=10".parse()?);
            Ok(response)
        }
        ("POST", Some(0)) => {
            if let Some(content_type) = req.headers().get(CONTENT_TYPE) {
                if !content_type.to_str().unwrap_or("").contains("json") {
                    return problem(&req, StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected JSON");
                }
            }
            let new: NewUser = match serde_json::from_slice(body_bytes(&req)) {
                Ok(new) => new,
                Err(e) => return problem(&req, StatusCode::BAD_REQUEST, &format!("bad JSON: {e}")),
            };
            let name = new.name.trim();
            if name.is_empty() || name.chars().count() > 64 {
                return problem(
                    &req,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "name must be 1 to 64 characters",
                );
            }
            let user = store.insert(name.to_owned());
            let mut response = json(StatusCode::CREATED, &user)?;
            response
                .headers_mut()
                .insert(LOCATION, format!("/users/{}", user.id).parse()?);
            Ok(response)
        }
        ("GET", Some(1)) => match user_id(&req) {
            Err(detail) => problem(&req, StatusCode::BAD_REQUEST, &detail),
            Ok(id) => match store.lock().get(&id).cloned() {
                Some(user) => json(StatusCode::OK, &user),
                None => problem(&req, StatusCode::NOT_FOUND, "no such user"),
            },
        },
        ("DELETE", Some(1)) => match user_id(&req) {
            Err(detail) => problem(&req, StatusCode::BAD_REQUEST, &detail),
            Ok(id) => match store.lock().remove(&id) {
                Some(_) => Ok(Response::builder()
                    .status(StatusCode::NO_CONTENT)
                    .body(Body::Empty)?),
                None => problem(&req, StatusCode::NOT_FOUND, "no such user"),
            },
        },
        (_, Some(n)) if n <= 1 => {
            let mut response = problem(
                &req,
                StatusCode::METHOD_NOT_ALLOWED,
                &format!("{method} is not supported here"),
            )?;
            let allow = if n == 0 { "GET, POST" } else { "GET, DELETE" };
            response.headers_mut().insert("allow", allow.parse()?);
            Ok(response)
        }
        _ => problem(
            &req,
            StatusCode::NOT_FOUND,
            &format!("no route for {}", req.uri().path()),
        ),
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let store = Arc::new(Store::seeded());
    lambda_http::run(service_fn(move |req| route(req, store.clone()))).await
}
