//! The item under `#[health_check]`: a function, a `static`, or anything else (an error).

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{ItemFn, ItemStatic};

pub(crate) enum Item {
    Fn(Box<ItemFn>),
    Static(ItemStatic),
    /// Anything else, kept to point the error at it and to emit it unchanged.
    Other(TokenStream),
}

impl Parse for Item {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let tokens: TokenStream = input.parse()?;
        Ok(match syn::parse2::<syn::Item>(tokens.clone()) {
            Ok(syn::Item::Fn(function)) => Item::Fn(Box::new(function)),
            Ok(syn::Item::Static(item)) => Item::Static(item),
            _ => Item::Other(tokens),
        })
    }
}
