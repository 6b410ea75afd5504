//! `store_builder` changes the capacity when it is known only at run time, and a closure
//! works as the weigher.

use perf_cache::{CacheDefinition, HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache(name = "ui_blobs", capacity = 1, weigher = |_key: &u8, blob: &Vec<u8>| blob.len() as u64)]
struct Blobs {
    #[cache(store)]
    entries: HashMapCache<u8, Vec<u8>>,
}

fn main() {
    let capacity: u64 = std::env::args().count() as u64 * 1000;
    let blobs = Blobs { entries: Blobs::store_builder().capacity(capacity).build() };
    blobs.entries.insert(1, vec![0; 10]);
    assert_eq!(blobs.stats().capacity, Some(capacity));
    assert_eq!(blobs.stats().weighted_size, 10);
}
