//! Pins the public statistics API: the fields of `CacheStats`, and the names, signatures and
//! meanings of its methods, which follow Caffeine's `CacheStats`. A change that breaks a
//! caller of these breaks this file first.

use std::time::Duration;

use perf_cache::{
    CacheLatency, CacheStats, Evictions, Health, HealthPolicy, LatencySplit, MonitoredCache, RemovalCause,
};

/// A method of `CacheStats` that reads one value, and the value it must return for [`pinned`].
type Pinned<T> = (fn(&CacheStats) -> T, T);

fn pinned() -> CacheStats {
    CacheStats {
        hits: 6,
        misses: 2,
        load_successes: 1,
        load_failures: 1,
        total_load_time_ns: 3_000,
        inserts: 4,
        evictions: Evictions { size: 2, expired: 1, explicit: 1, replaced: 1 },
        eviction_weight: 30,
        entries: 3,
        weighted_size: 300,
        capacity: Some(600),
        memory_bytes: 400,
    }
}

#[test]
fn stats_method_signatures() {
    let counts: [Pinned<u64>; 8] = [
        (CacheStats::hit_count, 6),
        (CacheStats::miss_count, 2),
        (CacheStats::request_count, 8),
        (CacheStats::load_count, 2),
        (CacheStats::load_success_count, 1),
        (CacheStats::load_failure_count, 1),
        (CacheStats::eviction_count, 3),
        (CacheStats::eviction_weight, 30),
    ];
    for (method, expected) in counts {
        assert_eq!(method(&pinned()), expected);
    }

    let rates: [Pinned<f64>; 4] = [
        (CacheStats::hit_rate, 0.75),
        (CacheStats::miss_rate, 0.25),
        (CacheStats::load_failure_rate, 0.5),
        (CacheStats::eviction_churn, 0.75),
    ];
    for (method, expected) in rates {
        assert_eq!(method(&pinned()), expected);
    }

    let durations: [Pinned<Duration>; 2] = [
        (CacheStats::total_load_time, Duration::from_nanos(3_000)),
        (CacheStats::average_load_penalty, Duration::from_nanos(1_500)),
    ];
    for (method, expected) in durations {
        assert_eq!(method(&pinned()), expected);
    }

    let memory_pressure: fn(&CacheStats) -> Option<f64> = CacheStats::memory_pressure;
    assert_eq!(memory_pressure(&pinned()), Some(0.5));
}

#[test]
fn stats_window_methods() {
    let minus: fn(&CacheStats, &CacheStats) -> CacheStats = CacheStats::minus;
    let plus: fn(&CacheStats, &CacheStats) -> CacheStats = CacheStats::plus;
    assert_eq!(minus(&pinned(), &pinned()).request_count(), 0);
    assert_eq!(plus(&pinned(), &pinned()).request_count(), 16);
}

#[test]
fn stats_without_requests() {
    assert_eq!(CacheStats::ZERO.hit_rate(), 1.0);
    assert_eq!(CacheStats::ZERO.miss_rate(), 0.0);
    assert_eq!(CacheStats::default(), CacheStats::ZERO);
}

#[test]
fn stats_serialized_fields() {
    let json = serde_json::to_value(pinned()).unwrap();
    let mut fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        vec![
            "capacity",
            "entries",
            "eviction_weight",
            "evictions",
            "hits",
            "inserts",
            "load_failures",
            "load_successes",
            "memory_bytes",
            "misses",
            "total_load_time_ns",
            "weighted_size",
        ]
    );
    assert_eq!(json["evictions"]["size"], 2);
}

#[test]
fn removal_cause_labels() {
    let labels: Vec<&str> = RemovalCause::ALL.iter().map(RemovalCause::as_str).collect();
    assert_eq!(labels, vec!["size", "expired", "explicit", "replaced"]);
    assert_eq!(pinned().evictions.get(RemovalCause::Expired), 1);
}

/// A cache that kept its own statistics implements the trait by hand and keeps its method
/// names and meanings.
struct LegacyCache {
    stats: CacheStats,
}

impl MonitoredCache for LegacyCache {
    fn cache_name(&self) -> &str {
        "legacy"
    }

    fn stats(&self) -> CacheStats {
        self.stats
    }

    fn latency(&self) -> CacheLatency {
        CacheLatency::default()
    }

    fn latency_split(&self) -> LatencySplit {
        LatencySplit::default()
    }

    fn health_policy(&self) -> HealthPolicy {
        HealthPolicy::DEFAULT
    }
}

#[test]
fn trait_object_safe() {
    let cache: Box<dyn MonitoredCache> = Box::new(LegacyCache { stats: pinned() });
    assert_eq!(cache.cache_name(), "legacy");
    assert_eq!(cache.stats().hit_count(), 6);
    let health: Health = cache.health();
    assert!(health.score > 0.0, "score {}", health.score);
    assert!(health.score <= 100.0, "score {}", health.score);
}
