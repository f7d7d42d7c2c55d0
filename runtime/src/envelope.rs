//! Normalization: every response that leaves a handler meets the strict envelope contract of its
//! front door before `lambda_http` turns it into JSON.
//!
//! `lambda_http` builds the envelope from an `http::Response`; this module fixes what it would get
//! wrong: repeated headers that it would truncate to their first value, header values that would
//! make serialization fail (and the runtime exit), status codes outside 100–599, and bodies on
//! 204/304 responses.

use crate::front_door::{CookieRule, FrontDoor};
use crate::handler::RequestId;
use crate::{body, problem};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, SET_COOKIE};
use http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};
use lambda_http::Body;

/// Whether a header value can be put in an envelope as it is: the rule of
/// [`lambda_proxy_core::header::is_printable_ascii`].
fn is_envelope_safe(value: &HeaderValue) -> bool {
    lambda_proxy_core::header::is_printable_ascii(value.as_bytes())
}

/// Applies the strict contract to `response` for `front_door` (`None`: a request that did not come
/// from a Lambda event; only the origin-independent rules apply). In place: a response is large
/// enough that moving it in and out shows in the cost of an invocation. `true` when the answer
/// was replaced by a 500 (its status is none a front door takes), which the caller finishes
/// again.
#[must_use]
pub(crate) fn normalize(
    front_door: Option<FrontDoor>,
    request_id: &RequestId,
    response: &mut Response<Body>,
) -> bool {
    let status = response.status().as_u16();
    if !lambda_proxy_core::attribute::STATUS.contains(&status) {
        tracing::error!(
            request_id = request_id.as_str().unwrap_or(""),
            status,
            "handler answered with a status code outside 100-599; answering 500 instead"
        );
        *response = problem::response(StatusCode::INTERNAL_SERVER_ERROR, None, request_id.as_str());
        return true;
    }
    drop_unsafe_header_values(request_id, response.headers_mut());
    if lambda_proxy_core::attribute::NO_BODY.contains(&status) {
        if !body_is_empty(response.body()) {
            tracing::warn!(
                request_id = request_id.as_str().unwrap_or(""),
                status,
                "dropped the body of a response whose status carries none"
            );
        }
        let headers = response.headers_mut();
        headers.remove(CONTENT_LENGTH);
        if status == 204 {
            headers.remove(CONTENT_TYPE);
        }
        *response.body_mut() = Body::Text(String::new());
    } else if matches!(response.body(), Body::Empty) {
        *response.body_mut() = Body::Text(String::new());
    }
    if let Some(front_door) = front_door {
        shape_headers(front_door, request_id, response.headers_mut());
    }
    false
}

fn body_is_empty(body: &Body) -> bool {
    body::bytes(body).0.is_empty()
}

/// Removes every header value that is not printable ASCII, with a warning naming the header
/// (never the value, which may come from user input).
pub(crate) fn drop_unsafe_header_values(request_id: &RequestId, headers: &mut HeaderMap) {
    if headers.values().all(is_envelope_safe) {
        return;
    }
    let old = std::mem::take(headers);
    let mut name = None;
    for (key, value) in old {
        if key.is_some() {
            name = key;
        }
        let Some(name) = name.clone() else { continue };
        if is_envelope_safe(&value) {
            headers.append(name, value);
        } else {
            tracing::warn!(
                request_id = request_id.as_str().unwrap_or(""),
                header = name.as_str(),
                "dropped a response header value that is not printable ASCII (control characters or non-ASCII bytes cannot be carried in a Lambda proxy envelope)"
            );
        }
    }
}

/// A header from user-supplied parts, or `None` (and a warning naming `caller`) when either is not
/// valid HTTP: a header built from user input must not break the response.
pub(crate) fn header_pair<K, V>(
    name: K,
    value: V,
    caller: &str,
) -> Option<(HeaderName, HeaderValue)>
where
    HeaderName: TryFrom<K>,
    HeaderValue: TryFrom<V>,
{
    match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
        (Ok(name), Ok(value)) => Some((name, value)),
        _ => {
            tracing::warn!(
                caller,
                "a header with an invalid name or value was left out"
            );
            None
        }
    }
}

/// Adds every value of `source` to `target`. With `replace`, a name present in both keeps only
/// `source`'s values; without, `source`'s values are added after `target`'s.
pub(crate) fn merge_headers(target: &mut HeaderMap, source: HeaderMap, replace: bool) {
    let mut current = None;
    for (name, value) in source {
        // `HeaderMap`'s iterator names each header once, on its first value.
        if let Some(name) = name {
            if replace {
                target.remove(&name);
            }
            current = Some(name);
        }
        if let Some(name) = &current {
            target.append(name.clone(), value);
        }
    }
}

