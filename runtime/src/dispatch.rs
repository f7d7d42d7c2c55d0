//! How a return type becomes a response, decided by the type, never by how it is spelled.
//!
//! The generated code does not look at the return type's tokens (aliases such as
//! `anyhow::Result<T>` must work). It dispatches on the type with auto-ref specialization, as
//! `anyhow` does in `kind.rs`: `(&value).__proxy_kind()` resolves to the most specific of the
//! `*Kind` traits the generated code imports. `Result` and `Option` are unwrapped one level at a
//! time ([`Step::Next`]); `()`, `Response`, `Reply`, `(StatusCode, T)`, `Streamed` and any other type (which
//! must then be `Serialize`) end the walk ([`Step::Done`]). The macro emits a fixed number of
//! levels; [`Leaf`] fills the ones left over.
//!
//! Under an attribute `status` that carries no body (204, 304) the generated code imports
//! [`NoBodyKind`] instead of [`BodyKind`], [`ReplyKind`] and [`StatusBodyKind`]: a type that
//! would carry a body then reaches [`NoBodyTag`], whose bound names the mistake.

use crate::body::{json_response, ProxyBody};
use crate::error::{error_response, ResponseError};
use crate::exit::record::{tagged, ErrorKind};
use crate::handler::Invocation;
use crate::problem;
use crate::reply::Reply;
use crate::stream::Streamed;
use http::StatusCode;
use lambda_http::{Body, Response};

/// One step of the walk through the return type.
pub enum Step<T, E = Leaf> {
    /// The answer is known.
    Done(Response<Body>),
    /// A `Result` or `Option` was unwrapped; dispatch on the inner value next.
    Next(T),
    /// An `Err`: answered by [`fail`], after the generated code has chosen how to log it (with
    /// the `source()` chain when `E` is a `std::error::Error`, which only the concrete type can
    /// tell).
    Fail(E),
}

/// The value at levels past the end of the walk, and the error of steps that cannot fail. It has
/// no values, so those arms never run.
pub enum Leaf {}

impl std::fmt::Display for Leaf {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {}
    }
}

impl ResponseError for Leaf {
    #[cfg(feature = "openapi")]
    fn statuses(_: &mut crate::openapi::ErrorStatuses) {}
}

/// Answers an `Err` through [`ResponseError`], logging `log`.
pub fn fail<E: ResponseError>(error: &E, log: &str, inv: &Invocation) -> Response<Body> {
    tagged(
        error_response(error, log, inv.request_id()),
        ErrorKind::Handler,
    )
}

/// A handler with `status = 204` or `304` cannot also return a body.
#[diagnostic::on_unimplemented(
    message = "a handler whose `status` carries no body (204 or 304) cannot return `{Self}`",
    label = "this return type would carry a body",
    note = "return `()` (or `Result<(), E>`) for an empty answer, or choose another `status`"
)]
pub trait NoBody {
    /// Never called: nothing implements this trait.
    fn no_body(self) -> Response<Body>;
}

