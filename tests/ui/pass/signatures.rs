//! Every supported handler signature compiles and gives the documented fn type.
#![deny(warnings)]

use lambda_proxy::{proxy_handler, Body, Request, Response};
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;

struct State {
    greeting: String,
}

struct Client;

#[derive(serde::Serialize)]
struct Greeting {
    text: String,
}

/// An async handler.
#[proxy_handler]
async fn async_fn(_req: Request) -> Greeting {
    Greeting { text: "hi".into() }
}

/// A plain fn.
#[proxy_handler]
fn plain_fn(_req: Request) -> u32 {
    7
}

/// No parameters: the generated fn still takes the request.
#[proxy_handler]
async fn no_params() -> &'static str {
    "ok"
}

/// Extra parameters after the request are passed through.
#[proxy_handler]
pub async fn with_state(_req: Request, state: Arc<State>, _client: &Client) -> Greeting {
    Greeting {
        text: state.greeting.clone(),
    }
}

/// A type with a lifetime, written without it below (`Db`, not `Db<'_>`).
struct Db<'a> {
    name: &'a str,
}

/// Named and elided lifetimes in the further parameters: the future captures them all, as an
/// `async fn`'s does. (An `async fn` must write `Db<'_>`; a plain fn may hide it.)
#[proxy_handler]
async fn borrowing<'a>(_req: Request, prefix: &'a str, db: Db<'_>, suffix: &str) -> String {
    format!("{prefix}{}{suffix}", db.name)
}

/// The same for a plain fn, with a hidden lifetime.
#[proxy_handler]
fn plain_borrowing(_req: Request, db: &Db<'_>, other: Db) -> String {
    format!("{}{}", db.name, other.name)
}

/// Patterns in parameters.
#[proxy_handler]
pub(crate) async fn patterns(mut req: Request, (a, b): (u8, u8)) -> u16 {
    let _ = req.headers_mut();
    u16::from(a) + u16::from(b)
}

/// A generic handler.
#[proxy_handler]
async fn generic<T: serde::Serialize + Clone + Send + Sync>(_req: Request, value: Arc<T>) -> T {
    (*value).clone()
}

/// A generic handler with a where clause and a const parameter.
#[proxy_handler]
fn const_generic<const N: usize>(_req: Request) -> [u8; N]
where
    [u8; N]: serde::Serialize,
{
    [0; N]
}

/// `impl Serialize` in return position.
#[proxy_handler]
async fn opaque(_req: Request) -> impl serde::Serialize {
    vec![1, 2, 3]
}

/// `impl Trait` in argument position.
#[proxy_handler]
async fn impl_arg(_req: Request, name: impl AsRef<str> + Send) -> String {
    name.as_ref().to_owned()
}

/// Early return and `?` in the body keep their meaning.
#[proxy_handler]
async fn early_return(req: Request) -> Result<u32, lambda_proxy::HttpError> {
    if req.uri().path() == "/" {
        return Ok(0);
    }
    let n: u32 = "12".parse().map_err(|_| lambda_proxy::HttpError::bad_request("nan"))?;
    Ok(n)
}

fn assert_handler<F, Fut>(_f: F)
where
    F: Fn(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send,
{
}

fn main() {
    assert_handler(async_fn);
    assert_handler(plain_fn);
    assert_handler(no_params);
    assert_handler(patterns_adapter);
    assert_handler(const_generic::<4>);
    assert_handler(opaque);
    assert_handler(early_return);
    let state = Arc::new(State {
        greeting: "hello".into(),
    });
    let _ = move |req: Request| {
        let state = state.clone();
        async move { with_state(req, state, &Client).await }
    };
    let value = Arc::new(5u8);
    let _ = move |req: Request| generic(req, value.clone());
    let _ = |req: Request| impl_arg(req, "name");
    let name = String::from("users");
    let db = Db { name: &name };
    let _ = |req: Request| borrowing(req, "/", Db { name: &name }, "/");
    let _ = |req: Request| plain_borrowing(req, &db, Db { name: &name });
    // The generated handler is accepted by lambda_http as it is.
    let _service = lambda_proxy::lambda_http::service_fn(async_fn);
}

fn patterns_adapter(req: Request) -> impl Future<Output = Result<Response<Body>, Infallible>> + Send {
    patterns(req, (1, 2))
}
