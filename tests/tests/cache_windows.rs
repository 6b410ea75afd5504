//! Windows: each tick of perf's collector closes one window per cache, the difference of its
//! statistics since the previous tick. `perf::collect_now` ticks every collector in the
//! process, so the tests here take turns.

use std::sync::Mutex;

use perf::MetricValue;
use perf_cache::{CollectorRef, HashMapCache, MonitoredCache};

static TICKS: Mutex<()> = Mutex::new(());

fn sample_value(cache: &str, metric: &str) -> Option<MetricValue> {
    let snapshot = perf::snapshot();
    let collector = snapshot.collectors.iter().find(|collector| collector.name == cache)?;
    collector.samples.iter().find(|sample| sample.name == metric).map(|sample| sample.value.clone())
}

#[test]
fn window_hit_rate_per_tick() {
    let _turn = TICKS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let cache = HashMapCache::<u32, u32>::new("windows_hit_rate", 10);
    cache.insert(1, 1);
    perf::collect_now();

    for _ in 0..3 {
        cache.get(&1);
    }
    cache.get(&2);
    perf::collect_now();
    // 3 hits and 1 miss in the window.
    assert_eq!(sample_value("windows_hit_rate", "cache_window_hit_rate"), Some(MetricValue::FloatGauge(0.75)));
    assert_eq!(sample_value("windows_hit_rate", "cache_window_requests"), Some(MetricValue::Gauge(4)));

    cache.get(&1);
    perf::collect_now();
    // Only the one hit since the last tick.
    assert_eq!(sample_value("windows_hit_rate", "cache_window_hit_rate"), Some(MetricValue::FloatGauge(1.0)));
    assert_eq!(sample_value("windows_hit_rate", "cache_window_requests"), Some(MetricValue::Gauge(1)));

    let windows = CollectorRef::named("windows_hit_rate").windows();
    let last_two: Vec<(u64, u64)> =
        windows.iter().rev().take(2).rev().map(|window| (window.stats.hits, window.stats.misses)).collect();
    assert_eq!(last_two, vec![(3, 1), (1, 0)]);
}

#[test]
fn window_never_negative_after_drop() {
    let _turn = TICKS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let first = HashMapCache::<u32, u32>::new("windows_drop", 10);
    first.insert(1, 1);
    first.get(&1);
    first.get(&1);
    perf::collect_now();

    drop(first);
    let second = HashMapCache::<u32, u32>::new("windows_drop", 10);
    second.get(&5);
    perf::collect_now();

    let collector = CollectorRef::named("windows_drop");
    let window = collector.windows().last().copied().unwrap();
    // The dropped instance's two hits stay in the totals, so the window has only the miss.
    assert_eq!(window.stats.hits, 0);
    assert_eq!(window.stats.misses, 1);
    assert_eq!(collector.stats().hits, 2);
    assert_eq!(collector.stats().misses, 1);
    assert_eq!(collector.instances(), 1);
    assert_eq!(second.stats().hits, 0);
}
