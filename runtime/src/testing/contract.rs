//! Every answer held to the contract: when the app the testing kit invokes is a
//! [`Router`](crate::Router), its answer is checked against the router's OpenAPI document (the
//! one it serves, or, for a router that serves none, the one it would), and a broken promise
//! fails the test.

use super::Envelope;
use crate::app::AppService;
use crate::exit::ExitService;
use lambda_http::request::LambdaRequest;
use lambda_proxy_cli::contract::Contract;

/// A router's document, ready to hold its answers to.
pub(super) struct Held {
    contract: Contract,
    /// The router's templates, each to its path in the document.
    templates: matchit::Router<String>,
}

impl Held {
    /// The contract of the app `exit` serves, when it is a router.
    pub(super) fn of<S: AppService>(exit: &ExitService<S>) -> Option<Held> {
        let document = exit.service().document(exit.cors(), false)?;
        let contract = Contract::new(&document.to_json()).unwrap_or_else(|error| {
            panic!("the router's OpenAPI document cannot be read: {error}")
        });
        let mut templates = matchit::Router::new();
        for route in &document.routes {
            // A template is in the router once; the document lists it once.
            let _ = templates.insert(route.template.as_str(), route.path.clone());
        }
        Some(Held {
            contract,
            templates,
        })
    }

    /// Panics with every way `envelope`, the answer to the event `json`, breaks the contract.
    #[track_caller]
    pub(super) fn assert_kept(&self, json: &str, envelope: &Envelope) {
        // An event `lambda_http` cannot read is answered 400 by the adapter, whatever the route;
        // a WebSocket event is not routed.
        let Ok(event) = serde_json::from_str::<LambdaRequest>(json) else {
            return;
        };
        let Ok(request) = crate::adapter::convert::to_request(&mut Some(event)) else {
            return;
        };
        let Some(path) = crate::front_door::routed_path(&request) else {
            return;
        };
        let method = request.method().as_str();
        let received = envelope.received();
        let answer = received.answer();
        let findings = match self.templates.at(&path) {
            Ok(matched) => self
                .contract
                .check_operation(method, matched.value, &answer),
            Err(_) => self.contract.check(method, &path, &answer),
        };
        assert!(
            findings.is_empty(),
            "the answer does not keep the router's OpenAPI document:\n  {}\nenvelope: {}",
            findings.join("\n  "),
            envelope.raw()
        );
    }
}
