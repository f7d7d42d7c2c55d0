//! One function with a route for every kind of outcome: a JSON value, `None`, an `HttpError`, an
//! internal error, a panic, a timeout, a parsed JSON body, bytes, repeated headers and cookies, an
//! empty answer; and the users service of `examples/src/crud.rs` beside them, in one [`Router`].
//! Each answers with a valid envelope, whatever happens inside the handler.
//!
//! `tests/e2e/run.sh` serves it with `cargo lambda watch` and calls every route over HTTP through
//! the function URL emulator, then sends it REST API, HTTP API and ALB events. To try it by hand:
//!
//! ```sh
//! cargo lambda watch -p lambda-proxy-examples --bin e2e
//! curl -i http://127.0.0.1:9000/lambda-url/e2e/ok
//! ```
//!
//! | route | handler returns | answer |
//! | --- | --- | --- |
//! | `GET /ok` | a `Serialize` struct | 200, JSON |
//! | `GET /missing` | `Option<T>`, `None` | 404 |
//! | `GET /bad-request` | `Err(HttpError::bad_request(..))` | 400, problem JSON with the detail |
//! | `GET /internal` | `Err(lambda_proxy::Error)` | 500, problem JSON with a generic detail |
//! | `GET /panic` | panics | 500, problem JSON with a generic detail |
//! | `GET /slow` | sleeps past `timeout_ms = 1000` | 504 |
//! | `POST /echo` | `Reply<T>` from `req.json::<T>()?` | 200 with the body read back; 400, 415 or 422 |
//! | `GET /binary` | `Response<Body::Binary>` | 200, `image/png`, base64 in the envelope |
//! | `GET /headers` | `Response` with repeated headers | `x-tag: a, b` and two `Set-Cookie` |
//! | `GET /unit` | `()` | 204, empty body |
//!
//! The users service adds `GET /users`, `POST /users`, `GET /users/{id}` and `DELETE
//! /users/{id}`. The router answers the rest: 404 for an unknown path, 405 with `Allow` for a
//! known path with another method, `HEAD` through the `GET` route, `OPTIONS` with `Allow`.

use lambda_proxy::router::RouteError;
use lambda_proxy::serve::ExitService;
use lambda_proxy::{
    proxy_handler, Body, Exit, HttpError, ProxyRequestExt, Reply, Request, Response, Router,
};
use lambda_proxy_examples::crud::{cors, routes, Store};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// A string that must never reach a client: the handlers below put it in an internal error and
/// in a panic message, and the end-to-end test checks that no answer contains it.
const SECRET: &str = "db-password=hunter2";

/// A 1×1 transparent PNG.
const PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// The answer of `GET /ok`.
#[derive(Serialize)]
struct Status {
    ok: bool,
    service: &'static str,
}

/// The body `POST /echo` reads and sends back.
#[derive(Serialize, Deserialize)]
struct Message {
    text: String,
    count: u32,
}

/// `GET /ok`: any `Serialize` value is a 200 JSON answer.
#[proxy_handler(route = "GET /ok")]
async fn ok() -> Status {
    Status {
        ok: true,
        service: "e2e",
    }
}

/// `GET /missing`: `None` is a 404.
#[proxy_handler(route = "GET /missing")]
async fn missing() -> Option<Status> {
    None
}

/// `GET /bad-request`: an `HttpError` answers its own status, and its detail reaches the client.
#[proxy_handler(route = "GET /bad-request")]
async fn bad_request() -> Result<Status, HttpError> {
    Err(HttpError::bad_request(
        "the query parameter `q` is required",
    ))
}

/// `GET /internal`: an internal error answers 500. Its message is logged, never sent.
#[proxy_handler(route = "GET /internal")]
async fn internal() -> Result<Status, lambda_proxy::Error> {
    Err(format!("could not connect to the database with {SECRET}").into())
}

/// `GET /panic`: a panic answers 500 and the process keeps serving.
#[proxy_handler(route = "GET /panic")]
async fn panics() -> Status {
    panic!("a bug, with {SECRET} in the panic message");
}

/// `GET /slow`: runs past its own budget of one second and answers 504.
#[proxy_handler(route = "GET /slow", timeout_ms = 1000)]
async fn slow() -> Status {
    tokio::time::sleep(Duration::from_secs(5)).await;
    Status {
        ok: true,
        service: "e2e",
    }
}

/// `POST /echo`: the JSON body read back. A body that is not JSON is a 400, a content type that
/// is not JSON a 415, JSON of the wrong shape a 422 naming the field. It takes the whole
/// `Request`, as any routed handler can, to read the body's length too.
#[proxy_handler(route = "POST /echo")]
async fn echo(req: Request) -> Result<Reply<Message>, HttpError> {
    let message: Message = req.json()?;
    let length = req.body().len();
    Ok(Reply::new(message).header("x-request-bytes", length.to_string()))
}

/// `GET /binary`: bytes in a `Response`. The envelope carries them base64-encoded with
/// `isBase64Encoded: true`; the front door decodes them for the client.
#[proxy_handler(route = "GET /binary")]
async fn binary() -> Response<Body> {
    Response::builder()
        .header("content-type", "image/png")
        .body(Body::Binary(PIXEL_PNG.to_vec()))
        .expect("a static header is valid")
}

/// `GET /headers`: a header with two values and two cookies. Single-value front doors get
/// `x-tag: a, b`; the cookies are never joined (`cookies` for HTTP API 2.0 and function URLs,
/// `multiValueHeaders` for REST API and ALB).
#[proxy_handler(route = "GET /headers")]
async fn headers() -> Response<Body> {
    Response::builder()
        .header("content-type", "application/json")
        .header("x-tag", "a")
        .header("x-tag", "b")
        .header("set-cookie", "session=abc123; Path=/; HttpOnly")
        .header("set-cookie", "theme=dark; Path=/")
        .body(Body::Text(r#"{"cookies":2}"#.into()))
        .expect("static headers are valid")
}

/// `GET /unit`: `()` is a 204 with an empty body.
#[proxy_handler(route = "GET /unit")]
async fn unit() {}

/// The service: the users routes and the outcome routes, in one router, through the users
/// service's exit.
fn service() -> Result<ExitService<Router<Arc<Store>>>, RouteError> {
    let router = routes(Arc::new(Store::seeded()))?
        .route(ok)?
        .route(missing)?
        .route(bad_request)?
        .route(internal)?
        .route(panics)?
        .route(slow)?
        .route(echo)?
        .route(binary)?
        .route(headers)?
        .route(unit)?;
    Ok(Exit::new().cors(cors()).around(router))
}

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    // Logs to standard output (CloudWatch in Lambda): the errors and panics that answered 500, with the
    // messages the clients never see. `RUST_LOG` or `AWS_LAMBDA_LOG_LEVEL` change the level.
    lambda_proxy::lambda_http::tracing::init_default_subscriber();
    lambda_proxy::run(service()?).await
}
