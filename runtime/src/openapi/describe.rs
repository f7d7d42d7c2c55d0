//! How a routed handler describes its operation: what the code `#[proxy_handler(route = "..")]`
//! generates under the `openapi` feature calls, in the order it calls it.
//!
//! 1. [`Operation::handler`]: the fn's name (the operation id), its doc comment (summary and
//!    description) and its attribute's configuration (status, content type, headers).
//! 2. Each parameter, by type ([`Param`]): `Path<T>`, `Query<T>` and `Json<T>` with `T`'s schema
//!    when `T: JsonSchema`, an open schema otherwise; any other type through [`Input`]; a type
//!    that implements neither may refuse the request with any 4xx or 5xx.
//! 3. The return type, one level at a time ([`Output`]), as `dispatch.rs` walks the value: a
//!    `Result` adds its error type's statuses ([`ResponseError::statuses`]), an `Option` its 404;
//!    the body ends the walk with its status and `T`'s schema, or an open schema when `T` has
//!    none.
//!
//! Each decision is made by type with auto-ref specialization, as `dispatch.rs` makes its own:
//! the call `(&&&marker).method(..)` resolves to the impl for `&&Marker<X>` (a type with a
//! schema), else `&Marker<X>`, else `Marker<X>` (the open fallback), so that a type without a
//! schema is documented as such instead of failing to compile.
//!
//! [`ResponseError::statuses`]: crate::ResponseError::statuses

use super::model::{Parameter, RequestBody};
use super::Operation;
use crate::dispatch::Leaf;
use crate::reply::Reply;
use crate::router::extract::{Json, Path, Query};
use http::StatusCode;
use lambda_http::Response;
use schemars::JsonSchema;
use std::marker::PhantomData;

/// How a parameter type of a routed handler shows in the OpenAPI document: a header it reads, a
/// status it may answer instead of running the handler. `Path`, `Query` and `Json` describe
/// themselves from their type's schema; implement `Input` for an extractor of your own. One that
/// does not is documented as able to refuse the request with any 4xx or 5xx.
///
/// ```
/// use lambda_proxy::openapi::{Input, Operation};
/// use lambda_proxy::router::{FromRequestParts, Route};
/// use lambda_proxy::{HttpError, Request, StatusCode};
///
/// /// The caller's tenant, from a header an authorizer sets.
/// struct Tenant(String);
///
/// impl FromRequestParts for Tenant {
///     fn from_request_parts(request: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
///         request
///             .headers()
///             .get("x-tenant")
///             .and_then(|v| v.to_str().ok())
///             .map(|v| Tenant(v.to_owned()))
///             .ok_or_else(|| HttpError::bad_request("header \"x-tenant\" is missing"))
///     }
/// }
///
/// impl Input for Tenant {
///     fn describe(operation: &mut Operation<'_>) {
///         operation.header("x-tenant", true, "The caller's tenant.");
///         operation.status(StatusCode::BAD_REQUEST, "The `x-tenant` header is missing.");
///     }
/// }
/// ```
pub trait Input {
    /// Adds what the parameter reads and answers to `operation`.
    fn describe(operation: &mut Operation<'_>);
}

/// A parameter type, for the choice of its description.
pub struct Param<T>(PhantomData<fn() -> T>);

impl<T> Param<T> {
    /// The marker.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Param(PhantomData)
    }
}

