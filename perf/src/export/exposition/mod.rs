//! Prometheus exposition: the text format 0.0.4 and OpenMetrics 1.0, of a snapshot or of the
//! live process.
//!
//! What is exposed, with the default namespace `perf`:
//!
//! | family | type | labels |
//! |---|---|---|
//! | `perf_calls_total` | counter | `component`, `module`, `function`, `result` (`ok`, `error`) |
//! | `perf_call_errors_total` | counter | the site's, plus `kind` |
//! | `perf_calls_cancelled_total` | counter | the site's |
//! | `perf_calls_in_flight` | gauge | the site's (sites with `in_flight`) |
//! | `perf_call_duration_seconds` | histogram (or summary) | the site's (sites with `latency`) |
//! | `perf_cache_gets_total` | counter | `cache`, `component`, `result` (`hit`, `miss`) |
//! | `perf_cache_evictions_total` | counter | `cache`, `component`, `cause` |
//! | `perf_cache_size`, `perf_cache_weighted_size`, `perf_cache_health_score` | gauge | `cache`, `component` |
//! | `perf_<kind>_<sample>` | as written | samples of other collectors, with `collector` |
//! | `perf_collector_up` | gauge | `collector`, `kind`: 0 when its last collection panicked |
//! | `perf_export_runs_total` | counter | `export`, `result` (`success`, `failure`) |
//! | `perf_export_last_success_timestamp_seconds` | gauge | `export` |
//! | `perf_build_info` | info (gauge in 0.0.4) | `version`, and `app`, `app_version` when set |
//! | every `counter!`, `gauge!`, `float_gauge!`, `histogram!` | as registered | as registered |
//!
//! `function` is the site's name without its module path (`Cart::add`), so it distinguishes the
//! methods of two types in one module. A user label that clashes with one of ours is renamed
//! `exported_<name>`.
//!
//! Alerting and configuration reloads publish their state as ordinary metrics (for example
//! `perf::gauge!("perf_alerts_firing", "severity" => "critical")`), and every registered metric
//! is rendered, so they appear here with no change to this module.
//!
//! A scrape ([`Exposition::scrape`]) reads the registry in place instead of copying it into a
//! snapshot first: 10,000 series render without one allocation per series.

mod collectors;
mod distribution;
mod histogram;
mod metrics;
mod negotiate;
pub mod openmetrics;
mod process;
pub mod prometheus;
mod sites;
mod writer;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

pub use negotiate::negotiate;

use self::distribution::Bound;
use self::writer::{Dialect, Kind, Writer};
use crate::export::naming;
use crate::snapshot::Snapshot;

/// One of the two Prometheus text formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextFormat {
    /// The Prometheus text format 0.0.4.
    Prometheus,
    /// OpenMetrics 1.0.
    OpenMetrics,
}

/// The exposition of histograms (site latency, `histogram!` metrics).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistogramExposition {
    /// A Prometheus histogram with the configured `le` buckets: aggregates across processes
    /// with `histogram_quantile(0.99, sum by (le) (rate(...)))`.
    #[default]
    Histogram,
    /// A summary with the configured quantiles, exact to 0.78% for one process, but not
    /// aggregatable across processes.
    Summary,
}

/// Settings of the exposition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExpositionOptions {
    /// Prefix of every family this crate defines (`perf` gives `perf_calls_total`). Empty for
    /// none. The names of `counter!` and other registered metrics are not prefixed.
    pub namespace: String,
    /// Histogram or summary.
    pub histograms: HistogramExposition,
    /// `le` bounds of latency histograms, in seconds, ascending. `+Inf` is always added.
    pub latency_buckets: Vec<f64>,
    /// `le` bounds of `histogram!` metrics, in the unit they record, ascending.
    pub value_buckets: Vec<f64>,
    /// Quantiles of summaries, from 0 to 1.
    pub quantiles: Vec<f64>,
    /// Application name, an `app` label of the build info.
    pub app_name: Option<String>,
    /// Application version, an `app_version` label of the build info.
    pub app_version: Option<String>,
}

