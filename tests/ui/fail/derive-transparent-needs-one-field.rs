use lambda_proxy::ResponseError;

#[derive(Debug, thiserror::Error, ResponseError)]
enum ApiError {
    #[error("{0}: {1}")]
    #[response(transparent)]
    Two(lambda_proxy::HttpError, u8),
    #[error("gone")]
    #[response(status = 410, transparent)]
    Both(lambda_proxy::HttpError),
}

fn main() {}
