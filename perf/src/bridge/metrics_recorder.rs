//! A recorder for the `metrics` facade (version 0.24) that stores every metric in perf's
//! registry.
//!
//! Once [`install_metrics_recorder`] has run, a crate that only calls `metrics::counter!`,
//! `gauge!` and `histogram!` appears in [`snapshot`](crate::snapshot)'s `metrics`, and so in
//! every export, with its names and labels:
//!
//! | `metrics` | perf |
//! |---|---|
//! | counter | [`Counter`](crate::Counter) of the same name and labels |
//! | gauge | [`FloatGauge`](crate::FloatGauge) of the same name and labels |
//! | histogram of time | [`Histogram`](crate::Histogram) in nanoseconds, named `<base>_nanoseconds` |
//! | other histogram | [`Histogram`](crate::Histogram) of the values rounded to whole numbers |
//!
//! perf's histograms hold whole numbers, as perf's own latencies do in nanoseconds. A
//! histogram measures time when it was described with a time unit (`describe_histogram!` with
//! `Unit::Seconds`, ...) before its first use, or when its name ends in `_seconds`,
//! `_milliseconds`, `_ms`, `_microseconds`, `_us`, `_nanoseconds` or `_ns`; its values are
//! converted to nanoseconds and the unit suffix of its name becomes `_nanoseconds`, so that the
//! name states the unit of the stored values. Other histograms keep their name and are rounded,
//! so give values below 1 (ratios) a scale of their own before recording them.
//!
//! Handles are cached by key, so `counter!("x").increment(1)` in a loop costs one hash lookup
//! under a read lock after the first call, as with other recorders.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, RwLock};

use metrics::{
    Counter as MetricsCounter, CounterFn, Gauge as MetricsGauge, GaugeFn, Histogram as MetricsHistogram, HistogramFn,
    Key, KeyName, Metadata, Recorder, SharedString, Unit,
};

use crate::metric::{Counter, FloatGauge, Histogram};
use crate::registry;

/// The `metrics` recorder that writes into perf's registry.
///
/// Install it as the global recorder with [`install_metrics_recorder`], or use it for one
/// scope with `metrics::with_local_recorder`:
///
/// ```
/// let recorder = perf::bridge::MetricsRecorder::new();
/// metrics::with_local_recorder(&recorder, || {
///     metrics::counter!("uploads_total", "bucket" => "photos").increment(3);
///     metrics::histogram!("upload_duration_seconds").record(0.25);
/// });
///
/// let snapshot = perf::snapshot();
/// let uploads = snapshot.metric("uploads_total", &[("bucket", "photos")]).unwrap();
/// assert_eq!(uploads.value, perf::MetricValue::Counter(3));
/// assert!(snapshot.metric("upload_duration_nanoseconds", &[]).is_some());
/// ```
#[derive(Debug, Default)]
pub struct MetricsRecorder {
    units: RwLock<HashMap<String, Unit>>,
    counters: RwLock<HashMap<Key, MetricsCounter>>,
    gauges: RwLock<HashMap<Key, MetricsGauge>>,
    histograms: RwLock<HashMap<Key, MetricsHistogram>>,
}

/// Error returned by [`install_metrics_recorder`] when the program already has a global
/// `metrics` recorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecorderAlreadyInstalled;

/// Installs a [`MetricsRecorder`] as the global recorder of the `metrics` facade.
///
/// The facade takes one global recorder for the life of the process, and metrics recorded
/// before it is installed are lost, so call this early in `main`.
pub fn install_metrics_recorder() -> Result<(), RecorderAlreadyInstalled> {
    metrics::set_global_recorder(MetricsRecorder::new()).map_err(|_| RecorderAlreadyInstalled)
}

struct CounterHandle {
    counter: &'static Counter,
    /// Serializes `absolute`, which reads the total and then adds the difference.
    absolute: Mutex<()>,
}

