//! Items into chunks: server-sent events, JSON lines and bytes.

use super::{Chunks, Failure};
use bytes::Bytes;
use futures_core::Stream;
use serde::Serialize;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A server-sent event: an item with a name (the `event:` field, which a browser's
/// `EventSource` dispatches on) and an id (the `id:` field, sent back as `Last-Event-ID` when it
/// reconnects). A plain item of [`Streamed::sse`](super::Streamed::sse) is an event without
/// either.
///
/// A name or an id with a line break (an id with a NUL) cannot be sent: the stream fails there,
/// as for an item that does not serialize.
#[derive(Clone, Debug)]
#[must_use]
pub struct Event<T> {
    data: T,
    name: Option<String>,
    id: Option<String>,
}

impl<T: Serialize> Event<T> {
    /// An event whose `data:` is `data`'s JSON.
    pub fn new(data: T) -> Self {
        Event {
            data,
            name: None,
            id: None,
        }
    }

    /// Names the event (`event: name`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Gives the event an id (`id: id`).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// What [`Streamed::sse`](super::Streamed::sse) sends as one event: any `T: Serialize`, or an
/// [`Event`]. Sealed.
pub trait IntoEvent: sealed::Sealed {}

impl<T: Serialize> IntoEvent for T {}
impl<T: Serialize> IntoEvent for Event<T> {}

mod sealed {
    use super::{data, field, Event, Failure, Serialize};

    /// A [`Failure`], in a type the public trait may name.
    pub struct Unsendable(pub(super) Failure);

    pub trait Sealed {
        /// The event's fields, and its end.
        fn write_event(&self, into: &mut Vec<u8>) -> Result<(), Unsendable>;
    }

    impl<T: Serialize> Sealed for T {
        fn write_event(&self, into: &mut Vec<u8>) -> Result<(), Unsendable> {
            data(self, into).map_err(Unsendable)
        }
    }

    impl<T: Serialize> Sealed for Event<T> {
        fn write_event(&self, into: &mut Vec<u8>) -> Result<(), Unsendable> {
            if let Some(name) = &self.name {
                field(into, "event", name, "name").map_err(Unsendable)?;
            }
            if let Some(id) = &self.id {
                if id.contains('\0') {
                    return Err(Unsendable(Failure::BadField("id")));
                }
                field(into, "id", id, "id").map_err(Unsendable)?;
            }
            data(&self.data, into).map_err(Unsendable)
        }
    }
}

/// `name: value\n`, for a value without a line break.
fn field(into: &mut Vec<u8>, name: &str, value: &str, what: &'static str) -> Result<(), Failure> {
    if value.contains(['\n', '\r']) {
        return Err(Failure::BadField(what));
    }
    into.extend_from_slice(name.as_bytes());
    into.extend_from_slice(b": ");
    into.extend_from_slice(value.as_bytes());
    into.push(b'\n');
    Ok(())
}

/// `data: <json>\n\n`: JSON has no raw line break, so one `data:` line carries it.
fn data<T: Serialize + ?Sized>(value: &T, into: &mut Vec<u8>) -> Result<(), Failure> {
    into.extend_from_slice(b"data: ");
    serde_json::to_writer(&mut *into, value)
        .map_err(|error| Failure::Unserializable(error, std::any::type_name::<T>()))?;
    into.extend_from_slice(b"\n\n");
    Ok(())
}

/// One server-sent event.
pub(super) fn event<T: IntoEvent>(item: T) -> Result<Bytes, Failure> {
    let mut out = Vec::with_capacity(64);
    sealed::Sealed::write_event(&item, &mut out).map_err(|bad| bad.0)?;
    Ok(Bytes::from(out))
}

/// One JSON line.
pub(super) fn line<T: Serialize>(item: T) -> Result<Bytes, Failure> {
    let mut out = serde_json::to_vec(&item)
        .map_err(|error| Failure::Unserializable(error, std::any::type_name::<T>()))?;
    out.push(b'\n');
    Ok(Bytes::from(out))
}

/// Bytes as they are.
pub(super) fn raw<B: Into<Bytes>>(item: B) -> Result<Bytes, Failure> {
    Ok(item.into())
}

pin_project_lite::pin_project! {
    /// A stream of items, encoded; empty chunks skipped (an empty chunk would end a chunked
    /// body).
    struct Encoded<S, F> {
        #[pin]
        items: S,
        encode: F,
    }
}

impl<S, F> Stream for Encoded<S, F>
where
    S: Stream,
    F: FnMut(S::Item) -> Result<Bytes, Failure>,
{
    type Item = Result<Bytes, Failure>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        loop {
            let Some(item) = std::task::ready!(this.items.as_mut().poll_next(cx)) else {
                return Poll::Ready(None);
            };
            match (this.encode)(item) {
                Ok(chunk) if chunk.is_empty() => continue,
                chunk => return Poll::Ready(Some(chunk)),
            }
        }
    }
}

/// The chunks of a stream that cannot fail.
pub(super) fn infallible<S, T>(items: S, encode: fn(T) -> Result<Bytes, Failure>) -> Chunks
where
    S: Stream<Item = T> + Send + 'static,
    T: 'static,
{
    Box::pin(Encoded { items, encode })
}

/// The chunks of a stream that can fail: an `Err` ends it.
pub(super) fn fallible<S, T, E>(items: S, encode: fn(T) -> Result<Bytes, Failure>) -> Chunks
where
    S: Stream<Item = Result<T, E>> + Send + 'static,
    T: 'static,
    E: crate::ResponseError + Send + 'static,
{
    Box::pin(Encoded {
        items,
        encode: move |item: Result<T, E>| match item {
            Ok(item) => encode(item),
            Err(error) => Err(Failure::Error(Box::new(error))),
        },
    })
}
