//! SnapStart hooks registered through `lambda_proxy::runtime`: with
//! `AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`, `before_snapshot` runs before the runtime tells
//! the Runtime API that init is done (`restore/next`), `after_restore` after, and invocations are
//! then served through lambda-proxy's adapter. A binary of its own: the environment is the
//! process's.

mod common;

use common::runtime_api::{serve, RuntimeApi};
use lambda_proxy::lambda_http::{BoxFuture, Error, SnapStartResource};
use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Request};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

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
            let restores = self.api.restores.load(Ordering::SeqCst);
            self.before_snapshot.store(restores + 1, Ordering::SeqCst);
            Ok(())
        })
    }
    fn after_restore(&self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async {
            let restores = self.api.restores.load(Ordering::SeqCst);
            self.after_restore.store(restores + 1, Ordering::SeqCst);
            Ok(())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapstart_hooks_run_around_the_restore() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let api = Arc::new(RuntimeApi::default());
    for i in 0..3 {
        let event = TestRequest::http_api().event();
        api.events
            .lock()
            .unwrap()
            .push_back((format!("req-{i}"), 2_000, event));
    }
    std::env::set_var("AWS_LAMBDA_RUNTIME_API", address.to_string());
    std::env::set_var("AWS_LAMBDA_FUNCTION_NAME", "snapstart");
    std::env::set_var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128");
    std::env::set_var("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    std::env::set_var("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
    let server = tokio::spawn(serve(listener, api.clone()));
    let pool = Arc::new(Pool {
        api: api.clone(),
        before_snapshot: AtomicUsize::new(0),
        after_restore: AtomicUsize::new(0),
    });
    let resource = pool.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let runtime = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let runtime = lambda_proxy::runtime(hello).register_snapstart_resource(resource);
            tokio::select! {
                result = runtime.run_concurrent() => format!("the runtime loop ended: {result:?}"),
                _ = stopped => "still serving".to_owned(),
            }
        })
    });
    let answered = async {
        while api.responses.lock().unwrap().len() + api.errors.lock().unwrap().len() < 3 {
            api.served.notified().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), answered)
        .await
        .expect("every invocation is answered");
    stop.send(()).unwrap();
    assert_eq!(runtime.join().unwrap(), "still serving");
    server.abort();

    assert_eq!(api.restores.load(Ordering::SeqCst), 1);
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
    assert!(api.errors.lock().unwrap().is_empty());
    for (_, body) in api.responses.lock().unwrap().iter() {
        let envelope: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(envelope["statusCode"], 200);
        assert_eq!(envelope["body"], "\"hello\"");
    }
}
