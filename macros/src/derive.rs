//! `#[derive(ResponseError)]`: the status (and optionally the problem type and title) of each
//! error, from `#[response(...)]` on the type or on each variant; or, with
//! `#[response(transparent)]` on a single-field variant or struct, everything from the field's own
//! `ResponseError`.

use crate::args::Errors;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Fields, LitInt, LitStr};

/// What one `#[response(...)]` says.
#[derive(Default, Clone)]
struct Response {
    status: Option<u16>,
    /// A `status` was written, valid or not (an invalid one is reported once, where it stands).
    status_given: bool,
    type_uri: Option<String>,
    title: Option<String>,
    /// Where `transparent` was written.
    transparent: Option<Span>,
}

impl Response {
    /// `self` with the unset parts taken from `outer`.
    fn or(&self, outer: &Response) -> Response {
        Response {
            status: self.status.or(outer.status),
            status_given: self.status_given || outer.status_given,
            type_uri: self.type_uri.clone().or_else(|| outer.type_uri.clone()),
            title: self.title.clone().or_else(|| outer.title.clone()),
            transparent: self.transparent,
        }
    }
}

const VALID: &str = "`status`, `type`, `title`, `transparent`";

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
                    if !lit.suffix().is_empty() {
                        errors.add(
                            lit.span(),
                            format!(
                                "`status = {lit}`: write the status code without a suffix, `status = {}`",
                                lit.base10_digits()
                            ),
                        );
                        return Ok(());
                    }
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
                "transparent" => {
                    if let Some(e) = duplicate(out.transparent.is_some()) {
                        errors.push(e);
                    }
                    out.transparent = Some(meta.path.span());
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
    answer: Answer,
    /// The type of a transparent arm's field, which must be a `ResponseError`.
    field: Option<syn::Type>,
}

enum Answer {
    /// The status, type and title given in the attributes.
    Fixed(Response),
    /// Everything from the field bound as `__proxy_inner`.
    Transparent,
}

