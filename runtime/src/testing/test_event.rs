//! Events read from JSON.

use super::{epoch_ms_in, invoke_adapter, lambda_context, Envelope, REQUEST_ID};
use crate::front_door::FrontDoor;
use std::time::Duration;

/// An event read from JSON, such as a file captured from a real invocation or written for
/// `cargo lambda invoke --data-file`.
///
/// ```
/// use lambda_proxy::testing::{TestEvent, TestRequest};
/// use lambda_proxy::{proxy_handler, FrontDoor, Request};
///
/// #[proxy_handler]
/// async fn hello(_req: Request) -> &'static str {
///     "hello"
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let json = TestRequest::alb().path("/hello").event().to_string();
/// let event = TestEvent::from_json(&json).unwrap();
/// assert_eq!(event.front_door(), FrontDoor::Alb);
/// let envelope = event.invoke(hello).await;
/// assert_eq!(envelope.status(), 200);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct TestEvent {
    json: String,
    front_door: FrontDoor,
    request_id: String,
    deadline_ms: u64,
}

/// Why an event could not be used.
#[non_exhaustive]
#[derive(Debug)]
pub enum EventError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The text is not JSON.
    Json(serde_json::Error),
    /// Not the event of any front door (why).
    NotAnHttpEvent(String),
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventError::Io(e) => write!(f, "cannot read the event: {e}"),
            EventError::Json(e) => write!(f, "the event is not JSON: {e}"),
            EventError::NotAnHttpEvent(e) => write!(f, "not an HTTP event: {e}"),
        }
    }
}

impl std::error::Error for EventError {}

impl TestEvent {
    /// Reads an event from JSON text.
    ///
    /// # Errors
    ///
    /// When the text is not JSON, or not an event of a front door `lambda_http` knows.
    pub fn from_json(json: &str) -> Result<Self, EventError> {
        serde_json::from_str::<serde::de::IgnoredAny>(json).map_err(EventError::Json)?;
        // The front door from the event's own members, as lambda-proxy reads an event that
        // `lambda_http` rejects: such events are tested too.
        let front_door = crate::adapter::event::probe(json.as_bytes())
            .map(|probed| probed.front_door)
            .ok_or_else(|| {
            EventError::NotAnHttpEvent(
                "its requestContext names no front door (API Gateway, function URL, ALB, VPC Lattice)".into(),
            )
        })?;
        Ok(TestEvent {
            json: json.to_owned(),
            front_door,
            request_id: REQUEST_ID.into(),
            deadline_ms: 0,
        })
    }

    /// Reads an event from a JSON file.
    ///
    /// # Errors
    ///
    /// When the file cannot be read, or as [`from_json`](TestEvent::from_json).
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Self, EventError> {
        Self::from_json(&std::fs::read_to_string(path).map_err(EventError::Io)?)
    }

    /// The front door that sends this event.
    pub fn front_door(&self) -> FrontDoor {
        self.front_door
    }

    /// The Lambda request id (default [`REQUEST_ID`]).
    pub fn request_id(mut self, id: &str) -> Self {
        self.request_id = id.into();
        self
    }

    /// The Lambda deadline as epoch milliseconds (default 0: none).
    pub fn deadline_ms(mut self, epoch_ms: u64) -> Self {
        self.deadline_ms = epoch_ms;
        self
    }

    /// The Lambda deadline, `after` from now.
    pub fn deadline_in(mut self, after: Duration) -> Self {
        self.deadline_ms = epoch_ms_in(after);
        self
    }

    /// Runs `handler` as [`run`](crate::run) does, as [`TestRequest::invoke`](super::TestRequest::invoke) does.
    pub async fn invoke(self, handler: impl crate::Serve) -> Envelope {
        let context = lambda_context(&self.request_id, self.deadline_ms);
        invoke_adapter(self.front_door, &self.json, context, handler).await
    }
}
