//! Serving: [`run`], and the [`Run`] it returns, which starts the Lambda runtime when awaited.

use crate::app::{AppService, Serve};
use crate::exit::ExitService;
use lambda_http::lambda_runtime::{
    layers::TracingLayer, LambdaInvocation, Runtime, SnapStartResource,
};
use lambda_http::tower::util::BoxCloneService;
use lambda_http::tower::Layer;
use lambda_http::{Error, Service};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;

/// Serves `app` until the process ends: concurrently when `AWS_LAMBDA_MAX_CONCURRENCY` is above
/// 1 (Lambda Managed Instances), one invocation at a time otherwise.
///
/// `app` is anything [`Serve`]: a `#[proxy_handler]` fn, a closure that calls one, a
/// [`Router`](crate::Router), a tower service wrapped by [`guard`](crate::guard), or any of them
/// wrapped by an [`Exit`](crate::Exit) with its settings. `run(app).await` starts the Lambda
/// runtime; what `run` returns takes SnapStart resources and `lambda_runtime` layers first:
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
/// (not `lambda_http::Adapter`), which reads each event, calls the app through its exit, and
/// writes the front door's envelope:
///
/// - an event `lambda_http` cannot read or convert (a header value with a control character, a
///   raw `"` in an HTTP API query string, a URI over 65,534 bytes, a body marked base64 that is
///   not) is answered 400 (414 for the URI) with a problem body, shaped for its front door and
///   with the exit's CORS headers, instead of reaching the front door as a bare 502;
/// - an event that is no front door's (a direct invocation with `{}`, a warm-up ping) is answered
///   400 in an envelope every front door accepts (but ALB in multi-value mode, whose events
///   always tell it);
/// - an ALB event says whether its target group sends multi-value headers, and the answer uses
///   the map the load balancer reads.
///
/// The app is `Clone + Send + 'static` because invocations may be served concurrently: each loop
/// gets its own copy. Share what all invocations must see through an `Arc` (with a `Mutex` or an
/// atomic for what changes).
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
/// When awaited: as `lambda_http::run`, when the Lambda environment variables
/// (`AWS_LAMBDA_RUNTIME_API` and others) are missing, that is, outside Lambda or an emulator such
/// as `cargo lambda watch`; and outside a Tokio runtime.
pub fn run<A: Concurrent>(app: A) -> Run {
    Run {
        app: Box::new(app.into_exit()),
        snapstart: Vec::new(),
        layers: None,
    }
}

/// An app [`run`] can serve: [`Serve`], and `Clone + Send + 'static`, as each concurrent loop
/// gets its own copy, which may run on another thread.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be served by `lambda_proxy::run`",
    label = "expected a handler, a `lambda_proxy::Router` or a guarded service (or one of them in an `Exit`) that is `Clone + Send + 'static`",
    note = "give `run` a `#[proxy_handler]` fn, a `move` closure that calls one, a `lambda_proxy::Router`, or an axum `Router` (any tower service) wrapped in `lambda_proxy::guard(app)`; any of them may be wrapped in a `lambda_proxy::Exit` with its settings",
    note = "`run` serves invocations concurrently on Lambda Managed Instances, so each loop needs its own copy of the app and may run on another thread: share state through an `Arc` (not an `Rc` or a reference) cloned into the closure"
)]
pub trait Concurrent: Serve<Service: Clone + Send + 'static> {}

impl<A: Serve<Service: Clone + Send + 'static>> Concurrent for A {}

/// The Lambda runtime that serves an app, started by `.await` (see [`run`]).
#[must_use = "the runtime starts when awaited: `lambda_proxy::run(app).await`"]
pub struct Run {
    app: Box<dyn Start + Send>,
    snapstart: Vec<Arc<dyn SnapStartResource>>,
    /// The `lambda_runtime` layers, over the boxed runtime service.
    layers: Option<Layers>,
}

/// `lambda_runtime` layers given to [`Run::layer`], composed over the boxed runtime service.
struct Layers(Box<dyn Fn(RuntimeService) -> RuntimeService + Send>);

impl Layer<RuntimeService> for Layers {
    type Service = RuntimeService;

    fn layer(&self, service: RuntimeService) -> RuntimeService {
        (self.0)(service)
    }
}

/// A layer's service that each clone makes again from the layer, around a clone of the service
/// under it: each concurrent loop gets its own, and the layer's service need not be `Clone`.
struct PerLoop<N: Layer<RuntimeService>> {
    layer: Arc<N>,
    inner: RuntimeService,
    service: N::Service,
}

impl<N: Layer<RuntimeService>> PerLoop<N> {
    fn new(layer: Arc<N>, inner: RuntimeService) -> Self {
        let service = layer.layer(inner.clone());
        PerLoop {
            layer,
            inner,
            service,
        }
    }
}

