//! `#[derive(ResponseError)]` on enums and structs, generic ones, next to thiserror, in handlers.
#![deny(warnings)]

use lambda_proxy::{proxy_handler, Request, ResponseError};

#[derive(Debug, thiserror::Error, ResponseError)]
#[response(status = 500, type = "https://example.com/problems/internal")]
pub enum ApiError {
    #[error("no such order {0}")]
    #[response(status = 404)]
    NotFound(u64),
    #[error("order {id} is closed")]
    #[response(status = 409, title = "Order closed")]
    Closed { id: u64 },
    #[error("storage failed")]
    Storage(#[from] std::io::Error),
    #[error("unit variant")]
    Unit,
}

#[derive(Debug, thiserror::Error, ResponseError)]
#[response(status = 422)]
#[error("invalid {field}: {value}")]
pub struct Invalid<T: std::fmt::Display + std::fmt::Debug> {
    field: &'static str,
    value: T,
}

#[derive(Debug, thiserror::Error, ResponseError)]
pub enum Empty {}

/// One's own errors next to lambda-proxy's `HttpError` (from `req.json()` and the parameter
/// helpers), which answers for itself.
#[derive(Debug, thiserror::Error, ResponseError)]
#[response(status = 500)]
pub enum ServiceError {
    #[error(transparent)]
    #[response(transparent)]
    Request(#[from] lambda_proxy::HttpError),
    #[error(transparent)]
    #[response(transparent)]
    Named { inner: Invalid<u8> },
    #[error("database down")]
    #[response(status = 503)]
    Database,
}

#[derive(Debug, thiserror::Error, ResponseError)]
#[error(transparent)]
#[response(transparent)]
pub struct Wrapped(lambda_proxy::HttpError);

/// A transparent field of a type parameter: the derive adds `E: ResponseError`.
#[derive(Debug, thiserror::Error, ResponseError)]
pub enum Generic<E: std::error::Error + 'static> {
    #[error(transparent)]
    #[response(transparent)]
    Inner(E),
    #[error("other")]
    #[response(status = 400)]
    Other,
}

#[proxy_handler]
async fn order(_req: Request) -> Result<u64, ApiError> {
    std::fs::metadata("/nonexistent")?;
    Err(ApiError::NotFound(7))
}

#[proxy_handler]
async fn validate(_req: Request) -> Result<(), Invalid<i64>> {
    Err(Invalid { field: "age", value: -1 })
}

#[proxy_handler]
async fn service(_req: Request) -> Result<u64, ServiceError> {
    Err(lambda_proxy::HttpError::unsupported_media_type("json only"))?
}

fn main() {
    let _ = (order, validate, service);
    assert_eq!(Wrapped(lambda_proxy::HttpError::gone("x")).status(), 410);
    assert_eq!(ServiceError::Database.status(), 503);
    let inner: Generic<lambda_proxy::HttpError> = Generic::Inner(lambda_proxy::HttpError::gone("x"));
    assert_eq!(inner.status(), 410);
    assert_eq!(ApiError::Unit.status(), 500);
    assert_eq!(ApiError::Closed { id: 1 }.status(), 409);
    let _ = ApiError::Storage(std::io::Error::other("x")).problem_type();
}
