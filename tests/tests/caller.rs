//! Who called: the identity every front door's authorizer verified reaches the handler, through
//! lambda-proxy's adapter (from the event as sent) and under `lambda_http` (from its request
//! context); no identity is a 401, claims of the wrong shape a 403 whose reason is not sent.

use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Authorizer, Caller, FrontDoor, HttpError, Request, Router};
use serde_json::{json, Value};

/// The caller as the handler sees it.
#[proxy_handler(route = "GET /who")]
async fn who(caller: Caller) -> Value {
    json!({
        "authorizer": caller.authorizer.name(),
        "claims": caller.claims,
        "scopes": caller.scopes,
    })
}

#[derive(Debug, serde::Deserialize)]
struct Tenant {
    tenant: u64,
}

#[proxy_handler(route = "GET /tenant")]
async fn tenant(caller: Caller<Tenant>) -> u64 {
    caller.claims.tenant
}

/// The same, for a WebSocket API, whose events are not routed.
#[proxy_handler]
async fn who_unrouted(request: Request) -> Result<Value, HttpError> {
    let caller = Caller::<Value>::of(&request)?;
    Ok(json!({
        "authorizer": caller.authorizer.name(),
        "claims": caller.claims,
        "scopes": caller.scopes,
    }))
}

fn app() -> Router {
    Router::new().route(who).unwrap().route(tenant).unwrap()
}

fn request(front_door: FrontDoor) -> TestRequest {
    TestRequest::new(front_door)
        .path("/who")
        .resource("/{proxy+}")
}

/// `request` served by the router, or by the unrouted handler for a WebSocket API.
async fn invoke(request: TestRequest) -> lambda_proxy::testing::Envelope {
    if request.front_door() == FrontDoor::WebSocket {
        request.invoke(who_unrouted).await
    } else {
        request.invoke(app()).await
    }
}

#[tokio::test]
async fn every_front_doors_authorizer_reaches_the_handler() {
    let claims =
        json!({"sub": "u-1", "exp": 1767225600, "groups": ["admin", "ops"], "scope": "read write"});
    let cases = [
        // (front door, authorizer, the authorizer seen, the claims seen, the scopes seen)
        (
            FrontDoor::HttpApiV2,
            Authorizer::Jwt,
            "jwt",
            json!({"sub": "u-1", "exp": "1767225600", "groups": "[admin ops]", "scope": "read write"}),
            json!(["read", "write"]),
        ),
        (
            FrontDoor::HttpApiV1,
            Authorizer::Jwt,
            "jwt",
            json!({"sub": "u-1", "exp": "1767225600", "groups": "[admin ops]", "scope": "read write"}),
            json!(["read", "write"]),
        ),
        (
            FrontDoor::RestApi,
            Authorizer::CognitoUserPool,
            "cognito_user_pool",
            json!({"sub": "u-1", "exp": "1767225600", "groups": "[admin ops]", "scope": "read write"}),
            json!(["read", "write"]),
        ),
        (
            FrontDoor::HttpApiV2,
            Authorizer::Lambda,
            "lambda",
            claims.clone(),
            json!([]),
        ),
        (
            FrontDoor::RestApi,
            Authorizer::Lambda,
            "lambda",
            json!({"principalId": "test-principal", "sub": "u-1", "exp": "1767225600", "groups": "[admin ops]", "scope": "read write"}),
            json!([]),
        ),
        (
            FrontDoor::WebSocket,
            Authorizer::Lambda,
            "lambda",
            json!({"principalId": "test-principal", "sub": "u-1", "exp": "1767225600", "groups": "[admin ops]", "scope": "read write"}),
            json!([]),
        ),
    ];
    for (door, authorizer, seen, expected, scopes) in cases {
        let envelope = invoke(request(door).caller(authorizer, claims.clone())).await;
        envelope.assert_valid();
        assert_eq!(
            envelope.status(),
            200,
            "{door} {authorizer}: {}",
            envelope.body()
        );
        let body: Value = envelope.json_body().unwrap();
        assert_eq!(body["authorizer"], seen, "{door} {authorizer}");
        assert_eq!(body["claims"], expected, "{door} {authorizer}");
        assert_eq!(body["scopes"], scopes, "{door} {authorizer}");
    }
}

