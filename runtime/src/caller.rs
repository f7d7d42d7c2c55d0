//! Who called: the identity the front door's authorizer verified, read from the request context
//! ([`Caller`]).

use crate::front_door::FrontDoor;
use crate::router::{FromRequestParts, Route};
use crate::HttpError;
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub use lambda_proxy_core::Authorizer;

/// The caller of the request, as the front door's authorizer verified them: the token's claims,
/// a Lambda authorizer's context or the IAM identity, read into `T` (any `Deserialize` type; by
/// default the JSON object as sent).
///
/// An extractor for routed handlers; [`Caller::of`] reads it from any request.
///
/// ```
/// use lambda_proxy::{proxy_handler, Caller};
///
/// #[derive(serde::Deserialize)]
/// struct Claims {
///     sub: String,
///     email: Option<String>,
/// }
///
/// #[proxy_handler(route = "GET /me")]
/// async fn me(caller: Caller<Claims>) -> String {
///     caller.claims.sub
/// }
/// ```
///
/// lambda-proxy verifies nothing itself: the front door did, before the function was invoked,
/// and the event's request context says what it found. `Caller` reads the request context
/// `lambda_http` keeps in the request's extensions, so it works the same under `run` and under
/// `lambda_http::run`.
///
/// | the request | the answer |
/// | --- | --- |
/// | no verified identity (no authorizer on the route, an ALB, a request that is not an event's) | 401 |
/// | an identity whose claims are not a `T` (a claim missing or of another type) | 403: the caller is known, but lacks what the operation needs; the reason is logged, not sent |
///
/// Claims arrive as the front door writes them: an HTTP API's JWT authorizer and a REST API's
/// Cognito and Lambda authorizers send every value as a string (`"exp": "1767225600"`, an array
/// claim as `"[admin ops]"`). Declare such fields as `String`, or parse them with
/// `serde_with::DisplayFromStr`. An HTTP API's Lambda authorizer keeps its context's types.
///
/// An ALB with OIDC or Cognito authentication sends the identity as headers:
/// `x-amzn-oidc-identity` (the subject) and `x-amzn-oidc-data`, a JWT the load balancer signs
/// with ES256 whose key is fetched per region from `public-keys.auth.elb.<region>.amazonaws.com`.
/// lambda-proxy cannot fetch that key, and does not pretend to verify the token: `Caller` answers
/// 401 behind an ALB. Read the headers yourself, after verifying `x-amzn-oidc-data` with the key.
///
/// With the `openapi` feature, an operation that reads a `Caller` requires the `authorizer`
/// security scheme (an HTTP bearer JWT unless [`Info::security_scheme`](crate::openapi::Info::security_scheme)
/// says otherwise) and may answer 401 and 403.
#[derive(Clone, Debug, PartialEq)]
pub struct Caller<T = Map<String, Value>> {
    /// The claims: a JWT's, a Lambda authorizer's context, or the IAM identity's members.
    pub claims: T,
    /// The token's scopes: an HTTP API JWT authorizer's `scopes`, or the space-separated `scope`
    /// claim of a Cognito access token; empty for other authorizers.
    pub scopes: Vec<String>,
    /// How the caller was verified.
    pub authorizer: Authorizer,
}

impl<T> Caller<T> {
    /// Whether the token was granted `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|granted| granted == scope)
    }
}

impl<T: DeserializeOwned> Caller<T> {
    /// The caller of `request`, for a handler that is not routed.
    ///
    /// # Errors
    ///
    /// 401 (with `www-authenticate: Bearer`) when the request carries no verified identity; 403
    /// when its claims are not a `T`, the reason logged at warning level with the request id
    /// (the claim's path and what was expected, not its value).
    pub fn of(request: &Request) -> Result<Self, HttpError> {
        let Some(found) = identity(request) else {
            return Err(HttpError::unauthorized(
                "the request carries no identity verified by an authorizer",
            )
            .with_header(http::header::WWW_AUTHENTICATE, "Bearer"));
        };
        let claims = Value::Object(found.claims);
        match serde_path_to_error::deserialize::<_, T>(claims) {
            Ok(claims) => Ok(Caller {
                claims,
                scopes: found.scopes,
                authorizer: found.authorizer,
            }),
            Err(error) => {
                // Every caller gets this 403 when `T` says more than the authorizer gives: the
                // deployment's mistake, worth a warning. The claim's value stays out of the log.
                tracing::warn!(
                    request_id = crate::handler::request_id_of(request).unwrap_or(""),
                    authorizer = found.authorizer.name(),
                    claims_type = std::any::type_name::<T>(),
                    at = %error.path(),
                    reason = %without_values(&error.inner().to_string()),
                    "the caller's claims are not the type the handler reads; answering 403"
                );
                Err(HttpError::forbidden(
                    "the caller's identity lacks what this operation needs",
                ))
            }
        }
    }
}

