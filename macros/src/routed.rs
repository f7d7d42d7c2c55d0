//! Code generation for a routed handler, `#[proxy_handler(route = "..")]`: every parameter is
//! an extractor, and the route travels in the wrapper's return type so that
//! `Router::route(handler)` reads it from the fn item.

use crate::args::Args;
use crate::expand::{abort_warning, config, dispatch};
use crate::handler::Handler;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

pub fn handler(args: &Args, handler: Handler) -> TokenStream {
    let Handler {
        item,
        extra,
        output,
        state,
        request: _,
    } = handler;
    let attrs = &item.attrs;
    // `#[cfg]` written after the attribute applies to everything generated; lint attributes
    // (`#[allow]`, `#[expect]`) to the body too, which lives in the route's `call`.
    let cfgs: Vec<_> = attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"))
        .collect();
    let lints: Vec<_> = attrs
        .iter()
        .filter(|a| {
            ["allow", "expect", "warn", "deny"]
                .iter()
                .any(|l| a.path().is_ident(l))
        })
        .collect();
    let vis = &item.vis;
    let name = &item.sig.ident;
    let spec = format_ident!("__ProxyRoute_{}", name);
    let line = args.route.as_deref().unwrap_or("ANY /");
    let handler_name = name.to_string();
    let state = match &state {
        Some(ty) => quote_spanned!(ty.span()=> ::lambda_proxy::__private::Needs<#ty>),
        None => quote!(::lambda_proxy::__private::NoState),
    };

    let mut inner_sig = item.sig.clone();
    inner_sig.ident = format_ident!("__proxy_inner", span = name.span());
    let inner_block = &item.block;

    // Every parameter is first read from the request's head, in order; then the one that reads
    // the body, if any. Each read is spanned on its parameter's type, so that a type that is no
    // extractor, or a second body reader, is reported there. All of it runs when the router calls
    // the handler, under the panic guard, before the handler's future exists.
    let pending: Vec<_> = (1..=extra.len())
        .map(|i| format_ident!("__proxy_p{}", i))
        .collect();
    let values: Vec<_> = (1..=extra.len())
        .map(|i| format_ident!("__proxy_arg{}", i))
        .collect();
    let reads = extra.iter().zip(&pending).map(|(param, pending)| {
        let ty = &param.ty;
        quote_spanned! {ty.span()=>
            let (mut #pending, __proxy_body) = ::lambda_proxy::__private::parts::<#ty, _, _>(
                &__proxy_req,
                __proxy_route,
                __proxy_body,
            );
        }
    });
    let finishes = pending.iter().zip(&values).map(|(pending, value)| {
        quote! {
            let #value = match #pending.finish(&mut __proxy_req, __proxy_route) {
                ::core::result::Result::Ok(__proxy_value) => __proxy_value,
                ::core::result::Result::Err(__proxy_rejection) => {
                    return ::core::result::Result::Err(__proxy_rejection);
                }
            };
        }
    });
    let head_rejections = pending.iter().map(|pending| {
        quote! {
            if let ::core::option::Option::Some(__proxy_rejection) = #pending.head_rejection() {
                return ::core::result::Result::Err(__proxy_rejection);
            }
        }
    });
    let constraints = crate::describe::checks(&extra, &values);
    let extract = quote! {
        ::lambda_proxy::__private::guard_sync(move || {
            let mut __proxy_req = __proxy_req;
            let __proxy_body = ::lambda_proxy::__private::BodyUnread;
            #(#reads)*
            let _ = __proxy_body;
            #(#head_rejections)*
            #(#finishes)*
            #constraints
            ::core::mem::drop(__proxy_req);
            ::core::result::Result::<_, ::lambda_proxy::HttpError>::Ok((#(#values,)*))
        })
    };

    // Each parameter checked against the template when the route is added (a struct `Path`'s
    // fields); what the types say outright (a tuple's arity, one value for several parameters)
    // is checked here, at the parameter.
    let checks = extra.iter().map(|param| {
        let ty = &param.ty;
        quote_spanned! {ty.span()=>
            (&&::lambda_proxy::__private::CheckParam::<#ty>::new()).check_param(__proxy_route)?;
        }
    });

    let config = config(args);
    let first = format_ident!("__proxy_v0", span = output.span());
    let walk = dispatch(args, &output);
    let dispatch = quote! {
        |#first, __proxy_inv: &::lambda_proxy::__private::Invocation| { #walk }
    };
    // Spanned on the fn's name: a handler whose future is not `Send` is reported there.
    let boxed = quote_spanned!(name.span()=> ::lambda_proxy::__private::boxed);
    let start = if item.sig.asyncness.is_some() {
        quote! {
            #boxed(::lambda_proxy::__private::Guarded::new(
                __proxy_inv,
                __proxy_inner(#(#values),*),
                #dispatch,
            ))
        }
    } else {
        quote! {
            let __proxy_outcome =
                ::lambda_proxy::__private::guard_sync(move || __proxy_inner(#(#values),*));
            ::lambda_proxy::__private::answer(::lambda_proxy::__private::respond(
                &__proxy_inv,
                __proxy_outcome,
                #dispatch,
            ))
        }
    };
    let abort_warning = abort_warning();
    let describe = crate::describe::describe(args, attrs, &extra, &output);
    let doc = format!(" The route of [`{name}`]: `{line}`.");

    quote! {
        #(#cfgs)*
        #[doc = #doc]
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #spec;

        #(#cfgs)*
        impl ::lambda_proxy::__private::RouteSpec for #spec {
            const ROUTE: &'static str = #line;
            const HANDLER: &'static str = #handler_name;
            type State = #state;

            fn check(
                __proxy_route: &::lambda_proxy::__private::Route<'_>,
            ) -> ::core::result::Result<(), ::std::string::String> {
                #[allow(unused_imports)]
                use ::lambda_proxy::__private::{CheckAny as _, CheckParts as _};
                #(#checks)*
                ::core::result::Result::Ok(())
            }

            fn own() -> &'static ::lambda_proxy::__private::OwnRoute {
                static __PROXY_OWN: ::lambda_proxy::__private::OwnRoute =
                    ::lambda_proxy::__private::OwnRoute::new();
                &__PROXY_OWN
            }

            #describe

            #(#lints)*
            fn call(
                __proxy_req: ::lambda_proxy::Request,
                __proxy_route: &::lambda_proxy::__private::Route<'_>,
            ) -> ::lambda_proxy::__private::BoxFuture {
                #inner_sig #inner_block

                static __PROXY_CONFIG: ::lambda_proxy::__private::HandlerConfig = #config;
                #abort_warning
                let __proxy_inv =
                    ::lambda_proxy::__private::Invocation::begin(&__PROXY_CONFIG, &__proxy_req);
                match ::lambda_proxy::__private::extracted(__proxy_inv, #extract) {
                    ::lambda_proxy::__private::Start::Run(__proxy_inv, (#(#values,)*)) => { #start }
                    ::lambda_proxy::__private::Start::Answered(__proxy_response) => {
                        ::lambda_proxy::__private::answer(::core::result::Result::Ok(
                            __proxy_response,
                        ))
                    }
                }
            }
        }

        #(#attrs)*
        #vis fn #name(
            __proxy_req: ::lambda_proxy::Request,
        ) -> ::lambda_proxy::__private::Routed<
            #spec,
            impl ::core::future::Future<
                Output = ::core::result::Result<
                    ::lambda_proxy::Response<::lambda_proxy::Body>,
                    ::core::convert::Infallible,
                >,
            >,
        > {
            ::lambda_proxy::__private::alone::<#spec>(__proxy_req)
        }
    }
}

/// The types a `Path<T>` reads as one value.
const SCALARS: [&str; 17] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64", "bool", "char", "String",
];

/// The error for a `Path<..>` parameter whose type the route `line` contradicts outright: a
/// tuple of another length than the template's parameters, or one value for a template with
/// another number of parameters. A struct is checked when the route is added (its fields are not
/// known here).
pub fn path_shape_error(ty: &syn::Type, line: &str) -> Option<syn::Error> {
    let inner = crate::handler::wrapped(ty, "Path")?;
    let reads = match inner {
        syn::Type::Tuple(tuple) => tuple.elems.len(),
        syn::Type::Path(scalar)
            if scalar.qself.is_none()
                && scalar.path.segments.len() == 1
                && SCALARS.iter().any(|s| scalar.path.segments[0].ident == s) =>
        {
            1
        }
        syn::Type::Reference(_) => 1,
        _ => return None,
    };
    let template = lambda_proxy_core::route::parse(line).ok()?.template;
    let names: Vec<String> = lambda_proxy_core::route::parameters(template)
        .map(|name| format!("`{name}`"))
        .collect();
    if reads == names.len() {
        return None;
    }
    let what = match reads {
        1 => "one path parameter".to_owned(),
        n => format!("{n} path parameters"),
    };
    let has_and_fix = match names.as_slice() {
        [] => {
            "none: remove this `Path` parameter, or add a `{name}` segment to the route".to_owned()
        }
        [name] => format!("one, {name}: read it as one value, e.g. `Path<u64>`"),
        [names @ .., last] => {
            let types: Vec<String> = (1..=names.len() + 1).map(|i| format!("T{i}")).collect();
            format!(
                "{}, {} and {last}: read them as a tuple in the route's order, `Path<({})>`, or as a struct with a field for each",
                names.len() + 1,
                names.join(", "),
                types.join(", ")
            )
        }
    };
    Some(syn::Error::new(
        inner.span(),
        format!("this `Path` reads {what}, but route {line:?} has {has_and_fix}"),
    ))
}
