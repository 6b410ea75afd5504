//! Health scores of constructed cases, each worked out by hand from the documented formula:
//!
//! score = 100 × (0.40·H + 0.25·L + 0.20·F + 0.10·C + 0.05·M)

use std::time::Duration;

use perf_cache::{
    CacheStats, Evictions, HashMapCache, Health, HealthBounds, HealthPolicy, HealthState, LatencySplit, MonitoredCache,
};

fn policy() -> HealthPolicy {
    HealthPolicy::new(0.8, Duration::from_millis(1)).unwrap()
}

fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-9, "score {actual}, expected {expected}");
}

#[test]
fn health_of_perfect_cache() {
    let stats = CacheStats { hits: 90, misses: 10, load_successes: 10, inserts: 10, ..CacheStats::ZERO };
    let latency = LatencySplit { satisfied: 100, tolerating: 0, frustrated: 0 };
    let health = Health::evaluate(&stats, &latency, &policy());
    // H = min(1, 0.9 / 0.8) = 1, L = 1, F = 1, C = 1 (no evictions), M = 1 (no capacity).
    assert_close(health.score, 100.0);
    assert_eq!(health.state, HealthState::Healthy);
}

#[test]
fn health_of_degraded_cache() {
    let stats = CacheStats {
        hits: 40,
        misses: 60,
        load_successes: 57,
        load_failures: 3,
        inserts: 60,
        evictions: Evictions { size: 30, ..Evictions::ZERO },
        weighted_size: 95,
        capacity: Some(100),
        ..CacheStats::ZERO
    };
    let latency = LatencySplit { satisfied: 50, tolerating: 30, frustrated: 20 };
    let health = Health::evaluate(&stats, &latency, &policy());
    // H = 0.4 / 0.8 = 0.5
    // L = (50 + 30 / 2) / 100 = 0.65
    // F = 1 − (3 / 60) / 0.1 = 0.5
    // C = 1 − 30 / 60 = 0.5
    // M = 1 − (0.95 − 0.9) / 0.1 = 0.5
    // 100 × (0.4·0.5 + 0.25·0.65 + 0.2·0.5 + 0.1·0.5 + 0.05·0.5) = 20 + 16.25 + 10 + 5 + 2.5 = 53.75
    assert_close(health.score, 53.75);
    assert_eq!(health.state, HealthState::Degraded);
    assert_close(health.components.latency, 0.65);
}

#[test]
fn health_of_critical_cache() {
    let stats = CacheStats {
        hits: 10,
        misses: 90,
        load_successes: 72,
        load_failures: 18,
        inserts: 72,
        evictions: Evictions { size: 144, ..Evictions::ZERO },
        weighted_size: 120,
        capacity: Some(100),
        ..CacheStats::ZERO
    };
    let latency = LatencySplit { satisfied: 0, tolerating: 0, frustrated: 100 };
    let health = Health::evaluate(&stats, &latency, &policy());
    // H = 0.1 / 0.8 = 0.125; L = 0; F = 1 − min(1, 0.2 / 0.1) = 0; C = 1 − min(1, 2) = 0;
    // M = 1 − clamp((1.2 − 0.9) / 0.1) = 0. Score = 100 × 0.4 × 0.125 = 5.
    assert_close(health.score, 5.0);
    assert_eq!(health.state, HealthState::Critical);
}

#[test]
fn health_of_idle_cache() {
    let health = Health::evaluate(&CacheStats::ZERO, &LatencySplit::default(), &policy());
    // No requests, lookups, loads, inserts or capacity: every component is 1.
    assert_close(health.score, 100.0);
}

#[test]
fn health_bounds_configurable() {
    let stats = CacheStats { hits: 40, misses: 60, ..CacheStats::ZERO };
    let latency = LatencySplit { satisfied: 100, tolerating: 0, frustrated: 0 };
    // H = 0.5, others 1: 100 × (0.2 + 0.25 + 0.2 + 0.1 + 0.05) = 80.
    let default = Health::evaluate(&stats, &latency, &policy());
    assert_close(default.score, 80.0);
    assert_eq!(default.state, HealthState::Healthy);

    let strict = policy().with_bounds(HealthBounds::new(90.0, 85.0).unwrap());
    assert_eq!(Health::evaluate(&stats, &latency, &strict).state, HealthState::Critical);

    let lenient = policy().with_bounds(HealthBounds::new(70.0, 10.0).unwrap());
    assert_eq!(Health::evaluate(&stats, &latency, &lenient).state, HealthState::Healthy);
}

#[test]
fn health_target_hit_rate_scales() {
    let stats = CacheStats { hits: 45, misses: 55, ..CacheStats::ZERO };
    let latency = LatencySplit::default();
    let target = HealthPolicy::new(0.9, Duration::from_millis(1)).unwrap();
    // H = 0.45 / 0.9 = 0.5: 100 × (0.4·0.5 + 0.25 + 0.2 + 0.1 + 0.05) = 80.
    assert_close(Health::evaluate(&stats, &latency, &target).score, 80.0);
}

#[test]
fn health_of_real_cache() {
    let cache = HashMapCache::<u32, u32>::builder("health_real")
        .capacity(2)
        .health_policy(HealthPolicy::new(0.5, Duration::from_secs(10)).unwrap())
        .build();
    cache.insert(1, 1);
    cache.insert(2, 2);
    cache.insert(3, 3);
    cache.get(&2);
    cache.get(&1);
    let health = cache.health();
    // Three inserts into room for two: 1 size eviction, entries 2 and 3 remain.
    // H = min(1, 0.5 / 0.5) = 1; L = 1 (every lookup under 10 s); F = 1 (no loads);
    // C = 1 − 1/3 = 2/3; M = 1 − clamp((2/2 − 0.9) / 0.1) = 0.
    // 100 × (0.4 + 0.25 + 0.2 + 0.1 × 2/3 + 0) = 91.666...
    assert_close(health.score, 100.0 * (0.4 + 0.25 + 0.2 + 0.1 * 2.0 / 3.0));
    assert_eq!(health.state, HealthState::Healthy);
}

#[test]
fn health_in_snapshot() {
    let cache = HashMapCache::<u32, u32>::new("health_snapshot", 10);
    cache.insert(1, 1);
    cache.get(&1);
    let snapshot = perf::snapshot();
    let collector = snapshot.collectors.iter().find(|collector| collector.name == "health_snapshot").unwrap();
    let state = collector
        .samples
        .iter()
        .find(|sample| {
            sample.name == "cache_health_state" && sample.labels.get("state").map(String::as_str) == Some("healthy")
        })
        .unwrap();
    // One hit, no miss, no eviction, 1 of 10 entries used: a healthy cache.
    assert_eq!(state.value, perf::MetricValue::Gauge(1));
}