/// Why claims were refused, said without the claims' values: serde's message names the value it
/// was given (`invalid type: integer `12345`, expected a string`), and a claim's value is the
/// caller's. What `T` expected, and a missing field's name, are `T`'s and stay.
fn without_values(message: &str) -> String {
    if message.starts_with("missing field `") {
        return message.to_owned();
    }
    let kind = [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
        "unknown field",
    ]
    .into_iter()
    .find(|kind| message.starts_with(kind))
    .unwrap_or("not readable");
    match message.rfind(", expected ") {
        Some(at) => format!("{kind}, expected {}", &message[at + ", expected ".len()..]),
        None => kind.to_owned(),
    }
}

impl<T: DeserializeOwned> FromRequestParts for Caller<T> {
    fn from_request_parts(request: &Request, _: &Route<'_>) -> Result<Self, HttpError> {
        Caller::of(request)
    }
}

/// The `authorizer` security scheme, and the 401 and 403.
#[cfg(feature = "openapi")]
impl<T> crate::openapi::Input for Caller<T> {
    fn describe(operation: &mut crate::openapi::Operation<'_>) {
        operation.security("authorizer", &[]);
        operation.status(
            http::StatusCode::UNAUTHORIZED,
            "The request carries no identity verified by the front door's authorizer.",
        );
        operation.status(
            http::StatusCode::FORBIDDEN,
            "The caller's identity lacks a claim this operation reads.",
        );
    }
}

/// An identity found in a request context, before it is read into the user's type.
#[derive(Debug)]
struct Found {
    authorizer: Authorizer,
    claims: Map<String, Value>,
    scopes: Vec<String>,
}

/// The members of a request context that tell the caller.
#[derive(Default)]
struct ContextIdentity {
    /// `Some` when the context has an authorizer member (an empty object for an HTTP API
    /// Lambda authorizer that returned no context).
    authorizer: Option<Value>,
    identity: Option<Value>,
}

/// The verified identity of `request`, from the parts of its request context that tell it.
fn identity(request: &Request) -> Option<Found> {
    let context = match request.request_context_ref()? {
        // A REST API's authorizer, and a WebSocket API's, are kept as the maps they were sent as.
        RequestContext::ApiGatewayV1(ctx) => ContextIdentity {
            authorizer: Some(Value::Object(
                ctx.authorizer.fields.clone().into_iter().collect(),
            )),
            identity: value(&ctx.identity),
        },
        RequestContext::WebSocket(ctx) => ContextIdentity {
            authorizer: Some(Value::Object(
                ctx.authorizer.fields.clone().into_iter().collect(),
            )),
            identity: value(&ctx.identity),
        },
        RequestContext::ApiGatewayV2(ctx) => ContextIdentity {
            authorizer: ctx.authorizer.as_ref().and_then(value),
            identity: None,
        },
        RequestContext::VpcLattice(ctx) => ContextIdentity {
            authorizer: None,
            identity: ctx.identity.as_ref().and_then(value),
        },
        _ => return None,
    };
    found(crate::front_door::of(request), context)
}

/// A part of the request context as JSON.
fn value<T: serde::Serialize>(part: &T) -> Option<Value> {
    serde_json::to_value(part).ok()
}

/// The members of an object value, if it is one with any member that is not `null`.
fn object(value: Option<Value>) -> Option<Map<String, Value>> {
    match value {
        Some(Value::Object(map)) if map.values().any(|v| !v.is_null()) => Some(map),
        _ => None,
    }
}

/// [`object`], borrowed.
fn object_ref(value: Option<&Value>) -> Option<&Map<String, Value>> {
    match value {
        Some(Value::Object(map)) if map.values().any(|v| !v.is_null()) => Some(map),
        _ => None,
    }
}

