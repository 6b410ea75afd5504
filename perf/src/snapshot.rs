//! Snapshots: plain, serializable copies of the runtime's state.
//!
//! A snapshot reads the cumulative counts straight from the sites and metrics, so it works
//! without the collector. The collector adds the last window (the newest point of the finest
//! tier) and its own status.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::collector::{self, CollectorStatus};
use crate::metric::{Buckets, Distribution};
use crate::plugin::{self, CollectorSnapshot};
use crate::registry::{self, MetricKind, MetricRef};
use crate::series::Point;
use crate::site::{Features, Site};

/// The state of the runtime at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// When the snapshot was taken, in milliseconds since the Unix epoch.
    pub taken_at_ms: u64,
    /// Every instrumented site, sorted by name.
    pub sites: Vec<SiteSnapshot>,
    /// Every counter, gauge and histogram, sorted by name and labels.
    pub metrics: Vec<MetricSnapshot>,
    /// Samples of every plugin collector (caches among them), sorted by name.
    pub collectors: Vec<CollectorSnapshot>,
    /// State of the collector.
    pub collector: CollectorStatus,
    /// Every component, with its sites, caches, collectors and health, sorted by name.
    #[serde(default)]
    pub components: Vec<crate::component::ComponentSnapshot>,
    /// Results of the scheduled exports, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exports: Vec<crate::export::ExportStatus>,
}

/// The state of one instrumented site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteSnapshot {
    /// Full name of the site.
    pub name: String,
    /// Component the site belongs to.
    pub component: String,
    /// Module path of the function.
    pub module: String,
    /// Name of the function.
    pub function: String,
    /// Static labels.
    pub labels: BTreeMap<String, String>,
    /// Source file.
    pub file: String,
    /// Source line.
    pub line: u32,
    /// Measurements the site takes.
    pub features: Features,
    /// Whether monitoring of the site is on.
    pub enabled: bool,
    /// Completed calls (returned or panicked), since the start of the process.
    pub calls: u64,
    /// Calls that ended in an error or a panic.
    pub errors: u64,
    /// Errors by kind: variant names, `error` for other `Err` values, `panic`.
    pub errors_by_kind: BTreeMap<String, u64>,
    /// `async` calls whose future was dropped before it completed.
    pub cancelled: u64,
    /// Calls in progress.
    pub in_flight: i64,
    /// `errors / calls`, 0 when there were no calls.
    pub error_rate: f64,
    /// Latency since the start of the process, in nanoseconds.
    pub latency: Option<Distribution>,
    /// The latency histogram itself, in nanoseconds: lossless, so snapshots of several
    /// processes merge exactly. Serialized as a base64 HdrHistogram V2 blob.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::export::hdr::option")]
    pub latency_histogram: Option<Buckets>,
    /// The last collector window, when the collector runs.
    pub window: Option<Window>,
}

/// Activity of a site during the last collector window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// End of the window, in milliseconds since the Unix epoch.
    pub end_ms: u64,
    /// Length of the window in seconds.
    pub seconds: f64,
    /// Calls completed in the window.
    pub calls: u64,
    /// Errors in the window.
    pub errors: u64,
    /// Calls cancelled in the window.
    pub cancelled: u64,
    /// Calls per second.
    pub rate_per_sec: f64,
    /// `errors / calls` in the window, 0 without calls.
    pub error_rate: f64,
    /// Latency quantiles of the window in nanoseconds, when there were calls.
    pub latency: Option<WindowLatency>,
}

/// Latency quantiles of a window, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowLatency {
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Maximum.
    pub max: f64,
    /// Mean.
    pub mean: f64,
}

/// The state of one counter, gauge or histogram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricSnapshot {
    /// Metric name.
    pub name: String,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// Kind of metric.
    pub kind: MetricKind,
    /// Current value.
    pub value: MetricValue,
    /// The buckets of a histogram, lossless (a base64 HdrHistogram V2 blob when serialized).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::export::hdr::option")]
    pub histogram: Option<Buckets>,
}

/// The value of a metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricValue {
    /// Total of a counter.
    Counter(u64),
    /// Value of an integer gauge.
    Gauge(i64),
    /// Value of a floating-point gauge.
    FloatGauge(f64),
    /// Distribution of a histogram, `None` while empty.
    Histogram(Option<Distribution>),
}