/// Error returned by [`Exposition::new`] for settings that cannot work.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExpositionError {
    /// A bucket list is not strictly ascending, or contains a value that is not finite and
    /// positive.
    #[error("invalid {list}: {value} at position {position}; bounds must be finite, positive and strictly ascending")]
    InvalidBucket {
        /// Name of the list.
        list: &'static str,
        /// The offending value.
        value: f64,
        /// Its position in the list.
        position: usize,
    },
    /// A quantile is outside 0..=1.
    #[error("invalid quantile {0}; quantiles are between 0 and 1, for example 0.99")]
    InvalidQuantile(f64),
    /// The namespace is not a valid metric name prefix.
    #[error("invalid namespace {0:?}; use letters, digits and underscores, not starting with a digit")]
    InvalidNamespace(String),
}

/// A validated exposition, ready to render many times.
///
/// ```
/// use perf::export::{Exposition, ExpositionOptions, TextFormat};
///
/// perf::counter!("jobs_done").add(3);
/// let exposition = Exposition::new(ExpositionOptions::default()).unwrap();
/// let mut text = Vec::new();
/// exposition.scrape(TextFormat::Prometheus, &mut text);
/// let text = String::from_utf8(text).unwrap();
/// assert!(text.contains("# TYPE jobs_done_total counter\n"));
/// assert!(text.contains("\njobs_done_total 3\n"));
/// ```
#[derive(Debug, Clone)]
pub struct Exposition {
    options: ExpositionOptions,
    prefix: String,
    latency_bounds: Vec<Bound>,
    value_bounds: Vec<Bound>,
    quantiles: Vec<(String, f64)>,
    last_len: LastLength,
}

/// The length of the last exposition, so that the next one reserves its buffer at once
/// instead of growing it step by step.
#[derive(Debug, Default)]
struct LastLength(AtomicUsize);

impl Default for ExpositionOptions {
    fn default() -> Self {
        ExpositionOptions {
            namespace: "perf".to_owned(),
            histograms: HistogramExposition::Histogram,
            latency_buckets: vec![
                0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0,
            ],
            value_buckets: (0..=10).map(|power| 4f64.powi(power * 2)).collect(),
            quantiles: vec![0.5, 0.9, 0.99, 0.999],
            app_name: None,
            app_version: None,
        }
    }
}

impl TextFormat {
    /// Returns the `Content-Type` of the format.
    pub fn content_type(self) -> &'static str {
        self.dialect().content_type
    }

    pub(crate) fn dialect(self) -> &'static Dialect {
        match self {
            TextFormat::Prometheus => &prometheus::DIALECT,
            TextFormat::OpenMetrics => &openmetrics::DIALECT,
        }
    }
}

impl Exposition {
    /// Validates the options and precomputes the `le` and `quantile` label values.
    pub fn new(options: ExpositionOptions) -> Result<Self, ExpositionError> {
        if !options.namespace.is_empty() && !naming::is_clean_identifier(&options.namespace) {
            return Err(ExpositionError::InvalidNamespace(options.namespace));
        }
        let latency_bounds = bounds("latency_buckets", &options.latency_buckets, 1e9)?;
        let value_bounds = bounds("value_buckets", &options.value_buckets, 1.0)?;
        let mut quantiles = Vec::with_capacity(options.quantiles.len());
        for &quantile in &options.quantiles {
            if !(0.0..=1.0).contains(&quantile) {
                return Err(ExpositionError::InvalidQuantile(quantile));
            }
            quantiles.push((naming::canonical_float(quantile), quantile));
        }

        let prefix = if options.namespace.is_empty() { String::new() } else { format!("{}_", options.namespace) };
        Ok(Exposition { options, prefix, latency_bounds, value_bounds, quantiles, last_len: LastLength::default() })
    }

    /// Returns the options.
    pub fn options(&self) -> &ExpositionOptions {
        &self.options
    }

    /// Renders a snapshot (taken here, read from a file, or merged from several processes).
    pub fn render(&self, snapshot: &Snapshot, format: TextFormat, out: &mut Vec<u8>) {
        let start = self.reserve(out);
        let mut writer = Writer::new(out, format.dialect());
        sites::write_snapshot(self, &mut writer, &snapshot.sites);
        collectors::write(self, &mut writer, &snapshot.collectors);
        process::write_exports(self, &mut writer, &snapshot.exports);
        process::write_build_info(self, &mut writer);
        metrics::write_snapshot(self, &mut writer, &snapshot.metrics);
        writer.finish();
        self.last_len.0.store(out.len() - start, Ordering::Relaxed);
    }

