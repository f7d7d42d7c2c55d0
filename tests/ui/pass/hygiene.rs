//! Generated code uses fully qualified paths: shadowing prelude names and crates changes nothing.
#![deny(warnings)]
#![allow(non_camel_case_types, dead_code)]

use lambda_proxy::{proxy_handler, HttpError, Request};

struct Result;
struct Option;
struct Box;
struct Some;
struct None;
struct Ok;
struct Err;
struct Send;
struct Infallible;
mod core {}
mod std {}
mod serde {}
mod http {}
mod lambda_http {}
trait Future {}
trait Serialize {}

#[derive(::serde::Serialize)]
struct User {
    id: u64,
}

#[proxy_handler(status = 201, headers("x-a" = "b"))]
async fn create(_req: Request) -> ::core::result::Result<User, HttpError> {
    ::core::result::Result::Ok(User { id: 1 })
}

#[proxy_handler]
async fn find(_req: Request) -> ::core::option::Option<User> {
    ::core::option::Option::None
}

#[proxy_handler]
async fn nothing() {}

#[proxy_handler(content_type = "application/vnd.api+json", timeout_ms = 500)]
async fn timed(_req: Request) -> User {
    User { id: 2 }
}

#[proxy_handler(status = 202)]
fn plain(_req: Request) -> ::core::result::Result<(), Failure> {
    ::core::result::Result::Err(Failure::Inner(HttpError::gone("x")))
}

#[derive(Debug, lambda_proxy::ResponseError)]
#[response(status = 500, title = "Failure")]
enum Failure {
    #[response(transparent)]
    Inner(HttpError),
    #[response(status = 409, type = "https://example.com/conflict")]
    Conflict,
}

#[derive(::serde::Deserialize)]
struct NewUser {
    name: ::std::string::String,
}

#[proxy_handler(route = "POST /users/{id}", status = 201, headers("x-a" = "b"))]
async fn routed(
    lambda_proxy::Path(id): lambda_proxy::Path<u64>,
    lambda_proxy::State(prefix): lambda_proxy::State<::std::sync::Arc<::std::string::String>>,
    lambda_proxy::Json(new): lambda_proxy::Json<NewUser>,
) -> ::core::result::Result<::core::option::Option<User>, HttpError> {
    let _ = (prefix, new.name);
    ::core::result::Result::Ok(::core::option::Option::Some(User { id }))
}

#[proxy_handler(route = "GET /plain")]
fn routed_plain(_req: Request) -> u64 {
    1
}

fn router() -> ::core::result::Result<(), lambda_proxy::router::RouteError> {
    let _ = lambda_proxy::Router::new()
        .with_state(::std::sync::Arc::new(::std::string::String::new()))
        .route(routed)?
        .route(routed_plain)?;
    ::core::result::Result::Ok(())
}

impl ::core::fmt::Display for Failure {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.write_str("failure")
    }
}

fn main() {
    let __proxy_req = 1;
    let __proxy_inv = 2;
    let _ = (__proxy_req, __proxy_inv);
    let _ = router();
}