/// Takes a snapshot of every site and metric.
///
/// ```
/// #[perf::monitored]
/// fn lookup(key: u32) -> Result<u32, String> {
///     if key == 0 { Err("zero".into()) } else { Ok(key) }
/// }
///
/// lookup(1).unwrap();
/// lookup(0).unwrap_err();
///
/// let snapshot = perf::snapshot();
/// let site = snapshot.site(concat!(module_path!(), "::lookup")).unwrap();
/// assert_eq!(site.calls, 2);
/// assert_eq!(site.errors, 1);
/// ```
pub fn snapshot() -> Snapshot {
    let sites = registry::all_sites();
    let windows: Vec<Option<Point>> = {
        let state = collector::state();
        (0..sites.len()).map(|index| state.store.latest(index)).collect()
    };
    let collector = collector::state().status();
    let mut site_snapshots: Vec<SiteSnapshot> =
        sites.iter().zip(windows).map(|(site, window)| site_snapshot(site, window)).collect();
    // Sites registered at run time (spans of the tracing layer) come after the static ones.
    site_snapshots.sort_by(|a, b| a.name.cmp(&b.name));
    let collectors = plugin::collect_all();
    let site_names = site_snapshots.iter().map(|site| (site.component.as_str(), site.name.as_str()));
    let components = crate::component::summarize(site_names, &collectors, crate::component::run_checks());

    Snapshot {
        taken_at_ms: collector::unix_ms(),
        sites: site_snapshots,
        metrics: registry::metrics().into_iter().map(|(id, metric)| metric_snapshot(id, metric)).collect(),
        collectors,
        collector,
        components,
        exports: crate::export::status::all(),
    }
}

/// Takes a snapshot of the named site alone.
pub fn site(name: &str) -> Option<SiteSnapshot> {
    let site = registry::find_site(name)?;
    let window = collector::site_index(name).and_then(|index| collector::state().store.latest(index));
    Some(site_snapshot(site, window))
}

impl Snapshot {
    /// Finds a site by name.
    pub fn site(&self, name: &str) -> Option<&SiteSnapshot> {
        self.sites.iter().find(|site| site.name == name)
    }

    /// Finds a metric by name and labels (in any order).
    pub fn metric(&self, name: &str, labels: &[(&str, &str)]) -> Option<&MetricSnapshot> {
        self.metrics.iter().find(|metric| {
            metric.name == name
                && metric.labels.len() == labels.len()
                && labels.iter().all(|(key, value)| metric.labels.get(*key).map(String::as_str) == Some(*value))
        })
    }
}

fn site_snapshot(site: &Site, window: Option<Point>) -> SiteSnapshot {
    let info = site.info();
    let counts = site.counts();
    SiteSnapshot {
        name: info.name.to_owned(),
        component: info.component.to_owned(),
        module: info.module.to_owned(),
        function: info.function.to_owned(),
        labels: info.labels.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect(),
        file: info.file.to_owned(),
        line: info.line,
        features: info.features,
        enabled: site.is_enabled(),
        calls: counts.calls,
        errors: counts.errors,
        errors_by_kind: counts.errors_by_kind,
        cancelled: counts.cancelled,
        in_flight: counts.in_flight,
        error_rate: ratio(counts.errors, counts.calls),
        latency: counts.latency.distribution(),
        latency_histogram: (!counts.latency.is_empty()).then_some(counts.latency),
        window: window.map(Window::from_point),
    }
}

fn metric_snapshot(id: registry::MetricId, metric: MetricRef) -> MetricSnapshot {
    let mut buckets = None;
    let value = match metric {
        MetricRef::Counter(counter) => MetricValue::Counter(counter.value()),
        MetricRef::Gauge(gauge) => MetricValue::Gauge(gauge.value()),
        MetricRef::FloatGauge(gauge) => MetricValue::FloatGauge(gauge.value()),
        MetricRef::Histogram(histogram) => {
            let copy = histogram.buckets();
            let distribution = copy.distribution();
            buckets = Some(copy);
            MetricValue::Histogram(distribution)
        }
    };
    let labels = id.labels.into_iter().collect();
    MetricSnapshot { name: id.name, labels, kind: metric.kind(), value, histogram: buckets }
}

impl Window {
    fn from_point(point: Point) -> Self {
        let latency = (point.calls > 0).then(|| WindowLatency {
            p50: f64::from(point.latency.p50),
            p90: f64::from(point.latency.p90),
            p99: f64::from(point.latency.p99),
            p999: f64::from(point.latency.p999),
            max: f64::from(point.latency.max),
            mean: f64::from(point.latency.mean),
        });
        Window {
            end_ms: point.end_ms,
            seconds: f64::from(point.duration_ms) / 1000.0,
            calls: point.calls,
            errors: point.errors,
            cancelled: u64::from(point.cancelled),
            rate_per_sec: point.rate_per_sec(),
            error_rate: ratio(point.errors, point.calls),
            latency,
        }
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    part as f64 / whole as f64
}
