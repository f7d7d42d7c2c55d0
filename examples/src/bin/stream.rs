//! The streaming service as a Lambda function behind a function URL with `InvokeMode:
//! RESPONSE_STREAM`: its server-sent events go out as they are made. Behind any other front
//! door, the same routes answer whole.

use lambda_proxy::{Exit, FrontDoor};

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    lambda_proxy::lambda_http::tracing::init_default_subscriber();
    let app = Exit::new()
        .stream(FrontDoor::FunctionUrl)?
        .around(lambda_proxy_examples::stream::app()?);
    lambda_proxy::run(app).await
}
