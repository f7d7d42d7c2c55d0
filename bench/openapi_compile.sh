#!/usr/bin/env bash
# Compile cost of the OpenAPI document, for BENCHMARKS.md §14: the users service (list, get,
# create, delete, its document at GET /openapi.json, its constraints checked, CORS) built as four
# crates of its own, outside the workspace, none committed (this script writes them):
#
#   before     the service of commit $BEFORE (examples/src/crud.rs there), against lambda-proxy
#              at that commit: the cost before the feature existed
#   off        the same service, against lambda-proxy now, without the `openapi` feature
#   on         examples/src/crud.rs now (schemas, constraints, its document), against
#              lambda-proxy now with `openapi` and `validate`
#   utoipa     the same service as a team writes it with axum 0.8 + utoipa 6 + utoipa-axum 0.3
#              on lambda_http: the same routes, statuses, headers, schemas, constraints
#              (validator), CORS (tower-http) and document
#
# Each is timed as the edit-compile loop times it: its source touched, then rebuilt, every
# dependency built beforehand; dev and release, RUNS runs each (default 5), interleaved, wall
# clock, CARGO_INCREMENTAL=0. A target directory of its own per crate
# (/tmp/lambda-proxy-openapi-compile/<crate>), so that features cannot unify across them.
# Usage: bash bench/openapi_compile.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
RUNS=${1:-5}
BEFORE=${BEFORE:-67a1e09}
work=${WORK:-/tmp/lambda-proxy-openapi-compile}
export CARGO_INCREMENTAL=0

# shellcheck source=bench/timing.sh
source bench/timing.sh

mkdir -p "$work"
# lambda-proxy at $BEFORE, checked out beside (a worktree of this repository).
if [ ! -d "$work/lambda-proxy-before" ]; then
  git worktree add --detach "$work/lambda-proxy-before" "$BEFORE" >/dev/null 2>&1
fi

manifest() { # NAME LAMBDA_PROXY_PATH FEATURES EXTRA_DEPS
  local dir=$work/$1 lambda_proxy=""
  mkdir -p "$dir/src"
  if [ -n "$2" ]; then
    lambda_proxy="lambda-proxy = { path = \"$2\", features = [$3] }"
  fi
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "users-$1"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
$lambda_proxy
$4
serde = { version = "1.0.200", features = ["derive"] }
serde_json = "1.0.120"
tokio = { version = "1.46", features = ["macros", "rt", "rt-multi-thread", "time"] }

[profile.release]
panic = "unwind"
TOML
  cp "$root/Cargo.lock" "$dir/Cargo.lock"
}

lambda_proxy_main='
#[allow(dead_code)]
mod crud;

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    lambda_proxy::run(crud::app(std::sync::Arc::new(crud::Store::seeded()))?).await
}'

manifest before "$work/lambda-proxy-before/runtime" "" ""
git show "$BEFORE:examples/src/crud.rs" >"$work/before/src/crud.rs"
echo "$lambda_proxy_main" >"$work/before/src/main.rs"

manifest off "$root/runtime" "" ""
cp "$work/before/src/crud.rs" "$work/off/src/crud.rs"
echo "$lambda_proxy_main" >"$work/off/src/main.rs"

manifest on "$root/runtime" '"openapi", "validate"' 'schemars = "1.2"
validator = { version = "0.21", features = ["derive"] }'
cp "$root/examples/src/crud.rs" "$work/on/src/crud.rs"
echo "$lambda_proxy_main" >"$work/on/src/main.rs"

manifest utoipa "" "" 'axum = { version = "0.8", default-features = false, features = ["json", "query", "tokio"] }
lambda_http = { version = "1.3.2", default-features = false, features = ["apigw_rest", "apigw_http", "apigw_websockets", "alb", "vpc_lattice", "tracing"] }
tower-http = { version = "0.6", default-features = false, features = ["cors"] }
utoipa = { version = "6", features = ["axum_extras"] }
utoipa-axum = "0.3"
validator = { version = "0.21", features = ["derive"] }'
cat >"$work/utoipa/src/main.rs" <<'RUST'
//! The users service with axum 0.8, utoipa 6 and utoipa-axum 0.3 on lambda_http: what
//! examples/src/crud.rs declares, restated in `#[utoipa::path]` as utoipa needs it.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tower_http::cors::CorsLayer;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use validator::Validate;

/// A user as stored and as sent.
#[derive(Clone, Debug, Serialize, ToSchema)]
struct User {
    /// The id, assigned by the store.
    id: u64,
    /// The display name.
    name: String,
}

/// The body of `POST /users`.
#[derive(Debug, Deserialize, ToSchema, Validate)]
struct NewUser {
    /// The display name, 1 to 64 characters.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    name: String,
}

/// The query of `GET /users`.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
struct Page {
    /// List the users whose id is above this one.
    #[serde(default)]
    after: u64,
    /// At most this many, 1 to 100 (default 100).
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    limit: Option<usize>,
}

