//! Code generation for what a routed handler adds under lambda-proxy's features: the
//! description of its operation for the OpenAPI document (`openapi`), and the check of its
//! parameters' constraints (`validate`). Both are wrapped in lambda-proxy's own gate macros, so
//! that they exist exactly when lambda-proxy has the feature, whatever the features of the crate
//! that uses the macro.

use crate::args::Args;
use crate::expand::{MAX_NESTING, config};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, PatType, Type};

/// The doc comment of the fn: its first paragraph (the summary, on one line) and the rest.
fn doc_text(attrs: &[Attribute]) -> (String, String) {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        // `"".lines()` is empty: a blank `///` line must stay a line.
        .flat_map(|text| match text.is_empty() {
            true => vec![String::new()],
            false => text.lines().map(str::to_owned).collect(),
        })
        .collect();
    // rustdoc strips the common indentation (the space after `///`).
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect();
    let text = lines.join("\n");
    let text = text.trim();
    match text.split_once("\n\n") {
        Some((summary, rest)) => (summary.replace('\n', " "), rest.trim().to_owned()),
        None => (text.replace('\n', " "), String::new()),
    }
}

/// Whether `ty` names an `impl Trait` anywhere, which the description cannot name.
fn has_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::visit_type(&mut finder, ty);
    finder.0
}

/// The `describe` fn of a routed handler's `RouteSpec`, under `if_openapi!`.
pub fn describe(
    args: &Args,
    attrs: &[Attribute],
    params: &[PatType],
    output: &Type,
) -> TokenStream {
    // The operation, named with the call site's hygiene wherever it is used, also inside the
    // tokens spanned on a type (which may come from a `macro_rules!` fragment of the user's).
    let op = Ident::new("__proxy_op", Span::call_site());
    let config = config(args);
    let (summary, description) = doc_text(attrs);
    let param_types: Vec<&Type> = params.iter().map(|p| &*p.ty).collect();
    let params = param_types.iter().map(|ty| {
        quote_spanned! {ty.span()=>
            (&&&::lambda_proxy::__private::Param::<#ty>::new()).__proxy_param(#op);
        }
    });
    let checked = param_types.iter().map(|ty| {
        quote_spanned! {ty.span()=>
            (&&::lambda_proxy::__private::Checked::<#ty>::new()).__proxy_checked(#op);
        }
    });
    let walk = if has_impl_trait(output) {
        quote!(#op.opaque_output();)
    } else {
        output_walk(output, &op)
    };
    quote! {
        ::lambda_proxy::__private::if_openapi! {
            fn describe(#op: &mut ::lambda_proxy::__private::Operation<'_>) {
                static __PROXY_CONFIG: ::lambda_proxy::__private::HandlerConfig = #config;
                #op.handler(&__PROXY_CONFIG, #summary, #description);
                #[allow(unused_imports)]
                use ::lambda_proxy::__private::{
                    FillOpen as _, OutputKnown as _, OutputOpen as _, OutputSchema as _,
                    ParamInput as _, ParamNone as _, ParamTyped as _, ParamUntyped as _,
                };
                #(#params)*
                ::lambda_proxy::__private::if_validate! {
                    #[allow(unused_imports)]
                    use ::lambda_proxy::__private::{CheckedNone as _, CheckedValid as _};
                    #(#checked)*
                }
                #walk
            }
        }
    }
}

/// The walk through the return type's description, one level per `Result`/`Option`, one for a
/// `Reply` or `(StatusCode, T)`, one for the body; spanned on the return type.
fn output_walk(output: &Type, op: &Ident) -> TokenStream {
    let span = output.span();
    let levels = MAX_NESTING + 2;
    let names: Vec<Ident> = (0..=levels)
        .map(|i| format_ident!("__proxy_d{}", i, span = span))
        .collect();
    let first = &names[0];
    let steps = names.windows(2).map(|pair| {
        let (this, next) = (&pair[0], &pair[1]);
        quote_spanned!(span=> let #next = (&&&#this).__proxy_output(#op);)
    });
    let last = &names[levels];
    quote_spanned! {span=>
        let #first = ::lambda_proxy::__private::Output::<#output>::new();
        #(#steps)*
        let _ = #last;
    }
}

/// The checks of the parameters' constraints, under `if_validate!`: each spanned on its
/// parameter's type, in the extraction closure (which returns `Result<_, HttpError>`).
pub fn checks(params: &[PatType], values: &[Ident]) -> TokenStream {
    let checks = params.iter().zip(values).map(|(param, value)| {
        let ty = &param.ty;
        quote_spanned! {ty.span()=>
            if let ::core::result::Result::Err(__proxy_rejection) =
                (&&::lambda_proxy::__private::Check::<#ty>::new()).__proxy_check(&#value)
            {
                return ::core::result::Result::Err(__proxy_rejection);
            }
        }
    });
    quote! {
        ::lambda_proxy::__private::if_validate! {
            #[allow(unused_imports)]
            use ::lambda_proxy::__private::{CheckNone as _, CheckValid as _};
            #(#checks)*
        }
    }
}
