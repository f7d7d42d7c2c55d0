//! What `lambda_proxy::run(app)` takes before it is awaited, through the real runtime loop:
//! SnapStart hooks (with `AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`, `before_snapshot` runs
//! before the runtime tells the Runtime API that init is done, `restore/next`, `after_restore`
//! after) and `lambda_runtime` layers, which see every invocation before lambda-proxy's adapter
//! serves it. A binary of its own: the environment is the process's.

mod common;

use common::runtime_api::{start_api, Function, RuntimeApi};
use lambda_proxy::lambda_http::{BoxFuture, Error, SnapStartResource};
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Request};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[proxy_handler]
async fn hello(_req: Request) -> &'static str {
    "hello"
}

/// Records when its hooks ran, against the Runtime API's count of `restore/next` calls.
struct Pool {
    api: Arc<RuntimeApi>,
    /// The number of restores seen by each hook, plus one (0: the hook has not run).
    before_snapshot: AtomicUsize,
    after_restore: AtomicUsize,
}

impl SnapStartResource for Pool {
    fn before_snapshot(&self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async {
            let restores = self.api.restores();
            self.before_snapshot.store(restores + 1, Ordering::SeqCst);
            Ok(())
        })
    }
    fn after_restore(&self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async {
            let restores = self.api.restores();
            self.after_restore.store(restores + 1, Ordering::SeqCst);
            Ok(())
        })
    }
}

/// A `lambda_runtime` layer that records each invocation it sees, by its name.
#[derive(Clone)]
struct Counting<S> {
    inner: S,
    name: &'static str,
    seen: Arc<std::sync::Mutex<Vec<&'static str>>>,
}

impl<S>
    lambda_proxy::lambda_http::Service<lambda_proxy::lambda_http::lambda_runtime::LambdaInvocation>
    for Counting<S>
where
    S: lambda_proxy::lambda_http::Service<
        lambda_proxy::lambda_http::lambda_runtime::LambdaInvocation,
    >,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(
        &mut self,
        invocation: lambda_proxy::lambda_http::lambda_runtime::LambdaInvocation,
    ) -> S::Future {
        self.seen.lock().unwrap().push(self.name);
        self.inner.call(invocation)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapstart_hooks_run_around_the_restore() {
    let mut events: Vec<_> = (0..3)
        .map(|i| (format!("req-{i}"), 2_000, TestRequest::http_api().event()))
        .collect();
    // An event of no front door: lambda-proxy's adapter answers it (lambda_http's would fail it).
    events.push(("req-3".to_owned(), 2_000, serde_json::json!({})));
    std::env::set_var("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
    let api = start_api("snapstart", events).await;
    let pool = Arc::new(Pool {
        api: api.clone(),
        before_snapshot: AtomicUsize::new(0),
        after_restore: AtomicUsize::new(0),
    });
    let resource = pool.clone();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let counting = |name: &'static str| {
        let seen = seen.clone();
        lambda_proxy::lambda_http::tower::layer::layer_fn(move |inner| Counting {
            inner,
            name,
            seen: seen.clone(),
        })
    };
    // Each layer is added outside those before it, as lambda_runtime's own `layer` does.
    let (first, second) = (counting("first"), counting("second"));
    Function::start(false, move || {
        lambda_proxy::run(hello)
            .snapstart(resource)
            .layer(first)
            .layer(second)
    })
    .stop_after(&api, 4)
    .await;

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 8, "each layer sees every invocation: {seen:?}");
    for pair in seen.chunks(2) {
        assert_eq!(
            pair,
            ["second", "first"],
            "the last layer added is the outermost"
        );
    }
    assert_eq!(api.restores(), 1);
    assert_eq!(
        pool.before_snapshot.load(Ordering::SeqCst),
        1,
        "before the restore"
    );
    assert_eq!(
        pool.after_restore.load(Ordering::SeqCst),
        2,
        "after the restore"
    );
    assert!(api.no_errors());
    for (id, body) in api.responses.lock().unwrap().iter() {
        let envelope: Value = serde_json::from_slice(body).unwrap();
        if id == "req-3" {
            assert_eq!(envelope["statusCode"], 400, "{envelope}");
        } else {
            assert_eq!(envelope["statusCode"], 200);
            assert_eq!(envelope["body"], "\"hello\"");
        }
    }
}
