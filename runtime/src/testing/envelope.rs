//! The envelope as the runtime posts it, read back.

use crate::front_door::FrontDoor;
use serde_json::Value;

/// A response envelope as the Lambda runtime posts it.
#[derive(Clone, Debug)]
pub struct Envelope {
    front_door: FrontDoor,
    raw: String,
    json: Value,
}

impl Envelope {
    pub(super) fn parse(front_door: FrontDoor, raw: String) -> Self {
        let json = serde_json::from_str(&raw).unwrap_or(Value::Null);
        Envelope {
            front_door,
            raw,
            json,
        }
    }

    /// The front door the envelope is for.
    pub fn front_door(&self) -> FrontDoor {
        self.front_door
    }

    /// The exact JSON text the runtime posts.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The envelope as a JSON value.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// `statusCode` (0 if it is missing or not a number).
    pub fn status(&self) -> u16 {
        self.json["statusCode"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0)
    }

    /// Every value of header `name` (case-insensitive) as the client would receive it: from
    /// `multiValueHeaders` where the front door reads it, else from `headers`; `Set-Cookie` from
    /// `cookies` on HTTP API 2.0 and function URLs.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        let name = name.to_ascii_lowercase();
        self.received()
            .headers
            .into_iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, value)| value)
            .collect()
    }

    /// What the client receives, by the front door's rules (the one home of those rules is
    /// `lambda_proxy_cli::contract::Received`).
    pub(crate) fn received(&self) -> lambda_proxy_cli::contract::Received {
        lambda_proxy_cli::contract::Received::of(&self.json, self.front_door)
    }

    /// Header `name`, its values joined with `, ` (`None` when absent).
    pub fn header(&self, name: &str) -> Option<String> {
        let values = self.header_values(name);
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// The `cookies` array (HTTP API 2.0 and function URLs).
    pub fn cookies(&self) -> Vec<String> {
        self.json["cookies"]
            .as_array()
            .map(|c| {
                c.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `isBase64Encoded`.
    pub fn is_base64_encoded(&self) -> bool {
        self.json["isBase64Encoded"].as_bool().unwrap_or(false)
    }

    /// The `body` string as sent (base64 text when [`is_base64_encoded`](Self::is_base64_encoded)).
    pub fn body(&self) -> &str {
        self.json["body"].as_str().unwrap_or("")
    }

    /// The body bytes the client receives, base64-decoded where needed.
    pub fn body_bytes(&self) -> Vec<u8> {
        self.received().body
    }

    /// Runs the checker (`lambda_proxy_cli::check`, what `lambda-proxy check` runs) on this
    /// envelope for its front door.
    pub fn check(&self) -> lambda_proxy_cli::check::Report {
        lambda_proxy_cli::check::check_sized(&self.json, self.front_door, self.raw.len())
    }

    /// Asserts that the envelope meets lambda-proxy's strict contract for its front door.
    ///
    /// # Panics
    ///
    /// With every finding of the checker, when there is one.
    #[track_caller]
    pub fn assert_valid(&self) -> &Self {
        let report = self.check();
        assert!(
            report.strict_ok(),
            "the envelope does not meet the strict contract:\n{report}\nenvelope: {}",
            self.raw
        );
        self
    }

    /// The body parsed as JSON.
    ///
    /// # Errors
    ///
    /// When the body is not JSON of type `T`.
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_slice(&self.body_bytes())
    }
}
