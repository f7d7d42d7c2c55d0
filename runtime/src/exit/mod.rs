//! The one exit every answer leaves the function through: [`Exit`], its settings and its tower
//! layer; the service it makes of an app ([`ExitService`]), and the future of one answer
//! ([`ExitFuture`]). Handlers and the router do none of its work themselves: they answer, and the
//! exit finishes.

mod finish;
mod future;
pub(crate) mod record;
mod service;

pub(crate) use finish::too_large;
pub use future::ExitFuture;
pub(crate) use service::Call;
pub use service::ExitService;

use crate::cors::Cors;
use crate::front_door::FrontDoor;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The default time kept back from every deadline to serialize and post the answer: 200 ms.
pub(crate) const DEFAULT_MARGIN: Duration = Duration::from_millis(200);

/// The exit every answer of the function leaves through, and its settings: the CORS policy, the
/// margin kept back from deadlines, a timeout of the whole invocation, integration timeouts
/// other than the front doors' defaults, the access record and the metrics.
///
/// [`run`](crate::run) serves every app through an exit, the default one unless the app is
/// already wrapped in one. Wrap it to change the settings; the same value serves in tests
/// ([`TestRequest::invoke`](crate::testing::TestRequest::invoke)) and, as a tower layer, under
/// `lambda_http::run`:
///
/// ```no_run
/// use lambda_proxy::{proxy_handler, Cors, Exit, FrontDoor, Router};
/// use std::time::Duration;
///
/// #[proxy_handler(route = "GET /users")]
/// async fn list_users() -> Vec<String> {
///     vec!["Ada".into()]
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), lambda_proxy::Error> {
///     let cors = Cors::builder().allow_origins(["https://app.example.com"]).build()?;
///     let app = Exit::new()
///         .cors(cors)
///         // This REST API's integration timeout was raised to 60 s.
///         .integration_timeout(FrontDoor::RestApi, Some(Duration::from_secs(60)))
///         .margin(Duration::from_millis(300))
///         .around(Router::new().route(list_users)?);
///     lambda_proxy::run(app).await
/// }
/// ```
///
/// For every answer, whoever gave it (a handler, the router, a guarded tower service,
/// lambda-proxy's adapter for an event it could not read), in this order:
///
/// 1. a CORS preflight is answered by the policy, with the methods the app serves on the path;
/// 2. the app runs under the panic guard and the invocation's time budget (the Lambda deadline and
///    the front door's integration timeout, each less the margin, and the exit's own timeout): a
///    panic answers 500, the end of the budget 504;
/// 3. the CORS headers are added;
/// 4. the answer is normalized for its front door (the table in the [crate documentation](crate#the-envelope));
/// 5. it is size-checked against the front door's limit, on what is sent (a compressed body
///    counts compressed), and replaced by a 500 problem answer when too large;
/// 6. the answer to `HEAD` loses its body, after the size check, and keeps the
///    `content-length` of what `GET` would have sent;
/// 7. the access record of the invocation is written ([`Exit::access_log`]), and its metrics
///    ([`Exit::metrics`]).
///
/// An app has one exit: `Exit::around` an app that has one merges the two, the outer one's
/// settings winning where both have one.
#[derive(Clone, Default)]
#[must_use]
pub struct Exit {
    settings: Arc<Settings>,
}

/// The settings of an [`Exit`], shared by every clone of its service; `None` where the exit was
/// not given one, so that nested exits merge.
#[derive(Clone, Debug, Default)]
pub(crate) struct Settings {
    pub(crate) cors: Option<Cors>,
    margin: Option<Duration>,
    pub(crate) timeout: Option<Duration>,
    /// Per front door (indexed by the variant): `None` for the front door's default, `Some(None)`
    /// for no integration timeout.
    integration: [Option<Option<Duration>>; FrontDoor::ALL.len()],
    /// The level of the access records, `Some(None)` for none.
    access_log: Option<Option<tracing::Level>>,
    pub(crate) metrics: Option<crate::metrics::Metrics>,
    /// Per front door (indexed by the variant): whether its answers are streamed.
    streams: [bool; FrontDoor::ALL.len()],
}

impl Settings {
    /// The time kept back from deadlines.
    pub(crate) fn margin(&self) -> Duration {
        self.margin.unwrap_or(DEFAULT_MARGIN)
    }

    /// The integration timeout of `front_door`: the override, else the front door's default.
    pub(crate) fn integration_timeout(&self, front_door: FrontDoor) -> Option<Duration> {
        self.integration[front_door as usize].unwrap_or_else(|| front_door.integration_timeout())
    }

    /// Whether `front_door`'s answers are streamed ([`Exit::stream`]).
    #[inline]
    pub(crate) fn streams(&self, front_door: Option<FrontDoor>) -> bool {
        front_door.is_some_and(|door| self.streams[door as usize])
    }

    /// How long `front_door` waits for the function: its streaming timeout when its answers are
    /// streamed (REST: 15 minutes), else its integration timeout (the override, or the default).
    pub(crate) fn time_limit(
        &self,
        front_door: Option<FrontDoor>,
        streamed: bool,
    ) -> Option<Duration> {
        let door = front_door?;
        match door.streaming() {
            Some(streaming) if streamed => streaming.timeout_ms.map(Duration::from_millis),
            _ => self.integration_timeout(door),
        }
    }

    /// The time the invocation `call` gets from `now`, the moment it started: the smallest of
    /// the Lambda deadline and the front door's [`time_limit`](Settings::time_limit), each less
    /// the margin, and the exit's own timeout; `None` when none applies.
    pub(crate) fn budget(&self, call: &Call, now: std::time::SystemTime) -> Option<Duration> {
        crate::guards::budget(
            call.deadline_ms,
            self.time_limit(call.front_door, call.stream),
            self.timeout,
            self.margin(),
            now,
        )
    }

    /// Whether invocations are recorded: for an access record a subscriber takes (or metrics).
    #[inline]
    pub(crate) fn recording(&self) -> bool {
        self.metrics.is_some() || self.access_log().is_some_and(record::enabled)
    }

    /// The level of the access records, `None` when they are off.
    pub(crate) fn access_log(&self) -> Option<tracing::Level> {
        self.access_log.unwrap_or(Some(record::DEFAULT_LEVEL))
    }

    /// These settings around an app whose own exit has `inner`: each of these where it was given,
    /// else `inner`'s.
    pub(crate) fn over(&self, inner: &Settings) -> Settings {
        let mut integration = inner.integration;
        for (mine, theirs) in self.integration.iter().zip(integration.iter_mut()) {
            if mine.is_some() {
                *theirs = *mine;
            }
        }
        Settings {
            cors: self.cors.clone().or_else(|| inner.cors.clone()),
            margin: self.margin.or(inner.margin),
            timeout: self.timeout.or(inner.timeout),
            integration,
            access_log: self.access_log.or(inner.access_log),
            metrics: self.metrics.clone().or_else(|| inner.metrics.clone()),
            streams: std::array::from_fn(|i| self.streams[i] || inner.streams[i]),
        }
    }
}

impl fmt::Debug for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.settings;
        let overrides: Vec<_> = FrontDoor::ALL
            .iter()
            .filter_map(|door| s.integration[*door as usize].map(|t| (door.name(), t)))
            .collect();
        f.debug_struct("Exit")
            .field("cors", &s.cors)
            .field("margin", &s.margin())
            .field("timeout", &s.timeout)
            .field("integration_timeouts", &overrides)
            .field("access_log", &s.access_log())
            .field("metrics", &s.metrics)
            .field(
                "streams",
                &FrontDoor::ALL
                    .iter()
                    .filter(|door| s.streams[**door as usize])
                    .map(|door| door.name())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Exit {
    /// The default exit: no CORS policy, a margin of 200 ms, no timeout of its own, the front
    /// doors' own integration timeouts ([`FrontDoor::integration_timeout`]), the access record
    /// at `INFO`, no metrics.
    pub fn new() -> Self {
        Exit::default()
    }

    fn settings_mut(&mut self) -> &mut Settings {
        Arc::make_mut(&mut self.settings)
    }

    /// Answers browsers by `policy`: preflights (204, with the methods the app serves on the
    /// path, without calling it), and the CORS headers on every answer to an allowed origin, the
    /// app's errors, the router's 404 and 405, the 500 of a panic or an oversized answer, the 504
    /// of the budget and the 400 of an event that cannot be read included. See [`Cors`].
    pub fn cors(mut self, policy: Cors) -> Self {
        self.settings_mut().cors = Some(policy);
        self
    }

    /// The time kept back from the Lambda deadline and from the front door's integration timeout
    /// to serialize and post the answer (default 200 ms): the 504 is answered that long before
    /// either.
    pub fn margin(mut self, margin: Duration) -> Self {
        self.settings_mut().margin = Some(margin);
        self
    }

    /// A budget for every invocation, counted from its start (none by default): past it the
    /// answer is 504, whatever the deadlines allow. A handler's own `timeout_ms` applies to that
    /// handler as well.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings_mut().timeout = Some(timeout);
        self
    }

    /// The integration timeout of `front_door`, for an API configured with another than the
    /// default (a REST API's can be raised above 29 s); `None` for none. The exit answers 504 a
    /// margin before it.
    pub fn integration_timeout(mut self, front_door: FrontDoor, timeout: Option<Duration>) -> Self {
        self.settings_mut().integration[front_door as usize] = Some(timeout);
        self
    }

    /// The level of the access record the exit writes for every invocation (`INFO` by default),
    /// or `None` for none. The record is one `tracing` event, with target
    /// `lambda_proxy::access`, that a subscriber filters like any other (`RUST_LOG=info,
    /// lambda_proxy::access=off`). Its fields: request id, front door, method, route (as declared),
    /// status, duration, response bytes, cold start, the kind of error of a 4xx or 5xx, X-Ray
    /// trace id (`docs/observability.md` has the table, and queries).
    pub fn access_log(mut self, level: Option<tracing::Level>) -> Self {
        self.settings_mut().access_log = Some(level);
        self
    }

    /// Writes CloudWatch metrics of every invocation in the embedded metric format: requests,
    /// latency and errors by route and status class, cold starts, and what handlers add through
    /// [`Recorder`](crate::metrics::Recorder). See [`metrics`](crate::metrics).
    pub fn metrics(mut self, metrics: crate::metrics::Metrics) -> Self {
        self.settings_mut().metrics = Some(metrics);
        self
    }

    /// Streams the answers to `front_door`: a function URL whose `InvokeMode` is
    /// `RESPONSE_STREAM`, or a REST API whose integration's `responseTransferMode` is `STREAM`
    /// (the deployment's setting, which the event does not tell). Under [`run`](crate::run),
    /// every answer to that front door is then posted in Lambda's streaming format: a
    /// [`Streamed`](crate::stream::Streamed) answer as its items come, the others whole; a REST
    /// API's time limit becomes its streaming one (15 minutes) and a function URL's answers may
    /// reach 200 MiB. Answers to other front doors, and a `Streamed` answer under
    /// `lambda_http::run` or the testing kit, are collected whole. See [`stream`](crate::stream).
    ///
    /// # Errors
    ///
    /// For a front door that cannot stream (HTTP APIs, ALB, VPC Lattice, WebSocket APIs).
    pub fn stream(mut self, front_door: FrontDoor) -> Result<Self, crate::Error> {
        if front_door.streaming().is_none() {
            return Err(format!(
                "{} does not stream responses: only a Lambda function URL (InvokeMode RESPONSE_STREAM) and an API Gateway REST API (responseTransferMode STREAM) do",
                front_door.profile().title
            )
            .into());
        }
        self.settings_mut().streams[front_door as usize] = true;
        Ok(self)
    }

    /// `app` served through this exit: give the result to [`run`](crate::run), to the testing
    /// kit, or to `lambda_http::run`. Around an app that has an exit already (one of
    /// [`guard`](crate::guard), or an `Exit::around`), the two merge into one: this exit's
    /// settings where it was given them, the inner one's elsewhere.
    pub fn around<A: crate::Serve>(&self, app: A) -> ExitService<A::Service> {
        app.into_exit().with_settings_over(&self.settings)
    }
}

/// `Exit` as a tower layer: `ServiceBuilder::new().layer(exit).service(app)`.
impl<A: crate::Serve> lambda_http::tower::Layer<A> for Exit {
    type Service = ExitService<A::Service>;

    fn layer(&self, app: A) -> Self::Service {
        self.around(app)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_front_doors_merge_and_change_the_time_limit() {
        let outer = Exit::new().stream(FrontDoor::FunctionUrl).unwrap();
        let inner = Exit::new()
            .stream(FrontDoor::RestApi)
            .unwrap()
            .integration_timeout(FrontDoor::RestApi, Some(Duration::from_secs(60)));
        let merged = outer.settings.over(&inner.settings);
        for door in FrontDoor::ALL {
            let streams = matches!(door, FrontDoor::FunctionUrl | FrontDoor::RestApi);
            assert_eq!(merged.streams(Some(door)), streams, "{door:?}");
        }
        assert!(!merged.streams(None));
        // Streamed, a REST API waits 15 minutes; buffered, the raised integration timeout.
        let rest = Some(FrontDoor::RestApi);
        assert_eq!(
            merged.time_limit(rest, true),
            Some(Duration::from_secs(900))
        );
        assert_eq!(
            merged.time_limit(rest, false),
            Some(Duration::from_secs(60))
        );
        // A function URL has no time limit of its own either way.
        assert_eq!(merged.time_limit(Some(FrontDoor::FunctionUrl), true), None);
        assert_eq!(merged.time_limit(None, true), None);
    }
}
