//! The arguments of `#[monitored(...)]`, as written: a list of `key`, `key = value` and
//! `key(...)` entries, kept with their spans for error messages.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{parenthesized, Expr, Ident, Token};

/// One entry of the argument list.
pub(crate) struct RawArg {
    pub(crate) key: Ident,
    pub(crate) value: RawValue,
}

pub(crate) enum RawValue {
    /// `key`
    Flag,
    /// `key = expr`
    Assign(Expr),
    /// `key(...)`
    List(Span, TokenStream),
}

/// The whole argument list.
pub(crate) struct RawArgs(pub(crate) Vec<RawArg>);

/// One `key = value` entry of `labels(...)`.
pub(crate) struct RawLabel {
    pub(crate) key: Ident,
    pub(crate) value: Expr,
}

impl Parse for RawArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let args = Punctuated::<RawArg, Token![,]>::parse_terminated(input)?;
        Ok(RawArgs(args.into_iter().collect()))
    }
}

impl Parse for RawArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if !input.peek(Ident::peek_any) {
            return Err(input.error(format!("expected an argument name, found {}", describe_next(input))));
        }
        let key = Ident::parse_any(input)?;
        let value = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            RawValue::Assign(input.parse()?)
        } else if input.peek(syn::token::Paren) {
            let content;
            let parens = parenthesized!(content in input);
            RawValue::List(parens.span.join(), content.parse()?)
        } else {
            RawValue::Flag
        };
        Ok(RawArg { key, value })
    }
}

impl Parse for RawLabel {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if !input.peek(Ident::peek_any) {
            return Err(input.error(format!("expected a label name, found {}", describe_next(input))));
        }
        let key = Ident::parse_any(input)?;
        if !input.peek(Token![=]) {
            let example = format!("`{} = \"value\"`", key.unraw());
            return Err(input
                .error(format!("expected `=` after label `{key}`, found {}; write {example}", describe_next(input))));
        }
        input.parse::<Token![=]>()?;
        Ok(RawLabel { key, value: input.parse()? })
    }
}

/// Describes the next token for a parse error: `` `,` ``, or "the end of the list".
fn describe_next(input: ParseStream<'_>) -> String {
    match input.cursor().token_tree() {
        Some((token, _)) => format!("`{token}`"),
        None => "the end of the list".to_owned(),
    }
}
