//! `#[proxy_handler(...)]` arguments: parsed into [`Args`], every mistake collected.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::{Ident, Lit, LitStr, Token};

/// The route a routed handler is expanded with when its arguments are wrong (reported already):
/// it cannot clash with a valid one.
pub const INVALID_ROUTE: &str = "ANY /{*__proxy_invalid_route}";

/// The valid argument names, listed in error messages.
const VALID: &str = "`route`, `status`, `content_type`, `headers`, `timeout_ms`";

/// One `"name" = "value"` of `headers(...)`, name lowercased; `"name"` alone (`value` `None`)
/// declares a header the handler sets at run time (a `Reply`'s `location`).
pub struct Header {
    pub name: String,
    pub value: Option<String>,
}

/// The parsed, validated arguments.
#[derive(Default)]
pub struct Args {
    /// `route = "GET /users/{id}"`, validated.
    pub route: Option<String>,
    /// Whether `route` was written, valid or not: the handler's parameters are then extractors.
    pub routed: bool,
    pub status: Option<u16>,
    pub content_type: Option<String>,
    pub headers: Vec<Header>,
    pub timeout_ms: Option<u64>,
    /// Where `timeout_ms` was written, for the check that the fn is `async`.
    pub time_span: Option<Span>,
}

/// Collects errors so that all mistakes of one attribute are reported together.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn add(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn finish(self) -> Option<syn::Error> {
        self.0
    }
}

/// Parses the attribute's tokens. Semantic mistakes are pushed to `errors` and parsing goes on;
/// only tokens that cannot be read at all stop it.
pub fn parse(tokens: TokenStream, errors: &mut Errors) -> Args {
    let mut args = Args::default();
    let parser = |input: ParseStream| parse_all(input, &mut args, errors);
    if let Err(error) = parser.parse2(tokens) {
        errors.push(error);
    }
    args
}

fn parse_all(input: ParseStream, args: &mut Args, errors: &mut Errors) -> syn::Result<()> {
    while !input.is_empty() {
        let key: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected an argument name: one of {VALID}"),
            )
        })?;
        match key.to_string().as_str() {
            "route" => {
                input.parse::<Token![=]>()?;
                let lit: Lit = input.parse()?;
                args.routed = true;
                if let Some(line) = route(&lit, errors) {
                    set_once(&mut args.route, &key, line, errors);
                }
            }
            "status" => {
                input.parse::<Token![=]>()?;
                let lit: Lit = input.parse()?;
                if let Some(status) = status(&lit, errors) {
                    set_once(&mut args.status, &key, status, errors);
                }
            }
            "content_type" => {
                input.parse::<Token![=]>()?;
                let lit: Lit = input.parse()?;
                if let Some(ct) = content_type(&lit, errors) {
                    set_once(&mut args.content_type, &key, ct, errors);
                }
            }
            "timeout_ms" => {
                input.parse::<Token![=]>()?;
                let lit: Lit = input.parse()?;
                args.time_span.get_or_insert(key.span());
                if let Some(ms) = millis(&key, &lit, errors) {
                    set_once(&mut args.timeout_ms, &key, ms, errors);
                }
            }
            "margin_ms" => {
                let mut value = proc_macro2::TokenStream::new();
                while !input.is_empty() && !input.peek(Token![,]) {
                    value.extend([input.parse::<proc_macro2::TokenTree>()?]);
                }
                let value = value.to_string();
                let ms = value.strip_prefix('=').map_or("N", str::trim);
                errors.add(
                    key.span(),
                    format!("`margin_ms` is a setting of the whole function, not of one handler: set it on the `lambda_proxy::Exit` the app is served through, `lambda_proxy::Exit::new().margin(std::time::Duration::from_millis({ms})).around(app)`"),
                );
            }
            "headers" => {
                let content;
                syn::parenthesized!(content in input);
                let first = !args.headers.is_empty();
                if first {
                    errors.add(
                        key.span(),
                        "duplicate argument `headers`: list every header in one `headers(...)`",
                    );
                }
                headers(&content, &mut args.headers, errors)?;
            }
            other => {
                errors.add(
                    key.span(),
                    format!("unknown argument `{other}`; valid arguments are {VALID}"),
                );
                // Skip this argument's value so that the ones after it are still checked.
                while !input.is_empty() && !input.peek(Token![,]) {
                    input.parse::<proc_macro2::TokenTree>()?;
                }
            }
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(())
}

fn set_once<T>(slot: &mut Option<T>, key: &Ident, value: T, errors: &mut Errors) {
    if slot.is_some() {
        errors.add(key.span(), format!("duplicate argument `{key}`"));
    } else {
        *slot = Some(value);
    }
}

fn status(lit: &Lit, errors: &mut Errors) -> Option<u16> {
    let Lit::Int(int) = lit else {
        errors.add(
            lit.span(),
            "`status` takes an integer status code, e.g. `status = 201`",
        );
        return None;
    };
    if !int.suffix().is_empty() {
        errors.add(
            int.span(),
            format!(
                "`status = {int}`: write the status code without a suffix, `status = {}`",
                int.base10_digits()
            ),
        );
        return None;
    }
    let range = lambda_proxy_core::attribute::STATUS;
    match int.base10_parse::<u16>() {
        Ok(code) if range.contains(&code) => Some(code),
        _ => {
            errors.add(
                int.span(),
                format!(
                    "`status = {}` is not an HTTP status code that API Gateway accepts: use {}..={}",
                    int.base10_digits(),
                    range.start(),
                    range.end()
                ),
            );
            None
        }
    }
}

