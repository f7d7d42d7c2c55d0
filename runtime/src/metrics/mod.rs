//! CloudWatch metrics of every invocation, in the embedded metric format (EMF): one JSON document
//! per invocation, written by the exit, that CloudWatch Logs turns into metrics.
//!
//! [`Metrics`] is the setting ([`Exit::metrics`](crate::Exit::metrics)); [`Recorder`] lets a
//! handler add its own metrics to the same document; [`Unit`] is CloudWatch's list of units.
//!
//! Each invocation's document has, under the namespace of [`Metrics::new`]:
//!
//! | metric | unit | dimensions |
//! | --- | --- | --- |
//! | `requests`: 1 | `Count` | `service`, `route`, `status_class` |
//! | `latency`: from the exit's call to the final answer | `Milliseconds` | the same |
//! | `errors`: 1 for a 5xx answer, else 0 | `Count` | the same |
//! | `cold_start`: 1, in the first invocation's document only | `Count` | `service` |
//! | a handler's own, through [`Recorder`] | its unit | `service` |
//!
//! `route` is the route that answered, as declared (`GET /users/{id}`, `ANY /files/{*rest}`),
//! never the raw path or the request's method, so the number of metrics stays that of the routes;
//! `-` for an answer no route gave (the router's own answers, a CORS preflight, a handler served
//! without a router, a tower service). `status_class` is `1xx` to `5xx`. The
//! request id and the X-Ray trace id are members of the document too, searchable in CloudWatch
//! Logs but not dimensions.
//!
//! The document is written on the process's standard output (or the writer of
//! [`Metrics::writer`]), one line, in one write, valid by the specification's rules: at most 100
//! metrics, 100 values per metric, 30 dimensions per set, names and values within their lengths,
//! and only CloudWatch's units.

mod document;
mod recorder;

pub use recorder::Recorder;
pub(crate) use recorder::{enter, leave, Entered};

use crate::exit::record::Done;
use document::{dimension_value, Parts};
#[doc(inline)]
pub use lambda_proxy_core::emf::Unit;
use lambda_proxy_core::emf::{
    MAX_DIMENSION_VALUE, MAX_METRICS, MAX_NAME, MAX_NAMESPACE, MAX_VALUES,
};
use std::fmt;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// The metrics lambda-proxy writes itself: `requests`, `latency`, `errors`, `cold_start`.
const OWN_METRICS: usize = 4;

/// The members of a document lambda-proxy writes, which a handler's metric cannot be named.
const RESERVED: [&str; 10] = [
    "_aws",
    "service",
    "route",
    "status_class",
    "requests",
    "latency",
    "errors",
    "cold_start",
    "request_id",
    "xray_trace_id",
];

/// A namespace, service or metric that CloudWatch would not take, or one metric too many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricsError(String);

impl fmt::Display for MetricsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MetricsError {}

/// Where documents are written, and the line each is written into first (kept, so that a
/// document allocates nothing once the line has grown to its size).
struct Output {
    line: String,
    writer: Box<dyn Write + Send>,
    /// Whether the writer is the process's standard output.
    stdout: bool,
}

/// CloudWatch metrics of every invocation in the embedded metric format, under a namespace and a
/// `service` dimension set once: give it to [`Exit::metrics`](crate::Exit::metrics). See the
/// [module documentation](self) for the document.
///
/// ```
/// use lambda_proxy::metrics::Metrics;
/// use lambda_proxy::Exit;
///
/// # fn main() -> Result<(), lambda_proxy::metrics::MetricsError> {
/// let exit = Exit::new().metrics(Metrics::new("shop", "orders")?);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Metrics {
    /// Checked: written into the document as it is.
    namespace: Arc<str>,
    service: Arc<str>,
    parts: Arc<Parts>,
    output: Arc<Mutex<Output>>,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics")
            .field("namespace", &self.namespace)
            .field("service", &self.service)
            .field("stdout", &self.output.lock().map_or(true, |o| o.stdout))
            .finish()
    }
}