impl<N: Layer<RuntimeService>> Clone for PerLoop<N> {
    fn clone(&self) -> Self {
        PerLoop::new(self.layer.clone(), self.inner.clone())
    }
}

impl<N> Service<LambdaInvocation> for PerLoop<N>
where
    N: Layer<RuntimeService>,
    N::Service: Service<LambdaInvocation, Response = (), Error = Error>,
{
    type Response = ();
    type Error = Error;
    type Future = <N::Service as Service<LambdaInvocation>>::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Error>> {
        self.service.poll_ready(cx)
    }

    fn call(&mut self, invocation: LambdaInvocation) -> Self::Future {
        self.service.call(invocation)
    }
}

/// The runtime's service, boxed, as `lambda_runtime` layers added with [`Run::layer`] see it.
type RuntimeService = BoxCloneService<LambdaInvocation, (), Error>;

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Run")
            .field("snapstart_resources", &self.snapstart.len())
            .field("layers", &self.layers.is_some())
            .finish_non_exhaustive()
    }
}

impl Run {
    /// Registers a resource whose hooks run around the SnapStart snapshot and restore
    /// (`lambda_runtime`'s `register_snapstart_resource`): a connection pool to close before the
    /// snapshot and open again after the restore. Without SnapStart the hooks never run.
    ///
    /// ```no_run
    /// use lambda_proxy::lambda_http::{BoxFuture, Error, SnapStartResource};
    /// use lambda_proxy::{proxy_handler, Request};
    /// use std::sync::Arc;
    ///
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
    ///     lambda_proxy::run(hello).snapstart(Arc::new(Pool)).await
    /// }
    /// ```
    pub fn snapstart(mut self, resource: Arc<dyn SnapStartResource>) -> Self {
        self.snapstart.push(resource);
        self
    }

    /// Adds a `lambda_runtime` layer (a `tower::Layer` of `Service<LambdaInvocation, Response =
    /// (), Error = lambda_proxy::Error>`, such as `lambda_runtime::layers::OpenTelemetryLayer`),
    /// outside those added before, as `lambda_runtime::Runtime::layer` does. The runtime's
    /// service is boxed under the first layer added; without layers it is not.
    ///
    /// The layer's service need not be `Clone` (OpenTelemetry's is not, so `lambda_runtime`'s
    /// own `run_concurrent` cannot take it): each loop that serves invocations concurrently gets
    /// a service of its own, made by the layer. So what a layer's services would share through a
    /// clone (a tower `ConcurrencyLimit`'s permits) is per loop: put such limits inside the app.
    /// `examples/src/bin/otel.rs` adds OpenTelemetry's.
    pub fn layer<N>(mut self, layer: N) -> Self
    where
        N: Layer<RuntimeService> + Send + Sync + 'static,
        N::Service: Service<LambdaInvocation, Response = (), Error = Error> + Send + 'static,
        <N::Service as Service<LambdaInvocation>>::Future: Send + 'static,
    {
        let inner = self.layers.take();
        let layer = Arc::new(layer);
        self.layers = Some(Layers(Box::new(move |service: RuntimeService| {
            let service = match &inner {
                Some(inner) => inner.layer(service),
                None => service,
            };
            BoxCloneService::new(PerLoop::new(layer.clone(), service))
        })));
        self
    }
}

impl IntoFuture for Run {
    type Output = Result<(), Error>;
    type IntoFuture = BoxedRun;

    fn into_future(self) -> BoxedRun {
        self.app.start(self.snapstart, self.layers)
    }
}

/// The future of a started runtime.
type BoxedRun = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// An app through its exit, ready to be served: what [`run`] keeps until it is awaited, its type
/// erased (so that a mistake in the app is reported once, at `run`, not again at `.await`).
trait Start {
    fn start(
        self: Box<Self>,
        snapstart: Vec<Arc<dyn SnapStartResource>>,
        layers: Option<Layers>,
    ) -> BoxedRun;
}

impl<S: AppService + Clone + Send + 'static> Start for ExitService<S> {
    fn start(
        self: Box<Self>,
        snapstart: Vec<Arc<dyn SnapStartResource>>,
        layers: Option<Layers>,
    ) -> BoxedRun {
        use crate::adapter::post;
        let client = post::client();
        let runtime = Runtime::new(lambda_http::service_fn(post::unanswered))
            .layer(post::PostLayer::new(
                crate::adapter::Adapter::new(*self),
                client.clone(),
            ))
            .layer(TracingLayer::new())
            .register_snapstart_resource(Arc::new(post::ResetPool(client)));
        let runtime = snapstart
            .into_iter()
            .fold(runtime, Runtime::register_snapstart_resource);
        match layers {
            None => Box::pin(runtime.run_concurrent()),
            Some(layers) => Box::pin(
                runtime
                    .layer(BoxCloneService::layer())
                    .layer(layers)
                    .run_concurrent(),
            ),
        }
    }
}
