//! `#[derive(ErrorKind)]`: names an error by its enum variant, or by its type for a struct.
//! `#[error_kind(name = "...")]` on a variant or on the type overrides the name.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Data, DeriveInput, Expr, ExprLit, Lit};

use crate::valid::Errors;

pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut errors = Errors::default();
    let ident = &input.ident;
    let type_name = name_override(&input.attrs, &mut errors).unwrap_or_else(|| ident.to_string());

    let body = match &input.data {
        Data::Enum(data) => {
            let arms = data.variants.iter().map(|variant| {
                let variant_ident = &variant.ident;
                let name = name_override(&variant.attrs, &mut errors).unwrap_or_else(|| variant_ident.to_string());
                quote!(Self::#variant_ident { .. } => #name,)
            });
            let arms: Vec<_> = arms.collect();
            if arms.is_empty() {
                quote!(match *self {})
            } else {
                quote!(match self { #(#arms)* })
            }
        }
        Data::Struct(_) => quote!(#type_name),
        Data::Union(data) => {
            errors.push(data.union_token.span, "`ErrorKind` cannot be derived for a union; use an enum or a struct");
            quote!(#type_name)
        }
    };

    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    let expanded = quote! {
        impl #impl_generics ::perf::ErrorKind for #ident #type_generics #where_clause {
            fn error_kind(&self) -> &'static str {
                #body
            }
        }
    };
    match errors.finish(()) {
        Ok(()) => expanded,
        Err(error) => {
            // The impl is still emitted, so code that calls `error_kind` reports no second error.
            let errors = error.to_compile_error();
            quote!(#errors #expanded)
        }
    }
}

fn name_override(attrs: &[Attribute], errors: &mut Errors) -> Option<String> {
    let mut name = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("error_kind")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("name") {
                let argument = quote::ToTokens::to_token_stream(&meta.path).to_string().replace(' ', "");
                return Err(
                    meta.error(format!("unknown `error_kind` argument `{argument}`; expected `name = \"...\"`"))
                );
            }
            let value = match meta.value()?.parse::<Expr>()? {
                Expr::Lit(ExprLit { lit: Lit::Str(value), .. }) => value,
                other => return Err(syn::Error::new_spanned(other, "`name` expects a string: `name = \"...\"`")),
            };
            if value.value().is_empty() {
                return Err(syn::Error::new(
                    value.span(),
                    "`name` cannot be empty; write a kind name or remove the attribute",
                ));
            }
            name = Some(value.value());
            Ok(())
        });
        if let Err(error) = parsed {
            errors.push_error(error);
        }
    }
    name
}
