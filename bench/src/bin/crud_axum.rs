//! The CRUD example's users service as a team would write it with axum 0.8 on lambda_http: the
//! same routes, status codes and headers, axum's extractors and rejections, `lambda_http::run`.
//! Used to compare binary size and cold start with lambda-proxy's router (see `BENCHMARKS.md`).

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;

#[path = "../users.rs"]
mod users;

use users::{NewUser, Store, User};

type Shared = State<Arc<Store>>;

fn problem(status: StatusCode, detail: &str) -> Response {
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

async fn list_users(State(store): Shared) -> Response {
    let users: Vec<User> = store.lock().values().cloned().collect();
    ([(header::CACHE_CONTROL, "max-age=10")], Json(users)).into_response()
}

async fn create_user(State(store): Shared, Json(new): Json<NewUser>) -> Response {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "name must be 1 to 64 characters",
        );
    }
    let user = store.insert(name.to_owned());
    let location = format!("/users/{}", user.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(user),
    )
        .into_response()
}

async fn get_user(Path(id): Path<u64>, State(store): Shared) -> Response {
    match store.lock().get(&id).cloned() {
        Some(user) => Json(user).into_response(),
        None => problem(StatusCode::NOT_FOUND, "no such user"),
    }
}

async fn delete_user(Path(id): Path<u64>, State(store): Shared) -> Response {
    match store.lock().remove(&id) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => problem(StatusCode::NOT_FOUND, "no such user"),
    }
}

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    // axum routes on the URI, which lambda_http gives the REST API stage unless this is set.
    if std::env::var_os("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH").is_none() {
        std::env::set_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true");
    }
    let app = Router::new()
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}", get(get_user).delete(delete_user))
        .with_state(Arc::new(Store::seeded()));
    lambda_http::run(app).await
}
