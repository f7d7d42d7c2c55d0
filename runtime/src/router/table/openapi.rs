//! A router's OpenAPI document: declared with [`Router::openapi`], from the routes as they are
//! when the router is served through its exit (they are final then, and the exit's CORS policy
//! is known), built on the first request for it.

use super::{BoxFuture, Route, RouteError, Router, Table};
use crate::cors::Cors;
use crate::openapi::serve::Served;
use crate::openapi::{self, Document, Info, Operation};
use http::{Method, StatusCode};
use lambda_http::{Body, Request, Response};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock, Weak};

impl<S: Send + Sync + 'static> Router<S> {
    /// Serves the router's OpenAPI 3.1 document at `GET path` (`"/openapi.json"`), with `info`:
    /// every route, as its handler declares it (see [`openapi`](crate::openapi)), through the exit
    /// the router is served through ([`run`](crate::run), [`Exit::around`](crate::Exit::around),
    /// the testing kit), whose CORS policy it documents. It is built once, on the first request
    /// for it (a cold start does not pay for it), and answered with a `servers` entry for the URL
    /// the client used. The route is in the document too.
    ///
    /// Every route is in it, those added after it included: the routes are read when the
    /// router is served.
    ///
    /// # Errors
    ///
    /// A [`RouteError`] for a path that is no route template, one a route already has, or a
    /// second document.
    pub fn openapi(self, path: &str, info: Info) -> Result<Self, RouteError> {
        if let Some((served, _)) = &self.table.openapi {
            return Err(RouteError(format!(
                "the router serves its OpenAPI document at {served:?} already; it has one document"
            )));
        }
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

    /// Serves the declared document from its route for an exit with `cors`: built on the first
    /// request for it (a cold start pays nothing for it), then answered from the text kept.
    ///
    /// The route's handler holds the table it is in weakly (the table owns the handler), and the
    /// document it builds, once, in a cell of its own: a clone of the router shares both; a
    /// router prepared again (for another exit) gets a table and a cell of its own.
    pub(crate) fn prepare(&mut self, cors: Option<&Cors>) {
        let Some((path, _)) = self.table.openapi.clone() else {
            return;
        };
        let cors = cors.cloned();
        let table = Table::clone(&self.table);
        self.table = Arc::new_cyclic(move |this: &Weak<Table>| {
            let mut table = table;
            let this = this.clone();
            let served: Arc<OnceLock<Option<Served>>> = Arc::default();
            let endpoint = table
                .paths
                .iter_mut()
                .filter(|routes| *routes.template == *path)
                .flat_map(|routes| routes.endpoints.iter_mut())
                .find(|endpoint| endpoint.method == Some(Method::GET));
            if let Some(endpoint) = endpoint {
                endpoint.call = Arc::new(move |request: Request, route: &Route<'_>| {
                    let served = served.get_or_init(|| {
                        let table = this.upgrade()?;
                        let document = document(&table, cors.as_ref(), true)?;
                        Some(Served::new(&document))
                    });
                    match served {
                        Some(served) => {
                            let response = served.answer(&request);
                            Box::pin(std::future::ready(Ok(response))) as BoxFuture
                        }
                        // The table is alive while its router serves: not reached.
                        None => unprepared(request, route),
                    }
                });
            }
            table
        });
    }
}

/// The document of `table`'s routes through an exit with `cors`: with the declared [`Info`], or,
/// unless `declared` is asked for, a placeholder one.
pub(super) fn document(table: &Table, cors: Option<&Cors>, declared: bool) -> Option<Document> {
    let info = match &table.openapi {
        Some((_, info)) => info.clone(),
        None if declared => return None,
        None => Info::new("API", "0.0.0"),
    };
    let endpoints = table.paths.iter().flat_map(|path| {
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
