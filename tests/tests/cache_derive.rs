//! `#[derive(MonitoredCache)]` on real stores: static registration, instances adding up under
//! the type's name, and the snapshot.

use std::hash::Hash;
use std::sync::Arc;

use perf::MetricValue;
use perf_cache::{CacheDefinition, CollectorRef, HashMapCache, MokaCache, MokaFutureCache, MonitoredCache};

fn byte_len(_path: &String, body: &Arc<[u8]>) -> u64 {
    body.len() as u64
}

// Never built: its collector must still be registered.
#[allow(dead_code)]
#[derive(MonitoredCache)]
#[cache(name = "derive_never_used", capacity = 10)]
struct NeverUsed {
    #[cache(store)]
    _entries: HashMapCache<u32, u32>,
}

#[derive(MonitoredCache)]
#[cache(name = "derive_files", capacity = 1_000, weigher = byte_len, target_hit_rate = 0.9, target_latency = "5ms")]
struct Files {
    #[cache(store)]
    bodies: MokaCache<String, Arc<[u8]>>,
}

#[derive(MonitoredCache)]
#[cache(name = "derive_generic")]
struct Generic<K: Hash + Eq + Clone + Send + Sync + 'static> {
    #[cache(store)]
    entries: HashMapCache<K, u8>,
}

#[derive(MonitoredCache)]
#[cache(name = "derive_async", capacity = 100)]
struct AsyncTokens {
    #[cache(store)]
    tokens: MokaFutureCache<u64, String>,
}

fn sample(cache: &str, metric: &str) -> Option<MetricValue> {
    let snapshot = perf::snapshot();
    let collector = snapshot.collectors.iter().find(|collector| collector.name == cache)?;
    collector.samples.iter().find(|sample| sample.name == metric).map(|sample| sample.value.clone())
}

#[test]
fn derive_listed_before_use() {
    let snapshot = perf::snapshot();
    let collector = snapshot.collectors.iter().find(|collector| collector.name == "derive_never_used").unwrap();
    assert_eq!(collector.kind, "cache");
    assert_eq!(sample("derive_never_used", "cache_requests"), Some(MetricValue::Counter(0)));
    assert_eq!(sample("derive_never_used", "cache_instances"), Some(MetricValue::Gauge(0)));
}

#[test]
fn derive_reports_in_snapshot() {
    let files = Files { bodies: Files::new_store() };
    let body: Arc<[u8]> = Arc::from(vec![b'x'; 200]);
    files.bodies.get_or_load("/index.html".to_owned(), |_| body.clone());
    files.bodies.get(&"/index.html".to_owned());
    files.bodies.get(&"/index.html".to_owned());
    files.bodies.get(&"/missing.html".to_owned());
    files.bodies.run_pending_tasks();

    let stats = files.stats();
    // One load (a miss), two hits, one more miss.
    assert_eq!((stats.hits, stats.misses), (2, 2));
    assert_eq!(stats.weighted_size, 200);
    assert_eq!(stats.capacity, Some(1_000));

    assert_eq!(sample("derive_files", "cache_hits"), Some(MetricValue::Counter(2)));
    assert_eq!(sample("derive_files", "cache_misses"), Some(MetricValue::Counter(2)));
    assert_eq!(sample("derive_files", "cache_hit_rate"), Some(MetricValue::FloatGauge(0.5)));
    assert_eq!(sample("derive_files", "cache_weighted_size"), Some(MetricValue::Gauge(200)));
    assert_eq!(sample("derive_files", "cache_capacity"), Some(MetricValue::Gauge(1_000)));
}

#[test]
fn derive_policy_from_attributes() {
    let policy = Files::collector().policy();
    assert_eq!(policy.target_hit_rate(), 0.9);
    assert_eq!(policy.target_latency(), std::time::Duration::from_millis(5));
}

#[test]
fn derive_instances_add_up() {
    let first = Generic::<u32> { entries: Generic::new_store() };
    let second = Generic::<String> { entries: Generic::new_store() };
    first.entries.insert(1, 1);
    first.entries.get(&1);
    second.entries.get(&"absent".to_owned());

    let collector = <Generic<u32> as CacheDefinition>::collector();
    assert_eq!(collector.instances(), 2);
    assert_eq!((collector.stats().hits, collector.stats().misses), (1, 1));
    assert_eq!((first.stats().hits, first.stats().misses), (1, 0));

    drop(second);
    assert_eq!(collector.instances(), 1);
    // The dropped instance's miss stays in the totals.
    assert_eq!(collector.stats().misses, 1);
}

#[test]
fn derive_name_shared_with_runtime() {
    // A cache built by name finds the derived type's collector and adds to it.
    assert!(matches!(CollectorRef::named("derive_never_used"), CollectorRef::Static(_)));
    let report = perf_cache::cache("derive_never_used").unwrap();
    assert_eq!(report.stats.capacity, None);
}

#[test]
fn derive_async_store() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let stats = runtime.block_on(async {
        let tokens = AsyncTokens { tokens: AsyncTokens::new_store() };
        tokens.tokens.insert(1, "a".to_owned()).await;
        tokens.tokens.get(&1).await;
        tokens.tokens.get(&2).await;
        tokens.stats()
    });
    assert_eq!((stats.hits, stats.misses, stats.inserts), (1, 1, 1));
}
