//! The caches of a snapshot, read from the samples of the plugin collectors of kind `cache`.
//!
//! Sample names are those that perf-cache writes: `cache_hits`, `cache_misses`,
//! `cache_hit_rate`, `cache_get_latency_ns`, `cache_entries`, `cache_weighted_size`,
//! `cache_capacity`, `cache_memory_bytes`, `cache_evictions{cause}`, `cache_health_score`
//! (0 to 100) and `cache_health_state{state}` (1 for the current state). Another collector of
//! kind `cache` shows the samples it shares with these names; the others are listed as they
//! are.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::metric::Distribution;
use crate::plugin::{CollectorSnapshot, Sample};
use crate::snapshot::{MetricValue, Snapshot};

/// The kind of plugin collector that reports a cache.
pub const CACHE_KIND: &str = "cache";

/// One cache, as the dashboard and the reports show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheView {
    /// Cache name (the collector's name).
    pub name: String,
    /// Component the cache belongs to.
    pub component: String,
    /// Hits since the start of the process.
    pub hits: Option<u64>,
    /// Misses since the start of the process.
    pub misses: Option<u64>,
    /// `hits / (hits + misses)`, `None` before the first request.
    pub hit_rate: Option<f64>,
    /// Latency of lookups, in nanoseconds.
    pub latency: Option<Distribution>,
    /// Entries held now.
    pub entries: Option<i64>,
    /// Size counted in the unit of the capacity (entries, or weights).
    pub size: Option<i64>,
    /// Capacity, when the cache is bounded.
    pub capacity: Option<i64>,
    /// Memory held by the entries, in bytes.
    pub memory_bytes: Option<i64>,
    /// Evictions since the start of the process, by cause.
    pub evictions: BTreeMap<String, u64>,
    /// Health score from 0 (worst) to 100 (best).
    pub health_score: Option<f64>,
    /// Health state: `healthy`, `degraded` or `critical`.
    pub state: Option<String>,
    /// Reason the collector produced no samples, when it failed.
    pub error: Option<String>,
    /// Samples with other names, as reported.
    pub other: Vec<Sample>,
}

impl CacheView {
    /// Reads the cache reported by one collector.
    pub fn from_collector(collector: &CollectorSnapshot) -> CacheView {
        let mut view = CacheView {
            name: collector.name.clone(),
            component: collector.component.clone(),
            hits: None,
            misses: None,
            hit_rate: None,
            latency: None,
            entries: None,
            size: None,
            capacity: None,
            memory_bytes: None,
            evictions: BTreeMap::new(),
            health_score: None,
            state: None,
            error: collector.error.clone(),
            other: Vec::new(),
        };
        let mut reported_hit_rate = None;
        let mut entries_as_size = None;

        for sample in &collector.samples {
            match (sample.name.as_str(), &sample.value) {
                ("cache_hits", MetricValue::Counter(total)) => view.hits = Some(*total),
                ("cache_misses", MetricValue::Counter(total)) => view.misses = Some(*total),
                ("cache_hit_rate", MetricValue::FloatGauge(rate)) => reported_hit_rate = Some(*rate),
                ("cache_get_latency_ns", MetricValue::Histogram(distribution)) => view.latency = *distribution,
                ("cache_entries", MetricValue::Gauge(entries)) => {
                    view.entries = Some(*entries);
                    entries_as_size = Some(*entries);
                }
                ("cache_weighted_size", MetricValue::Gauge(size)) => view.size = Some(*size),
                ("cache_capacity", MetricValue::Gauge(capacity)) => view.capacity = Some(*capacity),
                ("cache_memory_bytes", MetricValue::Gauge(bytes)) => view.memory_bytes = Some(*bytes),
                ("cache_evictions", MetricValue::Counter(total)) => {
                    let cause = sample.labels.get("cause").cloned().unwrap_or_else(|| "unknown".to_owned());
                    *view.evictions.entry(cause).or_default() += total;
                }
                ("cache_health_score", MetricValue::FloatGauge(score)) => view.health_score = Some(*score),
                ("cache_health_state", MetricValue::Gauge(1)) => view.state = sample.labels.get("state").cloned(),
                ("cache_health_state", MetricValue::Gauge(_)) => {}
                _ => view.other.push(sample.clone()),
            }
        }

        view.size = view.size.or(entries_as_size);
        view.hit_rate = match (view.hits, view.misses) {
            (Some(hits), Some(misses)) if hits + misses > 0 => Some(hits as f64 / (hits + misses) as f64),
            (Some(_), Some(_)) => None,
            _ => reported_hit_rate,
        };
        view
    }

    /// Returns the caches of a snapshot, sorted by name.
    pub fn all(snapshot: &Snapshot) -> Vec<CacheView> {
        snapshot
            .collectors
            .iter()
            .filter(|collector| collector.kind == CACHE_KIND)
            .map(CacheView::from_collector)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::Samples;

    fn collector(samples: Samples) -> CollectorSnapshot {
        CollectorSnapshot {
            name: "sessions".into(),
            kind: CACHE_KIND.into(),
            component: "auth".into(),
            samples: samples.as_slice().to_vec(),
            error: None,
            enabled: true,
            supported: true,
            duration_us: 0,
        }
    }

    #[test]
    fn cache_view_hit_rate_from_counts() {
        let mut samples = Samples::default();
        samples.counter("cache_hits", &[], 30);
        samples.counter("cache_misses", &[], 10);
        samples.float_gauge("cache_hit_rate", &[], 0.5);
        assert_eq!(CacheView::from_collector(&collector(samples)).hit_rate, Some(0.75));
    }

    #[test]
    fn cache_view_no_requests_has_no_hit_rate() {
        let mut samples = Samples::default();
        samples.counter("cache_hits", &[], 0);
        samples.counter("cache_misses", &[], 0);
        samples.float_gauge("cache_hit_rate", &[], 1.0);
        assert_eq!(CacheView::from_collector(&collector(samples)).hit_rate, None);
    }

    #[test]
    fn cache_view_evictions_by_cause() {
        let mut samples = Samples::default();
        samples.counter("cache_evictions", &[("cause", "size")], 4);
        samples.counter("cache_evictions", &[("cause", "expired")], 2);
        let view = CacheView::from_collector(&collector(samples));
        assert_eq!(view.evictions.get("size"), Some(&4));
        assert_eq!(view.evictions.get("expired"), Some(&2));
    }

    #[test]
    fn cache_view_state_is_the_set_one() {
        let mut samples = Samples::default();
        samples.gauge("cache_health_state", &[("state", "healthy")], 0);
        samples.gauge("cache_health_state", &[("state", "degraded")], 1);
        samples.gauge("cache_health_state", &[("state", "critical")], 0);
        assert_eq!(CacheView::from_collector(&collector(samples)).state.as_deref(), Some("degraded"));
    }

    #[test]
    fn cache_view_size_falls_back_to_entries() {
        let mut samples = Samples::default();
        samples.gauge("cache_entries", &[], 12);
        samples.gauge("cache_capacity", &[], 100);
        let view = CacheView::from_collector(&collector(samples));
        assert_eq!((view.size, view.capacity), (Some(12), Some(100)));
    }

    #[test]
    fn cache_view_keeps_unknown_samples() {
        let mut samples = Samples::default();
        samples.gauge("cache_instances", &[], 2);
        let view = CacheView::from_collector(&collector(samples));
        assert_eq!(view.other.len(), 1);
        assert_eq!(view.other[0].name, "cache_instances");
    }
}
