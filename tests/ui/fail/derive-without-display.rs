use lambda_proxy::ResponseError;

#[derive(Debug, ResponseError)]
#[response(status = 400)]
struct NoDisplay;

fn main() {}