/// `Path<T>`, `Query<T>`, `Json<T>` whose `T` has a schema.
pub trait ParamTyped {
    /// Describes the parameter.
    fn __proxy_param(&self, operation: &mut Operation<'_>);
}

/// `Path<T>`, `Query<T>`, `Json<T>` whose `T` has no schema.
pub trait ParamUntyped {
    /// Describes the parameter.
    fn __proxy_param(&self, operation: &mut Operation<'_>);
}

/// A parameter type that implements [`Input`].
pub trait ParamInput {
    /// Describes the parameter.
    fn __proxy_param(&self, operation: &mut Operation<'_>);
}

/// Any other parameter type (an extractor of your own that does not implement [`Input`]): it
/// may refuse the request with any error, which the document says.
pub trait ParamNone {
    /// Describes the errors it may answer.
    fn __proxy_param(&self, operation: &mut Operation<'_>) {
        operation.problem(
            "4XX".into(),
            "A parameter of the handler's own type refused the request.",
        );
        operation.problem(
            "5XX".into(),
            "A parameter of the handler's own type could not be read.",
        );
    }
}

impl<T: JsonSchema> ParamTyped for &&Param<Path<T>> {
    fn __proxy_param(&self, operation: &mut Operation<'_>) {
        let schema = operation.schemas.request_inline::<T>();
        operation.path_parameters(Some(schema));
    }
}

impl<T: JsonSchema> ParamTyped for &&Param<Query<T>> {
    fn __proxy_param(&self, operation: &mut Operation<'_>) {
        let schema = operation.schemas.request_inline::<T>();
        operation.query_parameters(Some(schema));
    }
}

impl<T: JsonSchema> ParamTyped for &&Param<Json<T>> {
    fn __proxy_param(&self, operation: &mut Operation<'_>) {
        let schema = operation.schemas.request::<T>();
        operation.json_body(schema);
    }
}

impl<T> ParamUntyped for &Param<Path<T>> {
    fn __proxy_param(&self, operation: &mut Operation<'_>) {
        operation.path_parameters(None);
    }
}

impl<T> ParamUntyped for &Param<Query<T>> {
    fn __proxy_param(&self, operation: &mut Operation<'_>) {
        operation.query_parameters(None);
    }
}

impl<T> ParamUntyped for &Param<Json<T>> {
    fn __proxy_param(&self, operation: &mut Operation<'_>) {
        let schema = super::model::open_schema(std::any::type_name::<T>());
        operation.json_body(schema);
    }
}

impl<T: Input> ParamInput for &Param<T> {
    fn __proxy_param(&self, operation: &mut Operation<'_>) {
        T::describe(operation);
    }
}

impl<T> ParamNone for Param<T> {}

/// Parameters that read nothing a document shows (the state, the Lambda context, what the
/// router matched) or the whole head.
macro_rules! inputs_without_description {
    ($($(#[$doc:meta])* $ty:ty),* $(,)?) => {$(
        $(#[$doc])*
        impl Input for $ty {
            fn describe(_: &mut Operation<'_>) {}
        }
    )*};
}

inputs_without_description! {
    /// The Lambda context: nothing the client sends.
    lambda_http::Context,
    /// Every header: none in particular.
    http::HeaderMap,
    /// The method: the operation's own.
    http::Method,
    /// The URI: the operation's path and query.
    http::Uri,
    /// The matched route's parameters: described by the template.
    crate::router::PathParams,
}

/// The router's state of any type: nothing the client sends.
impl<T> Input for crate::State<T> {
    fn describe(_: &mut Operation<'_>) {}
}

/// The body as text: any content type, UTF-8.
impl Input for String {
    fn describe(operation: &mut Operation<'_>) {
        operation.body = Some(RequestBody::any(serde_json::json!({ "type": "string" })));
        operation.status(
            StatusCode::BAD_REQUEST,
            "The request body is not UTF-8 text.",
        );
    }
}

/// The body as bytes: any content type.
impl Input for bytes::Bytes {
    fn describe(operation: &mut Operation<'_>) {
        operation.body = Some(RequestBody::any(serde_json::json!({})));
    }
}

/// The whole request: a body of any content type.
impl Input for lambda_http::Request {
    fn describe(operation: &mut Operation<'_>) {
        operation.body = Some(RequestBody::any(serde_json::json!({})));
    }
}

/// The return type at one level of the walk.
pub struct Output<T>(PhantomData<fn() -> T>);

impl<T> Output<T> {
    /// The marker.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Output(PhantomData)
    }
}

/// A body whose status was chosen by the level before (a [`Reply`], `(StatusCode, T)`): the next
/// level adds its schema to the answers that level listed.
pub struct Fill<T>(PhantomData<fn() -> T>);

/// `Result`, `Option`, `()`, `Response`, `Reply`, `(StatusCode, T)`, the end of the walk, and a
/// [`Fill`] whose `T` has a schema.
pub trait OutputKnown {
    /// What the next level describes.
    type Next;
    /// Describes this level.
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Self::Next>;
}

/// A body with a schema, at the attribute's status.
pub trait OutputSchema {
    /// Nothing after the body.
    type Next;
    /// Describes the body.
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Self::Next>;
}

/// A [`Fill`] whose `T` has no schema.
pub trait FillOpen {
    /// Nothing after the body.
    type Next;
    /// Describes the body as open.
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Self::Next>;
}

/// A body without a schema, at the attribute's status.
pub trait OutputOpen {
    /// Nothing after the body.
    type Next;
    /// Describes the body as open.
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Self::Next>;
}

impl<T, E: crate::ResponseError> OutputKnown for &&Output<Result<T, E>> {
    type Next = T;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<T> {
        let mut statuses = super::ErrorStatuses::default();
        E::statuses(&mut statuses);
        operation.error_statuses(&statuses);
        Output::new()
    }
}

impl<T> OutputKnown for &&Output<Option<T>> {
    type Next = T;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<T> {
        operation.status(StatusCode::NOT_FOUND, "Not Found");
        Output::new()
    }
}

impl OutputKnown for &&Output<()> {
    type Next = Leaf;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Leaf> {
        operation.empty_success();
        Output::new()
    }
}

impl<B> OutputKnown for &&Output<Response<B>> {
    type Next = Leaf;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Leaf> {
        operation.any_answer();
        Output::new()
    }
}

impl<T> OutputKnown for &&Output<Reply<T>> {
    type Next = Fill<T>;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Fill<T>> {
        operation.reply_slots();
        Output::new()
    }
}

impl<T> OutputKnown for &&Output<(StatusCode, T)> {
    type Next = Fill<T>;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Fill<T>> {
        operation.status_body_slots();
        Output::new()
    }
}

impl OutputKnown for &&Output<Leaf> {
    type Next = Leaf;
    #[inline]
    fn __proxy_output(&self, _: &mut Operation<'_>) -> Output<Leaf> {
        Output::new()
    }
}

impl<T: JsonSchema> OutputKnown for &&Output<Fill<T>> {
    type Next = Leaf;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Leaf> {
        let schema = operation.schemas.response::<T>();
        operation.fill(schema);
        Output::new()
    }
}

impl<T: JsonSchema> OutputSchema for &Output<T> {
    type Next = Leaf;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Leaf> {
        let schema = operation.schemas.response::<T>();
        operation.success(schema);
        Output::new()
    }
}

impl<T> FillOpen for &Output<Fill<T>> {
    type Next = Leaf;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Leaf> {
        operation.fill(super::model::open_schema(std::any::type_name::<T>()));
        Output::new()
    }
}

impl<T> OutputOpen for Output<T> {
    type Next = Leaf;
    fn __proxy_output(&self, operation: &mut Operation<'_>) -> Output<Leaf> {
        operation.success(super::model::open_schema(std::any::type_name::<T>()));
        Output::new()
    }
}

impl<'a> Operation<'a> {
    /// The path parameters of the template, each with its schema from `schema`: a struct's
    /// properties by name, a tuple's items in order, or the one value of a template with one
    /// parameter. Without a schema, or for a parameter the schema does not name, a string.
    pub(crate) fn path_parameters(&mut self, schema: Option<serde_json::Value>) {
        let names: Vec<String> = lambda_proxy_core::route::parameters(self.template)
            .map(str::to_owned)
            .collect();
        let schema = schema.map(|s| self.schemas.resolve_request(&s));
        for (index, name) in names.iter().enumerate() {
            let typed = schema.as_ref().and_then(|schema| {
                super::model::property(schema, name)
                    .or_else(|| super::model::item(schema, index))
                    .or_else(|| (names.len() == 1).then(|| schema.clone()))
            });
            if let Some(typed) = typed {
                self.set_path_parameter(name, super::model::without_null(typed));
            }
        }
        self.status(StatusCode::BAD_REQUEST, "A path parameter does not parse.");
    }

    /// The query parameters, one per property of `schema` (required as the schema says), or,
    /// without a schema, one free-form parameter (any keys).
    pub(crate) fn query_parameters(&mut self, schema: Option<serde_json::Value>) {
        let schema = schema.map(|s| self.schemas.resolve_request(&s));
        match schema.as_ref().and_then(super::model::properties) {
            Some(properties) => {
                for (name, property, required) in properties {
                    self.parameters.push(Parameter::query(
                        name,
                        required,
                        super::model::without_null(property),
                    ));
                }
            }
            None => {
                let open = schema.unwrap_or_else(|| serde_json::json!({ "type": "object" }));
                self.parameters.push(Parameter::free_form_query(open));
            }
        }
        self.status(
            StatusCode::BAD_REQUEST,
            "A query parameter is missing or does not parse.",
        );
    }

    /// A required JSON body of `schema`, and the answers of [`Json`].
    pub(crate) fn json_body(&mut self, schema: serde_json::Value) {
        self.body = Some(RequestBody::json(schema));
        self.status(
            StatusCode::BAD_REQUEST,
            "The request body is empty or not JSON.",
        );
        self.status(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is larger than 1 MiB.",
        );
        self.status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "The request body is not sent as JSON.",
        );
        self.status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request body does not fit the schema.",
        );
    }
}
