//! The user's fn: what the rewrite needs to know about its signature, and what it cannot accept.

use crate::args::{Args, Errors};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, PatType, ReturnType, Type};

/// A handler fn that can be rewritten.
pub struct Handler {
    pub item: ItemFn,
    /// Whether the user's fn has a first parameter (the request).
    pub takes_request: bool,
    /// The parameters after the request, passed through unchanged.
    pub extra: Vec<PatType>,
    /// The return type (`()` when none is written).
    pub output: Type,
}

/// Checks `item` (with the attribute's `args`) and reads its signature. Mistakes are pushed to
/// `errors`; `None` when the fn cannot be rewritten.
pub fn analyze(item: ItemFn, args: &Args, errors: &mut Errors) -> Option<Handler> {
    let sig = &item.sig;
    let mut ok = true;
    if let (Some(span), None) = (args.time_span, &sig.asyncness) {
        errors.add(
            span,
            "`timeout_ms` and `margin_ms` need an `async fn`: a plain fn cannot be interrupted, so no timeout can apply to it",
        );
        ok = false;
    }
    if let Some(token) = &sig.constness {
        errors.add(
            token.span,
            "`#[proxy_handler]` cannot be used on a `const fn`",
        );
        ok = false;
    }
    if let Some(token) = &sig.unsafety {
        errors.add(token.span, "`#[proxy_handler]` cannot be used on an `unsafe fn`: a handler is called by the runtime, which cannot uphold its safety contract");
        ok = false;
    }
    if let Some(abi) = &sig.abi {
        errors.add(
            abi.span(),
            "`#[proxy_handler]` cannot be used on an `extern` fn",
        );
        ok = false;
    }
    if let Some(variadic) = &sig.variadic {
        errors.add(
            variadic.span(),
            "`#[proxy_handler]` cannot be used on a variadic fn",
        );
        ok = false;
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                errors.add(
                    receiver.span(),
                    "`#[proxy_handler]` cannot be used on a method that takes `self`: make it a free fn and pass the state as a parameter after the request",
                );
                ok = false;
            }
            FnArg::Typed(pat_type) => params.push(pat_type.clone()),
        }
    }
    if !ok {
        return None;
    }
    let takes_request = !params.is_empty();
    let extra = params.into_iter().skip(1).collect();
    let output = match &sig.output {
        ReturnType::Default => syn::parse_quote_spanned!(sig.ident.span()=> ()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    Some(Handler {
        item,
        takes_request,
        extra,
        output,
    })
}

/// The type of the first parameter, when there is one.
pub fn request_type(item: &ItemFn) -> Option<&Type> {
    match item.sig.inputs.first()? {
        FnArg::Typed(pat_type) => Some(&pat_type.ty),
        FnArg::Receiver(_) => None,
    }
}