impl Metrics {
    /// Metrics under `namespace` (1 to 255 characters of `a-z A-Z 0-9 . _ # : / -`, not beginning
    /// with `AWS/`), with `service` as the value of the `service` dimension (1 to 1,024 ASCII
    /// characters, not all spaces, no control characters).
    ///
    /// # Errors
    ///
    /// A [`MetricsError`] naming the value CloudWatch would not take.
    pub fn new(namespace: &str, service: &str) -> Result<Self, MetricsError> {
        let valid_namespace = !namespace.is_empty()
            && namespace.len() <= MAX_NAMESPACE
            && namespace
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._#:/-".contains(&b))
            && !namespace.starts_with("AWS/");
        if !valid_namespace {
            return Err(MetricsError(format!(
                "the metrics namespace {namespace:?} is not one CloudWatch takes: 1 to 255 characters of a-z A-Z 0-9 . _ # : / -, not beginning with AWS/"
            )));
        }
        if !dimension_value(service) {
            return Err(MetricsError(format!(
                "the service {service:?} is not a dimension value CloudWatch takes: 1 to 1,024 ASCII characters, no control characters"
            )));
        }
        Ok(Metrics {
            namespace: namespace.into(),
            service: service.into(),
            parts: Arc::new(Parts::new(namespace, service)),
            output: Arc::new(Mutex::new(Output {
                line: String::new(),
                writer: Box::new(std::io::stdout()),
                stdout: true,
            })),
        })
    }

    /// Writes the documents to `writer` instead of the standard output, one `write_all` of a
    /// whole line each: for a test, or a non-blocking writer.
    #[must_use]
    pub fn writer(mut self, writer: impl Write + Send + 'static) -> Self {
        self.output = Arc::new(Mutex::new(Output {
            line: String::new(),
            writer: Box::new(writer),
            stdout: false,
        }));
        self
    }

    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The value of the `service` dimension.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Writes the document of the invocation `done`, with the metrics a handler added.
    pub(crate) fn write(&self, done: &Done<'_>, added: Option<&Recorder>) {
        let mut output = self
            .output
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Output { line, writer, .. } = &mut *output;
        line.clear();
        self.document(line, done, added, done.timestamp_ms);
        line.push('\n');
        let written = writer.write_all(line.as_bytes());
        if let Err(error) = written {
            tracing::warn!(
                request_id = done.request_id,
                %error,
                "the metrics of the invocation could not be written"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_cloudwatch_would_not_take_is_refused() {
        for namespace in ["", "AWS/Lambda", "a b", "é", &"n".repeat(256)] {
            assert!(Metrics::new(namespace, "s").is_err(), "{namespace:?}");
        }
        for service in ["", " ", "é", "a\u{1}", &"s".repeat(1025)] {
            assert!(Metrics::new("ns", service).is_err(), "{service:?}");
        }
        let recorder = Recorder::recording();
        assert!(recorder.add("x", f64::NAN, Unit::Count).is_err());
        assert!(recorder.add("x", 1e109, Unit::Count).is_err());
        assert!(recorder.add("x", -1e109, Unit::Count).is_err());
        assert!(recorder.add("", 1.0, Unit::Count).is_err());
        assert!(recorder.add("a\"b", 1.0, Unit::Count).is_err());
        assert!(recorder.add(&"m".repeat(256), 1.0, Unit::Count).is_err());
        assert!(Recorder::default()
            .add(&"m".repeat(255), 1.0, Unit::Count)
            .is_ok());
        assert!(recorder.add("latency", 1.0, Unit::Count).is_err());
        recorder.add("x", 1.0, Unit::Count).unwrap();
        assert!(recorder.add("x", 1.0, Unit::Bytes).is_err());
        for _ in 1..MAX_VALUES {
            recorder.add("x", 1.0, Unit::Count).unwrap();
        }
        assert!(recorder.add("x", 1.0, Unit::Count).is_err(), "101 values");
        for i in 1..(MAX_METRICS - OWN_METRICS) {
            recorder.add(&format!("m{i}"), 1.0, Unit::Count).unwrap();
        }
        let err = recorder.add("one-too-many", 1.0, Unit::Count).unwrap_err();
        assert!(err.to_string().contains("100 metrics"), "{err}");
        // Without metrics, a valid metric is dropped and an invalid one still refused.
        let off = Recorder::default();
        assert!(off.add("fine", 1.0, Unit::Count).is_ok());
        assert!(off.add("", 1.0, Unit::Count).is_err());
    }
}
