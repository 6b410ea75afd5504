//! One scripted sequence against every adapter: the counts are worked out by hand from the
//! script, so each adapter must report exactly them.

use perf_cache::{
    Backend, Cache, CacheStats, HashMapCache, LruCache, MokaCache, MokaFutureCache, MonitoredCache, QuickCache,
};

/// Runs the script on a cache of capacity 2 and returns the stats at the end.
///
/// | step | hits | misses | inserts | replaced | explicit | size | entries |
/// |---|---|---|---|---|---|---|---|
/// | insert 1, insert 2 | 0 | 0 | 2 | 0 | 0 | 0 | 2 |
/// | get 1 (hit), get 3 (miss) | 1 | 1 | 2 | 0 | 0 | 0 | 2 |
/// | peek 2, contains 2, contains 3 | 1 | 1 | 2 | 0 | 0 | 0 | 2 |
/// | insert 1 again | 1 | 1 | 3 | 1 | 0 | 0 | 2 |
/// | remove 2, remove 9 (absent) | 1 | 1 | 3 | 1 | 1 | 0 | 1 |
/// | get 2 (miss) | 1 | 2 | 3 | 1 | 1 | 0 | 1 |
/// | insert 4 | 1 | 2 | 4 | 1 | 1 | 0 | 2 |
/// | insert 5: over capacity | 1 | 2 | 5 | 1 | 1 | 1 | 2 |
fn run_script<B>(cache: &Cache<B>) -> CacheStats
where
    B: Backend<Key = u32, Value = String>,
{
    cache.insert(1, "one".to_owned());
    cache.insert(2, "two".to_owned());
    assert_eq!(cache.get(&1).as_deref(), Some("one"));
    assert_eq!(cache.get(&3), None);

    assert_eq!(cache.peek(&2).as_deref(), Some("two"));
    assert!(cache.contains(&2));
    assert!(!cache.contains(&3));

    cache.insert(1, "uno".to_owned());
    assert_eq!(cache.remove(&2).as_deref(), Some("two"));
    assert_eq!(cache.remove(&9), None);
    assert_eq!(cache.get(&2), None);

    cache.insert(4, "four".to_owned());
    cache.insert(5, "five".to_owned());
    cache.run_pending_tasks();
    cache.stats()
}

fn assert_script_counts(stats: &CacheStats) {
    assert_eq!(stats.hits, 1, "hits");
    assert_eq!(stats.misses, 2, "misses");
    assert_eq!(stats.request_count(), 3, "requests");
    assert_eq!(stats.inserts, 5, "inserts");
    assert_eq!(stats.evictions.replaced, 1, "replaced");
    assert_eq!(stats.evictions.explicit, 1, "explicit removals");
    assert_eq!(stats.evictions.size, 1, "size evictions");
    assert_eq!(stats.evictions.expired, 0, "expirations");
    assert_eq!(stats.entries, 2, "entries");
    assert_eq!(stats.weighted_size, 2, "weighted size: one per entry without a weigher");
    assert_eq!(stats.capacity, Some(2), "capacity");
}

#[test]
fn hashmap_script_counts() {
    let cache = HashMapCache::<u32, String>::new("adapters_hashmap", 2);
    assert_script_counts(&run_script(&cache));
}

#[test]
fn hashmap_evicts_oldest() {
    let cache = HashMapCache::<u32, String>::new("adapters_hashmap_order", 2);
    run_script(&cache);
    // Insertion order after the script: 1 (re-inserted), 4, 5; the oldest, 1, was evicted.
    assert!(!cache.contains(&1));
    assert!(cache.contains(&4));
    assert!(cache.contains(&5));
}

#[test]
fn lru_script_counts() {
    let cache = LruCache::<u32, String>::new("adapters_lru", 2);
    assert_script_counts(&run_script(&cache));
}

