//! Who called: the identity the front door's authorizer verified, read from the request context
//! ([`Caller`]).

use crate::front_door::FrontDoor;
use crate::router::{FromRequestParts, Route};
use crate::HttpError;
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::fmt;

/// How the front door verified the [`Caller`] before the function was invoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Authorizer {
    /// An HTTP API's JWT authorizer: the token's claims (`requestContext.authorizer.jwt` in
    /// payload 2.0, `requestContext.authorizer.claims` in payload 1.0) and its scopes.
    Jwt,
    /// A REST API's Cognito user pool authorizer: the token's claims
    /// (`requestContext.authorizer.claims`).
    CognitoUserPool,
    /// A Lambda authorizer: the context it returned (a REST API's `requestContext.authorizer`,
    /// with its `principalId`; an HTTP API's `requestContext.authorizer.lambda`; a WebSocket
    /// API's `$connect` authorizer).
    Lambda,
    /// IAM (a SigV4-signed request): the caller's AWS identity (an HTTP API's or a function
    /// URL's `requestContext.authorizer.iam`, a REST API's `requestContext.identity`, VPC
    /// Lattice's `requestContext.identity`).
    Iam,
}

impl Authorizer {
    /// The authorizer's name, as the access record and the docs write it: `jwt`,
    /// `cognito_user_pool`, `lambda`, `iam`.
    pub fn name(self) -> &'static str {
        match self {
            Authorizer::Jwt => "jwt",
            Authorizer::CognitoUserPool => "cognito_user_pool",
            Authorizer::Lambda => "lambda",
            Authorizer::Iam => "iam",
        }
    }
}

impl fmt::Display for Authorizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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
    /// 401 when the request carries no verified identity; 403 when its claims are not a `T`
    /// (the reason attached with [`HttpError::with_source`]: logged, not sent).
    pub fn of(request: &Request) -> Result<Self, HttpError> {
        let Some(found) = identity(request) else {
            return Err(HttpError::unauthorized(
                "the request carries no identity verified by an authorizer",
            ));
        };
        let claims = Value::Object(found.claims);
        match serde_path_to_error::deserialize::<_, T>(claims) {
            Ok(claims) => Ok(Caller {
                claims,
                scopes: found.scopes,
                authorizer: found.authorizer,
            }),
            Err(error) => Err(HttpError::forbidden(
                "the caller's identity lacks what this operation needs",
            )
            .with_source(format!(
                "the {} identity's claims are not a `{}`: at `{}`: {}",
                found.authorizer,
                std::any::type_name::<T>(),
                error.path(),
                error.inner()
            ))),
        }
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
    authorizer: Option<Value>,
    identity: Option<Value>,
}

/// The verified identity of `request`, from its request context.
fn identity(request: &Request) -> Option<Found> {
    let context = from_lambda_http(request.request_context_ref()?);
    found(crate::front_door::of(request), context)
}

/// The authorizer and identity members of `lambda_http`'s request context.
fn from_lambda_http(context: &RequestContext) -> ContextIdentity {
    let Ok(Value::Object(mut context)) = serde_json::to_value(context) else {
        return ContextIdentity::default();
    };
    ContextIdentity {
        authorizer: context.remove("authorizer"),
        identity: context.remove("identity"),
    }
}

/// The members of an object value, if it is one with any member that is not `null`.
fn object(value: Option<Value>) -> Option<Map<String, Value>> {
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
    if let Some(mut authorizer) = object(authorizer) {
        if let Some(mut jwt) = object(authorizer.remove("jwt")) {
            return Some(Found {
                authorizer: Authorizer::Jwt,
                claims: object(jwt.remove("claims")).unwrap_or_default(),
                scopes: strings(jwt.remove("scopes")),
            });
        }
        if let Some(claims) = object(authorizer.remove("claims")) {
            let mut scopes = strings(authorizer.remove("scopes"));
            if scopes.is_empty() {
                if let Some(Value::String(scope)) = claims.get("scope") {
                    scopes = scope.split_whitespace().map(str::to_owned).collect();
                }
            }
            // A REST API's is a Cognito user pool's; payload 1.0 of an HTTP API writes its JWT
            // authorizer's claims there too.
            let authorizer = if front_door == Some(FrontDoor::RestApi) {
                Authorizer::CognitoUserPool
            } else {
                Authorizer::Jwt
            };
            return Some(Found {
                authorizer,
                claims,
                scopes,
            });
        }
        if let Some(context) = object(authorizer.remove("lambda")) {
            return Some(Found {
                authorizer: Authorizer::Lambda,
                claims: context,
                scopes: Vec::new(),
            });
        }
        if let Some(iam) = object(authorizer.remove("iam")) {
            return Some(Found {
                authorizer: Authorizer::Iam,
                claims: iam,
                scopes: Vec::new(),
            });
        }
        // A REST API's Lambda authorizer: its context's members and `principalId`, beside the
        // latency API Gateway adds.
        authorizer.remove("integrationLatency");
        if let Some(context) = object(Some(Value::Object(authorizer))) {
            return Some(Found {
                authorizer: Authorizer::Lambda,
                claims: context,
                scopes: Vec::new(),
            });
        }
    }
    let identity = object(identity)?;
    // A REST API's IAM caller has an ARN; VPC Lattice's identity says its type.
    let iam = identity.get("userArn").is_some_and(Value::is_string)
        || identity.get("type").and_then(Value::as_str) == Some("AWS_IAM");
    iam.then(|| Found {
        authorizer: Authorizer::Iam,
        claims: identity
            .into_iter()
            .filter(|(_, value)| !value.is_null())
            .collect(),
        scopes: Vec::new(),
    })
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