/// Problem details (RFC 9457).
#[derive(Serialize, ToSchema)]
struct Problem {
    r#type: String,
    title: String,
    status: u16,
    detail: Option<String>,
}

#[derive(Default)]
struct Store {
    users: Mutex<BTreeMap<u64, User>>,
}

type Shared = State<Arc<Store>>;

fn problem(status: StatusCode, detail: &str) -> Response {
    let body = Problem {
        r#type: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Error").into(),
        status: status.as_u16(),
        detail: Some(detail.into()),
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response()
}

/// A page of users, oldest first.
#[utoipa::path(get, path = "/users", params(Page), responses(
    (status = 200, body = [User], headers(("cache-control" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
async fn list_users(State(store): Shared, Query(page): Query<Page>) -> Response {
    if let Err(errors) = page.validate() {
        return problem(StatusCode::UNPROCESSABLE_ENTITY, &errors.to_string());
    }
    let users: Vec<User> = store
        .users
        .lock()
        .unwrap()
        .range(page.after.saturating_add(1)..)
        .take(page.limit.unwrap_or(100))
        .map(|(_, u)| u.clone())
        .collect();
    ([(header::CACHE_CONTROL, "max-age=10")], Json(users)).into_response()
}

/// Creates a user.
#[utoipa::path(post, path = "/users", request_body = NewUser, responses(
    (status = 201, body = User, headers(("location" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 415, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
async fn create_user(State(store): Shared, Json(new): Json<NewUser>) -> Response {
    if let Err(errors) = new.validate() {
        return problem(StatusCode::UNPROCESSABLE_ENTITY, &errors.to_string());
    }
    let mut users = store.users.lock().unwrap();
    let id = users.keys().next_back().map_or(1, |last| last + 1);
    let user = User { id, name: new.name };
    users.insert(id, user.clone());
    let location = format!("/users/{id}");
    (StatusCode::CREATED, [(header::LOCATION, location)], Json(user)).into_response()
}

/// One user; 404 when there is none.
#[utoipa::path(get, path = "/users/{id}", params(("id" = u64, Path, description = "The user's id")), responses(
    (status = 200, body = User),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
async fn get_user(Path(id): Path<u64>, State(store): Shared) -> Response {
    match store.users.lock().unwrap().get(&id).cloned() {
        Some(user) => Json(user).into_response(),
        None => problem(StatusCode::NOT_FOUND, "no such user"),
    }
}

/// Deletes a user; 404 when there is none.
#[utoipa::path(delete, path = "/users/{id}", params(("id" = u64, Path, description = "The user's id")), responses(
    (status = 204),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
async fn delete_user(Path(id): Path<u64>, State(store): Shared) -> Response {
    match store.users.lock().unwrap().remove(&id) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => problem(StatusCode::NOT_FOUND, "no such user"),
    }
}

#[derive(OpenApi)]
#[openapi(info(title = "users", version = "1.0.0"))]
struct ApiDoc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let (router, api) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, delete_user))
        .with_state(Arc::new(Store::default()))
        .split_for_parts();
    let document = api.to_json()?;
    let cors = CorsLayer::new()
        .allow_origin(HeaderValue::from_static("https://app.example.com"))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([header::LOCATION]);
    let app = router
        .route(
            "/openapi.json",
            axum::routing::get(move || async move {
                ([(header::CONTENT_TYPE, "application/json")], document)
            }),
        )
        .layer(cors);
    lambda_http::run(app).await
}
RUST

crates="before off on utoipa"
for crate in $crates; do
  echo "building $crate's dependencies (dev and release)"
  CARGO_TARGET_DIR=$work/target-$crate cargo build --manifest-path "$work/$crate/Cargo.toml" >/dev/null 2>&1 ||
    { echo "$crate does not build:"; CARGO_TARGET_DIR=$work/target-$crate cargo build --manifest-path "$work/$crate/Cargo.toml"; exit 1; }
  CARGO_TARGET_DIR=$work/target-$crate cargo build --release --manifest-path "$work/$crate/Cargo.toml" >/dev/null 2>&1
done

echo "load before: $(uptime)"
for profile in dev release; do
  flag=""
  [ "$profile" = release ] && flag="--release"
  declare -A times=()
  for _ in $(seq "$RUNS"); do
    for crate in $crates; do
      touch "$work/$crate/src/main.rs"
      times[$crate]="${times[$crate]:-} $(secs env CARGO_TARGET_DIR=$work/target-$crate cargo build $flag --manifest-path "$work/$crate/Cargo.toml")"
    done
  done
  for crate in $crates; do
    echo "$profile: $crate: runs:${times[$crate]} median: $(echo "${times[$crate]}" | median) min: $(echo "${times[$crate]}" | minimum)"
  done
  unset times
done
echo "load after: $(uptime)"
