use lambda_proxy::ResponseError;

#[derive(Debug, thiserror::Error, ResponseError)]
enum ApiError {
    #[error("not found")]
    #[response(status = 404)]
    NotFound,
    #[error("database unavailable")]
    Database,
}

fn main() {}