#[test]
fn lru_evicts_least_recent() {
    let cache = LruCache::<u32, String>::new("adapters_lru_order", 2);
    cache.insert(1, "one".to_owned());
    cache.insert(2, "two".to_owned());
    cache.get(&1);
    cache.insert(3, "three".to_owned());
    // 2 is the least recently used after `get(1)`.
    assert!(!cache.contains(&2));
    assert!(cache.contains(&1));
    assert_eq!(cache.stats().evictions.size, 1);
}

#[test]
fn quick_cache_script_counts() {
    let cache = QuickCache::<u32, String>::new("adapters_quick_cache", 2);
    assert_script_counts(&run_script(&cache));
}

#[test]
fn moka_script_counts() {
    let cache = MokaCache::<u32, String>::new("adapters_moka", 2);
    assert_script_counts(&run_script(&cache));
}

#[test]
fn moka_future_script_counts() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let stats = runtime.block_on(async {
        let cache = MokaFutureCache::<u32, String>::new("adapters_moka_future", 2);
        cache.insert(1, "one".to_owned()).await;
        cache.insert(2, "two".to_owned()).await;
        assert_eq!(cache.get(&1).await.as_deref(), Some("one"));
        assert_eq!(cache.get(&3).await, None);

        assert!(cache.contains(&2));
        assert!(!cache.contains(&3));

        cache.insert(1, "uno".to_owned()).await;
        assert_eq!(cache.remove(&2).await.as_deref(), Some("two"));
        assert_eq!(cache.remove(&9).await, None);
        assert_eq!(cache.get(&2).await, None);

        cache.insert(4, "four".to_owned()).await;
        cache.insert(5, "five".to_owned()).await;
        cache.run_pending_tasks().await;
        cache.stats()
    });
    assert_script_counts(&stats);
}

#[test]
fn hashmap_weighted_eviction() {
    // The weigher's parameter types are the cache's key and value types.
    #[allow(clippy::ptr_arg)]
    fn weigh(_key: &u32, value: &String) -> u64 {
        value.len() as u64
    }

    let cache = HashMapCache::<u32, String>::builder("adapters_hashmap_weighted").capacity(10).weigher(weigh).build();
    cache.insert(1, "aaaa".to_owned());
    cache.insert(2, "bbbb".to_owned());
    // 4 + 4 + 6 = 14 > 10: the oldest (1, weight 4) goes, leaving 4 + 6 = 10.
    cache.insert(3, "cccccc".to_owned());
    let stats = cache.stats();
    assert_eq!(stats.evictions.size, 1);
    assert_eq!(stats.eviction_weight, 4);
    assert_eq!(stats.weighted_size, 10);
    assert_eq!(stats.entries, 2);
}

#[test]
fn lru_rejects_entry_over_capacity() {
    // The weigher's parameter types are the cache's key and value types.
    #[allow(clippy::ptr_arg)]
    fn weigh(_key: &u32, value: &String) -> u64 {
        value.len() as u64
    }

    let cache = LruCache::<u32, String>::builder("adapters_lru_oversized").capacity(5).weigher(weigh).build();
    cache.insert(1, "abc".to_owned());
    cache.insert(2, "much too long".to_owned());
    let stats = cache.stats();
    // The 13-byte value cannot fit in 5: it is evicted at once and the 3-byte entry stays.
    assert_eq!(stats.evictions.size, 1);
    assert_eq!(stats.eviction_weight, 13);
    assert_eq!(stats.weighted_size, 3);
    assert!(cache.contains(&1));
}

#[test]
fn clear_counts_explicit_removals() {
    let cache = QuickCache::<u32, String>::new("adapters_quick_cache_clear", 10);
    for key in 0..4 {
        cache.insert(key, key.to_string());
    }
    cache.clear();
    let stats = cache.stats();
    assert_eq!(stats.evictions.explicit, 4);
    assert_eq!(stats.entries, 0);
}

#[test]
fn memory_estimate_without_weigher() {
    let cache = HashMapCache::<u64, u64>::new("adapters_memory", 10);
    cache.insert(1, 1);
    cache.insert(2, 2);
    // Two entries of an 8-byte key and an 8-byte value.
    assert_eq!(cache.stats().memory_bytes, 32);
}