/// The pattern of a variant (`Self::V`) or struct (`Self`) whose one field is bound as
/// `__proxy_inner`, or an error at `span` when it has not exactly one field.
fn transparent_pattern(
    path: TokenStream,
    fields: &Fields,
    span: Span,
    errors: &mut Errors,
) -> Option<TokenStream> {
    if fields.len() != 1 {
        errors.add(
            span,
            "`#[response(transparent)]` needs exactly one field, whose `ResponseError` answers for it",
        );
        return None;
    }
    Some(match fields {
        Fields::Named(named) => {
            let name = named.named.first().and_then(|f| f.ident.as_ref());
            quote!(#path { #name: __proxy_inner })
        }
        _ => quote!(#path(__proxy_inner)),
    })
}

/// An error for each argument that `transparent` makes meaningless.
fn check_transparent(response: &Response, errors: &mut Errors) {
    let Some(span) = response.transparent else {
        return;
    };
    let given = [
        ("status", response.status_given),
        ("type", response.type_uri.is_some()),
        ("title", response.title.is_some()),
    ];
    for (name, is_given) in given {
        if is_given {
            errors.add(
                span,
                format!("`transparent` takes everything from the field's `ResponseError`: remove `{name}`"),
            );
        }
    }
}

pub fn response_error(input: DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let outer = parse_attrs(&input.attrs, &mut errors);
    let mut arms = Vec::new();
    match &input.data {
        Data::Struct(data) => {
            check_transparent(&outer, &mut errors);
            if let Some(span) = outer.transparent {
                if let Some(pattern) =
                    transparent_pattern(quote!(Self), &data.fields, span, &mut errors)
                {
                    arms.push(Arm {
                        pattern,
                        answer: Answer::Transparent,
                        field: data.fields.iter().next().map(|f| f.ty.clone()),
                    });
                }
            } else {
                if !outer.status_given {
                    errors.add(
                        input.ident.span(),
                        "add `#[response(status = N)]` to choose the HTTP status of this error (400..=599), or `#[response(transparent)]` to answer as its one field does",
                    );
                }
                arms.push(Arm {
                    pattern: quote!(_),
                    answer: Answer::Fixed(outer.clone()),
                    field: None,
                });
            }
        }
        Data::Enum(data) => {
            if let Some(span) = outer.transparent {
                errors.add(
                    span,
                    "`transparent` goes on a variant with one field, not on the enum",
                );
            }
            for variant in &data.variants {
                let own = parse_attrs(&variant.attrs, &mut errors);
                let ident = &variant.ident;
                if let Some(span) = own.transparent {
                    check_transparent(&own, &mut errors);
                    if let Some(pattern) = transparent_pattern(
                        quote!(Self::#ident),
                        &variant.fields,
                        span,
                        &mut errors,
                    ) {
                        arms.push(Arm {
                            pattern,
                            answer: Answer::Transparent,
                            field: variant.fields.iter().next().map(|f| f.ty.clone()),
                        });
                    }
                    continue;
                }
                let response = own.or(&outer);
                if !response.status_given {
                    errors.add(
                        variant.ident.span(),
                        format!(
                            "variant `{}` has no status: add `#[response(status = N)]` to it, or one to the enum for every variant",
                            variant.ident
                        ),
                    );
                }
                arms.push(Arm {
                    pattern: quote!(Self::#ident { .. }),
                    answer: Answer::Fixed(response),
                    field: None,
                });
            }
        }
        Data::Union(u) => {
            errors.add(
                u.union_token.span,
                "`#[derive(ResponseError)]` supports structs and enums, not unions",
            );
            return errors
                .finish()
                .map(|e| e.to_compile_error())
                .unwrap_or_default();
        }
    }
    if let Some(error) = errors.finish() {
        // A fallback impl (500 for everything), so that the one error is the one above and
        // handlers returning this type do not add "`ResponseError` is not implemented" errors.
        let mut tokens = error.to_compile_error();
        tokens.extend(impl_block(&input, &TokenStream::new(), &[]));
        return tokens;
    }
    expand(&input, &arms)
}

/// `impl ResponseError for` the input type, with `body` as its items; a transparent field whose
/// type uses a type parameter adds the bound that it is a `ResponseError` too.
fn impl_block(input: &DeriveInput, body: &TokenStream, fields: &[&syn::Type]) -> TokenStream {
    let name = &input.ident;
    let mut generics = input.generics.clone();
    let params: Vec<String> = input
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect();
    for ty in fields {
        let uses_param = quote!(#ty).into_iter().any(
            |t| matches!(&t, proc_macro2::TokenTree::Ident(i) if params.contains(&i.to_string())),
        );
        if uses_param {
            generics
                .make_where_clause()
                .predicates
                .push(syn::parse_quote!(#ty: ::lambda_proxy::ResponseError));
        }
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        impl #impl_generics ::lambda_proxy::ResponseError for #name #ty_generics #where_clause {
            #body
        }
    }
}

fn expand(input: &DeriveInput, arms: &[Arm]) -> TokenStream {
    if arms.is_empty() {
        // An enum without variants has no values.
        return impl_block(
            input,
            &quote! {
                fn status(&self) -> ::lambda_proxy::StatusCode {
                    match *self {}
                }
                ::lambda_proxy::__private::if_openapi! {
                    fn statuses(_: &mut ::lambda_proxy::__private::ErrorStatuses) {}
                }
            },
            &[],
        );
    }
    let fixed = |arm: &Arm| match &arm.answer {
        Answer::Fixed(response) => Some(response.clone()),
        Answer::Transparent => None,
    };
    let patterns: Vec<_> = arms.iter().map(|a| &a.pattern).collect();
    let any_transparent = arms.iter().any(|a| matches!(a.answer, Answer::Transparent));
    let any_type = arms.iter().filter_map(fixed).any(|r| r.type_uri.is_some());
    let any_title = arms.iter().filter_map(fixed).any(|r| r.title.is_some());
    let forward =
        |method: TokenStream| quote!(::lambda_proxy::ResponseError::#method(__proxy_inner));

    let statuses = arms.iter().map(|arm| match &arm.answer {
        Answer::Fixed(r) => {
            let status = r.status.unwrap_or(500);
            quote!(::lambda_proxy::__private::status(#status))
        }
        Answer::Transparent => forward(quote!(status)),
    });
    let mut items = quote! {
        fn status(&self) -> ::lambda_proxy::StatusCode {
            match self {
                #(#patterns => #statuses,)*
            }
        }
    };
    if any_type || any_transparent {
        let uris = arms.iter().map(|arm| match &arm.answer {
            Answer::Fixed(r) => {
                let uri = r.type_uri.as_deref().unwrap_or("about:blank");
                quote!(::std::borrow::Cow::Borrowed(#uri))
            }
            Answer::Transparent => forward(quote!(problem_type)),
        });
        items.extend(quote! {
            fn problem_type(&self) -> ::std::borrow::Cow<'_, str> {
                match self {
                    #(#patterns => #uris,)*
                }
            }
        });
    }
    if any_title || any_transparent {
        let titles = arms.iter().map(|arm| match &arm.answer {
            Answer::Fixed(r) => match &r.title {
                Some(t) => quote!(::core::option::Option::Some(::std::borrow::Cow::Borrowed(#t))),
                None => quote!(::core::option::Option::None),
            },
            Answer::Transparent => forward(quote!(title)),
        });
        items.extend(quote! {
            fn title(&self) -> ::core::option::Option<::std::borrow::Cow<'_, str>> {
                match self {
                    #(#patterns => #titles,)*
                }
            }
        });
    }
    if any_transparent {
        // The other arms keep the trait's defaults, written out: an override cannot call them.
        let per_arm = |method: &str, default: TokenStream| {
            let method = syn::Ident::new(method, Span::call_site());
            let answers: Vec<_> = arms
                .iter()
                .map(|arm| match &arm.answer {
                    Answer::Fixed(_) => default.clone(),
                    Answer::Transparent => forward(quote!(#method)),
                })
                .collect();
            quote!(match self { #(#patterns => #answers,)* })
        };
        let detail = per_arm(
            "public_detail",
            quote! {
                if ::lambda_proxy::ResponseError::status(self).is_client_error() {
                    ::core::option::Option::Some(::std::borrow::Cow::Owned(
                        ::std::string::ToString::to_string(self),
                    ))
                } else {
                    ::core::option::Option::None
                }
            },
        );
        let extensions = per_arm("extensions", quote!(::core::option::Option::None));
        let headers = per_arm("headers", quote!(::lambda_proxy::HeaderMap::new()));
        let log = per_arm(
            "log_message",
            quote!(::std::string::ToString::to_string(self)),
        );
        items.extend(quote! {
            fn public_detail(&self) -> ::core::option::Option<::std::borrow::Cow<'_, str>> {
                #detail
            }
            fn extensions(&self) -> ::core::option::Option<::lambda_proxy::__private::Extensions> {
                #extensions
            }
            fn headers(&self) -> ::lambda_proxy::HeaderMap {
                #headers
            }
            fn log_message(&self) -> ::std::string::String {
                #log
            }
        });
    }
    // The statuses for the OpenAPI document, when lambda-proxy has the feature.
    let listed = arms.iter().map(|arm| match (&arm.answer, &arm.field) {
        (Answer::Fixed(r), _) => {
            let status = r.status.unwrap_or(500);
            quote!(__proxy_statuses.status(::lambda_proxy::__private::status(#status));)
        }
        (Answer::Transparent, Some(field)) => {
            quote!(<#field as ::lambda_proxy::ResponseError>::statuses(__proxy_statuses);)
        }
        (Answer::Transparent, None) => quote!(),
    });
    items.extend(quote! {
        ::lambda_proxy::__private::if_openapi! {
            fn statuses(__proxy_statuses: &mut ::lambda_proxy::__private::ErrorStatuses) {
                #(#listed)*
            }
        }
    });
    let fields: Vec<&syn::Type> = arms.iter().filter_map(|a| a.field.as_ref()).collect();
    impl_block(input, &items, &fields)
}
