//! A `lambda_runtime` layer whose service is not `Clone` (as OpenTelemetry's is not) composes with
//! `lambda_proxy::run` serving concurrently: each loop gets a service of its own, made by the
//! layer, and every invocation goes through one. A binary of its own: the environment is the
//! process's.

mod common;

use common::runtime_api::{start_api, Function};
use lambda_proxy::lambda_http::lambda_runtime::LambdaInvocation;
use lambda_proxy::lambda_http::{tower::Layer, Service};
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Request};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[proxy_handler]
async fn slow(_req: Request) -> &'static str {
    tokio::time::sleep(Duration::from_millis(100)).await;
    "done"
}

/// A layer whose services are not `Clone`: each has an id, and records the invocations it sees.
struct Numbered {
    next: AtomicUsize,
    seen: Arc<Mutex<Vec<(usize, String)>>>,
}

struct NumberedService<S> {
    id: usize,
    inner: S,
    seen: Arc<Mutex<Vec<(usize, String)>>>,
}

impl<S> Layer<S> for Numbered {
    type Service = NumberedService<S>;

    fn layer(&self, inner: S) -> NumberedService<S> {
        NumberedService {
            id: self.next.fetch_add(1, Ordering::SeqCst),
            inner,
            seen: self.seen.clone(),
        }
    }
}

impl<S: Service<LambdaInvocation>> Service<LambdaInvocation> for NumberedService<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, invocation: LambdaInvocation) -> S::Future {
        let id = invocation.context.request_id.clone();
        self.seen.lock().unwrap().push((self.id, id));
        self.inner.call(invocation)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layer_whose_service_is_not_clone_serves_every_concurrent_loop() {
    let events: Vec<_> = (0..12)
        .map(|i| (format!("req-{i}"), 5_000, TestRequest::http_api().event()))
        .collect();
    std::env::set_var("AWS_LAMBDA_MAX_CONCURRENCY", "4");
    let api = start_api("layers", events).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let layer = Numbered {
        next: AtomicUsize::new(0),
        seen: seen.clone(),
    };
    Function::start(true, move || lambda_proxy::run(slow).layer(layer))
        .stop_after(&api, 12)
        .await;
    assert!(api.no_errors());
    assert_eq!(api.responses.lock().unwrap().len(), 12);
    assert!(api.max_in_flight() > 1, "served one at a time");
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.len(),
        12,
        "each invocation through the layer once: {seen:?}"
    );
    let invocations: BTreeSet<&str> = seen.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(
        invocations.len(),
        12,
        "each invocation through the layer once: {seen:?}"
    );
    let services: BTreeSet<usize> = seen.iter().map(|(service, _)| *service).collect();
    assert!(services.len() > 1, "the loops shared one service: {seen:?}");
}
