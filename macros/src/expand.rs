//! Code generation for `#[proxy_handler]`. Everything here was checked before: it cannot fail.

use crate::args::Args;
use crate::handler::Handler;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::GenericParam;
use syn::spanned::Spanned;

/// How many levels of `Result`/`Option` may wrap the body (`Result<Option<T>, E>` is two). The
/// runtime's `EndOfWalk` diagnostic and the docs state the same number.
pub(crate) const MAX_NESTING: usize = 4;

pub fn handler(args: &Args, handler: Handler) -> TokenStream {
    if args.routed {
        return crate::routed::handler(args, handler);
    }
    let Handler {
        item,
        request,
        extra,
        output,
        state: _,
    } = handler;
    let attrs = &item.attrs;
    let vis = &item.vis;
    let name = &item.sig.ident;
    let generics = &item.sig.generics;
    let where_clause = &generics.where_clause;

    let mut inner_sig = item.sig.clone();
    inner_sig.ident = format_ident!("__proxy_inner", span = name.span());
    let inner_block = &item.block;

    let extra_names: Vec<_> = (1..=extra.len())
        .map(|i| format_ident!("__proxy_arg{}", i))
        .collect();
    let extra_types = extra.iter().map(|p| &p.ty);

    let turbofish = {
        let params: Vec<_> = generics
            .params
            .iter()
            .filter_map(|p| match p {
                GenericParam::Type(t) => Some(t.ident.clone()),
                GenericParam::Const(c) => Some(c.ident.clone()),
                GenericParam::Lifetime(_) => None,
            })
            .collect();
        if params.is_empty() {
            quote!()
        } else {
            quote!(::<#(#params),*>)
        }
    };
    let request_arg = match &request {
        Some(ty) => quote_spanned!(ty.span()=> ::lambda_proxy::__private::request(__proxy_req),),
        None => quote!(),
    };
    let call = quote! {
        __proxy_inner #turbofish (#request_arg #(#extra_names),*)
    };
    let config = config(args);
    let first = format_ident!("__proxy_v0", span = output.span());
    let dispatch = dispatch(args, &output);
    let dispatch = quote! {
        |#first, __proxy_inv: &::lambda_proxy::__private::Invocation| { #dispatch }
    };
    // An async handler runs under the timeout and panic guards; a plain fn, which cannot be
    // interrupted, under the panic guard alone. The async handler's future is created at once,
    // so that it holds the request and the further arguments (the wrapper does not).
    let body = if item.sig.asyncness.is_some() {
        quote! {
            ::lambda_proxy::__private::Guarded::new(
                ::lambda_proxy::__private::Invocation::begin(&__PROXY_CONFIG, &__proxy_req),
                #call,
                #dispatch,
            )
        }
    } else {
        // The invocation begins when the wrapper is called, as for an `async` handler: under
        // lambda-proxy's adapter it then knows its answer goes through the adapter's exit.
        quote! {
            let __proxy_invocation =
                ::lambda_proxy::__private::Invocation::begin(&__PROXY_CONFIG, &__proxy_req);
            async move {
                let __proxy_outcome = ::lambda_proxy::__private::guard_sync(|| #call);
                ::lambda_proxy::__private::respond(&__proxy_invocation, __proxy_outcome, #dispatch)
            }
        }
    };

    let abort_warning = abort_warning();
    // The wrapper is a plain fn returning `impl Future`, with this crate's edition (2024) rules:
    // the future captures every generic parameter and lifetime of the signature, elided ones
    // included, exactly as an `async fn` does.
    quote! {
        #(#attrs)*
        #vis fn #name #generics (
            __proxy_req: ::lambda_proxy::Request,
            #(#extra_names: #extra_types),*
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<
                ::lambda_proxy::Response<::lambda_proxy::Body>,
                ::core::convert::Infallible,
            >,
        >
        #where_clause
        {
            #inner_sig #inner_block

            static __PROXY_CONFIG: ::lambda_proxy::__private::HandlerConfig = #config;
            #abort_warning
            #body
        }
    }
}

/// A warning where a handler is compiled with `panic = "abort"`, under which its panic guard
/// cannot answer.
pub(crate) fn abort_warning() -> TokenStream {
    quote! {
        #[cfg(panic = "abort")]
        {
            #[deprecated(note = "this crate is built with `panic = \"abort\"`: a panic in a `#[proxy_handler]` ends the process and the client gets a bare 502; set `panic = \"unwind\"` in the profile to answer 500 instead")]
            fn __proxy_panic_abort() {}
            __proxy_panic_abort();
        }
    }
}

/// The handler's `HandlerConfig`: the arguments given, over `HandlerConfig::DEFAULT`, which is
/// the one home of every default.
pub(crate) fn config(args: &Args) -> TokenStream {
    let mut fields = Vec::new();
    if let Some(status) = args.status {
        // `status` is also the status of `()` answers.
        fields.push(quote!(status: #status, empty_status: #status,));
    }
    let mut statics = TokenStream::new();
    if let Some(content_type) = &args.content_type {
        statics.extend(quote! {
            static __PROXY_CONTENT_TYPE: ::lambda_proxy::__private::http::HeaderValue =
                ::lambda_proxy::__private::http::HeaderValue::from_static(#content_type);
        });
        fields.push(quote!(content_type: &__PROXY_CONTENT_TYPE,));
    }
    if let Some(ms) = args.timeout_ms {
        fields.push(quote!(timeout_ms: #ms,));
    }
    let fixed: Vec<_> = args
        .headers
        .iter()
        .filter_map(|h| Some((&h.name, h.value.as_ref()?)))
        .collect();
    if !fixed.is_empty() {
        let names = fixed.iter().map(|(name, _)| name);
        let values = fixed.iter().map(|(_, value)| value);
        let count = fixed.len();
        fields.push(quote!(headers: &__PROXY_HEADERS,));
        // The headers are built at compile time, in a static of their own: a `HeaderName` holds
        // `Bytes`, which a static may only borrow from another static.
        statics.extend(quote! {
            static __PROXY_HEADERS: [
                (
                    ::lambda_proxy::__private::http::HeaderName,
                    ::lambda_proxy::__private::http::HeaderValue,
                );
                #count
            ] = [#((
                ::lambda_proxy::__private::http::HeaderName::from_static(#names),
                ::lambda_proxy::__private::http::HeaderValue::from_static(#values),
            )),*];
        });
    }
    let declared: Vec<_> = args
        .headers
        .iter()
        .filter(|h| h.value.is_none())
        .map(|h| &h.name)
        .collect();
    if !declared.is_empty() {
        fields.push(quote!(set_headers: &[#(#declared),*],));
    }
    if fields.is_empty() {
        return quote!(::lambda_proxy::__private::HandlerConfig::DEFAULT);
    }
    quote! {{
        #statics
        ::lambda_proxy::__private::HandlerConfig {
            #(#fields)*
            ..::lambda_proxy::__private::HandlerConfig::DEFAULT
        }
    }}
}

/// The walk through the return type: each level unwraps one `Result`/`Option` or ends with the
/// answer. Spanned on the return type, so that an unsupported type is reported there.
pub(crate) fn dispatch(args: &Args, output: &syn::Type) -> TokenStream {
    let span = output.span();
    // One level per `Result`/`Option`, and one for the body.
    let levels = MAX_NESTING + 1;
    let last = format_ident!("__proxy_v{}", levels, span = span);
    let mut walk = quote_spanned!(span=> ::lambda_proxy::__private::end_of_walk(#last));
    for level in (0..levels).rev() {
        let value = format_ident!("__proxy_v{}", level, span = span);
        let next = format_ident!("__proxy_v{}", level + 1, span = span);
        walk = quote_spanned! {span=>
            match (&#value).__proxy_kind().split(#value, __proxy_inv) {
                ::lambda_proxy::__private::Step::Done(__proxy_response) => __proxy_response,
                ::lambda_proxy::__private::Step::Fail(__proxy_error) => {
                    let __proxy_log = (&__proxy_error).__proxy_log_kind().log_message(&__proxy_error);
                    ::lambda_proxy::__private::fail(&__proxy_error, &__proxy_log, __proxy_inv)
                }
                ::lambda_proxy::__private::Step::Next(#next) => #walk,
            }
        };
    }
    // Under a `status` that carries no body, every kind that would carry one falls through to
    // `NoBodyKind`, whose bound is the compile error.
    let no_body = args
        .status
        .is_some_and(|status| lambda_proxy_core::attribute::NO_BODY.contains(&status));
    let body_kinds = if no_body {
        quote_spanned!(span=> NoBodyKind as _,)
    } else {
        quote_spanned!(span=> BodyKind as _, ReplyKind as _, StatusBodyKind as _, StreamedKind as _,)
    };
    quote_spanned! {span=>
        #[allow(unused_imports)]
        use ::lambda_proxy::__private::{
            #body_kinds ChainKind as _, DisplayKind as _, LeafKind as _, OptionKind as _,
            ResponseKind as _, ResultKind as _, UnitKind as _,
        };
        #[allow(unreachable_patterns, unreachable_code)]
        let __proxy_response = #walk;
        __proxy_response
    }
}