/// Declares a tag, the trait that selects it, and the types the trait is implemented for.
macro_rules! kinds {
    ($($(#[$doc:meta])* $trait:ident => $tag:ident for [$($generics:tt)*] $ty:ty;)*) => {$(
        $(#[$doc])*
        pub struct $tag;
        #[doc = concat!("Selects [`", stringify!($tag), "`].")]
        pub trait $trait {
            #[doc = concat!("Returns [`", stringify!($tag), "`].")]
            #[inline]
            fn __proxy_kind(&self) -> $tag {
                $tag
            }
        }
        impl<$($generics)*> $trait for $ty {}
    )*};
}

kinds! {
    /// `Result<T, E>`: `Err` through [`ResponseError`], `Ok` dispatched further.
    ResultKind => ResultTag for [T, E] Result<T, E>;
    /// `Option<T>`: `None` is 404, `Some` dispatched further.
    OptionKind => OptionTag for [T] Option<T>;
    /// `()`: an empty answer, 204 unless the attribute says otherwise.
    UnitKind => UnitTag for [] ();
    /// `Response<B>`: passed through (and normalized).
    ResponseKind => ResponseTag for [B] Response<B>;
    /// [`Reply<T>`]: body, status and headers chosen at run time.
    ReplyKind => ReplyTag for [T] Reply<T>;
    /// `(StatusCode, T)`: a status chosen at run time, `T` the JSON body.
    StatusBodyKind => StatusBodyTag for [T] (StatusCode, T);
    /// [`Streamed`]: the head now, the body as the stream yields it.
    StreamedKind => StreamedTag for [] Streamed;
    /// Levels past the end of the walk.
    LeafKind => LeafTag for [] Leaf;
    /// Anything else: a JSON body, which must be `Serialize`. Implemented for `&T`, so it is the
    /// fallback when no other kind matches.
    BodyKind => BodyTag for [T: ?Sized] &T;
    /// Anything that carries a body, under an attribute `status` that allows none: always a
    /// compile error. The fallback in place of [`BodyKind`] in that case.
    NoBodyKind => NoBodyTag for [T: ?Sized] &T;
}

/// The answer to a value whose `Serialize` impl failed (a map with non-string keys, a failing
/// impl): a logged 500. Not generic, so it is compiled once.
#[cold]
fn unserializable(error: &serde_json::Error, type_name: &str, inv: &Invocation) -> Response<Body> {
    let request_id = inv.request_id();
    tracing::error!(
        request_id = request_id.unwrap_or(""),
        type_name,
        %error,
        "the response body could not be serialized to JSON"
    );
    tagged(
        problem::response(StatusCode::INTERNAL_SERVER_ERROR, None, request_id),
        ErrorKind::Unserializable,
    )
}

/// A JSON body with `status`, the attribute's content type and headers; a logged 500 when the
/// value does not serialize.
#[inline]
fn json_body<T: ProxyBody + ?Sized>(
    value: &T,
    status: StatusCode,
    inv: &Invocation,
) -> Response<Body> {
    match json_response(value, status, inv.config.content_type) {
        Ok(mut response) => {
            inv.config.add_headers(&mut response, true);
            response
        }
        Err(error) => unserializable(&error, std::any::type_name::<T>(), inv),
    }
}

impl ResultTag {
    /// Splits a `Result`.
    #[inline]
    pub fn split<T, E: ResponseError>(self, value: Result<T, E>, _inv: &Invocation) -> Step<T, E> {
        match value {
            Ok(value) => Step::Next(value),
            Err(error) => Step::Fail(error),
        }
    }
}

impl OptionTag {
    /// Splits an `Option`.
    #[inline]
    pub fn split<T>(self, value: Option<T>, inv: &Invocation) -> Step<T> {
        match value {
            Some(value) => Step::Next(value),
            None => Step::Done(tagged(
                problem::response(StatusCode::NOT_FOUND, None, inv.request_id()),
                ErrorKind::NotFound,
            )),
        }
    }
}

impl UnitTag {
    /// The empty answer.
    #[inline]
    pub fn split(self, _value: (), inv: &Invocation) -> Step<Leaf> {
        let mut response = Response::new(Body::Text(String::new()));
        *response.status_mut() = inv.config.empty_status();
        inv.config.add_headers(&mut response, true);
        Step::Done(response)
    }
}

impl ResponseTag {
    /// The user's own response; the attribute's headers fill in what it does not set.
    #[inline]
    pub fn split<B: Into<Body>>(self, value: Response<B>, inv: &Invocation) -> Step<Leaf> {
        let mut response = value.map(Into::into);
        inv.config.add_headers(&mut response, false);
        Step::Done(response)
    }
}

impl ReplyTag {
    /// A [`Reply`]; the attribute's headers fill in what it does not set.
    #[inline]
    pub fn split<T: ProxyBody>(self, value: Reply<T>, inv: &Invocation) -> Step<Leaf> {
        let config = inv.config;
        Step::Done(
            match value.into_response(config.status(), config.content_type) {
                Ok(mut response) => {
                    config.add_headers(&mut response, false);
                    response
                }
                Err(error) => unserializable(&error, std::any::type_name::<T>(), inv),
            },
        )
    }
}

impl StatusBodyTag {
    /// `(StatusCode, T)`: `T` as the JSON body, with that status.
    #[inline]
    pub fn split<T: ProxyBody>(self, value: (StatusCode, T), inv: &Invocation) -> Step<Leaf> {
        let (status, body) = value;
        Step::Done(json_body(&body, status, inv))
    }
}

impl StreamedTag {
    /// A streamed answer: the attribute's status and headers; its content type unless the
    /// attribute chose one.
    #[inline]
    pub fn split(self, value: Streamed, inv: &Invocation) -> Step<Leaf> {
        let config = inv.config;
        let chosen = (*config.content_type != crate::handler::JSON).then_some(config.content_type);
        let mut response = value.into_response(config.status(), chosen);
        config.add_headers(&mut response, true);
        Step::Done(response)
    }
}

impl LeafTag {
    /// Unreachable: there is no `Leaf` value.
    #[inline]
    pub fn split(self, value: Leaf, _inv: &Invocation) -> Step<Leaf> {
        match value {}
    }
}

impl BodyTag {
    /// A JSON body with the attribute's status.
    #[inline]
    pub fn split<T: ProxyBody>(self, value: T, inv: &Invocation) -> Step<Leaf> {
        Step::Done(json_body(&value, inv.config.status(), inv))
    }
}

impl NoBodyTag {
    /// A body where the attribute's status allows none: always a compile error.
    pub fn split<T: NoBody>(self, value: T, _inv: &Invocation) -> Step<Leaf> {
        Step::Done(value.no_body())
    }
}

/// The last level of the walk: only [`Leaf`] may arrive here.
#[diagnostic::on_unimplemented(
    message = "the return type nests `Result` and `Option` too deeply for `#[proxy_handler]`",
    label = "at most 4 levels of `Result`/`Option` around the body are supported",
    note = "flatten the return type, for example turn `Option<Option<T>>` into `Option<T>`"
)]
pub trait EndOfWalk {
    /// Never runs: `Leaf` has no values.
    fn end_of_walk(self) -> Response<Body>;
}

