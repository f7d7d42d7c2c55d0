//! A streaming service: server-sent events, failures before and after the first item, a stream
//! that never ends, and a buffered route, in one router. `src/bin/stream.rs` serves it with its
//! function URL streaming (`InvokeMode: RESPONSE_STREAM`); behind any other front door the same
//! routes answer whole.

use futures_util::stream::{self, Stream, StreamExt};
use lambda_proxy::stream::{Event, Streamed};
use lambda_proxy::{proxy_handler, HttpError, Path, Query, Router};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One server-sent event of `/count`.
#[derive(Serialize)]
pub struct Count {
    pub n: u32,
}

/// `/count`'s query: how many events, and the time between them.
#[derive(Deserialize)]
pub struct CountQuery {
    pub n: u32,
    #[serde(default)]
    pub ms: u64,
}

/// `n` items `ms` apart, the first at once.
fn paced<T: Send + 'static>(
    items: impl Iterator<Item = T> + Send + 'static,
    ms: u64,
) -> impl Stream<Item = T> + Send {
    stream::iter(items.enumerate()).then(move |(i, item)| async move {
        if i > 0 {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        item
    })
}

/// `n` events named `count`, with ids, `ms` apart (at most 10,000 events, 10 s apart).
#[proxy_handler(route = "GET /count")]
pub async fn count(Query(q): Query<CountQuery>) -> Result<Streamed, HttpError> {
    if q.n > 10_000 || q.ms > 10_000 {
        return Err(HttpError::bad_request(
            "n is at most 10000 and ms at most 10000",
        ));
    }
    let events = (1..=q.n).map(|n| Event::new(Count { n }).name("count").id(n.to_string()));
    Ok(Streamed::sse(paced(events, q.ms)))
}

/// Fails before its first item: the client gets the error's whole problem answer (503).
#[proxy_handler(route = "GET /fail-early")]
pub async fn fail_early() -> Streamed {
    let items = stream::iter([Err::<Count, _>(HttpError::service_unavailable(
        "the upstream is not available",
    ))]);
    Streamed::try_sse(items)
}

/// Fails after two items: the stream ends there, and Lambda is told with its error trailers.
#[proxy_handler(route = "GET /fail-late")]
pub async fn fail_late() -> Streamed {
    let items = [
        Ok(Count { n: 1 }),
        Ok(Count { n: 2 }),
        Err(HttpError::internal_server_error("the upstream went away")),
        Ok(Count { n: 3 }),
    ];
    Streamed::try_sse(paced(items.into_iter(), 20))
}

/// One item, then never another: the deadline ends it.
#[proxy_handler(route = "GET /slow-stream")]
pub async fn slow_stream() -> Streamed {
    Streamed::sse(stream::iter([Count { n: 1 }]).chain(stream::pending()))
}

/// A user, answered whole.
#[derive(Serialize)]
pub struct User {
    pub id: u32,
    pub name: String,
}

/// A buffered JSON route next to the streamed ones.
#[proxy_handler(route = "GET /users/{id}")]
pub async fn user(Path(id): Path<u32>) -> Option<User> {
    (id == 1).then(|| User {
        id,
        name: "Ada".into(),
    })
}

/// The service's router.
///
/// # Errors
///
/// When two routes conflict.
pub fn app() -> Result<Router, lambda_proxy::router::RouteError> {
    Router::new()
        .route(count)?
        .route(fail_early)?
        .route(fail_late)?
        .route(slow_stream)?
        .route(user)
}
