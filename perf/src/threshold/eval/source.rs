//! Reads the series of one selector from a snapshot.
//!
//! Each series carries the labels that matchers see and that alerts inherit. Site metrics
//! have `site`, `component` and the site's static labels. Cache metrics have `cache`,
//! `component` and the sample's labels. `metric{name="..."}` has `name` and the metric's
//! labels, plus `collector` and `component` for a plugin collector's sample. Values are in
//! base units: latency in seconds, ratios as fractions.

use std::collections::BTreeMap;

use crate::plugin::CollectorSnapshot;
use crate::rule::{MatchOp, Matcher, Metric, Selector};
use crate::snapshot::{MetricValue, SiteSnapshot, Snapshot};
use crate::threshold::Labels;

/// Collector kind under which caches report.
const CACHE_KIND: &str = "cache";

/// The series one selector reads, before any function is applied.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Raw {
    /// Cumulative counts.
    Counter(Vec<(Labels, f64)>),
    /// Plain values.
    Gauge(Vec<(Labels, f64)>),
    /// Latency quantiles in seconds.
    Distribution(Vec<(Labels, Quantiles)>),
    /// A ratio of two cumulative counts (`part / whole`), taken over the evaluation interval.
    Ratio(Vec<(Labels, f64, f64)>),
}

/// Latency quantiles of one series, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Quantiles {
    pub(crate) p50: f64,
    pub(crate) p90: f64,
    pub(crate) p99: f64,
    pub(crate) p999: f64,
    pub(crate) max: f64,
    pub(crate) mean: f64,
}

/// Compiled label matchers of one selector.
#[derive(Debug)]
pub(crate) struct CompiledMatchers {
    matchers: Vec<(String, MatchOp, String, Option<regex_lite::Regex>)>,
}

impl CompiledMatchers {
    /// Compiles the regular expressions of `matchers`, anchored at both ends as in Prometheus.
    /// A regular expression that does not compile matches nothing, and is logged once here.
    pub(crate) fn new(matchers: &[Matcher]) -> Self {
        let matchers = matchers
            .iter()
            .map(|matcher| {
                let regex = match matcher.op {
                    MatchOp::Regex | MatchOp::NotRegex => {
                        match regex_lite::Regex::new(&format!("^(?:{})$", matcher.value)) {
                            Ok(regex) => Some(regex),
                            Err(error) => {
                                tracing::error!(matcher = %matcher, %error, "invalid regular expression in a rule matcher; it matches nothing");
                                None
                            }
                        }
                    }
                    MatchOp::Equal | MatchOp::NotEqual => None,
                };
                (matcher.label.clone(), matcher.op, matcher.value.clone(), regex)
            })
            .collect();
        CompiledMatchers { matchers }
    }

    /// Returns `true` when every matcher holds; a missing label counts as the empty string.
    pub(crate) fn matches(&self, labels: &Labels) -> bool {
        self.matchers.iter().all(|(label, op, value, regex)| {
            let actual = labels.get(label).map_or("", String::as_str);
            match op {
                MatchOp::Equal => actual == value,
                MatchOp::NotEqual => actual != value,
                MatchOp::Regex => regex.as_ref().is_some_and(|regex| regex.is_match(actual)),
                MatchOp::NotRegex => regex.as_ref().is_some_and(|regex| !regex.is_match(actual)),
            }
        })
    }
}

/// Reads every series of `selector` in `snapshot` that `matchers` accept.
pub(crate) fn read(selector: &Selector, matchers: &CompiledMatchers, snapshot: &Snapshot) -> Raw {
    let raw = match selector.metric {
        Metric::Calls => Raw::Counter(sites(snapshot, |site| Some(site.calls as f64))),
        Metric::Errors => Raw::Counter(sites(snapshot, |site| Some(site.errors as f64))),
        Metric::Cancelled => Raw::Counter(sites(snapshot, |site| Some(site.cancelled as f64))),
        Metric::InFlight => Raw::Gauge(sites(snapshot, |site| Some(site.in_flight as f64))),
        Metric::Latency => Raw::Distribution(sites(snapshot, site_latency)),
        Metric::ErrorRate => Raw::Ratio(
            sites(snapshot, |site| Some((site.errors, site.calls)))
                .into_iter()
                .map(|(labels, (errors, calls))| (labels, errors as f64, calls as f64))
                .collect(),
        ),
        Metric::Hits => Raw::Counter(cache_samples(snapshot, "cache_hits")),
        Metric::Misses => Raw::Counter(cache_samples(snapshot, "cache_misses")),
        Metric::Evictions => Raw::Counter(cache_samples(snapshot, "cache_evictions")),
        Metric::HitRate => Raw::Ratio(cache_hit_counts(snapshot)),
        Metric::CacheSize => Raw::Gauge(cache_samples(snapshot, "cache_memory_bytes")),
        Metric::Entries => Raw::Gauge(cache_samples(snapshot, "cache_entries")),
        Metric::Health => Raw::Gauge(health(snapshot)),
        Metric::Custom => custom(snapshot, selector),
    };
    filter(raw, matchers)
}

