//! A router's OpenAPI document: declared with [`Router::openapi`], built from the routes when
//! the router is served through its exit, which is when the routes are final and the exit's CORS
//! policy is known.

use super::{BoxFuture, Route, RouteError, Router};
use crate::cors::Cors;
use crate::openapi::serve::Served;
use crate::openapi::{self, Document, Info, Operation};
use http::{Method, StatusCode};
use lambda_http::{Body, Request, Response};
use std::borrow::Cow;
use std::sync::Arc;

impl<S: Send + Sync + 'static> Router<S> {
    /// Serves the router's OpenAPI 3.1 document at `GET path` (`"/openapi.json"`), with `info`:
    /// every route, as its handler declares it (see [`openapi`](crate::openapi)). The document
    /// is built once, when the router is served through its exit ([`run`](crate::run),
    /// [`Exit::around`](crate::Exit::around), the testing kit), and answered with a `servers`
    /// entry for the URL the client used. The route is in the document too.
    ///
    /// Declare it last: routes added after it are served but, as for any route, documented.
    ///
    /// # Errors
    ///
    /// A [`RouteError`] for a path that is no route template, or one a route already has.
    pub fn openapi(self, path: &str, info: Info) -> Result<Self, RouteError> {
        let line = format!("GET {path}");
        let mut router = self.add(
            &line,
            Cow::Borrowed("openapi"),
            Arc::new(unprepared),
            Some(describe_document),
        )?;
        Arc::make_mut(&mut router.table).openapi = Some((path.into(), info));
        Ok(router)
    }

    /// The document of the routes served through an exit with `cors`: with the declared
    /// [`Info`], or, unless `declared` is asked for, a placeholder one.
    pub(crate) fn document(&self, cors: Option<&Cors>, declared: bool) -> Option<Document> {
        let info = match &self.table.openapi {
            Some((_, info)) => info.clone(),
            None if declared => return None,
            None => Info::new("API", "0.0.0"),
        };
        let endpoints = self.table.paths.iter().flat_map(|path| {
            path.endpoints
                .iter()
                .map(move |endpoint| openapi::Endpoint {
                    template: &path.template,
                    method: endpoint.method.as_ref(),
                    name: &endpoint.name,
                    describe: endpoint.describe,
                })
        });
        Some(openapi::build_document(endpoints, cors, &info))
    }

    /// Builds the declared document for an exit with `cors`, and serves it from its route.
    pub(crate) fn prepare(&mut self, cors: Option<&Cors>) {
        let Some(document) = self.document(cors, true) else {
            return;
        };
        let Some((path, _)) = self.table.openapi.clone() else {
            return;
        };
        let served = Arc::new(Served::new(&document));
        let table = Arc::make_mut(&mut self.table);
        let endpoint = table
            .paths
            .iter_mut()
            .filter(|routes| *routes.template == *path)
            .flat_map(|routes| routes.endpoints.iter_mut())
            .find(|endpoint| endpoint.method == Some(Method::GET));
        if let Some(endpoint) = endpoint {
            endpoint.call = Arc::new(move |request: Request, _: &Route<'_>| {
                let response = served.answer(&request);
                Box::pin(std::future::ready(Ok(response))) as BoxFuture
            });
        }
    }
}

/// The document's route before the router is served through an exit: only reached by a router
/// served without one (`lambda_http::run(router)`, a tower stack of one's own).
fn unprepared(request: Request, _: &Route<'_>) -> BoxFuture {
    let request_id = crate::handler::request_id_of(&request);
    tracing::error!(
        request_id = request_id.unwrap_or(""),
        "the OpenAPI document is built when the router is served through its exit (lambda_proxy::run, Exit::around); answering 500"
    );
    let response: Response<Body> =
        crate::problem::response(StatusCode::INTERNAL_SERVER_ERROR, None, request_id);
    Box::pin(std::future::ready(Ok(response)))
}

/// The document's own operation.
fn describe_document(operation: &mut Operation<'_>) {
    operation.handler(
        &crate::handler::HandlerConfig::DEFAULT,
        "This API's OpenAPI document.",
        "",
    );
    operation.success(serde_json::json!({
        "type": "object",
        "description": "An OpenAPI 3.1 document."
    }));
}