impl EndOfWalk for Leaf {
    fn end_of_walk(self) -> Response<Body> {
        match self {}
    }
}

/// Ends the walk: compiles only for [`Leaf`].
#[inline]
pub fn end_of_walk<T: EndOfWalk>(value: T) -> Response<Body> {
    value.end_of_walk()
}

/// Logs an error with its `source()` chain when it is a `std::error::Error`.
pub struct ChainTag;
/// Logs an error through `Display` alone.
pub struct DisplayTag;

/// Selects [`ChainTag`] for `std::error::Error` types.
pub trait ChainKind {
    /// Returns [`ChainTag`].
    #[inline]
    fn __proxy_log_kind(&self) -> ChainTag {
        ChainTag
    }
}
impl<E: std::error::Error> ChainKind for E {}

/// Selects [`DisplayTag`] for everything else.
pub trait DisplayKind {
    /// Returns [`DisplayTag`].
    #[inline]
    fn __proxy_log_kind(&self) -> DisplayTag {
        DisplayTag
    }
}
impl<T: std::fmt::Display + ?Sized> DisplayKind for &T {}

impl ChainTag {
    /// [`ResponseError::log_message`], with the `source()` chain added when the implementation
    /// kept the default (the `Display` text alone).
    pub fn log_message<E: std::error::Error + ResponseError>(self, error: &E) -> String {
        let own = error.log_message();
        if error.source().is_some() && own == error.to_string() {
            crate::error::chain(error)
        } else {
            own
        }
    }
}

impl DisplayTag {
    /// [`ResponseError::log_message`].
    pub fn log_message<E: ResponseError + ?Sized>(self, error: &E) -> String {
        error.log_message()
    }
}
