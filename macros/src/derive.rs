//! `#[derive(ResponseError)]`: the status (and optionally the problem type and title) of each
//! error, from `#[response(...)]` on the type or on each variant.

use crate::args::Errors;
use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, LitInt, LitStr};

/// What one `#[response(...)]` says.
#[derive(Default, Clone)]
struct Response {
    status: Option<u16>,
    /// A `status` was written, valid or not (an invalid one is reported once, where it stands).
    status_given: bool,
    type_uri: Option<String>,
    title: Option<String>,
}

impl Response {
    /// `self` with the unset parts taken from `outer`.
    fn or(&self, outer: &Response) -> Response {
        Response {
            status: self.status.or(outer.status),
            status_given: self.status_given || outer.status_given,
            type_uri: self.type_uri.clone().or_else(|| outer.type_uri.clone()),
            title: self.title.clone().or_else(|| outer.title.clone()),
        }
    }
}

const VALID: &str = "`status`, `type`, `title`";

fn parse_attrs(attrs: &[Attribute], errors: &mut Errors) -> Response {
    let mut out = Response::default();
    let mut seen = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("response")) {
        if seen {
            errors.add(
                attr.span(),
                "duplicate `#[response(...)]`: put every argument in one attribute",
            );
            continue;
        }
        seen = true;
        let result = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let duplicate = |set: bool| {
                if set {
                    Some(syn::Error::new(
                        meta.path.span(),
                        format!("duplicate argument `{key}`"),
                    ))
                } else {
                    None
                }
            };
            match key.as_str() {
                "status" => {
                    let lit: LitInt = meta.value()?.parse().map_err(|e| {
                        syn::Error::new(e.span(), "`status` takes an integer, e.g. `status = 404`")
                    })?;
                    if let Some(e) = duplicate(out.status_given) {
                        errors.push(e);
                    }
                    out.status_given = true;
                    match lit.base10_parse::<u16>() {
                        Ok(code @ 400..=599) => out.status = Some(code),
                        _ => errors.add(
                            lit.span(),
                            format!(
                                "`status = {}` is not an error status: use 400..=599",
                                lit.base10_digits()
                            ),
                        ),
                    }
                }
                "type" | "title" => {
                    let lit: LitStr = meta.value()?.parse().map_err(|e| {
                        syn::Error::new(e.span(), format!("`{key}` takes a string"))
                    })?;
                    let slot = if key == "type" {
                        &mut out.type_uri
                    } else {
                        &mut out.title
                    };
                    if let Some(e) = duplicate(slot.is_some()) {
                        errors.push(e);
                    }
                    *slot = Some(lit.value());
                }
                _ => {
                    errors.add(
                        meta.path.span(),
                        format!("unknown argument `{key}`; valid arguments are {VALID}"),
                    );
                    // Skip the value so the next arguments are still read.
                    if meta.input.peek(syn::Token![=]) {
                        meta.value()?.parse::<syn::Expr>()?;
                    }
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    out
}

/// One `match` arm: the pattern and what it answers.
struct Arm {
    pattern: TokenStream,
    response: Response,
}

pub fn response_error(input: DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let outer = parse_attrs(&input.attrs, &mut errors);
    let mut arms = Vec::new();
    match &input.data {
        Data::Struct(_) => {
            if !outer.status_given {
                errors.add(
                    input.ident.span(),
                    "add `#[response(status = N)]` to choose the HTTP status of this error (400..=599)",
                );
            }
            arms.push(Arm {
                pattern: quote!(_),
                response: outer.clone(),
            });
        }
        Data::Enum(data) => {
            for variant in &data.variants {
                let response = parse_attrs(&variant.attrs, &mut errors).or(&outer);
                if !response.status_given {
                    errors.add(
                        variant.ident.span(),
                        format!(
                            "variant `{}` has no status: add `#[response(status = N)]` to it, or one to the enum for every variant",
                            variant.ident
                        ),
                    );
                }
                let ident = &variant.ident;
                arms.push(Arm {
                    pattern: quote!(Self::#ident { .. }),
                    response,
                });
            }
        }
        Data::Union(u) => errors.add(
            u.union_token.span,
            "`#[derive(ResponseError)]` supports structs and enums, not unions",
        ),
    }
    if let Some(error) = errors.finish() {
        return error.to_compile_error();
    }
    expand(&input, &arms)
}

fn expand(input: &DeriveInput, arms: &[Arm]) -> TokenStream {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let patterns: Vec<_> = arms.iter().map(|a| &a.pattern).collect();
    let statuses = arms.iter().map(|a| a.response.status.unwrap_or(500));
    let status_fn = if arms.is_empty() {
        // An enum without variants has no values.
        quote! {
            fn status(&self) -> ::lambda_proxy::StatusCode {
                match *self {}
            }
        }
    } else {
        quote! {
            fn status(&self) -> ::lambda_proxy::StatusCode {
                ::lambda_proxy::__private::status(match *self {
                    #(#patterns => #statuses,)*
                })
            }
        }
    };
    let type_fn = if arms.iter().any(|a| a.response.type_uri.is_some()) {
        let uris = arms
            .iter()
            .map(|a| a.response.type_uri.as_deref().unwrap_or("about:blank"));
        quote! {
            fn problem_type(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(match *self {
                    #(#patterns => #uris,)*
                })
            }
        }
    } else {
        quote!()
    };
    let title_fn = if arms.iter().any(|a| a.response.title.is_some()) {
        let titles = arms.iter().map(|a| match &a.response.title {
            Some(t) => quote!(::core::option::Option::Some(::std::borrow::Cow::Borrowed(#t))),
            None => quote!(::core::option::Option::None),
        });
        quote! {
            fn title(&self) -> ::core::option::Option<::std::borrow::Cow<'_, str>> {
                match *self {
                    #(#patterns => #titles,)*
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        impl #impl_generics ::lambda_proxy::ResponseError for #name #ty_generics #where_clause {
            #status_fn
            #type_fn
            #title_fn
        }
    }
}