/// The strings of an array value (others skipped).
fn strings(value: Option<Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|item| match item {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The identity a request context holds, by the shapes each front door sends: a JWT, Cognito
/// claims, a Lambda authorizer's context, an IAM identity; `None` when it holds none.
fn found(front_door: Option<FrontDoor>, context: ContextIdentity) -> Option<Found> {
    let ContextIdentity {
        authorizer,
        identity,
    } = context;
    // Whether the authorizer has `key` as an object with a member that is not `null`: a Lambda
    // authorizer's context may have a key of that name holding anything else (a string), which
    // stays among its claims.
    let has = |map: &Map<String, Value>, key: &str| object_ref(map.get(key)).is_some();
    if let Some(Value::Object(mut authorizer)) = authorizer {
        if has(&authorizer, "jwt") {
            let mut jwt = object(authorizer.remove("jwt")).unwrap_or_default();
            let claims = object(jwt.remove("claims")).unwrap_or_default();
            let scopes = scopes(strings(jwt.remove("scopes")), &claims);
            return Some(Found::new(Authorizer::Jwt, claims, scopes));
        }
        if has(&authorizer, "claims") {
            let claims = object(authorizer.remove("claims")).unwrap_or_default();
            // Payload 1.0 of an HTTP API writes its JWT authorizer's claims here, with a
            // `scopes` member; a REST API's Cognito user pool authorizer has none.
            let jwt = authorizer.contains_key("scopes") || front_door != Some(FrontDoor::RestApi);
            let scopes = scopes(strings(authorizer.remove("scopes")), &claims);
            let kind = if jwt {
                Authorizer::Jwt
            } else {
                Authorizer::CognitoUserPool
            };
            return Some(Found::new(kind, claims, scopes));
        }
        if has(&authorizer, "lambda") {
            let context = object(authorizer.remove("lambda")).unwrap_or_default();
            return Some(Found::new(Authorizer::Lambda, context, Vec::new()));
        }
        if has(&authorizer, "iam") {
            let iam = object(authorizer.remove("iam")).unwrap_or_default();
            return Some(Found::new(Authorizer::Iam, without_nulls(iam), Vec::new()));
        }
        // An HTTP API (2.0) has an authorizer member only when one ran: an empty one is a
        // Lambda authorizer that returned no context.
        if authorizer.is_empty() && front_door == Some(FrontDoor::HttpApiV2) {
            return Some(Found::new(Authorizer::Lambda, Map::new(), Vec::new()));
        }
        // A REST or WebSocket API's Lambda authorizer: its context's members and
        // `principalId`, beside the latency API Gateway adds.
        let mut context = authorizer;
        context.remove("integrationLatency");
        let present = |v: &Value| !v.is_null() && v.as_object().is_none_or(|m| !m.is_empty());
        if context.values().any(present) {
            return Some(Found::new(Authorizer::Lambda, context, Vec::new()));
        }
    }
    let identity = object(identity)?;
    // A REST API's IAM caller has an ARN; VPC Lattice's identity says its type.
    let iam = identity.get("userArn").is_some_and(Value::is_string)
        || identity.get("type").and_then(Value::as_str) == Some("AWS_IAM");
    iam.then(|| Found::new(Authorizer::Iam, without_nulls(identity), Vec::new()))
}

impl Found {
    fn new(authorizer: Authorizer, claims: Map<String, Value>, scopes: Vec<String>) -> Found {
        Found {
            authorizer,
            claims,
            scopes,
        }
    }
}

/// `scopes` as the authorizer listed them, else the space-separated `scope` claim of an access
/// token.
fn scopes(listed: Vec<String>, claims: &Map<String, Value>) -> Vec<String> {
    if !listed.is_empty() {
        return listed;
    }
    match claims.get("scope") {
        Some(Value::String(scope)) => scope.split_whitespace().map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// The members of an identity that are not `null`.
fn without_nulls(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter().filter(|(_, v)| !v.is_null()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(front_door: Option<FrontDoor>, context: Value) -> Option<Found> {
        let mut context = context.as_object().unwrap().clone();
        let context = ContextIdentity {
            authorizer: context.remove("authorizer"),
            identity: context.remove("identity"),
        };
        found(front_door, context)
    }

    #[test]
    fn every_authorizer_shape_is_found() {
        let jwt = of(
            Some(FrontDoor::HttpApiV2),
            json!({"authorizer": {"jwt": {"claims": {"sub": "u1"}, "scopes": ["read", 7]}}}),
        )
        .unwrap();
        assert_eq!(jwt.authorizer, Authorizer::Jwt);
        assert_eq!(jwt.claims["sub"], "u1");
        assert_eq!(jwt.scopes, ["read"]);

        let cognito = of(
            Some(FrontDoor::RestApi),
            json!({"authorizer": {"claims": {"sub": "u2", "scope": "a b"}, "principalId": null}}),
        )
        .unwrap();
        assert_eq!(cognito.authorizer, Authorizer::CognitoUserPool);
        assert_eq!(cognito.scopes, ["a", "b"]);

        let v1 = of(
            Some(FrontDoor::HttpApiV1),
            json!({"authorizer": {"claims": {"sub": "u3"}, "scopes": ["x"]}}),
        )
        .unwrap();
        assert_eq!(
            (v1.authorizer, v1.scopes),
            (Authorizer::Jwt, vec!["x".into()])
        );

        let lambda = of(
            Some(FrontDoor::HttpApiV2),
            json!({"authorizer": {"lambda": {"tenant": 7}}}),
        )
        .unwrap();
        assert_eq!(lambda.authorizer, Authorizer::Lambda);
        assert_eq!(lambda.claims["tenant"], 7);

        let rest_lambda = of(
            Some(FrontDoor::RestApi),
            json!({"authorizer": {"principalId": "p", "tenant": "t", "integrationLatency": 3}}),
        )
        .unwrap();
        assert_eq!(rest_lambda.authorizer, Authorizer::Lambda);
        assert_eq!(
            Value::Object(rest_lambda.claims),
            json!({"principalId": "p", "tenant": "t"})
        );

        let iam = of(
            Some(FrontDoor::FunctionUrl),
            json!({"authorizer": {"iam": {"userArn": "arn:aws:iam::1:user/a", "callerId": "c"}}}),
        )
        .unwrap();
        assert_eq!(iam.authorizer, Authorizer::Iam);

        let rest_iam = of(
            Some(FrontDoor::RestApi),
            json!({"authorizer": {"principalId": null}, "identity": {"userArn": "arn:aws:iam::1:user/a", "caller": "c", "apiKey": null}}),
        )
        .unwrap();
        assert_eq!(rest_iam.authorizer, Authorizer::Iam);
        assert_eq!(rest_iam.claims.len(), 2, "nulls are left out");

        let lattice = of(
            Some(FrontDoor::VpcLattice),
            json!({"identity": {"type": "AWS_IAM", "principal": "arn:aws:iam::1:role/r"}}),
        )
        .unwrap();
        assert_eq!(lattice.authorizer, Authorizer::Iam);
    }

    #[test]
    fn keys_of_a_lambda_authorizers_context_are_its_claims_whatever_their_names() {
        // A REST API Lambda authorizer's context with members named as other shapes' are.
        let rest = of(
            Some(FrontDoor::RestApi),
            json!({"authorizer": {"principalId": "p", "claims": "{\"sub\":\"u\"}", "jwt": "x", "lambda": "y", "iam": "z"}}),
        )
        .unwrap();
        assert_eq!(rest.authorizer, Authorizer::Lambda);
        assert_eq!(rest.claims.len(), 5, "{:?}", rest.claims);
        // An HTTP API Lambda authorizer that returned no context: a caller without claims.
        let empty = of(Some(FrontDoor::HttpApiV2), json!({"authorizer": {}})).unwrap();
        assert_eq!(
            (empty.authorizer, empty.claims.len()),
            (Authorizer::Lambda, 0)
        );
        assert!(of(Some(FrontDoor::HttpApiV2), json!({})).is_none());
        // An HTTP API JWT whose scopes are only in its `scope` claim.
        let jwt = of(
            Some(FrontDoor::HttpApiV2),
            json!({"authorizer": {"jwt": {"claims": {"scope": "a b"}, "scopes": null}}}),
        )
        .unwrap();
        assert_eq!(jwt.scopes, ["a", "b"]);
        // HTTP API payload 1.0 on a named stage (which the front door cannot tell from a REST
        // API): its `scopes` member says JWT.
        let v1 = of(
            Some(FrontDoor::RestApi),
            json!({"authorizer": {"claims": {"sub": "u"}, "scopes": null}}),
        )
        .unwrap();
        assert_eq!(v1.authorizer, Authorizer::Jwt);
    }

    #[test]
    fn what_serde_says_of_the_value_is_left_out_of_the_log() {
        assert_eq!(
            without_values(r#"invalid type: string "ada@example.com", expected u64"#),
            "invalid type, expected u64"
        );
        assert_eq!(
            without_values("invalid type: integer `12345`, expected a string"),
            "invalid type, expected a string"
        );
        assert_eq!(
            without_values(r#"invalid value: string "a \" b", expected a tenant id"#),
            "invalid value, expected a tenant id"
        );
        assert_eq!(
            without_values("unknown variant `root`, expected one of `user`, `admin`"),
            "unknown variant, expected one of `user`, `admin`"
        );
        assert_eq!(
            without_values("missing field `tenant`"),
            "missing field `tenant`"
        );
        assert_eq!(without_values("something else 42"), "not readable");
    }

    #[test]
    fn no_identity_is_found_where_none_was_verified() {
        for context in [
            json!({}),
            json!({"authorizer": null}),
            json!({"authorizer": {"principalId": null, "integrationLatency": 0}}),
            json!({"authorizer": {"jwt": null, "lambda": {}, "iam": null}}),
            json!({"identity": {"sourceIp": "1.2.3.4", "userArn": null}}),
            json!({"identity": {"type": "NONE"}}),
        ] {
            assert!(
                of(Some(FrontDoor::RestApi), context.clone()).is_none(),
                "{context}"
            );
        }
    }
}
