//! `crate = path` names perf-cache through a re-export.

mod reexport {
    pub use perf_cache;
}

use reexport::perf_cache::{CacheDefinition, HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache(crate = reexport::perf_cache, name = "ui_reexported")]
struct Reexported {
    #[cache(store)]
    entries: HashMapCache<u8, u8>,
}

fn main() {
    let cache = Reexported { entries: Reexported::new_store() };
    cache.entries.insert(1, 1);
    assert_eq!(cache.cache_name(), "ui_reexported");
}