/// `"GET /users/{id}"`, read by the route grammar the router reads too
/// ([`lambda_proxy_core::route::parse`]), so that both accept the same lines with the same words.
fn route(lit: &Lit, errors: &mut Errors) -> Option<String> {
    let Lit::Str(s) = lit else {
        errors.add(
            lit.span(),
            "`route` takes a string, e.g. `route = \"GET /users/{id}\"`",
        );
        return None;
    };
    let line = s.value();
    match lambda_proxy_core::route::parse(&line) {
        Ok(_) => Some(line),
        Err(why) => {
            errors.add(s.span(), why);
            None
        }
    }
}

/// A whole number of milliseconds in `timeout_ms`'s range.
fn millis(key: &Ident, lit: &Lit, errors: &mut Errors) -> Option<u64> {
    let range = lambda_proxy_core::attribute::TIMEOUT_MS;
    let Lit::Int(int) = lit else {
        errors.add(
            lit.span(),
            format!("`{key}` takes a whole number of milliseconds, e.g. `{key} = 5000`"),
        );
        return None;
    };
    if !int.suffix().is_empty() {
        errors.add(int.span(), suffix_message(key, int));
        return None;
    }
    match int.base10_parse::<u64>() {
        Ok(ms) if range.contains(&ms) => Some(ms),
        _ => {
            errors.add(
                int.span(),
                format!(
                    "`{key} = {}` is out of range: use {}..={} (a Lambda function runs at most 15 minutes)",
                    int.base10_digits(),
                    range.start(),
                    range.end()
                ),
            );
            None
        }
    }
}

/// The error for `timeout_ms = 3s` or `timeout_ms = 500u64`: the unit is fixed by the name, and
/// a suffix would otherwise be silently ignored (`3s` would mean 3 ms).
fn suffix_message(key: &Ident, int: &syn::LitInt) -> String {
    let digits = int.base10_digits();
    let meant = match (int.suffix(), digits.parse::<u64>()) {
        ("s", Ok(secs)) => secs.saturating_mul(1000).to_string(),
        ("min", Ok(mins)) => mins.saturating_mul(60_000).to_string(),
        _ => digits.to_owned(),
    };
    format!(
        "`{key} = {int}`: the unit is already fixed, `{key}` is in milliseconds; write `{key} = {meant}` without a suffix"
    )
}

/// `type/subtype` made of RFC 9110 token characters, optionally followed by `;` parameters.
fn content_type(lit: &Lit, errors: &mut Errors) -> Option<String> {
    let Lit::Str(s) = lit else {
        errors.add(
            lit.span(),
            "`content_type` takes a string, e.g. `content_type = \"application/vnd.api+json\"`",
        );
        return None;
    };
    let value = s.value();
    if !lambda_proxy_core::header::is_media_type(&value) {
        errors.add(
            s.span(),
            format!("`content_type = {:?}` is not a media type: write `type/subtype`, e.g. \"application/json\"", value),
        );
        return None;
    }
    Some(value)
}

use lambda_proxy_core::header::{RESERVED, is_header_name, is_printable_ascii};

/// The text of the next token of `input` (without consuming it), for a message that shows how
/// to write it.
fn next_token(input: ParseStream) -> Option<String> {
    let (token, _) = input.cursor().token_tree()?;
    Some(token.to_string().trim_matches('"').to_owned())
}

fn headers(input: ParseStream, out: &mut Vec<Header>, errors: &mut Errors) -> syn::Result<()> {
    while !input.is_empty() {
        // A string literal's parse takes any literal before it refuses it: the token is read first.
        let upcoming = next_token(input);
        let name: LitStr = input.parse().map_err(|e| {
            let text = upcoming.unwrap_or_else(|| "x-name".to_owned());
            syn::Error::new(
                e.span(),
                format!("a header name is a string: write `\"{text}\" = \"value\"`, or `\"{text}\"` alone for a header the handler sets at run time"),
            )
        })?;
        let value: Option<LitStr> = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            let upcoming = next_token(input);
            Some(input.parse().map_err(|e| {
                let text = upcoming.unwrap_or_else(|| "value".to_owned());
                syn::Error::new(
                    e.span(),
                    format!(
                        "a header value is a string: write `{:?} = \"{text}\"`",
                        name.value()
                    ),
                )
            })?)
        } else {
            None
        };
        let lower = name.value().to_ascii_lowercase();
        let mut ok = true;
        if !is_header_name(&lower) {
            errors.add(
                name.span(),
                format!("{:?} is not a valid HTTP header name", name.value()),
            );
            ok = false;
        } else if let Some((_, hint)) = RESERVED.iter().find(|(n, _)| *n == lower) {
            errors.add(name.span(), format!("`{lower}` cannot be set here: {hint}"));
            ok = false;
        } else if out.iter().any(|h| h.name == lower) {
            errors.add(name.span(), format!("duplicate header `{lower}`"));
            ok = false;
        }
        let text = value.as_ref().map(LitStr::value);
        if let (Some(value), Some(text)) = (&value, &text) {
            if !is_printable_ascii(text.as_bytes()) {
                errors.add(
                    value.span(),
                    format!("{text:?} is not a valid header value: use printable ASCII without control characters"),
                );
                ok = false;
            }
        }
        if ok {
            out.push(Header {
                name: lower,
                value: text,
            });
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(())
}
