//! Code generation for `#[derive(MonitoredCache)]`.
//!
//! The type gets a `static` collector registered with `inventory` twice: with perf, so the
//! cache is in every snapshot from start-up, and with perf-cache, so caches built by name find
//! it. `MonitoredCache` delegates to the store field, and `CacheDefinition` returns the static
//! and the store configuration from the attributes. Everything is named through
//! `perf_cache::__private` (or the `crate = ...` path). The static sits in an anonymous
//! `const _` block, so its name does not clash with the user's items.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{DeriveInput, WherePredicate};

use super::ast::{Field, Input};
use super::valid::{self, CacheArgs};
use crate::valid::Errors;

/// Default target hit rate, the same as `HealthPolicy::DEFAULT` in perf-cache.
const DEFAULT_TARGET_HIT_RATE: f64 = 0.8;
/// Default target latency in nanoseconds (1 ms), the same as `HealthPolicy::DEFAULT`.
const DEFAULT_TARGET_LATENCY_NS: u64 = 1_000_000;

/// Expands `#[derive(MonitoredCache)]` on `input`.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let view = Input::from_syn(&input);

    let mut errors = Errors::default();
    let (args, store) = valid::check(&view, &mut errors);
    match (errors.finish(()), store) {
        (Ok(()), Some(store)) => expand(&view, &args, store),
        (Err(error), _) => error.to_compile_error(),
        (Ok(()), None) => unreachable!("a missing store field is reported as an error"),
    }
}

fn expand(input: &Input<'_>, args: &CacheArgs, store: &Field<'_>) -> TokenStream {
    let krate = match &args.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::perf_cache),
    };
    let private = quote!(#krate::__private);
    let ident = input.ident;
    let member = &store.member;
    let store_ty = store.ty;

    let name = match &args.name {
        Some(name) => name.to_token_stream(),
        None => {
            let type_name = ident.to_string();
            quote!(::core::concat!(::core::module_path!(), "::", #type_name))
        }
    };
    let hit_rate = args.target_hit_rate.unwrap_or(DEFAULT_TARGET_HIT_RATE);
    let latency_ns = args.target_latency_ns.unwrap_or(DEFAULT_TARGET_LATENCY_NS);

    let mut config = quote!(#private::StoreConfig::new());
    if let Some(capacity) = &args.capacity {
        config = quote_spanned!(capacity.span()=> #config.with_capacity(#capacity));
    }
    if let Some(weigher) = &args.weigher {
        config = quote_spanned!(weigher.span()=> #config.with_weigher(#weigher));
    }

    // Every token of the bound carries the field type's span, so an unsatisfied bound is
    // reported at the user's type rather than at the derive.
    let spanned_private = match &args.krate {
        Some(path) => quote_spanned!(store_ty.span()=> #path::__private),
        None => quote_spanned!(store_ty.span()=> ::perf_cache::__private),
    };
    let store_bound: WherePredicate = syn::parse_quote_spanned!(store_ty.span()=> #store_ty: #spanned_private::Store);
    let mut generics = input.generics.clone();
    generics.make_where_clause().predicates.push(store_bound);
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();
    let key = quote_spanned!(store_ty.span()=> <#store_ty as #private::Store>::Key);
    let value = quote_spanned!(store_ty.span()=> <#store_ty as #private::Store>::Value);

    quote! {
        const _: () = {
            static __PERF_CACHE_COLLECTOR: #private::CacheCollector = #private::CacheCollector::new_static(
                #name,
                #private::HealthPolicy::from_checked(#hit_rate, #latency_ns),
            );
            #private::perf::register_collector!(__PERF_CACHE_COLLECTOR);
            #private::inventory::submit! { #private::StaticCache(&__PERF_CACHE_COLLECTOR) }

            #[automatically_derived]
            impl #impl_generics #private::MonitoredCache for #ident #type_generics #where_clause {
                fn cache_name(&self) -> &str {
                    #private::MonitoredCache::cache_name(&self.#member)
                }

                fn stats(&self) -> #private::CacheStats {
                    #private::MonitoredCache::stats(&self.#member)
                }

                fn latency(&self) -> #private::CacheLatency {
                    #private::MonitoredCache::latency(&self.#member)
                }

                fn latency_split(&self) -> #private::LatencySplit {
                    #private::MonitoredCache::latency_split(&self.#member)
                }

                fn health_policy(&self) -> #private::HealthPolicy {
                    #private::MonitoredCache::health_policy(&self.#member)
                }
            }

            #[automatically_derived]
            impl #impl_generics #private::CacheDefinition for #ident #type_generics #where_clause {
                type Store = #store_ty;

                fn collector() -> &'static #private::CacheCollector {
                    &__PERF_CACHE_COLLECTOR
                }

                fn store_config() -> #private::StoreConfig<#key, #value> {
                    #config
                }
            }
        };
    }
}
