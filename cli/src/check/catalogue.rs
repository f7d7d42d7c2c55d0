//! Every finding the checker can report: its stable code, why it matters (with the source of the
//! fact) and the usual fix. The rules (`rules.rs`) say where and how serious; the words live here.
//!
//! A code can have more than one entry when the reason differs by front door (`status-missing`:
//! mangled on HTTP API 2.0, rejected by ALB, defaulted to 200 by REST APIs).

/// One kind of finding.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The stable identifier, as [`Finding::code`](super::Finding::code).
    pub code: &'static str,
    /// Why, with the source of the fact.
    pub why: &'static str,
    /// How to fix it (a finding may give a more specific fix).
    pub fix: &'static str,
}

macro_rules! rules {
    ($($(#[$doc:meta])* $name:ident = $code:literal, why $why:literal, fix $fix:literal;)*) => {
        $(
            $(#[$doc])*
            pub(crate) const $name: Rule = Rule { code: $code, why: $why, fix: $fix };
        )*
        /// Every rule, in the order of this file.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    /// The envelope is larger than the front door delivers.
    TOO_LARGE = "too-large",
        why "AWS documents 6 MB for synchronous Lambda responses, 1 MB for ALB and 128 KB for WebSocket messages; base64 bodies count at 4/3 of the binary size",
        fix "return less (paginate, compress, or hand out a pre-signed S3 URL for large content)";
    /// The response is not an object (a string holding an envelope's JSON among them); payload 2.0
    /// infers an envelope around it.
    INFERRED_V2 = "not-an-object",
        why "AWS documents that a 2.0 response without statusCode is taken as the body of a 200 answer",
        fix "return an object {\"statusCode\": 200, \"headers\": {...}, \"body\": \"...\"} with the body as a string";
    /// The response is not an object (or an envelope serialized twice).
    NOT_AN_OBJECT = "not-an-object",
        why "the proxy integration reads statusCode, headers and body from a JSON object (recorded against AWS for strings; SAM rejects other values)",
        fix "return an object {\"statusCode\": 200, \"headers\": {...}, \"body\": \"...\"} with the body as a string";
    /// Lambda's error object: the function timed out.
    FUNCTION_TIMEOUT = "function-timeout",
        why "AWS documents that a timed-out invocation reaches the client as the front door's generic error (REST APIs answer 504 on their own after 29 s)",
        fix "answer before the deadline: read it from the Lambda context and reply with a 504 or partial result in time (lambda-proxy's timeout guard does this); raise the function timeout, or make the handler faster";
    /// Lambda's error object: the function failed instead of answering.
    FUNCTION_ERROR = "function-error",
        why "AWS documents that a function error reaches the client as the front door's generic error, with no body the function controls",
        fix "catch every error in the handler and answer with an envelope (lambda-proxy's #[proxy_handler] does this for Rust); look at errorMessage and the function's log for the cause";
    /// `multiValueHeaders` on payload 2.0, which has none.
    MULTI_VALUE_HEADERS_V2 = "multi-value-headers-v2",
        why "AWS documents headers, cookies, body, isBase64Encoded and statusCode for 2.0 responses; what happens to other keys is not documented",
        fix "put each header in headers, comma-joining repeated values, and Set-Cookie values in cookies";
    /// A member the front door does not allow.
    UNKNOWN_KEY = "unknown-key",
        why "REST APIs reject any member outside the allowed ones (recorded against AWS)",
        fix "remove the member";
    /// No `statusCode` in an object that looks like an envelope, on payload 2.0.
    STATUS_MISSING_V2_ENVELOPE = "status-missing",
        why "AWS documents that a 2.0 response without statusCode is taken as the body of a 200 answer",
        fix "add \"statusCode\": 200 (an integer)";
    /// No `statusCode` in a plain object, on payload 2.0.
    STATUS_MISSING_V2_DATA = "status-missing",
        why "AWS documents this inference for 2.0 responses",
        fix "return an envelope with \"statusCode\" and the object serialized as \"body\"";
    /// No `statusCode` on ALB, which requires it.
    STATUS_MISSING_ALB = "status-missing",
        why "AWS documents statusCode as required for ALB responses",
        fix "add \"statusCode\": 200 (an integer)";
    /// No `statusCode` where rejection is only seen in an emulator.
    STATUS_MISSING_UNCONFIRMED = "status-missing",
        why "the envelope's status is how the client learns the outcome",
        fix "add \"statusCode\": 200 (an integer)";
    /// No `statusCode` on a REST API, which answers 200.
    STATUS_MISSING_REST = "status-missing",
        why "recorded against AWS: a REST API answers 200 when statusCode is missing",
        fix "add \"statusCode\" (an integer)";
    /// A fractional `statusCode`.
    STATUS_NOT_INTEGER = "status-not-integer",
        why "a status code is a whole number",
        fix "use an integer such as 201";
    /// A `statusCode` outside 100–599.
    STATUS_OUT_OF_RANGE = "status-out-of-range",
        why "HTTP status codes are three digits, 100 to 599",
        fix "use a status between 100 and 599 (500 for a failure)";
    /// A numeric string as `statusCode` on a REST API, which reads it.
    STATUS_STRING_REST = "status-string",
        why "recorded against AWS: numeric strings are accepted by REST APIs",
        fix "write it as a number";
    /// A numeric string as `statusCode` elsewhere.
    STATUS_STRING = "status-string",
        why "REST APIs accept numeric strings (recorded against AWS); other front doors are not documented",
        fix "write it as a number";
    /// A non-numeric string as `statusCode`.
    STATUS_NOT_A_NUMBER_STRING = "status-not-a-number",
        why "recorded against AWS (REST API) and the SAM emulator: a non-numeric statusCode is rejected",
        fix "use an integer status code such as 200";
    /// A `statusCode` of another JSON type.
    STATUS_NOT_A_NUMBER = "status-not-a-number",
        why "a status code must be an integer; API Gateway cannot read one from this",
        fix "use an integer status code such as 200";
    /// `"body": null`.
    BODY_NULL = "body-null",
        why "API Gateway expects body to be a string",
        fix "send \"body\": \"\" for an empty body";
    /// No `body`.
    BODY_MISSING = "body-missing",
        why "recorded against AWS: a missing body is an empty one",
        fix "send \"body\": \"\" explicitly, or the content meant";
    /// A body on a 204 or 304.
    BODY_ON_NO_CONTENT = "body-on-no-content",
        why "204 and 304 responses carry no body (RFC 9110)",
        fix "send an empty body, or another status";
    /// An object or array as the body: the classic 502.
    BODY_OBJECT = "body-not-string",
        why "the proxy integration requires body to be a string; an object body is the classic cause of \"Malformed Lambda proxy response\" (real execution logs)",
        fix "serialize the object, e.g. JSON.stringify(body) / json.dumps(body) / serde_json::to_string(&body), and send it with content-type: application/json";
    /// A number or boolean as the body.
    BODY_SCALAR = "body-not-string",
        why "the envelope's body is a string: API Gateway deserializes the envelope into typed members, and a number or boolean is not one",
        fix "send it as a string, e.g. \"body\": \"42\"";
    /// A JSON body without `content-type`.
    CONTENT_TYPE_MISSING = "content-type-missing",
        why "recorded against AWS: API Gateway adds the header when none is given",
        fix "send content-type: application/json with JSON bodies";
    /// ALB requires `isBase64Encoded`.
    BASE64_FLAG_MISSING = "base64-flag-missing",
        why "AWS documents isBase64Encoded as required for ALB responses",
        fix "add \"isBase64Encoded\": false (true only for base64 bodies)";
    /// `isBase64Encoded` with a body that is not base64.
    BASE64_INVALID = "base64-invalid",
        why "recorded against AWS: invalid base64 with a matching binaryMediaTypes entry is a 500",
        fix "base64-encode the bytes (standard alphabet, with padding), or set isBase64Encoded to false for text";
    /// A base64 body on a REST API depends on `binaryMediaTypes`.
    BASE64_BINARY_MEDIA_TYPES = "base64-binary-media-types",
        why "recorded against AWS and documented: REST APIs decode base64 bodies only for binaryMediaTypes",
        fix "add the content type (or */*) to the API's binaryMediaTypes, and have clients send a matching Accept header";
    /// `isBase64Encoded` that is not a boolean.
    BASE64_FLAG_NOT_BOOLEAN = "base64-flag-not-boolean",
        why "isBase64Encoded is a JSON boolean; API Gateway deserializes the envelope into typed members, and the SAM emulator rejects other values",
        fix "use true or false";
    /// ALB requires `headers` (or `multiValueHeaders`).
    HEADERS_MISSING = "headers-missing",
        why "AWS documents headers as required for ALB responses (multiValueHeaders in multi-value mode)",
        fix "send \"headers\": {} and \"multiValueHeaders\": {} with the response headers";
    /// `"headers": null` outside REST APIs.
    HEADERS_NULL = "headers-null",
        why "recorded against AWS for REST APIs only",
        fix "send \"headers\": {}";
    /// `Set-Cookie` in the single-value map of payload 2.0.
    SET_COOKIE_IN_HEADERS = "set-cookie-in-headers",
        why "AWS documents cookies as the place for Set-Cookie values in payload 2.0",
        fix "move the cookie to the \"cookies\" array";
    /// `headers` that is not an object.
    HEADERS_NOT_OBJECT = "headers-not-object",
        why "headers maps names to string values: API Gateway deserializes it as a map of strings, and the SAM CLI and LocalStack parsers reject anything else",
        fix "send an object such as {\"content-type\": \"application/json\"}";
    /// `multiValueHeaders` that is not an object.
    MULTI_VALUE_HEADERS_NOT_OBJECT = "headers-not-object",
        why "multiValueHeaders maps names to arrays of strings: API Gateway deserializes it as a map of string lists, and the SAM CLI and LocalStack parsers reject anything else",
        fix "send an object such as {\"set-cookie\": [\"a=1\", \"b=2\"]}";
    /// A `multiValueHeaders` value that is not an array.
    MULTI_VALUE_NOT_ARRAY = "multi-value-not-array",
        why "recorded against AWS: a multiValueHeaders value that is not an array is a 502",
        fix "send an array of strings";
    /// The same header in both maps.
    HEADER_IN_BOTH_MAPS = "header-in-both-maps",
        why "API Gateway merges the two maps; the documentation says once, real reports say twice",
        fix "put each header in one map only (multiValueHeaders when it repeats)";
    /// A header name that is not an RFC 9110 token.
    HEADER_NAME_INVALID = "header-name-invalid",
        why "header names are RFC 9110 tokens: letters, digits and !#$%&'*+-.^_`|~",
        fix "rename the header";
    /// CR or LF in a header value.
    HEADER_VALUE_CRLF = "header-value-crlf",
        why "line breaks end a header line in HTTP/1.1; values copied from user input are the usual source",
        fix "remove line breaks (and other control characters) from header values";
    /// Control characters or non-ASCII bytes in a header value.
    HEADER_VALUE_NOT_ASCII = "header-value-not-ascii",
        why "header values are printable ASCII (RFC 9110 allows other bytes only as obsolete text)",
        fix "percent-encode the value, or move it to the body";
    /// A boolean header value on a REST API, which sends it as text.
    HEADER_VALUE_BOOLEAN_REST = "header-value-not-string",
        why "recorded against AWS: boolean header values are accepted by REST APIs",
        fix "send it as a string";
    /// A header value that is not a string.
    HEADER_VALUE_NOT_STRING = "header-value-not-string",
        why "header values are strings",
        fix "send it as a string";
    /// A cookie that is not a string.
    COOKIE_NOT_STRING = "cookie-not-string",
        why "each cookie is the text of one Set-Cookie header: API Gateway deserializes cookies as a list of strings",
        fix "send \"name=value; Path=/\" strings";
    /// `cookies` that is not an array.
    COOKIES_NOT_ARRAY = "cookies-not-array",
        why "AWS documents cookies as an array of Set-Cookie values; API Gateway deserializes it as a list of strings",
        fix "send an array of strings";
    /// `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true`.
    CORS_STAR_WITH_CREDENTIALS = "cors-any-origin-with-credentials",
        why "the Fetch standard: a browser rejects a credentialed response whose Access-Control-Allow-Origin is *, and the page sees only \"CORS error\"",
        fix "reflect the request's Origin (when it is allowed) in place of *, with Vary: Origin (lambda-proxy's Cors does)";
    /// A reflected origin without `Vary: Origin`.
    CORS_NO_VARY = "cors-origin-without-vary",
        why "an answer whose Access-Control-Allow-Origin depends on the request's Origin must say so with Vary: Origin, or a cache (CloudFront, a browser) serves one origin's answer to another",
        fix "add Vary: Origin to every answer whose CORS headers depend on the origin (lambda-proxy's Cors does)";
    /// More than one `Access-Control-Allow-Origin` value.
    CORS_SEVERAL_ORIGINS = "cors-several-origins",
        why "the Fetch standard: Access-Control-Allow-Origin is one origin or *; a browser rejects an answer with two values (a list, or the header twice) and the page sees only \"CORS error\"",
        fix "send the one origin the request came from, when it is allowed, with Vary: Origin (lambda-proxy's Cors does)";
    /// `Access-Control-Allow-Credentials` other than exactly `true`.
    CORS_CREDENTIALS_NOT_TRUE = "cors-credentials-not-true",
        why "the Fetch standard compares Access-Control-Allow-Credentials with the exact, case-sensitive value true; a browser blocks a credentialed request's answer for any other value",
        fix "send Access-Control-Allow-Credentials: true, or leave the header out";
    /// An allowed origin with a path or a trailing `/`.
    CORS_ORIGIN_NOT_SERIALIZED = "cors-origin-not-an-origin",
        why "a browser compares Access-Control-Allow-Origin with its serialized origin, scheme://host[:port] without a trailing /; https://app.example.com/ never matches",
        fix "send the origin as the browser's Origin header spells it, without a path or a trailing /";
    /// `Access-Control-Allow-Headers: *` (or `-Methods`, `-Expose-Headers`) with credentials.
    CORS_WILDCARD_WITH_CREDENTIALS = "cors-wildcard-with-credentials",
        why "the Fetch standard: with credentials, * in Access-Control-Allow-Headers, -Allow-Methods and -Expose-Headers is the literal name *, not a wildcard, so a preflight asking for another header or method fails",
        fix "list the headers or methods by name (lambda-proxy's Cors reflects the requested headers with allow_any_headers)";
    /// A 405 answer without `Allow`.
    METHOD_NOT_ALLOWED_WITHOUT_ALLOW = "405-without-allow",
        why "RFC 9110 section 15.5.6: a 405 answer must carry Allow, listing the methods the resource supports",
        fix "add Allow: GET, HEAD, OPTIONS (the methods of the path) to the 405 answer";
}
