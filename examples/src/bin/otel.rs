//! OpenTelemetry traces next to the access records: the users service under `lambda_proxy::run`,
//! with `lambda_runtime`'s `OpenTelemetryLayer` added through [`Run::layer`]. Each invocation
//! is one span (`faas.invocation_id`, `faas.coldstart`, `faas.trigger = http`), exported when the
//! invocation ends; the access record and every other event are JSON lines on stdout.
//!
//! The spans go to stdout here; in production, swap `opentelemetry_stdout::SpanExporter` for an
//! OTLP exporter (the AWS Distro for OpenTelemetry collector layer listens on localhost:4318).
//!
//! ```sh
//! cargo lambda watch --bin otel   # then call http://127.0.0.1:9000/lambda-url/otel/users
//! ```
//!
//! [`Run::layer`]: lambda_proxy::serve::Run::layer

use lambda_proxy::lambda_http::lambda_runtime::layers::{
    OpenTelemetryFaasTrigger, OpenTelemetryLayer,
};
use lambda_proxy::Exit;
use lambda_proxy_examples::crud::{app, metrics, Store};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::sync::Arc;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

#[tokio::main]
async fn main() -> Result<(), lambda_proxy::Error> {
    // A simple processor exports each span when it ends: no background thread to outlive the
    // invocation, which Lambda may freeze as soon as the answer is posted.
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(opentelemetry_stdout::SpanExporter::default())
        .build();
    // The subscriber `lambda_runtime::tracing::init_default_subscriber` would install, as
    // layers: JSON lines at the level Lambda's logging controls set, and the spans to OpenTelemetry.
    tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new(
            std::env::var("AWS_LAMBDA_LOG_LEVEL").unwrap_or_else(|_| "info".into()),
        ))
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .without_time()
                .with_target(false),
        )
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("crud")))
        .init();

    let app = Exit::new()
        .metrics(metrics())
        .around(app(Arc::new(Store::seeded()))?);
    lambda_proxy::run(app)
        .layer(
            OpenTelemetryLayer::new(move || {
                // After the invocation's span closed, before the runtime asks for the next event.
                if let Err(error) = provider.force_flush() {
                    eprintln!("the spans could not be flushed: {error}");
                }
            })
            .with_trigger(OpenTelemetryFaasTrigger::Http),
        )
        .await
}
