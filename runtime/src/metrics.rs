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
//! `-` for an answer no route gave (the router's 404, 405 and `OPTIONS`, a handler served without
//! a router). `status_class` is `1xx` to `5xx`. The
//! request id and the X-Ray trace id are members of the document too, searchable in CloudWatch
//! Logs but not dimensions.
//!
//! The document is written on the process's standard output (or the writer of
//! [`Metrics::writer`]), one line, in one write, valid by the specification's rules: at most 100
//! metrics, 100 values per metric, 30 dimensions per set, names and values within their lengths,
//! and only CloudWatch's units.

use crate::exit::record::Done;
use crate::router::{FromRequestParts, Route};
use crate::HttpError;
use lambda_http::Request;
use std::cell::RefCell;
use std::fmt;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// At most this many metrics in one document (the specification's limit).
const MAX_METRICS: usize = 100;
/// At most this many values of one metric in one document (the specification's limit).
const MAX_VALUES: usize = 100;
/// The metrics lambda-proxy writes itself: `requests`, `latency`, `errors`, `cold_start`.
const OWN_METRICS: usize = 4;
/// The longest metric name: CloudWatch's (the specification's schema allows 1,024).
const MAX_NAME: usize = 255;
/// The longest namespace (CloudWatch's limit).
const MAX_NAMESPACE: usize = 255;
/// The longest dimension value (CloudWatch's limit).
const MAX_DIMENSION_VALUE: usize = 1024;

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

/// A unit of CloudWatch metrics, as the embedded metric format spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // the names are CloudWatch's
pub enum Unit {
    Seconds,
    Microseconds,
    Milliseconds,
    Bytes,
    Kilobytes,
    Megabytes,
    Gigabytes,
    Terabytes,
    Bits,
    Kilobits,
    Megabits,
    Gigabits,
    Terabits,
    Percent,
    Count,
    BytesPerSecond,
    KilobytesPerSecond,
    MegabytesPerSecond,
    GigabytesPerSecond,
    TerabytesPerSecond,
    BitsPerSecond,
    KilobitsPerSecond,
    MegabitsPerSecond,
    GigabitsPerSecond,
    TerabitsPerSecond,
    CountPerSecond,
    None,
}

impl Unit {
    /// The unit as the embedded metric format spells it (`Bytes/Second`).
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Seconds => "Seconds",
            Unit::Microseconds => "Microseconds",
            Unit::Milliseconds => "Milliseconds",
            Unit::Bytes => "Bytes",
            Unit::Kilobytes => "Kilobytes",
            Unit::Megabytes => "Megabytes",
            Unit::Gigabytes => "Gigabytes",
            Unit::Terabytes => "Terabytes",
            Unit::Bits => "Bits",
            Unit::Kilobits => "Kilobits",
            Unit::Megabits => "Megabits",
            Unit::Gigabits => "Gigabits",
            Unit::Terabits => "Terabits",
            Unit::Percent => "Percent",
            Unit::Count => "Count",
            Unit::BytesPerSecond => "Bytes/Second",
            Unit::KilobytesPerSecond => "Kilobytes/Second",
            Unit::MegabytesPerSecond => "Megabytes/Second",
            Unit::GigabytesPerSecond => "Gigabytes/Second",
            Unit::TerabytesPerSecond => "Terabytes/Second",
            Unit::BitsPerSecond => "Bits/Second",
            Unit::KilobitsPerSecond => "Kilobits/Second",
            Unit::MegabitsPerSecond => "Megabits/Second",
            Unit::GigabitsPerSecond => "Gigabits/Second",
            Unit::TerabitsPerSecond => "Terabits/Second",
            Unit::CountPerSecond => "Count/Second",
            Unit::None => "None",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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

