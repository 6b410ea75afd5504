//! Merging the snapshots of several processes into one, as if one process had done all their
//! work.
//!
//! Counts add up. Histograms add up bucket by bucket, so merged quantiles are exactly those
//! of one histogram that recorded every value. Gauges add up too, because in-flight calls,
//! cache entries and queue lengths of a fleet are sums. A gauge that is a ratio or a score (a
//! hit rate, a health score) means nothing once added: recompute it from the merged counters. Windows are dropped, because the processes' windows cover different intervals.
//! Scheduled exports and component health are per process: the first snapshot's entry of each
//! name is kept.

use std::collections::BTreeMap;

use crate::metric::{Buckets, Distribution};
use crate::plugin::{CollectorSnapshot, Sample};
use crate::snapshot::{MetricSnapshot, MetricValue, SiteSnapshot, Snapshot};
use crate::CollectorStatus;

/// Merges snapshots of several processes (read back with [`from_json`](super::from_json)).
///
/// Sites, metrics, collectors and collector samples are matched by name (and labels); those
/// found in one snapshot only are kept as they are. An empty slice gives an empty snapshot.
///
/// ```
/// #[perf::monitored(latency)]
/// fn work() {}
///
/// work();
/// let one = perf::snapshot();
/// let merged = perf::export::merge(&[one.clone(), one.clone()]);
/// let name = concat!(module_path!(), "::work");
/// assert_eq!(merged.site(name).unwrap().calls, 2 * one.site(name).unwrap().calls);
/// ```
pub fn merge(snapshots: &[Snapshot]) -> Snapshot {
    let mut sites: BTreeMap<String, SiteSnapshot> = BTreeMap::new();
    let mut metrics: BTreeMap<(String, Vec<(String, String)>), MetricSnapshot> = BTreeMap::new();
    let mut collectors: BTreeMap<String, CollectorSnapshot> = BTreeMap::new();
    let mut exports = BTreeMap::new();
    let mut components = BTreeMap::new();

    for snapshot in snapshots {
        for site in &snapshot.sites {
            match sites.get_mut(&site.name) {
                Some(merged) => merge_site(merged, site),
                None => {
                    let mut site = site.clone();
                    site.window = None;
                    sites.insert(site.name.clone(), site);
                }
            }
        }
        for metric in &snapshot.metrics {
            let key = (metric.name.clone(), metric.labels.clone().into_iter().collect());
            match metrics.get_mut(&key) {
                Some(merged) => {
                    merge_value(&mut merged.value, &mut merged.histogram, &metric.value, metric.histogram.as_ref())
                }
                None => {
                    metrics.insert(key, metric.clone());
                }
            }
        }
        for collector in &snapshot.collectors {
            match collectors.get_mut(&collector.name) {
                Some(merged) => merge_collector(merged, collector),
                None => {
                    collectors.insert(collector.name.clone(), collector.clone());
                }
            }
        }
        for export in &snapshot.exports {
            exports.entry(export.name.clone()).or_insert_with(|| export.clone());
        }
        for component in &snapshot.components {
            components.entry(component.name.clone()).or_insert_with(|| component.clone());
        }
    }

    Snapshot {
        taken_at_ms: snapshots.iter().map(|snapshot| snapshot.taken_at_ms).max().unwrap_or(0),
        sites: sites.into_values().collect(),
        metrics: metrics.into_values().collect(),
        collectors: collectors.into_values().collect(),
        collector: merge_status(snapshots.iter().map(|snapshot| &snapshot.collector)),
        components: components.into_values().collect(),
        exports: exports.into_values().collect(),
    }
}

fn merge_site(merged: &mut SiteSnapshot, other: &SiteSnapshot) {
    merged.calls = merged.calls.saturating_add(other.calls);
    merged.errors = merged.errors.saturating_add(other.errors);
    merged.cancelled = merged.cancelled.saturating_add(other.cancelled);
    merged.in_flight = merged.in_flight.saturating_add(other.in_flight);
    for (kind, count) in &other.errors_by_kind {
        let total = merged.errors_by_kind.entry(kind.clone()).or_insert(0);
        *total = total.saturating_add(*count);
    }
    merged.error_rate = if merged.calls == 0 { 0.0 } else { merged.errors as f64 / merged.calls as f64 };
    merged.enabled |= other.enabled;

    merged.latency_histogram = add_buckets(merged.latency_histogram.take(), other.latency_histogram.as_ref());
    merged.latency = match &merged.latency_histogram {
        Some(buckets) => buckets.distribution(),
        None => merged.latency.or(other.latency),
    };
}

