use lambda_proxy::ResponseError;

#[derive(Debug, thiserror::Error, ResponseError)]
#[response(status = 404, status = 410)]
#[error("missing")]
struct Missing;

fn main() {}
