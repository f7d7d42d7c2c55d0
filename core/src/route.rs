//! The route grammar: a route line is a method, one space and a path template, `GET
//! /users/{id}`. `#[proxy_handler(route = "..")]` checks it at compile time and the router when a
//! route is added, with this one [`parse`], so that both accept exactly the same lines and say
//! the same thing about the others.
//!
//! A template starts with `/`, is printable ASCII without `?` or `#`, names each parameter once,
//! and is one that `matchit` (the router's matcher, the one axum uses) accepts: `{name}` for a
//! segment, `{*rest}` last for the rest of the path, `{{` and `}}` for literal braces.

/// The methods a route line can name, in the order an `Allow` header lists them; `ANY` matches
/// every method.
pub const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];

/// Every method a route can serve (`METHODS` without `ANY`), as an `Allow` header lists them.
pub const EVERY_METHOD: &str = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";

/// A route line read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// One of [`METHODS`]; `None` for `ANY`.
    pub method: Option<&'a str>,
    /// The path template, `/users/{id}`.
    pub template: &'a str,
}

/// Reads `GET /users/{id}`: one of [`METHODS`], one space, a template by the rules of the
/// [module documentation](self).
///
/// ```
/// use lambda_proxy_core::route::parse;
///
/// let line = parse("GET /users/{id}").unwrap();
/// assert_eq!((line.method, line.template), (Some("GET"), "/users/{id}"));
/// assert!(parse("GET /a/{{x}}").is_ok()); // a literal `{x}`
/// assert!(parse("GET /a/{id}/{id}").unwrap_err().contains("appears twice"));
/// ```
///
/// # Errors
///
/// The message, naming the line: a missing or unknown method, or the template rule it breaks.
pub fn parse(line: &str) -> Result<Line<'_>, String> {
    let Some((method, template)) = line.split_once(' ') else {
        return Err(format!(
            "route {line:?} has no method: write it as \"GET /path\" (methods: {})",
            METHODS.join(", ")
        ));
    };
    if !METHODS.contains(&method) {
        return Err(format!(
            "unknown method {method:?} in route {line:?}: use one of {} (upper case)",
            METHODS.join(", ")
        ));
    }
    check_template(template).map_err(|why| format!("route {line:?}: {why}"))?;
    Ok(Line {
        method: (method != "ANY").then_some(method),
        template,
    })
}

/// The rules of a template: see the [module documentation](self).
///
/// # Errors
///
/// Which rule the template breaks.
fn check_template(template: &str) -> Result<(), String> {
    if !template.starts_with('/') {
        return Err("the path must start with `/`".into());
    }
    if let Some(c) = template
        .chars()
        .find(|c| !c.is_ascii_graphic() || matches!(c, '?' | '#'))
    {
        return Err(format!(
            "the path cannot contain {c:?}: write it percent-encoded, as clients send it (a query string is read with `Query`, not routed)"
        ));
    }
    let mut names: Vec<&str> = Vec::new();
    for name in parameters(template) {
        if names.contains(&name) {
            return Err(format!("the parameter `{name}` appears twice"));
        }
        names.push(name);
    }
    matchit::Router::new()
        .insert(template, ())
        .map_err(|error| error.to_string())
}

/// The parameter names of a template, in order (`/users/{id}/files/{*path}`: `id`, `path`);
/// `{{` and `}}` are literal braces, not parameters.
///
/// ```
/// use lambda_proxy_core::route::parameters;
///
/// let names: Vec<_> = parameters("/a/{{x}}/{id}/{*rest}").collect();
/// assert_eq!(names, ["id", "rest"]);
/// ```
pub fn parameters(template: &str) -> impl Iterator<Item = &str> {
    let mut rest = template;
    std::iter::from_fn(move || loop {
        let open = rest.find('{')?;
        if rest[open..].starts_with("{{") {
            rest = &rest[open + 2..];
            continue;
        }
        let close = open + rest[open..].find('}')?;
        let name = rest[open + 1..close].trim_start_matches('*');
        rest = &rest[close + 1..];
        return Some(name);
    })
}

/// The member of an OpenAPI path item in which lambda-proxy writes the route's template when the
/// path says less than it (a catch-all, literal braces), so that a contract check matches requests
/// as the router does.
pub const OPENAPI_TEMPLATE: &str = "x-lambda-proxy-template";

/// A template as an OpenAPI path: `{*rest}` is `{rest}` (OpenAPI has no catch-all: the value
/// may hold `/`), and a literal brace (`{{`, `}}`) is percent-encoded (`%7B`, `%7D`), which
/// OpenAPI cannot mistake for a parameter and which the router matches as the brace.
///
/// ```
/// use lambda_proxy_core::route::openapi_path;
///
/// assert_eq!(openapi_path("/users/{id}"), "/users/{id}");
/// assert_eq!(openapi_path("/files/{*path}"), "/files/{path}");
/// assert_eq!(openapi_path("/a/{{x}}"), "/a/%7Bx%7D");
/// ```
pub fn openapi_path(template: &str) -> String {
    let mut path = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        path.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{{") {
            path.push_str("%7B");
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            path.push_str("%7D");
            rest = after;
        } else if let Some(close) = tail.find('}').filter(|_| tail.starts_with('{')) {
            path.push('{');
            path.push_str(tail[1..close].trim_start_matches('*'));
            path.push('}');
            rest = &tail[close + 1..];
        } else {
            // A lone `}` (not a valid template): kept as it is.
            path.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    path.push_str(rest);
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let line = parse("GET /users/{id}").unwrap();
        assert_eq!(line.method, Some("GET"));
        assert_eq!(line.template, "/users/{id}");
        assert_eq!(parse("ANY /{*path}").unwrap().method, None);
        assert!(parse("GET /a/{{x}}/{{x}}").is_ok());
        for (bad, why) in [
            ("/users", "has no method"),
            ("get /users", "unknown method \"get\""),
            ("FETCH /users", "unknown method"),
            ("GET users", "must start with `/`"),
            ("GET /users?active", "cannot contain '?'"),
            ("GET /caf\u{e9}", "cannot contain"),
            ("GET  /users", "must start with `/`"),
            ("GET /a/{id}/b/{id}", "`id` appears twice"),
            ("GET /a/{id}/{*id}", "`id` appears twice"),
            (
                "GET /files/{*path}/meta",
                "Catch-all parameters are only allowed at the end",
            ),
        ] {
            let error = parse(bad).unwrap_err();
            assert!(error.contains(why), "{bad}: {error}");
        }
    }

    #[test]
    fn escaped_braces_are_not_parameters() {
        assert_eq!(parameters("/a/{{x}}/{{x}}").count(), 0);
        assert_eq!(parameters("/{a}/{{b}}/{c}").collect::<Vec<_>>(), ["a", "c"]);
    }

    #[test]
    fn every_method_lists_the_methods_but_any() {
        assert_eq!(EVERY_METHOD, METHODS[..7].join(", "));
    }
}