fn filter(raw: Raw, matchers: &CompiledMatchers) -> Raw {
    match raw {
        Raw::Counter(series) => {
            Raw::Counter(series.into_iter().filter(|(labels, _)| matchers.matches(labels)).collect())
        }
        Raw::Gauge(series) => Raw::Gauge(series.into_iter().filter(|(labels, _)| matchers.matches(labels)).collect()),
        Raw::Distribution(series) => {
            Raw::Distribution(series.into_iter().filter(|(labels, _)| matchers.matches(labels)).collect())
        }
        Raw::Ratio(series) => {
            Raw::Ratio(series.into_iter().filter(|(labels, _, _)| matchers.matches(labels)).collect())
        }
    }
}

fn sites<T>(snapshot: &Snapshot, value: impl Fn(&SiteSnapshot) -> Option<T>) -> Vec<(Labels, T)> {
    snapshot
        .sites
        .iter()
        .filter_map(|site| {
            let value = value(site)?;
            let mut labels = site.labels.clone();
            labels.insert("site".to_owned(), site.name.clone());
            labels.insert("component".to_owned(), site.component.clone());
            Some((labels, value))
        })
        .collect()
}

/// Latency of the last collector window when the collector runs (none when the window had no
/// call), or since the start of the process when it does not.
fn site_latency(site: &SiteSnapshot) -> Option<Quantiles> {
    const SECONDS_PER_NANO: f64 = 1e-9;
    if let Some(window) = &site.window {
        let latency = window.latency?;
        return Some(Quantiles {
            p50: latency.p50 * SECONDS_PER_NANO,
            p90: latency.p90 * SECONDS_PER_NANO,
            p99: latency.p99 * SECONDS_PER_NANO,
            p999: latency.p999 * SECONDS_PER_NANO,
            max: latency.max * SECONDS_PER_NANO,
            mean: latency.mean * SECONDS_PER_NANO,
        });
    }

    let latency = site.latency.as_ref()?;
    Some(Quantiles {
        p50: latency.p50 as f64 * SECONDS_PER_NANO,
        p90: latency.p90 as f64 * SECONDS_PER_NANO,
        p99: latency.p99 as f64 * SECONDS_PER_NANO,
        p999: latency.p999 as f64 * SECONDS_PER_NANO,
        max: latency.max as f64 * SECONDS_PER_NANO,
        mean: latency.mean * SECONDS_PER_NANO,
    })
}

fn caches(snapshot: &Snapshot) -> impl Iterator<Item = &CollectorSnapshot> {
    snapshot.collectors.iter().filter(|collector| collector.kind == CACHE_KIND && collector.error.is_none())
}

fn cache_labels(collector: &CollectorSnapshot, sample_labels: &BTreeMap<String, String>) -> Labels {
    let mut labels = sample_labels.clone();
    labels.insert("cache".to_owned(), collector.name.clone());
    labels.insert("component".to_owned(), collector.component.clone());
    labels
}

fn cache_samples(snapshot: &Snapshot, name: &str) -> Vec<(Labels, f64)> {
    caches(snapshot)
        .flat_map(|collector| {
            collector
                .samples
                .iter()
                .filter(move |sample| sample.name == name)
                .filter_map(move |sample| Some((cache_labels(collector, &sample.labels), scalar(&sample.value)?)))
        })
        .collect()
}

