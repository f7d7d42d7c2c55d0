//! Every supported return type, spelled directly and through aliases.
#![deny(warnings)]

use lambda_proxy::{proxy_handler, Body, HttpError, Reply, Request, Response, StatusCode};

#[derive(serde::Serialize)]
struct User {
    id: u64,
}

type ApiResult<T> = Result<T, HttpError>;

#[proxy_handler]
async fn plain(_req: Request) -> User {
    User { id: 1 }
}
#[proxy_handler]
async fn status_and_body(_req: Request) -> (StatusCode, User) {
    (StatusCode::CREATED, User { id: 1 })
}
#[proxy_handler]
async fn status_and_body_in_result(_req: Request) -> ApiResult<(StatusCode, Vec<User>)> {
    Ok((StatusCode::OK, vec![User { id: 1 }]))
}
#[proxy_handler]
async fn result(_req: Request) -> Result<User, HttpError> {
    Ok(User { id: 1 })
}
#[proxy_handler]
async fn alias(_req: Request) -> ApiResult<User> {
    Ok(User { id: 1 })
}
#[proxy_handler]
async fn anyhow_result(_req: Request) -> anyhow::Result<User> {
    Err(anyhow::anyhow!("boom"))
}
#[proxy_handler]
async fn boxed_error(_req: Request) -> Result<User, lambda_proxy::Error> {
    Ok(User { id: 1 })
}
#[proxy_handler]
async fn option(_req: Request) -> Option<User> {
    None
}
#[proxy_handler]
async fn nested(_req: Request) -> Result<Option<User>, HttpError> {
    Ok(None)
}
#[proxy_handler]
async fn unit(_req: Request) {}
#[proxy_handler(status = 202)]
async fn accepted(_req: Request) -> Result<(), HttpError> {
    Ok(())
}
#[proxy_handler(status = 204)]
async fn no_content(_req: Request) -> ApiResult<()> {
    Ok(())
}
#[proxy_handler]
async fn response(_req: Request) -> Response<Body> {
    Response::new(Body::from("raw"))
}
#[proxy_handler]
async fn response_string(_req: Request) -> Result<Response<String>, HttpError> {
    Ok(Response::new("raw".to_owned()))
}
#[proxy_handler]
async fn reply(_req: Request) -> Reply<User> {
    Reply::new(User { id: 1 }).status(StatusCode::CREATED)
}
#[proxy_handler]
async fn value(_req: Request) -> serde_json::Value {
    serde_json::json!({"ok": true})
}
#[proxy_handler]
async fn four_levels(_req: Request) -> Option<Result<Option<Result<u8, HttpError>>, HttpError>> {
    None
}
#[proxy_handler(status = 201, content_type = "application/vnd.api+json", headers("cache-control" = "no-store", "X-Custom" = "1"))]
async fn with_arguments(_req: Request) -> ApiResult<User> {
    Ok(User { id: 1 })
}

#[proxy_handler(timeout_ms = 5000)]
async fn with_guards(_req: Request) -> User {
    User { id: 1 }
}

fn main() {}