/// Joins repeated header values for envelopes that only have a single-value `headers` map, and
/// applies the front door's cookie rule.
fn shape_headers(front_door: FrontDoor, request_id: &RequestId, headers: &mut HeaderMap) {
    let format = front_door.format();
    // Multi-value envelopes carry every value as it is; `lambda_http` puts every header in
    // `multiValueHeaders` only, exactly what they need.
    if !format.single_value_headers() {
        return;
    }
    if headers.len() == headers.keys_len() {
        return; // no repeated header: the common case costs one comparison
    }
    let repeated: Vec<_> = headers
        .keys()
        .filter(|k| headers.get_all(*k).iter().nth(1).is_some())
        .cloned()
        .collect();
    for name in repeated {
        if name == SET_COOKIE {
            // Cookies cannot be comma-joined: payload 2.0 sends every value in `cookies`; a
            // single-value map can send only the first.
            if format.cookies() == CookieRule::FirstOnly {
                tracing::warn!(
                    request_id = request_id.as_str().unwrap_or(""),
                    front_door = front_door.name(),
                    "this front door has no way to send several Set-Cookie headers; only the first is sent"
                );
                // `insert` replaces every value and keeps the header's place.
                if let Some(first) = headers.get(&name).cloned() {
                    headers.insert(name, first);
                }
            }
            continue;
        }
        let mut joined = Vec::new();
        for (i, value) in headers.get_all(&name).iter().enumerate() {
            if i > 0 {
                joined.extend_from_slice(b", ");
            }
            joined.extend_from_slice(value.as_bytes());
        }
        // The parts are printable ASCII already, so the joined value is too.
        if let Ok(value) = HeaderValue::from_bytes(&joined) {
            headers.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16) -> Response<Body> {
        Response::builder()
            .status(status)
            .header("x-a", "1")
            .header("x-a", "2")
            .header(SET_COOKIE, "a=1")
            .header(SET_COOKIE, "b=2")
            .body(Body::Text("hi".into()))
            .unwrap()
    }

    #[test]
    fn joins_repeated_values_for_single_value_front_doors() {
        let mut r = response(200);
        let _ = normalize(Some(FrontDoor::HttpApiV2), &RequestId::default(), &mut r);
        assert_eq!(r.headers().get_all("x-a").iter().count(), 1);
        assert_eq!(r.headers()["x-a"], "1, 2");
        assert_eq!(r.headers().get_all(SET_COOKIE).iter().count(), 2);
    }

    #[test]
    fn keeps_repeated_values_for_multi_value_front_doors() {
        let mut r = response(200);
        let _ = normalize(Some(FrontDoor::RestApi), &RequestId::default(), &mut r);
        assert_eq!(r.headers().get_all("x-a").iter().count(), 2);
    }

    #[test]
    fn lattice_keeps_first_cookie_only() {
        let mut r = response(200);
        let _ = normalize(Some(FrontDoor::VpcLattice), &RequestId::default(), &mut r);
        let cookies: Vec<_> = r.headers().get_all(SET_COOKIE).iter().collect();
        assert_eq!(cookies, ["a=1"]);
    }

    #[test]
    fn no_content_loses_its_body_and_content_type() {
        let mut r = response(204);
        r.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        let mut r = r;
        let _ = normalize(None, &RequestId::default(), &mut r);
        assert!(matches!(r.body(), Body::Text(t) if t.is_empty()));
        assert!(r.headers().get(CONTENT_TYPE).is_none());
    }

    #[test]
    fn merging_keeps_every_value() {
        let mut source = HeaderMap::new();
        source.append(SET_COOKIE, HeaderValue::from_static("a=1"));
        source.append(SET_COOKIE, HeaderValue::from_static("b=2"));
        source.append(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        let mut target = HeaderMap::new();
        target.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        target.insert(SET_COOKIE, HeaderValue::from_static("z=0"));
        let mut replaced = target.clone();
        merge_headers(&mut replaced, source.clone(), true);
        assert_eq!(replaced.get_all(SET_COOKIE).iter().count(), 2);
        assert_eq!(replaced[CONTENT_TYPE], "text/plain");
        merge_headers(&mut target, source, false);
        assert_eq!(target.get_all(SET_COOKIE).iter().count(), 3);
        assert_eq!(target.get_all(CONTENT_TYPE).iter().count(), 2);
    }

    #[test]
    fn status_out_of_range_becomes_500() {
        let mut r = response(600);
        let _ = normalize(None, &RequestId::default(), &mut r);
        assert_eq!(r.status(), 500);
    }

    #[test]
    fn unsafe_values_are_dropped_safe_ones_kept() {
        let mut r = response(200);
        r.headers_mut()
            .append("x-a", HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap());
        r.headers_mut()
            .insert("x-tab", HeaderValue::from_bytes(b"a\tb").unwrap());
        let mut r = r;
        let _ = normalize(None, &RequestId::default(), &mut r);
        let values: Vec<_> = r.headers().get_all("x-a").iter().collect();
        assert_eq!(values, ["1", "2"]);
        assert!(r.headers().get("x-tab").is_none());
    }
}
