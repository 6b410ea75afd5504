//! Procedural macros of perf: `#[monitored]` and `#[derive(ErrorKind)]`.
//!
//! Each macro parses its input into a typed view (`ast`, `attr`), checks it in one pass that
//! reports every mistake at once (`valid`), then generates code (`expand`). On an error the
//! original item is still emitted, so the rest of the crate keeps compiling and the IDE keeps
//! working.

mod ast;
mod attr;
mod error_kind;
mod expand;
mod valid;

use proc_macro::TokenStream;

/// Instruments a function, a method, or every method of an `impl` block.
///
/// See `perf::monitored` for the arguments.
#[proc_macro_attribute]
pub fn monitored(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::monitored(args.into(), item.into()).into()
}

/// Derives `perf::ErrorKind`: the variant name for an enum, the type name for a struct.
#[proc_macro_derive(ErrorKind, attributes(error_kind))]
pub fn derive_error_kind(input: TokenStream) -> TokenStream {
    error_kind::derive(input.into()).into()
}
