//! A tuple struct whose store is an unnamed field, with the default name `module::Type`.

use perf_cache::{CacheDefinition, HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
struct Tokens(#[allow(dead_code)] u8, #[cache(store)] HashMapCache<u32, u32>);

fn main() {
    let tokens = Tokens(0, Tokens::new_store());
    tokens.1.insert(1, 2);
    assert_eq!(tokens.stats().inserts, 1);
    assert_eq!(tokens.cache_name(), concat!(module_path!(), "::Tokens"));
}
