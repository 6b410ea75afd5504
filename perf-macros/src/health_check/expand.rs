//! Code generation for `#[health_check]`: the item unchanged, then a `static` health check
//! registered with `inventory`, inside a `const _` block so that its names cannot collide
//! with the user's.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{Ident, ReturnType};

use super::ast::Item;
use super::valid::{self, Args};
use crate::attr::RawArgs;
use crate::valid::Errors;

/// Expands `#[health_check(args)]` on `item`.
pub(crate) fn health_check(args: TokenStream, item: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(item.clone()) {
        Ok(item) => item,
        Err(error) => return with_errors(item, error),
    };
    let raw_args: RawArgs = match syn::parse2(args) {
        Ok(args) => args,
        Err(error) => return with_errors(item.into_token_stream(), error),
    };

    let mut errors = Errors::default();
    let args = valid::args(raw_args, &mut errors);
    let registration = match &item {
        Item::Fn(function) => {
            valid::function(function, &mut errors);
            let ident = &function.sig.ident;
            let span = match &function.sig.output {
                ReturnType::Type(_, ty) => ty.span(),
                ReturnType::Default => ident.span(),
            };
            let private = private_path(&args);
            let source = quote_spanned!(span=> #private::CheckSource::Fn(#ident));
            register(&args, ident, source)
        }
        Item::Static(item) => {
            valid::static_item(item, &mut errors);
            let ident = &item.ident;
            let private = private_path(&args);
            let source = quote_spanned!(item.ty.span()=> #private::CheckSource::Static(&#ident));
            register(&args, ident, source)
        }
        Item::Other(tokens) => {
            let span = tokens.clone().into_iter().next().map_or_else(Span::call_site, |token| token.span());
            errors.push(
                span,
                "`#[health_check]` applies to a function returning `perf::Health` or to a `static` whose type \
                 implements `perf::ComponentHealth`",
            );
            TokenStream::new()
        }
    };

    let item = item.into_token_stream();
    match errors.finish(()) {
        Ok(()) => quote!(#item #registration),
        Err(error) => with_errors(item, error),
    }
}

fn register(args: &Args, ident: &Ident, source: TokenStream) -> TokenStream {
    let private = private_path(args);
    let name = match &args.name {
        Some(name) => name.to_token_stream(),
        None => ident.to_string().to_token_stream(),
    };
    let component = match &args.component {
        Some(component) => component.to_token_stream(),
        None => quote!(::core::module_path!()),
    };
    quote! {
        const _: () = {
            static __PERF_HEALTH_CHECK: #private::HealthCheck = #private::HealthCheck::new(#name, #component, #source);
            #private::inventory::submit! { #private::HealthCheckRef(&__PERF_HEALTH_CHECK) }
        };
    }
}

fn private_path(args: &Args) -> TokenStream {
    match &args.krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::perf::__private),
    }
}

impl ToTokens for Item {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Item::Fn(function) => function.to_tokens(tokens),
            Item::Static(item) => item.to_tokens(tokens),
            Item::Other(other) => other.to_tokens(tokens),
        }
    }
}

/// Emits the item unchanged next to the errors, so the rest of the crate still type-checks.
fn with_errors(item: TokenStream, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    quote!(#errors #item)
}