    /// The document of the invocation `done` at `timestamp_ms`, into `out`: the parts that do
    /// not change written once, in [`Metrics::new`]; numbers written by `itoa`.
    fn document(
        &self,
        out: &mut String,
        done: &Done<'_>,
        added: Option<&Recorder>,
        timestamp_ms: u64,
    ) {
        let added = added.map(Recorder::entries).unwrap_or_default();
        let mut numbers = itoa::Buffer::new();
        out.push_str(r#"{"_aws":{"Timestamp":"#);
        out.push_str(numbers.format(timestamp_ms));
        out.push_str(&self.parts.directive);
        if done.cold_start || !added.is_empty() {
            out.push_str(&self.parts.own_directive);
            let mut first = true;
            if done.cold_start {
                out.push_str(r#"{"Name":"cold_start","Unit":"Count"}"#);
                first = false;
            }
            for entry in &added {
                if !std::mem::take(&mut first) {
                    out.push(',');
                }
                // Names are checked when added: nothing to escape.
                out.push_str(r#"{"Name":""#);
                out.push_str(&entry.name);
                out.push_str(r#"","Unit":""#);
                out.push_str(entry.unit.as_str());
                out.push_str(r#""}"#);
            }
            out.push_str("]}");
        }
        out.push_str(&self.parts.service);
        match done.route {
            Some(route) if route_value(route) => json_string(out, route),
            _ => out.push_str(r#""-""#),
        }
        out.push_str(match done.status {
            100..=199 => r#","status_class":"1xx","requests":1,"latency":"#,
            200..=299 => r#","status_class":"2xx","requests":1,"latency":"#,
            300..=399 => r#","status_class":"3xx","requests":1,"latency":"#,
            400..=499 => r#","status_class":"4xx","requests":1,"latency":"#,
            _ => r#","status_class":"5xx","requests":1,"latency":"#,
        });
        // Milliseconds with three decimals, from whole microseconds.
        let micros = done.duration.as_micros();
        out.push_str(numbers.format(micros / 1000));
        let fraction = micros % 1000;
        out.push('.');
        if fraction < 100 {
            out.push('0');
        }
        if fraction < 10 {
            out.push('0');
        }
        out.push_str(numbers.format(fraction));
        out.push_str(if done.status >= 500 {
            r#","errors":1"#
        } else {
            r#","errors":0"#
        });
        if done.cold_start {
            out.push_str(r#","cold_start":1"#);
        }
        for entry in &added {
            out.push_str(",\"");
            out.push_str(&entry.name);
            out.push_str("\":");
            match entry.values.as_slice() {
                [one] => write_number(out, *one),
                values => {
                    out.push('[');
                    for (i, value) in values.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        write_number(out, *value);
                    }
                    out.push(']');
                }
            }
        }
        out.push_str(r#","request_id":"#);
        json_string(out, done.request_id);
        if let Some(trace_id) = done.trace_id {
            out.push_str(r#","xray_trace_id":"#);
            json_string(out, trace_id);
        }
        out.push('}');
    }
}

/// The parts of every document that do not change, written once.
#[derive(Debug)]
struct Parts {
    /// After the timestamp: the directive of `requests`, `latency` and `errors`.
    directive: String,
    /// The beginning of the directive of `cold_start` and the handler's metrics.
    own_directive: String,
    /// The `service` member, and the beginning of the `route` member.
    service: String,
}

impl Parts {
    fn new(namespace: &str, service: &str) -> Parts {
        let mut service_member = String::from(r#"]},"service":"#);
        json_string(&mut service_member, service);
        service_member.push_str(r#","route":"#);
        Parts {
            directive: format!(
                r#","CloudWatchMetrics":[{{"Namespace":"{namespace}","Dimensions":[["service","route","status_class"]],"Metrics":[{{"Name":"requests","Unit":"Count"}},{{"Name":"latency","Unit":"Milliseconds"}},{{"Name":"errors","Unit":"Count"}}]}}"#
            ),
            own_directive: format!(
                r#",{{"Namespace":"{namespace}","Dimensions":[["service"]],"Metrics":["#
            ),
            service: service_member,
        }
    }
}

/// A finite number as JSON: `Display`'s shortest form that reads back as the same value, which
/// never has an exponent.
fn write_number(out: &mut String, value: f64) {
    use std::fmt::Write as _;
    let _ = write!(out, "{value}");
}

/// Whether `value` is a dimension value CloudWatch takes: 1 to 1,024 ASCII characters, no
/// control characters.
fn dimension_value(value: &str) -> bool {
    !value.trim().is_empty()
        && value.len() <= MAX_DIMENSION_VALUE
        && value.bytes().all(|b| b.is_ascii() && !b.is_ascii_control())
}

/// Whether a route (`GET /users/{id}`) is a dimension value CloudWatch takes. A route is never
/// blank (its template begins with `/`): only its length and bytes are checked, in one pass.
fn route_value(route: &str) -> bool {
    !route.is_empty()
        && route.len() <= MAX_DIMENSION_VALUE
        && route.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Whether `value` has a byte JSON escapes (`"`, `\`, a control character): eight bytes at a
/// time, as the document's ids are checked on every invocation.
fn needs_escape(value: &str) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `x` is zero: the classic test, exact for the "has one" question.
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    let mut chunks = value.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let x = u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8]));
        // A byte below 0x20: below 0x20 once 0x80 is masked off, and 0x80 not set.
        let low = x.wrapping_sub(ONES * 0x20) & !x & HIGHS != 0;
        if low || has_zero(x ^ (ONES * u64::from(b'"'))) || has_zero(x ^ (ONES * u64::from(b'\\')))
        {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b == b'"' || b == b'\\' || b < 0x20)
}

/// `value` as a JSON string.
fn json_string(out: &mut String, value: &str) {
    out.push('"');
    json_escaped(out, value);
    out.push('"');
}

/// `value` escaped for a JSON string.
fn json_escaped(out: &mut String, value: &str) {
    if !needs_escape(value) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// One metric a handler added.
#[derive(Clone, Debug)]
struct Entry {
    name: Box<str>,
    unit: Unit,
    values: Vec<f64>,
}

/// The metrics a handler adds to its invocation's document (with the `service` dimension): an
/// extractor for routed handlers, [`Recorder::current`] for others (and for an axum handler under
/// [`guard`](crate::guard)).
///
/// ```
/// use lambda_proxy::metrics::{Recorder, Unit};
/// use lambda_proxy::{proxy_handler, HttpError, Json};
///
/// #[derive(serde::Deserialize)]
/// struct Order {
///     items: Vec<String>,
/// }
///
/// #[proxy_handler(route = "POST /orders", status = 201)]
/// async fn create_order(metrics: Recorder, Json(order): Json<Order>) -> Result<(), HttpError> {
///     metrics
///         .add("order_items", order.items.len() as f64, Unit::Count)
///         .map_err(|e| HttpError::internal_server_error("").with_source(e))?;
///     Ok(())
/// }
/// ```
///
/// Without [`Exit::metrics`](crate::Exit::metrics) nothing is written: [`add`](Recorder::add)
/// checks the metric and drops it. Nor is a metric added after the answer left the exit (from a
/// task the handler spawned and did not wait for).
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    entries: Option<Arc<Mutex<Vec<Entry>>>>,
}

thread_local! {
    /// The recorder of the invocation whose app an exit that writes metrics is calling or
    /// polling on this thread: `Some` while it does, holding the recorder once one was asked for.
    /// An invocation that asks for none allocates none.
    static CURRENT: RefCell<Option<Option<Recorder>>> = const { RefCell::new(None) };
}

/// Makes `slot` the current recorder of this thread until [`leave`] (the exit calls both around
/// its app's `call` and each poll of its future); returns what was current before.
#[inline]
pub(crate) fn enter(slot: &mut Option<Recorder>) -> Option<Option<Recorder>> {
    let entered = Some(slot.take());
    CURRENT.with_borrow_mut(|current| std::mem::replace(current, entered))
}

/// Ends [`enter`]: what was current before is again, and the invocation's recorder (if the app
/// asked for one) is returned to its slot.
#[inline]
pub(crate) fn leave(previous: Option<Option<Recorder>>) -> Option<Recorder> {
    CURRENT
        .with_borrow_mut(|current| std::mem::replace(current, previous))
        .flatten()
}

impl Recorder {
    /// The recorder of the invocation being served on this thread: the handler's own, called in
    /// the handler (not in a task it spawns). Outside an exit that writes metrics, one that
    /// checks what it is given and keeps nothing.
    pub fn current() -> Recorder {
        CURRENT.with_borrow_mut(|current| match current {
            Some(slot) => slot.get_or_insert_with(Recorder::recording).clone(),
            None => Recorder::default(),
        })
    }

    /// A recorder for an invocation whose metrics are written.
    pub(crate) fn recording() -> Recorder {
        Recorder {
            entries: Some(Arc::default()),
        }
    }

    /// Adds `value` to the metric `name` of this invocation's document, in `unit`: a name added
    /// again gets one more value (up to 100), in the unit it was first added with.
    ///
    /// # Errors
    ///
    /// A [`MetricsError`] when `value` is not finite; when `name` is empty, longer than 255
    /// bytes, not printable ASCII, has a quote or a backslash, or one of the document's own members (`service`, `route`,
    /// `status_class`, `requests`, `latency`, `errors`, `cold_start`, `request_id`,
    /// `xray_trace_id`, `_aws`); when it was added with another unit; when the document would
    /// have more than 100 metrics, or the metric more than 100 values.
    pub fn add(&self, name: &str, value: f64, unit: Unit) -> Result<(), MetricsError> {
        if !value.is_finite() {
            return Err(MetricsError(format!(
                "the value of metric {name:?} is not a finite number: {value}"
            )));
        }
        if name.trim().is_empty()
            || name.len() > MAX_NAME
            || !name.bytes().all(|b| b.is_ascii() && !b.is_ascii_control())
            || name.contains(['"', '\\'])
        {
            return Err(MetricsError(format!(
                "the metric name {name:?} is not one CloudWatch takes: 1 to 255 printable ASCII characters, without quotes or backslashes"
            )));
        }
        if RESERVED.contains(&name) {
            return Err(MetricsError(format!(
                "the metric name {name:?} is one of the document's own members: choose another"
            )));
        }
        let Some(entries) = &self.entries else {
            return Ok(());
        };
        let mut entries = entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(entry) = entries.iter_mut().find(|e| &*e.name == name) {
            if entry.unit != unit {
                return Err(MetricsError(format!(
                    "metric {name:?} was added in {} and cannot also be in {unit}",
                    entry.unit
                )));
            }
            if entry.values.len() == MAX_VALUES {
                return Err(MetricsError(format!(
                    "metric {name:?} has {MAX_VALUES} values in this invocation already, the most one document holds"
                )));
            }
            entry.values.push(value);
            return Ok(());
        }
        if entries.len() + OWN_METRICS == MAX_METRICS {
            return Err(MetricsError(format!(
                "this invocation's document has {MAX_METRICS} metrics already (lambda-proxy's {OWN_METRICS} included), the most one holds"
            )));
        }
        entries.push(Entry {
            name: name.into(),
            unit,
            values: vec![value],
        });
        Ok(())
    }

    /// The metrics added, taken out (the invocation is over when they are written).
    fn entries(&self) -> Vec<Entry> {
        match &self.entries {
            Some(entries) => std::mem::take(
                &mut *entries
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            ),
            None => Vec::new(),
        }
    }
}

impl FromRequestParts for Recorder {
    fn from_request_parts(_: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
        Ok(Recorder::current())
    }
}

/// Adds nothing to the document: metrics are not what the client sends.
#[cfg(feature = "openapi")]
impl crate::openapi::Input for Recorder {
    fn describe(_: &mut crate::openapi::Operation<'_>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done<'a>(cold_start: bool, route: Option<&'a str>, status: u16) -> Done<'a> {
        Done {
            request_id: "req-1",
            front_door: Some("http2"),
            method: Some("GET"),
            route,
            status,
            duration: std::time::Duration::from_micros(1500),
            timestamp_ms: 1_700_000_000_000,
            body_bytes: 10,
            cold_start,
            error: None,
            trace_id: Some("Root=1-5759e988-bd862e3fe1be46a994272793"),
        }
    }

    #[test]
    fn the_document_is_the_specifications() {
        let metrics = Metrics::new("shop", "orders").unwrap();
        let recorder = Recorder::recording();
        recorder.add("items", 3.0, Unit::Count).unwrap();
        recorder.add("items", 4.0, Unit::Count).unwrap();
        let mut out = String::new();
        metrics.document(
            &mut out,
            &done(true, Some("GET /users/{id}"), 503),
            Some(&recorder),
            1_700_000_000_000,
        );
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            doc,
            serde_json::json!({
                "_aws": {
                    "Timestamp": 1_700_000_000_000_u64,
                    "CloudWatchMetrics": [
                        {"Namespace": "shop", "Dimensions": [["service", "route", "status_class"]],
                         "Metrics": [{"Name": "requests", "Unit": "Count"}, {"Name": "latency", "Unit": "Milliseconds"}, {"Name": "errors", "Unit": "Count"}]},
                        {"Namespace": "shop", "Dimensions": [["service"]],
                         "Metrics": [{"Name": "cold_start", "Unit": "Count"}, {"Name": "items", "Unit": "Count"}]}
                    ]
                },
                "service": "orders", "route": "GET /users/{id}", "status_class": "5xx",
                "requests": 1, "latency": 1.5, "errors": 1, "cold_start": 1, "items": [3, 4],
                "request_id": "req-1", "xray_trace_id": "Root=1-5759e988-bd862e3fe1be46a994272793"
            })
        );
        let mut warm = String::new();
        metrics.document(&mut warm, &done(false, None, 200), None, 1);
        let warm: serde_json::Value = serde_json::from_str(&warm).unwrap();
        assert_eq!(
            warm["_aws"]["CloudWatchMetrics"].as_array().unwrap().len(),
            1
        );
        assert_eq!(
            (&warm["route"], &warm["errors"]),
            (&serde_json::json!("-"), &serde_json::json!(0))
        );
    }

    #[test]
    fn the_escape_check_finds_every_byte_json_escapes() {
        for byte in 0u8..=0x7f {
            for at in 0..20 {
                let mut text = vec![b'a'; 20];
                text[at] = byte;
                let text = String::from_utf8(text).unwrap();
                let expected = byte == b'"' || byte == b'\\' || byte < 0x20;
                assert_eq!(needs_escape(&text), expected, "{byte:#x} at {at}");
            }
        }
        assert!(!needs_escape("c6af9ac6-7b61-11e6-9a41-93e8deadbeef"));
        assert!(!needs_escape(
            "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
        ));
        assert!(!needs_escape("é ü 日本"));
    }

    #[test]
    fn every_shape_of_the_document_is_json_with_its_members() {
        let metrics = Metrics::new("shop", "orders").unwrap();
        for (cold, added) in [(false, false), (false, true), (true, false), (true, true)] {
            let recorder = Recorder::recording();
            if added {
                recorder.add("a", 1.5, Unit::Bytes).unwrap();
                recorder.add("b", 2.0, Unit::Count).unwrap();
            }
            let mut done = done(cold, Some("GET /a\"b\\c"), 200);
            done.request_id = "id \"quoted\" \\ \u{1}";
            let mut out = String::new();
            metrics.document(&mut out, &done, Some(&recorder), 1);
            let doc: serde_json::Value =
                serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
            let directives = doc["_aws"]["CloudWatchMetrics"].as_array().unwrap();
            assert_eq!(directives.len(), if cold || added { 2 } else { 1 }, "{out}");
            if cold || added {
                let names: Vec<&str> = directives[1]["Metrics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["Name"].as_str().unwrap())
                    .collect();
                let mut expected = Vec::new();
                if cold {
                    expected.push("cold_start");
                }
                if added {
                    expected.extend(["a", "b"]);
                }
                assert_eq!(names, expected, "{out}");
            }
            assert_eq!(doc["route"], "GET /a\"b\\c");
            assert_eq!(doc["request_id"], "id \"quoted\" \\ \u{1}");
            assert_eq!(doc.get("a").is_some(), added, "{out}");
            assert_eq!(doc.get("cold_start").is_some(), cold, "{out}");
        }
    }

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
