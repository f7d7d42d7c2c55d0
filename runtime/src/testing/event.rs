//! The event JSON each front door sends, built from a [`TestRequest`] by the writer the local
//! gateway uses too ([`lambda_proxy_cli::event`]).

use super::TestRequest;
use serde_json::Value;

impl TestRequest {
    /// The event JSON, as the front door would send it to the function.
    ///
    /// # Panics
    ///
    /// For a request the front door would not send: a path that does not match the
    /// [`resource`](TestRequest::resource), a path parameter the resource does not have, a
    /// [`caller`](TestRequest::caller) whose authorizer the front door does not have, a front
    /// door without HTTP events.
    pub fn event(&self) -> Value {
        self.http
            .event()
            .unwrap_or_else(|error| panic!("TestRequest: {error}"))
    }
}