/// Adds `other` into a metric or sample value of the same kind. Values of different kinds are
/// left as they are: the first snapshot's kind wins.
fn merge_value(
    value: &mut MetricValue,
    histogram: &mut Option<Buckets>,
    other: &MetricValue,
    other_histogram: Option<&Buckets>,
) {
    match (value, other) {
        (MetricValue::Counter(total), MetricValue::Counter(more)) => *total = total.saturating_add(*more),
        (MetricValue::Gauge(total), MetricValue::Gauge(more)) => *total = total.saturating_add(*more),
        (MetricValue::FloatGauge(total), MetricValue::FloatGauge(more)) => *total += more,
        (MetricValue::Histogram(summary), MetricValue::Histogram(other_summary)) => {
            *histogram = add_buckets(histogram.take(), other_histogram);
            *summary = match histogram {
                Some(buckets) => buckets.distribution(),
                None => merge_summaries(*summary, *other_summary),
            };
        }
        _ => {}
    }
}

fn merge_collector(merged: &mut CollectorSnapshot, other: &CollectorSnapshot) {
    for sample in &other.samples {
        let found =
            merged.samples.iter_mut().find(|merged| merged.name == sample.name && merged.labels == sample.labels);
        match found {
            Some(Sample { value, histogram, .. }) => {
                merge_value(value, histogram, &sample.value, sample.histogram.as_ref())
            }
            None => merged.samples.push(sample.clone()),
        }
    }
    if merged.error.is_none() {
        merged.error.clone_from(&other.error);
    }
}

fn add_buckets(merged: Option<Buckets>, other: Option<&Buckets>) -> Option<Buckets> {
    match (merged, other) {
        (Some(mut merged), Some(other)) => {
            merged.merge(other);
            Some(merged)
        }
        (merged, other) => merged.or_else(|| other.cloned()),
    }
}

/// Merges two summaries without buckets (exports written without them): counts, extremes and
/// means are exact.
///
/// NOTE: quantiles cannot be merged from summaries alone; the larger of the two is kept, an
/// upper bound of the true quantile.
fn merge_summaries(left: Option<Distribution>, right: Option<Distribution>) -> Option<Distribution> {
    let (left, right) = match (left, right) {
        (Some(left), Some(right)) => (left, right),
        (left, right) => return left.or(right),
    };
    let count = left.count.saturating_add(right.count);
    let mean =
        if count == 0 { 0.0 } else { (left.mean * left.count as f64 + right.mean * right.count as f64) / count as f64 };
    Some(Distribution {
        count,
        min: left.min.min(right.min),
        max: left.max.max(right.max),
        mean,
        p50: left.p50.max(right.p50),
        p90: left.p90.max(right.p90),
        p99: left.p99.max(right.p99),
        p999: left.p999.max(right.p999),
    })
}

/// Adds up the collector statuses: running when any ran, counts summed, the first interval.
fn merge_status<'a>(statuses: impl Iterator<Item = &'a CollectorStatus>) -> CollectorStatus {
    let mut merged =
        CollectorStatus { running: false, interval_ms: 0, ticks: 0, last_tick_us: 0, series: 0, series_bytes: 0 };
    for status in statuses {
        merged.running |= status.running;
        if merged.interval_ms == 0 {
            merged.interval_ms = status.interval_ms;
        }
        merged.ticks = merged.ticks.saturating_add(status.ticks);
        merged.last_tick_us = merged.last_tick_us.max(status.last_tick_us);
        merged.series = merged.series.saturating_add(status.series);
        merged.series_bytes = merged.series_bytes.saturating_add(status.series_bytes);
    }
    merged
}
