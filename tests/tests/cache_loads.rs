//! Loads through `get_or_load`: failures count a miss and a load failure and insert nothing,
//! and each operation lands in its own latency histogram.

use std::time::Duration;

use perf_cache::{HashMapCache, MokaFutureCache, MonitoredCache};

#[derive(Debug, PartialEq)]
struct Unavailable;

#[test]
fn failed_load_counts_miss() {
    let cache = HashMapCache::<u32, String>::new("loads_failure", 10);
    let failed = cache.try_get_or_load(1, |_| Err::<String, _>(Unavailable));
    assert_eq!(failed, Err(Unavailable));
    let stats = cache.stats();
    assert_eq!(stats.misses, 1);
    assert_eq!(stats.hits, 0);
    assert_eq!(stats.load_failures, 1);
    assert_eq!(stats.load_successes, 0);
    assert_eq!(stats.inserts, 0);
    assert!(!cache.contains(&1));
}

#[test]
fn load_then_hit() {
    let cache = HashMapCache::<u32, String>::new("loads_then_hit", 10);
    let _ = cache.try_get_or_load(1, |_| Err::<String, _>(Unavailable));
    let loaded = cache.try_get_or_load(1, |key| Ok::<_, Unavailable>(format!("value {key}")));
    assert_eq!(loaded.as_deref(), Ok("value 1"));
    let cached = cache.try_get_or_load(1, |_| Err::<String, _>(Unavailable));
    assert_eq!(cached.as_deref(), Ok("value 1"));

    let stats = cache.stats();
    // Failure (miss), success (miss), then a hit that never calls the loader.
    assert_eq!((stats.hits, stats.misses), (1, 2));
    assert_eq!((stats.load_successes, stats.load_failures), (1, 1));
    assert_eq!(stats.load_failure_rate(), 0.5);
    assert_eq!(stats.inserts, 1);
}

#[test]
fn load_penalty_measured() {
    let cache = HashMapCache::<u32, u32>::new("loads_penalty", 10);
    for key in 0..2 {
        cache.get_or_load(key, |key| {
            std::thread::sleep(Duration::from_millis(20));
            key * 2
        });
    }
    let stats = cache.stats();
    assert_eq!(stats.load_count(), 2);
    assert!(stats.total_load_time() >= Duration::from_millis(40), "total {:?}", stats.total_load_time());
    assert!(stats.average_load_penalty() >= Duration::from_millis(20), "mean {:?}", stats.average_load_penalty());
    assert!(stats.average_load_penalty() < Duration::from_secs(2), "mean {:?}", stats.average_load_penalty());
}

#[test]
fn latency_histograms_per_operation() {
    let cache = HashMapCache::<u32, u32>::new("loads_latency", 10);
    cache.get_or_load(1, |key| *key);
    cache.get_or_load(1, |key| *key);
    cache.get(&2);
    cache.insert(3, 3);
    cache.remove(&3);

    let latency = cache.latency();
    // Lookups: two get_or_load and one get. Inserts: the load's and the explicit one.
    assert_eq!(latency.get.map(|distribution| distribution.count), Some(3));
    assert_eq!(latency.insert.map(|distribution| distribution.count), Some(2));
    assert_eq!(latency.remove.map(|distribution| distribution.count), Some(1));
    assert_eq!(latency.load.map(|distribution| distribution.count), Some(1));
}

#[test]
fn lookup_latency_includes_load() {
    let cache = HashMapCache::<u32, u32>::new("loads_lookup_latency", 10);
    cache.get_or_load(1, |key| {
        std::thread::sleep(Duration::from_millis(10));
        *key
    });
    let get = cache.latency().get.unwrap();
    assert!(get.max >= 10_000_000, "lookup max {} ns", get.max);
}

#[test]
fn async_failed_load_counts_miss() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let stats = runtime.block_on(async {
        let cache = MokaFutureCache::<u32, u32>::new("loads_async", 10);
        let failed = cache.try_get_or_load(1, async { Err::<u32, _>(Unavailable) }).await;
        assert_eq!(failed, Err(Unavailable));
        let loaded = cache.get_or_load(1, async { 11 }).await;
        assert_eq!(loaded, 11);
        assert_eq!(cache.get_or_load(1, async { 99 }).await, 11);
        cache.stats()
    });
    assert_eq!((stats.hits, stats.misses), (1, 2));
    assert_eq!((stats.load_successes, stats.load_failures), (1, 1));
}
