//! A typed view of the item under `#[monitored]`. Function bodies are kept as tokens, never
//! parsed: they pass through unchanged, and skipping their parse keeps the macro cheap on
//! large functions.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, ImplItemFn, ItemImpl, Signature, Token, Visibility};

/// Where an attribute sits, which decides the arguments it accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A free function, or a method with its own attribute outside a monitored impl.
    Function,
    /// An `impl` block.
    Impl,
    /// A method inside a monitored `impl` block.
    Method,
}

/// The item that `#[monitored]` was put on.
pub(crate) enum Item {
    Fn(FnItem),
    Impl(ItemImpl),
    /// Anything else, kept to point the error at it and to emit it unchanged.
    Other(TokenStream),
}

/// A function whose body is an opaque token tree.
pub(crate) struct FnItem {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) defaultness: Option<Token![default]>,
    pub(crate) sig: Signature,
    /// The braced body, or `None` for a declaration ending in `;`.
    pub(crate) body: Option<TokenTree>,
}

impl Parse for Item {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let fork = input.fork();
        let attrs = fork.call(Attribute::parse_outer)?;
        let is_impl = fork.peek(Token![impl])
            || ((fork.peek(Token![unsafe]) || fork.peek(Token![default])) && fork.peek2(Token![impl]));
        if is_impl {
            return Ok(Item::Impl(input.parse()?));
        }

        let vis: Visibility = fork.parse()?;
        let defaultness: Option<Token![default]> =
            if fork.peek(Token![default]) && !fork.peek2(Token![!]) { Some(fork.parse()?) } else { None };
        if fork.fork().parse::<Signature>().is_err() {
            return Ok(Item::Other(input.parse()?));
        }

        let sig: Signature = fork.parse()?;
        let body = if fork.peek(Token![;]) {
            fork.parse::<Token![;]>()?;
            None
        } else {
            Some(fork.parse::<TokenTree>()?)
        };
        if !fork.is_empty() {
            return Ok(Item::Other(input.parse()?));
        }

        input.parse::<TokenStream>()?;
        Ok(Item::Fn(FnItem { attrs, vis, defaultness, sig, body }))
    }
}

impl From<ImplItemFn> for FnItem {
    fn from(method: ImplItemFn) -> Self {
        let body = quote::ToTokens::to_token_stream(&method.block).into_iter().next();
        FnItem { attrs: method.attrs, vis: method.vis, defaultness: method.defaultness, sig: method.sig, body }
    }
}