/// Hits and look-ups (hits plus misses) of every cache, for the hit rate over the interval.
fn cache_hit_counts(snapshot: &Snapshot) -> Vec<(Labels, f64, f64)> {
    caches(snapshot)
        .filter_map(|collector| {
            let find = |name: &str| {
                collector.samples.iter().find(|sample| sample.name == name).and_then(|sample| scalar(&sample.value))
            };
            let hits = find("cache_hits")?;
            let misses = find("cache_misses")?;
            Some((cache_labels(collector, &BTreeMap::new()), hits, hits + misses))
        })
        .collect()
}

/// Health as a fraction: a cache's `cache_health_score` (0 to 100) divided by 100, and the
/// `health` sample (already a fraction) of any other collector.
fn health(snapshot: &Snapshot) -> Vec<(Labels, f64)> {
    let mut series: Vec<(Labels, f64)> = cache_samples(snapshot, "cache_health_score")
        .into_iter()
        .map(|(labels, score)| (labels, score / 100.0))
        .collect();
    for collector in snapshot.collectors.iter().filter(|collector| collector.kind != CACHE_KIND) {
        for sample in collector.samples.iter().filter(|sample| sample.name == "health") {
            let Some(value) = scalar(&sample.value) else { continue };
            let mut labels = sample.labels.clone();
            labels.insert("collector".to_owned(), collector.name.clone());
            labels.insert("component".to_owned(), collector.component.clone());
            series.push((labels, value));
        }
    }
    series
}

/// `metric{name="..."}`: counters, gauges and float gauges of `counter!`/`gauge!` and of plugin
/// collectors. A counter is read as a counter, anything else as a plain value. Histograms are
/// skipped: their quantiles are reached through sites, not `metric`.
fn custom(snapshot: &Snapshot, selector: &Selector) -> Raw {
    let Some(name) = selector
        .matchers
        .iter()
        .find(|matcher| matcher.label == "name" && matcher.op == MatchOp::Equal)
        .map(|matcher| matcher.value.as_str())
    else {
        return Raw::Gauge(Vec::new());
    };

    let mut counters = Vec::new();
    let mut gauges = Vec::new();
    let mut push = |labels: Labels, value: &MetricValue| {
        let Some(number) = scalar(value) else { return };
        if matches!(value, MetricValue::Counter(_)) {
            counters.push((labels, number));
        } else {
            gauges.push((labels, number));
        }
    };

    for metric in snapshot.metrics.iter().filter(|metric| metric.name == name) {
        let mut labels = metric.labels.clone();
        labels.insert("name".to_owned(), name.to_owned());
        push(labels, &metric.value);
    }
    for collector in &snapshot.collectors {
        for sample in collector.samples.iter().filter(|sample| sample.name == name) {
            let mut labels = sample.labels.clone();
            labels.insert("name".to_owned(), name.to_owned());
            labels.insert("collector".to_owned(), collector.name.clone());
            labels.insert("component".to_owned(), collector.component.clone());
            push(labels, &sample.value);
        }
    }

    // A name is either a counter or a plain value; a counter wins when both occur.
    if counters.is_empty() {
        Raw::Gauge(gauges)
    } else {
        Raw::Counter(counters)
    }
}

fn scalar(value: &MetricValue) -> Option<f64> {
    match value {
        MetricValue::Counter(total) => Some(*total as f64),
        MetricValue::Gauge(value) => Some(*value as f64),
        MetricValue::FloatGauge(value) => value.is_finite().then_some(*value),
        MetricValue::Histogram(_) => None,
    }
}

impl Quantiles {
    /// Returns the quantile `q` in (0, 1], interpolated linearly between the stored quantiles
    /// (p50, p90, p99, p99.9 and the maximum as quantile 1).
    // NOTE: only these five quantiles are stored per window, so any other one is an estimate,
    // and a quantile below 0.5 is reported as the median.
    pub(crate) fn at(&self, q: f64) -> f64 {
        let points = [(0.5, self.p50), (0.9, self.p90), (0.99, self.p99), (0.999, self.p999), (1.0, self.max)];
        if q <= 0.5 {
            return self.p50;
        }
        for pair in points.windows(2) {
            let ((q0, v0), (q1, v1)) = (pair[0], pair[1]);
            if q <= q1 {
                return v0 + (v1 - v0) * (q - q0) / (q1 - q0);
            }
        }
        self.max
    }
}