#[tokio::test]
async fn an_iam_caller_is_read_from_every_front_door_that_signs() {
    let identity =
        json!({"userArn": "arn:aws:iam::123456789012:user/ada", "accountId": "123456789012"});
    for door in [
        FrontDoor::RestApi,
        FrontDoor::HttpApiV1,
        FrontDoor::HttpApiV2,
        FrontDoor::FunctionUrl,
        FrontDoor::WebSocket,
    ] {
        let envelope = invoke(request(door).caller(Authorizer::Iam, identity.clone())).await;
        assert_eq!(envelope.status(), 200, "{door}: {}", envelope.body());
        let body: Value = envelope.json_body().unwrap();
        assert_eq!(body["authorizer"], "iam", "{door}");
        assert_eq!(body["claims"]["userArn"], identity["userArn"], "{door}");
    }
    let lattice = request(FrontDoor::VpcLattice)
        .caller(
            Authorizer::Iam,
            json!({"principal": "arn:aws:iam::123456789012:role/caller"}),
        )
        .invoke(app())
        .await;
    assert_eq!(lattice.status(), 200, "{}", lattice.body());
    assert_eq!(
        lattice.json_body::<Value>().unwrap()["claims"],
        json!({"type": "AWS_IAM", "principal": "arn:aws:iam::123456789012:role/caller"})
    );
}

#[tokio::test]
async fn no_verified_identity_is_a_401_on_every_front_door() {
    for door in FrontDoor::ALL {
        let envelope = invoke(request(door)).await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 401, "{door}: {}", envelope.body());
        assert_eq!(
            envelope.header("content-type").as_deref(),
            Some("application/problem+json")
        );
        assert_eq!(
            envelope.header("www-authenticate").as_deref(),
            Some("Bearer")
        );
    }
    // An ALB's OIDC headers are not a verified identity to lambda-proxy.
    let alb = request(FrontDoor::Alb)
        .header("x-amzn-oidc-identity", "u-1")
        .header("x-amzn-oidc-data", "eyJhbGciOiJFUzI1NiJ9.e30.sig")
        .invoke(app())
        .await;
    assert_eq!(alb.status(), 401);
}

#[tokio::test]
async fn claims_of_the_wrong_shape_are_a_403_whose_reason_is_not_sent() {
    let tenant = |claims: Value| {
        TestRequest::http_api()
            .path("/tenant")
            .caller(Authorizer::Lambda, claims)
            .invoke(app())
    };
    let ok = tenant(json!({"tenant": 7})).await;
    assert_eq!((ok.status(), ok.body()), (200, "7"));
    for claims in [json!({"tenant": "seven"}), json!({"other": 7})] {
        let envelope = tenant(claims).await;
        envelope.assert_valid();
        assert_eq!(envelope.status(), 403);
        let body: Value = envelope.json_body().unwrap();
        assert_eq!(
            body["detail"],
            "the caller's identity lacks what this operation needs"
        );
        assert!(!envelope.body().contains("tenant"), "{}", envelope.body());
    }
    // A JWT's claims are strings: a number claim is read as a string, or not at all.
    let jwt = TestRequest::http_api()
        .path("/tenant")
        .caller(Authorizer::Jwt, json!({"tenant": 7}))
        .invoke(app())
        .await;
    assert_eq!(jwt.status(), 403);
}

#[test]
fn under_lambda_http_the_caller_is_read_from_its_request_context() {
    let claims = json!({"sub": "u-1"});
    let jwt = TestRequest::http_api()
        .caller(Authorizer::Jwt, claims.clone())
        .into_request();
    let caller = Caller::<Value>::of(&jwt).unwrap();
    assert_eq!(caller.claims, json!({"sub": "u-1"}));
    let lambda = TestRequest::http_api()
        .caller(Authorizer::Lambda, claims.clone())
        .into_request();
    assert_eq!(
        Caller::<Value>::of(&lambda).unwrap().authorizer,
        Authorizer::Lambda
    );
    // A REST API's authorizer is kept whole: its Cognito claims, a Lambda authorizer's context.
    let cognito = TestRequest::rest_api()
        .caller(Authorizer::CognitoUserPool, claims.clone())
        .into_request();
    let caller = Caller::<Value>::of(&cognito).unwrap();
    assert_eq!(
        (caller.authorizer, caller.claims),
        (Authorizer::CognitoUserPool, claims)
    );
    let nobody = TestRequest::rest_api().into_request();
    assert_eq!(Caller::<Value>::of(&nobody).unwrap_err().status(), 401);
}

