//! The metrics a handler adds to its invocation's document: [`Recorder`], and the slot the exit
//! makes current on the thread while it calls and polls the app.

use super::{MetricsError, Unit, MAX_METRICS, MAX_NAME, MAX_VALUES, OWN_METRICS, RESERVED};
use crate::router::{FromRequestParts, Route};
use crate::HttpError;
use lambda_http::Request;
use lambda_proxy_core::emf::MAX_MAGNITUDE;
use std::cell::RefCell;
use std::sync::{Arc, Mutex};

/// One metric a handler added.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub(super) name: Box<str>,
    pub(super) unit: Unit,
    pub(super) values: Vec<f64>,
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

/// What was the thread's current slot before [`enter`], for [`leave`] to put back (an exit
/// inside a handler enters while its caller's slot is current).
pub(crate) struct Entered(Option<Option<Recorder>>);

/// Makes `slot` the current recorder of this thread until [`leave`] (the exit calls both around
/// its app's `call` and each poll of its future).
#[inline]
pub(crate) fn enter(slot: &mut Option<Recorder>) -> Entered {
    let entered = Some(slot.take());
    Entered(CURRENT.with_borrow_mut(|current| std::mem::replace(current, entered)))
}

/// Ends [`enter`]: what was current before is again, and the invocation's recorder (if the app
/// asked for one) is returned, for its slot.
#[inline]
pub(crate) fn leave(Entered(previous): Entered) -> Option<Recorder> {
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
        if !value.is_finite() || value.abs() > MAX_MAGNITUDE {
            return Err(MetricsError(format!(
                "the value of metric {name:?} is not one CloudWatch takes: {value} (a finite number from -2^360 to 2^360)"
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
    pub(super) fn entries(&self) -> Vec<Entry> {
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
