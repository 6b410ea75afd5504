//! Removals by cause, as moka's eviction listener reports them, for the sync and the future
//! cache.

use std::time::Duration;

use perf_cache::{MokaCache, MokaFutureCache, MonitoredCache};

// The weigher's parameter types are the cache's key and value types.
#[allow(clippy::ptr_arg)]
fn weigh(_key: &u32, value: &Vec<u8>) -> u64 {
    value.len() as u64
}

#[test]
fn moka_size_evictions() {
    let cache = MokaCache::<u32, u32>::new("moka_size", 3);
    for key in 0..6 {
        cache.insert(key, key);
    }
    cache.run_pending_tasks();
    let stats = cache.stats();
    // Six entries into room for three: three evicted (or refused by TinyLFU admission).
    assert_eq!(stats.evictions.size, 3);
    assert_eq!(stats.entries, 3);
    assert_eq!(stats.eviction_count(), 3);
}

#[test]
fn moka_expired_entries() {
    let cache = MokaCache::<u32, u32>::builder("moka_expired").time_to_live(Duration::from_millis(100)).build();
    cache.insert(1, 1);
    cache.insert(2, 2);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(cache.get(&1), None);
    cache.run_pending_tasks();
    let stats = cache.stats();
    assert_eq!(stats.evictions.expired, 2);
    assert_eq!(stats.misses, 1);
    assert_eq!(stats.entries, 0);
}

#[test]
fn moka_explicit_removals() {
    let cache = MokaCache::<u32, u32>::new("moka_explicit", 100);
    for key in 0..3 {
        cache.insert(key, key);
    }
    cache.remove(&0);
    cache.run_pending_tasks();
    cache.clear();
    cache.run_pending_tasks();
    let stats = cache.stats();
    // One `remove` and two entries left for `clear`.
    assert_eq!(stats.evictions.explicit, 3);
    assert_eq!(stats.eviction_count(), 0);
    assert_eq!(stats.entries, 0);
}

#[test]
fn moka_replaced_values() {
    let cache = MokaCache::<u32, u32>::new("moka_replaced", 100);
    cache.insert(7, 1);
    cache.insert(7, 2);
    cache.insert(7, 3);
    cache.run_pending_tasks();
    let stats = cache.stats();
    assert_eq!(stats.evictions.replaced, 2);
    assert_eq!(stats.entries, 1);
    assert_eq!(cache.get(&7), Some(3));
}

#[test]
fn moka_eviction_weight_in_bytes() {
    let cache = MokaCache::<u32, Vec<u8>>::builder("moka_weight").capacity(100).weigher(weigh).build();
    cache.insert(1, vec![0; 60]);
    cache.run_pending_tasks();
    cache.insert(2, vec![0; 70]);
    cache.run_pending_tasks();
    let stats = cache.stats();
    // 60 + 70 > 100: one of the two goes, for size, with its weight.
    assert_eq!(stats.evictions.size, 1);
    assert!(stats.eviction_weight == 60 || stats.eviction_weight == 70, "eviction weight {}", stats.eviction_weight);
    assert_eq!(stats.weighted_size + stats.eviction_weight, 130);
}

#[test]
fn moka_future_causes() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let stats = runtime.block_on(async {
        let cache = MokaFutureCache::<u32, u32>::builder("moka_future_causes")
            .capacity(2)
            .time_to_live(Duration::from_millis(100))
            .build();
        cache.insert(1, 1).await;
        cache.insert(1, 2).await;
        cache.insert(2, 2).await;
        cache.remove(&2).await;
        cache.run_pending_tasks().await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        cache.run_pending_tasks().await;
        cache.stats()
    });
    // 1 replaced once, 2 removed, and the remaining value of 1 expired.
    assert_eq!(stats.evictions.replaced, 1);
    assert_eq!(stats.evictions.explicit, 1);
    assert_eq!(stats.evictions.expired, 1);
    assert_eq!(stats.entries, 0);
}
