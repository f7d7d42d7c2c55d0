use lambda_proxy::ResponseError;

#[derive(Debug, thiserror::Error, ResponseError)]
#[error("missing")]
struct Missing;

fn main() {}
