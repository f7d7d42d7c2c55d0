//! Procedural macros for [lambda-proxy](https://docs.rs/lambda-proxy). Use them through the
//! `lambda-proxy` crate, which documents them and provides what the generated code calls.

mod args;
mod derive;
mod describe;
mod expand;
mod handler;
mod routed;

use proc_macro::TokenStream;

/// Rewrites a handler so that every outcome is a valid Lambda proxy response. Documented in the
/// `lambda-proxy` crate.
#[proc_macro_attribute]
pub fn proxy_handler(args: TokenStream, item: TokenStream) -> TokenStream {
    proxy_handler_impl(args.into(), item.into()).into()
}

/// Implements `lambda_proxy::ResponseError` from `#[response(status = N, type = "..", title = "..")]`
/// on the type or its variants. Documented in the `lambda-proxy` crate.
#[proc_macro_derive(ResponseError, attributes(response))]
pub fn derive_response_error(input: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(input) => derive::response_error(input).into(),
        Err(error) => error.to_compile_error().into(),
    }
}

fn proxy_handler_impl(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let mut errors = args::Errors::default();
    let args = args::parse(args, &mut errors);
    let item_fn = match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(error) => {
            if syn::parse2::<syn::Item>(item.clone()).is_ok() {
                errors.add(
                    first_span(&item),
                    "`#[proxy_handler]` can only be used on a fn, such as `async fn handler(req: lambda_proxy::Request) -> T`",
                );
            } else {
                // Not Rust syntax yet: syn's own message says where and what.
                errors.push(error);
            }
            return with_errors(item, errors);
        }
    };
    match handler::analyze(item_fn, &args, &mut errors) {
        Some(handler) if errors.is_empty() => expand::handler(&args, handler),
        // Only the arguments are wrong (or do not fit the fn): expand with the default
        // arguments, so that the one error is at the argument and every call site still
        // type-checks (tokio-macros does the same).
        Some(handler) => {
            let defaults = args::Args {
                // A routed handler stays routed (its parameters are extractors), at a route
                // that cannot clash with a valid one.
                route: args.routed.then(|| args::INVALID_ROUTE.to_owned()),
                routed: args.routed,
                ..args::Args::default()
            };
            let mut tokens = expand::handler(&defaults, handler);
            if let Some(error) = errors.finish() {
                tokens.extend(error.to_compile_error());
            }
            tokens
        }
        // The fn itself cannot be rewritten: keep it as written, so that there are no
        // follow-on "cannot find function" errors.
        None => with_errors(item, errors),
    }
}

/// The item unchanged, followed by the errors.
fn with_errors(item: proc_macro2::TokenStream, errors: args::Errors) -> proc_macro2::TokenStream {
    let mut tokens = item;
    if let Some(error) = errors.finish() {
        tokens.extend(error.to_compile_error());
    }
    tokens
}

fn first_span(item: &proc_macro2::TokenStream) -> proc_macro2::Span {
    item.clone()
        .into_iter()
        .next()
        .map_or_else(proc_macro2::Span::call_site, |t| t.span())
}
