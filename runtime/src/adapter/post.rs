//! Posting each answer to the Lambda Runtime API: the envelope as JSON, or a streamed answer in
//! Lambda's streaming format with its failures as trailers.
//!
//! `lambda_runtime` 1.5 posts what its handler returns, and it cannot report a failure in the
//! middle of a stream as Lambda defines it: it writes the error trailers as text into the body
//! and keeps polling the stream, so items after the failure still go out and the response ends
//! as a clean success. So [`run`](crate::run) keeps `lambda_runtime` for what it does well (the
//! loop that fetches invocations, concurrency, SnapStart, its tracing span, the user's layers)
//! and answers every invocation in a layer of its own, [`Post`], directly around it: the event's
//! bytes read, the app called through its exit, the answer posted with the Lambda Runtime API
//! client `lambda_runtime` itself uses. The handler `lambda_runtime` holds is never called.

use super::event;
use super::service::{Adapter, Answer};
use crate::app::AppService;
use http::header::{CONTENT_TYPE, TRAILER, TRANSFER_ENCODING};
use http::{HeaderValue, Method};
use lambda_http::lambda_runtime::{LambdaEvent, LambdaInvocation, SnapStartResource};
use lambda_http::tower::Layer;
use lambda_http::{Error, Service};
use lambda_runtime_api_client::body::Body as ApiBody;
use lambda_runtime_api_client::{build_request, PooledClient};
use serde::de::IgnoredAny;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The header `lambda_runtime` echoes on the answer: the id the Runtime API gave the invocation,
/// so that it can refuse an answer to an invocation that timed out.
const INVOCATION_ID: &str = "lambda-runtime-invocation-id";

/// The layer that answers every invocation itself ([`Post`]).
pub(crate) struct PostLayer<S> {
    adapter: Adapter<S>,
    client: Arc<PooledClient>,
}

impl<S> PostLayer<S> {
    /// Answers with `adapter`, posting through `client`.
    pub(crate) fn new(adapter: Adapter<S>, client: Arc<PooledClient>) -> Self {
        PostLayer { adapter, client }
    }
}

impl<S: Clone, I> Layer<I> for PostLayer<S> {
    type Service = Post<S>;

    /// The service under it (`lambda_runtime`'s own answering) is not called.
    fn layer(&self, _unused: I) -> Post<S> {
        Post {
            adapter: self.adapter.clone(),
            client: self.client.clone(),
        }
    }
}

/// Answers an invocation: reads its event, calls the app through its exit, posts the answer.
#[derive(Clone)]
pub(crate) struct Post<S> {
    adapter: Adapter<S>,
    client: Arc<PooledClient>,
}

impl<S> Service<LambdaInvocation> for Post<S>
where
    S: AppService,
    S::Future: Send + 'static,
{
    type Response = ();
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.adapter
            .poll_ready(cx)
            .map(|ready| ready.map_err(|never| match never {}))
    }

    fn call(&mut self, invocation: LambdaInvocation) -> Self::Future {
        let LambdaInvocation {
            parts,
            body,
            context,
        } = invocation;
        let invocation_id = parts.headers.get(INVOCATION_ID).cloned();
        let request_id = context.request_id.clone();
        let answer = self.adapter.answer(event::read_bytes(&body), context, true);
        let client = self.client.clone();
        Box::pin(async move {
            let request = request(&request_id, invocation_id, answer.await)?;
            match client.call(request).await {
                Ok(response) if !response.status().is_success() => {
                    tracing::error!(
                        request_id,
                        status = response.status().as_u16(),
                        "the Lambda Runtime API refused the answer (410: the invocation timed out)"
                    );
                    Ok(())
                }
                Ok(_) => Ok(()),
                Err(error) => {
                    tracing::error!(request_id, %error, "the answer could not be posted to the Lambda Runtime API");
                    Err(error)
                }
            }
        })
    }
}

/// The POST of `answer` to `/runtime/invocation/{request_id}/response`.
fn request(
    request_id: &str,
    invocation_id: Option<HeaderValue>,
    answer: Answer,
) -> Result<http::Request<ApiBody>, Error> {
    let mut builder = build_request().method(Method::POST).uri(format!(
        "/2018-06-01/runtime/invocation/{request_id}/response"
    ));
    if let Some(id) = invocation_id {
        builder = builder.header(INVOCATION_ID, id);
    }
    let request = match answer {
        Answer::Envelope(envelope) => builder.body(ApiBody::from(serde_json::to_vec(&envelope)?)),
        Answer::Streamed(flow) => builder
            .header("lambda-runtime-function-response-mode", "streaming")
            .header(TRANSFER_ENCODING, "chunked")
            .header(
                TRAILER,
                "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
            )
            .header(
                CONTENT_TYPE,
                "application/vnd.awslambda.http-integration-response",
            )
            .body(ApiBody::new(flow)),
    };
    Ok(request?)
}

/// The handler `lambda_runtime` is built with: never called, as [`Post`] answers every
/// invocation.
pub(crate) async fn unanswered(_: LambdaEvent<IgnoredAny>) -> Result<(), Error> {
    Err("lambda-proxy answers every invocation in its own layer".into())
}

/// The Lambda Runtime API client: a connection per concurrent invocation, as `lambda_runtime`
/// sizes its own.
pub(crate) fn client() -> Arc<PooledClient> {
    let concurrency = std::env::var("AWS_LAMBDA_MAX_CONCURRENCY")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    Arc::new(PooledClient::builder().with_pool_size(concurrency).build())
}

/// After a SnapStart restore, the client's connections are stale: it makes new ones, as
/// `lambda_runtime` does for its own.
pub(crate) struct ResetPool(pub(crate) Arc<PooledClient>);

impl SnapStartResource for ResetPool {
    fn after_restore(&self) -> lambda_http::BoxFuture<'_, Result<(), Error>> {
        self.0.reset_pool();
        Box::pin(async { Ok(()) })
    }
}
