//! Starting the Lambda runtime.

use lambda_http::{Body, Error, Request, Response};
use std::convert::Infallible;
use std::future::Future;

/// Starts the Lambda runtime with `handler` and serves invocations until the process ends:
/// concurrently when `AWS_LAMBDA_MAX_CONCURRENCY` is above 1 (Lambda Managed Instances), one at a
/// time otherwise.
///
/// `handler` is a `#[proxy_handler]` fn, or a closure that calls one (to pass shared state):
///
/// ```no_run
/// use lambda_proxy::{proxy_handler, Request};
/// use std::sync::Arc;
///
/// struct Db;
///
/// #[proxy_handler]
/// async fn count(_req: Request, _db: Arc<Db>) -> u64 {
///     42
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), lambda_proxy::Error> {
///     let db = Arc::new(Db);
///     lambda_proxy::run(move |req| count(req, db.clone())).await
/// }
/// ```
///
/// `run` owns the process boundary: it drives `lambda_runtime` with lambda-proxy's own adapter
/// (not `lambda_http::Adapter`), so that
///
/// - an event `lambda_http` cannot read or convert (a header value with a control character, a
///   raw `"` in an HTTP API query string, a URI over 65,534 bytes, a body marked base64 that is
///   not) is answered 400 (414 for the URI) with a problem body, shaped for its front door,
///   instead of reaching the front door as a bare 502;
/// - every answer, headers added after the handler by a wrapping closure or middleware included,
///   is normalized for the front door and size-checked at one exit before the envelope is
///   written, and a panic in what wraps the handler is answered 500;
/// - an event that is no front door's (a direct invocation with `{}`, a warm-up ping) is answered
///   400 in an envelope every front door accepts.
///
/// The handler can equally be given to `lambda_http::run(lambda_http::service_fn(handler))`: its
/// own answers keep every guarantee of `#[proxy_handler]`, but those two do not hold (the event is
/// `lambda_http`'s to read, and what wraps the handler is not normalized).
///
/// # Errors
///
/// One invocation at a time, the runtime's error when it cannot talk to the Lambda Runtime API.
/// Serving concurrently, `lambda_runtime` keeps each loop going through failures to fetch the
/// next event (it logs a warning and asks again), ends a loop whose answer cannot be posted, and
/// returns an error once every loop has ended.
///
/// # Panics
///
/// As `lambda_http::run`, when the Lambda environment variables (`AWS_LAMBDA_RUNTIME_API` and
/// others) are missing, that is, outside Lambda or an emulator such as `cargo lambda watch`; and
/// when called outside a Tokio runtime.
pub async fn run<H: Handler>(handler: H) -> Result<(), Error> {
    // Concurrent when `AWS_LAMBDA_MAX_CONCURRENCY` is above 1 (Lambda Managed Instances): one
    // loop per slot, each with its own copy of the handler; else one invocation at a time.
    runtime(handler).run_concurrent().await
}

/// The Lambda runtime [`run`] starts, configured and not started: to register SnapStart hooks
/// (`lambda_http::SnapStartResource`) or add `lambda_runtime` layers, then start it with
/// `run_concurrent()` as [`run`] does (concurrent under `AWS_LAMBDA_MAX_CONCURRENCY` above 1, one
/// invocation at a time otherwise; its plain `run()` serves one at a time always). The type is
/// `lambda_runtime`'s (lambda-proxy depends on `lambda_runtime` 1.x through `lambda_http`).
///
/// ```no_run
/// use lambda_proxy::lambda_http::{BoxFuture, Error, SnapStartResource};
/// use lambda_proxy::{proxy_handler, Request};
/// use std::sync::Arc;
///
/// /// A connection pool to close before the snapshot and open again after the restore.
/// struct Pool;
///
/// impl SnapStartResource for Pool {
///     fn before_snapshot(&self) -> BoxFuture<'_, Result<(), Error>> {
///         Box::pin(async { Ok(()) })
///     }
///     fn after_restore(&self) -> BoxFuture<'_, Result<(), Error>> {
///         Box::pin(async { Ok(()) })
///     }
/// }
///
/// #[proxy_handler]
/// async fn hello(_req: Request) -> &'static str {
///     "hello"
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), Error> {
///     lambda_proxy::runtime(hello)
///         .register_snapstart_resource(Arc::new(Pool))
///         .run_concurrent()
///         .await
/// }
/// ```
///
/// # Panics
///
/// As [`run`], when the Lambda environment variables are missing.
pub fn runtime<H: Handler>(
    handler: H,
) -> lambda_http::lambda_runtime::Runtime<
    impl lambda_http::Service<
            lambda_http::lambda_runtime::LambdaInvocation,
            Response = (),
            Error = Error,
            Future: Send,
        > + Clone
        + Send
        + 'static,
> {
    use lambda_http::lambda_runtime::{layers::TracingLayer, Runtime};
    let cors = handler.cors();
    Runtime::new(crate::adapter::Adapter::new(handler.into_service(), cors))
        .layer(crate::adapter::event::KeepRawEvent)
        .layer(TracingLayer::new())
}

/// What [`run`] and [`runtime`] serve: a `#[proxy_handler]` fn, or a closure that calls one (to
/// pass shared state). It is `Clone + Send + 'static` because `run` serves invocations
/// concurrently where the environment allows it (Lambda Managed Instances): each concurrent loop
/// gets its own copy. So state a closure owns is per loop: share what all invocations must see
/// through an `Arc` (with a `Mutex` or an atomic for what changes).
///
/// Implemented for every such closure and fn; it cannot be implemented elsewhere (it is sealed),
/// so that later releases can serve other kinds of services through it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be served by `lambda_proxy::run` or `lambda_proxy::runtime`",
    label = "a handler for `run` is `FnMut(Request) -> impl Future<Output = Result<Response<Body>, Infallible>>`, `Clone + Send + 'static`",
    note = "give `run` a `#[proxy_handler]` fn, a `move` closure that calls one, a `lambda_proxy::Router`, or an axum `Router` (any tower service) wrapped in `lambda_proxy::guard(app)`",
    note = "`run` serves invocations concurrently on Lambda Managed Instances, so each loop needs its own copy of the handler and may run on another thread: share state through an `Arc` (not an `Rc` or a reference) cloned into the closure"
)]
pub trait Handler: sealed::Sealed + Clone + Send + 'static {
    /// The future of one invocation.
    type Future: Future<Output = Result<Response<Body>, Infallible>> + Send + 'static;

    /// Starts one invocation.
    fn call(&mut self, request: Request) -> Self::Future;
}

