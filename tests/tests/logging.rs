//! What is logged when a handler fails. In its own test binary: `tracing` caches per call site
//! whether anyone listens, so a subscriber set for one test must not race other tests' threads.

use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Request, ResponseError};
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
#[error("query failed for user secret-in-message")]
struct QueryError(#[source] std::io::Error);

impl ResponseError for QueryError {}

#[proxy_handler]
async fn leaky_typed(_req: Request) -> Result<(), QueryError> {
    Err(QueryError(std::io::Error::other(
        "secret-in-source: password=hunter2",
    )))
}

/// Captures what `tracing` writes, for the duration of one test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_full_error_is_logged_with_the_request_id() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let envelope = TestRequest::http_api()
        .request_id("req-log-1")
        .invoke(leaky_typed)
        .await;
    assert_eq!(envelope.status(), 500);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("ERROR"), "{log}");
    assert!(log.contains("req-log-1"), "{log}");
    assert!(
        log.contains("query failed for user secret-in-message: secret-in-source: password=hunter2"),
        "{log}"
    );
}
