use lambda_proxy::ResponseError;

#[derive(Debug, thiserror::Error, ResponseError)]
#[response(status = 200)]
#[error("fine")]
struct Fine;

fn main() {}
