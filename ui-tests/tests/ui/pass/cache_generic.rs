//! A generic cache type: every instantiation reports under the type's one name.

use std::hash::Hash;

use perf_cache::{CacheDefinition, HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache(name = "ui_memo", capacity = 10)]
struct Memo<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    #[cache(store)]
    results: HashMapCache<K, V>,
}

fn main() {
    let squares = Memo::<u64, u64> { results: Memo::new_store() };
    let names = Memo::<String, Vec<u8>> { results: Memo::new_store() };

    assert_eq!(squares.results.get_or_load(4, |n| n * n), 16);
    assert_eq!(squares.results.get_or_load(4, |n| n * n), 16);
    names.results.get(&"missing".to_owned());

    assert_eq!((squares.stats().hits, squares.stats().misses), (1, 1));
    assert_eq!((names.stats().hits, names.stats().misses), (0, 1));

    let collector = <Memo<u64, u64> as CacheDefinition>::collector();
    assert_eq!(collector.instances(), 2);
    assert_eq!(collector.stats().request_count(), 3);
}
