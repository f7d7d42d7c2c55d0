use lambda_proxy::ResponseError;

#[derive(Debug, thiserror::Error, ResponseError)]
#[response(status = 404, detail = "gone")]
#[error("missing")]
struct Missing;

fn main() {}