#[test]
#[should_panic(expected = "Application Load Balancer has no jwt authorizer")]
fn the_kit_refuses_an_authorizer_the_front_door_does_not_have() {
    let _ = TestRequest::alb()
        .caller(Authorizer::Jwt, json!({"sub": "u-1"}))
        .event();
}

#[test]
#[should_panic(expected = "Lambda function URL has no lambda authorizer")]
fn the_kit_knows_function_urls_verify_iam_callers_only() {
    let _ = TestRequest::function_url()
        .caller(Authorizer::Lambda, json!({"sub": "u-1"}))
        .event();
}

/// Events AWS sent, as `aws_lambda_events` keeps them (`tests/fixtures/aws_lambda_events`): the
/// caller each holds, read through `run`'s adapter, without the testing kit's own idea of where
/// an authorizer puts it.
#[tokio::test]
async fn the_callers_of_captured_aws_events() {
    use lambda_proxy::testing::TestEvent;
    let fixture = |name: &str| {
        std::fs::read_to_string(format!("fixtures/aws_lambda_events/{name}"))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let cases = [
        (
            "example-apigw-request.json",
            Some((
                "lambda",
                json!({"principalId": "admin", "clientId": 1, "clientName": "Exata"}),
                json!([]),
            )),
        ),
        (
            "example-apigw-websocket-request.json",
            Some((
                "lambda",
                json!({"principalId": "admin", "clientId": 1, "clientName": "Exata"}),
                json!([]),
            )),
        ),
        (
            "example-apigw-v2-request-jwt-authorizer.json",
            Some((
                "jwt",
                json!({"claim1": "value1", "claim2": "value2"}),
                json!(["scope1", "scope2"]),
            )),
        ),
        (
            "example-apigw-v2-request-lambda-authorizer.json",
            Some(("lambda", json!({"key": "value"}), json!([]))),
        ),
        ("example-apigw-v2-request-no-authorizer.json", None),
        ("example-apigw-sam-rest-request.json", None),
        ("example-apigw-sam-http-request.json", None),
    ];
    for (name, expected) in cases {
        let envelope = TestEvent::from_json(&fixture(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .invoke(who_unrouted)
            .await;
        match expected {
            Some((authorizer, claims, scopes)) => {
                assert_eq!(envelope.status(), 200, "{name}: {}", envelope.body());
                let body: Value = envelope.json_body().unwrap();
                assert_eq!(body["authorizer"], authorizer, "{name}");
                assert_eq!(body["claims"], claims, "{name}");
                assert_eq!(body["scopes"], scopes, "{name}");
            }
            None => assert_eq!(envelope.status(), 401, "{name}: {}", envelope.body()),
        }
    }
    // IAM: the caller's ARN from an HTTP API, and the principal from VPC Lattice.
    for (name, member, arn) in [
        (
            "example-apigw-v2-request-iam.json",
            "userArn",
            "arn:aws:iam::1234567890:user/Admin",
        ),
        (
            "example-vpc-lattice-v2-request.json",
            "principal",
            "arn:aws:iam::123456789012:role/service-role/HealthChecker",
        ),
    ] {
        let envelope = TestEvent::from_json(&fixture(name))
            .unwrap()
            .invoke(who_unrouted)
            .await;
        assert_eq!(envelope.status(), 200, "{name}: {}", envelope.body());
        let body: Value = envelope.json_body().unwrap();
        assert_eq!(body["authorizer"], "iam", "{name}");
        assert_eq!(body["claims"][member], arn, "{name}: {body}");
        assert!(
            body["claims"]
                .as_object()
                .unwrap()
                .values()
                .all(|v| !v.is_null()),
            "{name}: no nulls: {body}"
        );
    }
}

/// The document shows the security an operation reading a `Caller` requires, and its answers.
#[cfg(feature = "openapi")]
#[test]
fn the_document_requires_the_authorizer_where_a_caller_is_read() {
    use lambda_proxy::openapi::{document, Info};
    let sigv4 = json!({"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"});
    let info = Info::new("who", "1.0.0").security_scheme("authorizer", sigv4.clone());
    let app = app().openapi("/openapi.json", info).unwrap();
    let doc = document(app).unwrap().to_json();
    let who = &doc["paths"]["/who"]["get"];
    assert_eq!(who["security"], json!([{"authorizer": []}]));
    assert!(who["responses"]["401"].is_object() && who["responses"]["403"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["authorizer"], sigv4);
    // The document's own route requires nothing.
    assert!(doc["paths"]["/openapi.json"]["get"]
        .get("security")
        .is_none());
}