    /// Renders the live state of this process, as a scrape does: the same families as
    /// [`render`](Self::render) of a fresh snapshot, read in place.
    ///
    /// While it runs, the registry's read lock is held, so the first use of a new metric name
    /// on another thread waits for the render to end (about a millisecond per 10,000 series).
    pub fn scrape(&self, format: TextFormat, out: &mut Vec<u8>) {
        let start = self.reserve(out);
        let mut writer = Writer::new(out, format.dialect());
        sites::write_live(self, &mut writer);
        collectors::write(self, &mut writer, &crate::plugin::collect_all());
        process::write_exports(self, &mut writer, &crate::export::status::all());
        process::write_build_info(self, &mut writer);
        metrics::write_live(self, &mut writer);
        writer.finish();
        self.last_len.0.store(out.len() - start, Ordering::Relaxed);
    }

    /// Reserves room for an exposition as long as the last one plus 1/16, and returns where
    /// this one starts in `out`.
    fn reserve(&self, out: &mut Vec<u8>) -> usize {
        let last = self.last_len.0.load(Ordering::Relaxed);
        out.reserve(last + last / 16);
        out.len()
    }

    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    pub(crate) fn histogram_kind(&self) -> Kind {
        match self.options.histograms {
            HistogramExposition::Histogram => Kind::Histogram,
            HistogramExposition::Summary => Kind::Summary,
        }
    }
}

impl Clone for LastLength {
    fn clone(&self) -> Self {
        LastLength(AtomicUsize::new(self.0.load(Ordering::Relaxed)))
    }
}

/// Logs a problem of the exposition once per process and `key`, since scrapes repeat it
/// every few seconds.
pub(crate) fn warn_once(key: &str, message: &str) {
    static WARNED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let mut warned = WARNED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if warned.insert(key.to_owned()) {
        tracing::warn!(series = key, "{message}");
    }
}

fn bounds(list: &'static str, values: &[f64], scale: f64) -> Result<Vec<Bound>, ExpositionError> {
    let mut bounds = Vec::with_capacity(values.len());
    let mut previous = 0.0;
    for (position, &value) in values.iter().enumerate() {
        if !value.is_finite() || value <= 0.0 || (position > 0 && value <= previous) {
            return Err(ExpositionError::InvalidBucket { list, value, position });
        }
        previous = value;
        // A bound in seconds maps to the nearest nanosecond (0.005 * 1e9 is not exactly 5e6 in
        // floating point); a fractional bound in a raw unit covers the integers below it.
        let scaled = value * scale;
        let threshold = if (scaled - scaled.round()).abs() < 1e-6 { scaled.round() } else { scaled.floor() };
        let threshold = threshold.min(u64::MAX as f64) as u64;
        bounds.push(Bound { label: naming::canonical_float(value), threshold });
    }
    Ok(bounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_options_are_valid() {
        assert!(Exposition::new(ExpositionOptions::default()).is_ok());
    }

    #[test]
    fn descending_buckets_are_rejected() {
        let options = ExpositionOptions { latency_buckets: vec![0.1, 0.05], ..ExpositionOptions::default() };
        let error = Exposition::new(options).unwrap_err();
        assert_eq!(error, ExpositionError::InvalidBucket { list: "latency_buckets", value: 0.05, position: 1 });
    }

    #[test]
    fn infinite_bucket_is_rejected() {
        let options = ExpositionOptions { value_buckets: vec![f64::INFINITY], ..ExpositionOptions::default() };
        assert!(matches!(Exposition::new(options), Err(ExpositionError::InvalidBucket { position: 0, .. })));
    }

    #[test]
    fn quantile_above_one_is_rejected() {
        let options = ExpositionOptions { quantiles: vec![0.5, 99.0], ..ExpositionOptions::default() };
        assert_eq!(Exposition::new(options).unwrap_err(), ExpositionError::InvalidQuantile(99.0));
    }

    #[test]
    fn namespace_with_dash_is_rejected() {
        let options = ExpositionOptions { namespace: "my-app".into(), ..ExpositionOptions::default() };
        assert_eq!(Exposition::new(options).unwrap_err(), ExpositionError::InvalidNamespace("my-app".into()));
    }

    #[test]
    fn latency_bound_threshold_is_in_nanoseconds() {
        let exposition = Exposition::new(ExpositionOptions::default()).unwrap();
        let bound = exposition.latency_bounds.iter().find(|bound| bound.label == "0.005").unwrap();
        assert_eq!(bound.threshold, 5_000_000);
    }
}
