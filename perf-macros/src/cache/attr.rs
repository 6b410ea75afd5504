//! The `#[cache(...)]` attributes of the type and of its fields, as written. Their contents
//! use the `key`, `key = value`, `key(...)` grammar of `#[monitored]`.

use syn::{Attribute, Meta};

use crate::attr::RawArgs;
use crate::valid::Errors;

/// Name of the helper attribute.
pub(crate) const ATTRIBUTE: &str = "cache";

/// Parses every `#[cache(...)]` among `attrs` into one list, in order.
pub(crate) fn parse(attrs: &[Attribute], errors: &mut Errors) -> RawArgs {
    let mut args = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(ATTRIBUTE)) {
        match &attr.meta {
            Meta::List(list) => match list.parse_args::<RawArgs>() {
                Ok(parsed) => args.extend(parsed.0),
                Err(error) => errors.push_error(error),
            },
            Meta::Path(path) => errors.push_error(syn::Error::new_spanned(
                path,
                "expected `#[cache(...)]` with arguments, such as `#[cache(store)]` or `#[cache(name = \"...\")]`",
            )),
            Meta::NameValue(meta) => errors.push_error(syn::Error::new_spanned(
                meta,
                "expected `#[cache(...)]`, found `#[cache = ...]`; write `#[cache(name = \"...\")]`",
            )),
        }
    }
    RawArgs(args)
}
