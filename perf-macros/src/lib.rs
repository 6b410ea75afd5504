//! Procedural macros of perf: `#[monitored]`, `#[derive(ErrorKind)]`,
//! `#[derive(MonitoredCache)]` and `#[health_check]`.
//!
//! Each macro parses its input into a typed view (`ast`, `attr`), checks it in one pass that
//! reports every mistake at once (`valid`), then generates code (`expand`). On an error the
//! original item is still emitted, so the rest of the crate keeps compiling and the IDE keeps
//! working.

mod ast;
mod attr;
mod cache;
mod duration;
mod error_kind;
mod expand;
mod health_check;
mod valid;

use proc_macro::TokenStream;

/// Instruments a function, a method, or every method of an `impl` block.
///
/// See `perf::monitored` for the arguments.
#[proc_macro_attribute]
pub fn monitored(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::monitored(args.into(), item.into()).into()
}

/// Derives `perf_cache::MonitoredCache` and `perf_cache::CacheDefinition` for a struct with
/// one `#[cache(store)]` field, and registers the cache type with perf statically.
///
/// See `perf_cache` for the attributes.
#[proc_macro_derive(MonitoredCache, attributes(cache))]
pub fn derive_monitored_cache(input: TokenStream) -> TokenStream {
    cache::derive(input.into()).into()
}

/// Derives `perf::ErrorKind`: the variant name for an enum, the type name for a struct.
#[proc_macro_derive(ErrorKind, attributes(error_kind))]
pub fn derive_error_kind(input: TokenStream) -> TokenStream {
    error_kind::derive(input.into()).into()
}

/// Registers a health check of a component: a function returning `perf::Health`, or a
/// `static` whose type implements `perf::ComponentHealth`.
///
/// See `perf::health_check` for the arguments.
#[proc_macro_attribute]
pub fn health_check(args: TokenStream, item: TokenStream) -> TokenStream {
    health_check::health_check(args.into(), item.into()).into()
}