struct GaugeHandle(&'static FloatGauge);

struct HistogramHandle {
    histogram: &'static Histogram,
    /// Factor from the recorded unit to the stored one: 1e9 for seconds into nanoseconds.
    scale: f64,
}

/// Name suffixes of time units and their factor to nanoseconds.
const TIME_SUFFIXES: &[(&str, f64)] = &[
    ("_seconds", 1e9),
    ("_milliseconds", 1e6),
    ("_ms", 1e6),
    ("_microseconds", 1e3),
    ("_us", 1e3),
    ("_nanoseconds", 1.0),
    ("_ns", 1.0),
];

impl MetricsRecorder {
    /// Creates a recorder.
    pub fn new() -> Self {
        MetricsRecorder::default()
    }

    /// Returns the name and scale under which a histogram is stored.
    fn histogram_storage(&self, name: &str) -> (String, f64) {
        let described = self.units.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(name).copied();
        let suffix = TIME_SUFFIXES.iter().find(|(suffix, _)| name.ends_with(suffix));
        let scale = match (described, suffix) {
            (Some(Unit::Seconds), _) => Some(1e9),
            (Some(Unit::Milliseconds), _) => Some(1e6),
            (Some(Unit::Microseconds), _) => Some(1e3),
            (Some(Unit::Nanoseconds), _) => Some(1.0),
            (Some(_), _) => None,
            (None, Some((_, scale))) => Some(*scale),
            (None, None) => None,
        };

        let Some(scale) = scale else {
            return (name.to_owned(), 1.0);
        };
        let base = suffix.map_or(name, |(suffix, _)| &name[..name.len() - suffix.len()]);
        (format!("{base}_nanoseconds"), scale)
    }
}

impl Recorder for MetricsRecorder {
    fn describe_counter(&self, _key: KeyName, _unit: Option<Unit>, _description: SharedString) {}

    fn describe_gauge(&self, _key: KeyName, _unit: Option<Unit>, _description: SharedString) {}

    fn describe_histogram(&self, key: KeyName, unit: Option<Unit>, _description: SharedString) {
        if let Some(unit) = unit {
            self.units.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(key.as_str().to_owned(), unit);
        }
    }

    fn register_counter(&self, key: &Key, _metadata: &Metadata<'_>) -> MetricsCounter {
        cached(&self.counters, key, || {
            let counter = with_labels(key, registry::counter);
            MetricsCounter::from_arc(Arc::new(CounterHandle { counter, absolute: Mutex::new(()) }))
        })
    }

    fn register_gauge(&self, key: &Key, _metadata: &Metadata<'_>) -> MetricsGauge {
        cached(&self.gauges, key, || {
            let gauge = with_labels(key, registry::float_gauge);
            MetricsGauge::from_arc(Arc::new(GaugeHandle(gauge)))
        })
    }

    fn register_histogram(&self, key: &Key, _metadata: &Metadata<'_>) -> MetricsHistogram {
        cached(&self.histograms, key, || {
            let (name, scale) = self.histogram_storage(key.name());
            let histogram = with_labels(key, |_, labels| registry::histogram(&name, labels));
            MetricsHistogram::from_arc(Arc::new(HistogramHandle { histogram, scale }))
        })
    }
}

/// Returns the cached handle of `key`, or creates, caches and returns it.
fn cached<H: Clone>(cache: &RwLock<HashMap<Key, H>>, key: &Key, create: impl FnOnce() -> H) -> H {
    if let Some(handle) = cache.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(key) {
        return handle.clone();
    }
    let mut cache = cache.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.entry(key.clone()).or_insert_with(create).clone()
}

fn with_labels<T>(key: &Key, register: impl FnOnce(&str, &[(&str, &str)]) -> T) -> T {
    let labels: Vec<(&str, &str)> = key.labels().map(|label| (label.key(), label.value())).collect();
    register(key.name(), &labels)
}

impl CounterFn for CounterHandle {
    fn increment(&self, value: u64) {
        self.counter.add(value);
    }

    fn absolute(&self, value: u64) {
        let _serialized = self.absolute.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let current = self.counter.value();
        if value > current {
            self.counter.add(value - current);
        }
    }
}

impl GaugeFn for GaugeHandle {
    fn increment(&self, value: f64) {
        self.0.add(value);
    }

    fn decrement(&self, value: f64) {
        self.0.add(-value);
    }

    fn set(&self, value: f64) {
        self.0.set(value);
    }
}

impl HistogramFn for HistogramHandle {
    fn record(&self, value: f64) {
        self.record_many(value, 1);
    }

    fn record_many(&self, value: f64, count: usize) {
        // NaN is dropped. Negative values count as 0, because perf's histograms start at 0.
        if value.is_nan() {
            return;
        }
        let stored = (value * self.scale).round().clamp(0.0, u64::MAX as f64) as u64;
        self.histogram.record_n(stored, count as u64);
    }
}

impl fmt::Display for RecorderAlreadyInstalled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a global `metrics` recorder is already installed; call perf::bridge::install_metrics_recorder() \
             before anything else installs one, or use metrics::with_local_recorder",
        )
    }
}

impl std::error::Error for RecorderAlreadyInstalled {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_seconds_suffix_stored_in_nanoseconds() {
        let recorder = MetricsRecorder::new();
        assert_eq!(recorder.histogram_storage("rpc_duration_seconds"), ("rpc_duration_nanoseconds".to_owned(), 1e9));
    }

    #[test]
    fn histogram_described_unit_wins_over_suffix() {
        let recorder = MetricsRecorder::new();
        recorder.describe_histogram("queue_wait_ms".into(), Some(Unit::Microseconds), "".into());
        assert_eq!(recorder.histogram_storage("queue_wait_ms"), ("queue_wait_nanoseconds".to_owned(), 1e3));
    }

    #[test]
    fn histogram_described_time_unit_without_suffix() {
        let recorder = MetricsRecorder::new();
        recorder.describe_histogram("lock_hold".into(), Some(Unit::Milliseconds), "".into());
        assert_eq!(recorder.histogram_storage("lock_hold"), ("lock_hold_nanoseconds".to_owned(), 1e6));
    }

    #[test]
    fn histogram_other_unit_keeps_name() {
        let recorder = MetricsRecorder::new();
        recorder.describe_histogram("payload_ms".into(), Some(Unit::Bytes), "".into());
        assert_eq!(recorder.histogram_storage("payload_ms"), ("payload_ms".to_owned(), 1.0));
    }
}
