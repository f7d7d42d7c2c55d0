//! How a front door verified the caller of a request: the kinds of authorizer, whose identity
//! each front door writes into the event in a place and shape of its own.

use std::fmt;

/// How the front door verified the caller before the function was invoked (lambda-proxy's
/// `Caller`).
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
