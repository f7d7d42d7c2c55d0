//! The user's fn: what the rewrite needs to know about its signature, and what it cannot accept.

use crate::args::{Args, Errors};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, PatType, ReturnType, Type};

/// A handler fn that can be rewritten.
pub struct Handler {
    pub item: ItemFn,
    /// The type of the user's first parameter (the request), when it has one.
    pub request: Option<Type>,
    /// The parameters after the request, passed through unchanged.
    pub extra: Vec<PatType>,
    /// The return type (`()` when none is written).
    pub output: Type,
    /// For a routed handler, the `T` of its `State<T>` parameter.
    pub state: Option<Type>,
}

/// Checks `item` (with the attribute's `args`) and reads its signature. Mistakes are pushed to
/// `errors`; `None` when the fn cannot be rewritten.
pub fn analyze(item: ItemFn, args: &Args, errors: &mut Errors) -> Option<Handler> {
    let sig = &item.sig;
    let mut ok = true;
    if let (Some(span), None) = (args.time_span, &sig.asyncness) {
        errors.add(
            span,
            "`timeout_ms` needs an `async fn`: a plain fn cannot be interrupted, so no timeout can apply to it",
        );
        // An argument mistake: the fn is still expanded (with the default arguments).
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
                let state = if args.routed {
                    "take the state as a `State<T>` parameter (see `Router::with_state`)"
                } else {
                    "pass the state as a parameter after the request"
                };
                errors.add(
                    receiver.span(),
                    format!("`#[proxy_handler]` cannot be used on a method that takes `self`: make it a free fn and {state}"),
                );
                ok = false;
            }
            FnArg::Typed(pat_type) => params.push(pat_type.clone()),
        }
    }
    let output = match &sig.output {
        ReturnType::Default => syn::parse_quote_spanned!(sig.ident.span()=> ()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    if let Some(bound) = into_response_bound(&output) {
        errors.add(
            bound.span(),
            "a `#[proxy_handler]` cannot return `impl IntoResponse`, which does not say what the answer is: return `lambda_proxy::Response<lambda_proxy::Body>` to build the answer yourself, or any `T: serde::Serialize` for a JSON body (lambda-proxy's docs/migrating.md gives the replacement of each `IntoResponse` type)",
        );
        ok = false;
    }
    if args.routed {
        if let Some(param) = sig.generics.params.first() {
            errors.add(
                param.span(),
                "a routed `#[proxy_handler]` cannot be generic: the router calls it with one concrete type for each parameter",
            );
            ok = false;
        }
    }
    if args.routed {
        for param in &params {
            if let Type::ImplTrait(imp) = &*param.ty {
                errors.add(
                    imp.span(),
                    "a parameter of a routed `#[proxy_handler]` is read from the request, so it needs a concrete extractor type (`Path<T>`, `Json<T>`, ..), not `impl Trait`",
                );
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    if args.routed {
        // What a `Path` parameter's type says outright, against the template: an argument
        // mistake, reported with the others (the handler is still expanded).
        if let Some(line) = &args.route {
            for param in &params {
                if let Some(error) = crate::routed::path_shape_error(&param.ty, line) {
                    errors.push(error);
                }
            }
        }
        // Every parameter is an extractor, the request included.
        let mut state = None;
        for param in &params {
            if let Some(ty) = state_type(&param.ty) {
                if state.is_some() {
                    errors.add(
                        param.ty.span(),
                        "a handler takes `State<..>` once: the router has one state (put what several handlers need in one struct)",
                    );
                    return None;
                }
                state = Some(ty.clone());
            }
        }
        return Some(Handler {
            item,
            request: None,
            extra: params,
            output,
            state,
        });
    }
    let mut params = params.into_iter();
    let request = params.next().map(|p| *p.ty);
    Some(Handler {
        item,
        request,
        extra: params.collect(),
        output,
        state: None,
    })
}

/// The `T` of a `State<T>` parameter (recognized by its name, as written: `State<T>` or
/// `lambda_proxy::State<T>`), which the router checks against its own state at compile time.
fn state_type(ty: &Type) -> Option<&Type> {
    wrapped(ty, "State")
}

/// The `T` of a type written `Name<T>` (or `path::Name<T>`), with one type argument.
pub(crate) fn wrapped<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(ty) if args.args.len() == 1 => Some(ty),
        _ => None,
    }
}

/// `lambda_http`'s habit, `impl IntoResponse`, anywhere in the return type (`Result<impl
/// IntoResponse, Error>` is the usual spelling): the bound, when there is one. Any other
/// `impl Trait` goes through the usual checks (`impl Serialize` is a JSON body).
fn into_response_bound(output: &Type) -> Option<&syn::TypeParamBound> {
    match output {
        Type::ImplTrait(imp) => imp.bounds.iter().find(|bound| match bound {
            syn::TypeParamBound::Trait(t) => t
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "IntoResponse"),
            _ => false,
        }),
        Type::Paren(inner) => into_response_bound(&inner.elem),
        Type::Group(inner) => into_response_bound(&inner.elem),
        Type::Tuple(tuple) => tuple.elems.iter().find_map(into_response_bound),
        Type::Path(path) => path.path.segments.iter().find_map(|segment| {
            let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
                return None;
            };
            args.args.iter().find_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => into_response_bound(ty),
                _ => None,
            })
        }),
        _ => None,
    }
}