pub(crate) mod sealed {
    use lambda_http::{Body, Request, Response};
    use std::convert::Infallible;

    /// Keeps [`Handler`](super::Handler) implemented by lambda-proxy alone, and says how the
    /// adapter calls each kind of handler.
    pub trait Sealed {
        /// The handler as the service the adapter calls, whose futures it keeps inline.
        type Service: lambda_http::Service<
                Request,
                Response = Response<Body>,
                Error = Infallible,
                Future: Send + Unpin,
            > + Clone
            + Send
            + 'static;

        /// The service.
        fn into_service(self) -> Self::Service;

        /// The CORS policy the adapter's exit applies to every answer.
        fn cors(&self) -> Option<std::sync::Arc<crate::Cors>> {
            None
        }
    }
}

impl<F, Fut> sealed::Sealed for F
where
    F: FnMut(super::Request) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send + 'static,
{
    // A handler's future is large: boxed once.
    type Service = crate::adapter::Boxed<lambda_http::tower::util::ServiceFn<F>>;

    fn into_service(self) -> Self::Service {
        crate::adapter::Boxed(lambda_http::service_fn(self))
    }
}

impl<F, Fut> Handler for F
where
    F: FnMut(Request) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + Send + 'static,
{
    type Future = Fut;

    fn call(&mut self, request: Request) -> Fut {
        self(request)
    }
}

impl<S: Send + Sync + 'static> sealed::Sealed for crate::Router<S> {
    // The router's future is a small handle on the handler's boxed one: kept inline.
    type Service = Self;

    fn into_service(self) -> Self {
        self
    }

    fn cors(&self) -> Option<std::sync::Arc<crate::Cors>> {
        self.cors_policy()
    }
}

// Not suggested in the errors about closures and fns, which are what a handler usually is.
#[diagnostic::do_not_recommend]
impl<S: Send + Sync + 'static> Handler for crate::Router<S> {
    type Future = crate::router::RouterFuture;

    fn call(&mut self, request: Request) -> Self::Future {
        lambda_http::Service::call(self, request)
    }
}

impl<S: crate::serve::Guardable> sealed::Sealed for crate::GuardedService<S> {
    // Its future is boxed already.
    type Service = Self;

    fn into_service(self) -> Self {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: crate::serve::Guardable> Handler for crate::GuardedService<S> {
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

    fn call(&mut self, request: Request) -> Self::Future {
        lambda_http::Service::call(self, request)
    }
}

impl<H: Handler> sealed::Sealed for crate::cors::WithCors<H> {
    type Service = crate::cors::CorsService<H::Service>;

    fn into_service(self) -> Self::Service {
        crate::cors::CorsService {
            policy: self.policy,
            service: self.handler.into_service(),
        }
    }

    fn cors(&self) -> Option<std::sync::Arc<crate::Cors>> {
        Some(self.policy.clone())
    }
}

#[diagnostic::do_not_recommend]
impl<H: Handler> Handler for crate::cors::WithCors<H> {
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

    /// Outside [`run`], where the exit adds the CORS headers: the handler's answer as it is, or
    /// the preflight's.
    fn call(&mut self, request: Request) -> Self::Future {
        if crate::Cors::is_preflight(request.method(), request.headers()) {
            let response = self.policy.preflight_alone(request.headers());
            return Box::pin(std::future::ready(Ok(response)));
        }
        Box::pin(self.handler.call(request))
    }
}
