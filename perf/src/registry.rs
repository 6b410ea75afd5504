//! The registry of everything the collector reads: the static sites of `#[monitored]`, and the
//! counters, gauges and histograms of `counter!`, `gauge!`, `float_gauge!` and `histogram!`.
//!
//! Sites and metrics named with literals register statically through `inventory`, so they are
//! known before `main`. Metrics with run-time names or label values are created on first use
//! and live for the rest of the process, so their number should stay bounded: do not put
//! unbounded values such as user ids into labels.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::RwLock;

use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

use crate::metric::{Counter, FloatGauge, Gauge, Histogram};
use crate::site::{Site, SiteInfo, SiteRef};

/// The kind of a registered metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// A [`Counter`].
    Counter,
    /// A [`Gauge`].
    Gauge,
    /// A [`FloatGauge`].
    FloatGauge,
    /// A [`Histogram`].
    Histogram,
}

/// A registered metric.
#[derive(Debug, Clone, Copy)]
pub enum MetricRef {
    /// A counter.
    Counter(&'static Counter),
    /// An integer gauge.
    Gauge(&'static Gauge),
    /// A floating-point gauge.
    FloatGauge(&'static FloatGauge),
    /// A histogram.
    Histogram(&'static Histogram),
}

/// Name and labels of a registered metric, labels sorted by key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct MetricId {
    /// Metric name.
    pub name: String,
    /// Labels, sorted by key.
    pub labels: Vec<(String, String)>,
}

/// Error returned when no site has the given name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteNotFound {
    /// The name that was looked up.
    pub name: String,
}

#[doc(hidden)]
#[derive(Debug)]
pub struct MetricDescriptor {
    pub name: &'static str,
    pub labels: &'static [(&'static str, &'static str)],
    pub kind: MetricKind,
}

inventory::collect!(MetricDescriptor);

/// A call site of a metric macro with literal name and labels: it resolves the metric once and
/// then returns it with one atomic load.
#[doc(hidden)]
#[derive(Debug)]
pub struct CallSite<T: 'static> {
    name: &'static str,
    labels: &'static [(&'static str, &'static str)],
    cached: AtomicPtr<T>,
}

static SITES: Lazy<Vec<&'static Site>> = Lazy::new(|| {
    let mut sites: Vec<&'static Site> = inventory::iter::<SiteRef>.into_iter().map(|site| site.0).collect();
    sites.sort_by(|a, b| a.info().name.cmp(b.info().name).then(a.info().line.cmp(&b.info().line)));
    sites
});

static SITES_BY_NAME: Lazy<HashMap<&'static str, &'static Site>> =
    Lazy::new(|| SITES.iter().rev().map(|site| (site.info().name, *site)).collect());

/// Sites created at run time by [`register_site`], after the static ones in registration order,
/// so that the index of every site stays the same for the life of the process.
static DYNAMIC_SITES: RwLock<Vec<&'static Site>> = RwLock::new(Vec::new());

static METRICS: Lazy<RwLock<BTreeMap<MetricId, MetricRef>>> = Lazy::new(|| {
    let mut metrics = BTreeMap::new();
    for descriptor in inventory::iter::<MetricDescriptor> {
        let id = MetricId::new(descriptor.name, descriptor.labels);
        metrics.entry(id).or_insert_with(|| MetricRef::create(descriptor.kind));
    }
    RwLock::new(metrics)
});

/// Lists every instrumented site in the binary, called or not, sorted by name.
///
/// ```
/// #[perf::monitored]
/// fn parse() {}
///
/// let names: Vec<_> = perf::sites().iter().map(|site| site.name).collect();
/// assert!(names.contains(&concat!(module_path!(), "::parse")));
/// ```
pub fn sites() -> Vec<&'static SiteInfo> {
    all_sites().iter().map(|site| site.info()).collect()
}

/// Returns every site: the static ones sorted by name, then those registered at run time.
pub(crate) fn all_sites() -> Vec<&'static Site> {
    let dynamic = DYNAMIC_SITES.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    SITES.iter().chain(dynamic.iter()).copied().collect()
}

/// Finds the site with the given name (the first one, if two functions share a name).
pub fn find_site(name: &str) -> Option<&'static Site> {
    SITES_BY_NAME.get(name).copied().or_else(|| {
        let dynamic = DYNAMIC_SITES.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        dynamic.iter().find(|site| site.info().name == name).copied()
    })
}

/// Registers a site created at run time, for code that is not a `#[monitored]` function (the
/// spans of the tracing layer), and returns it. It lives for the rest of the process, so the
/// number of names should stay bounded.
///
/// A name registered at run time before returns that site. A name taken by a static site
/// returns `None`: that code is already monitored.
pub fn register_site(info: SiteInfo) -> Option<&'static Site> {
    if SITES_BY_NAME.contains_key(info.name) {
        return None;
    }
    let mut dynamic = DYNAMIC_SITES.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(existing) = dynamic.iter().find(|site| site.info().name == info.name) {
        return Some(existing);
    }
    let site: &'static Site = Box::leak(Box::new(Site::new(info)));
    dynamic.push(site);
    Some(site)
}

/// Turns monitoring of the named site on or off.
pub fn set_site_enabled(name: &str, enabled: bool) -> Result<(), SiteNotFound> {
    let mut found = false;
    for site in all_sites().into_iter().filter(|site| site.info().name == name) {
        site.set_enabled(enabled);
        found = true;
    }
    found.then_some(()).ok_or_else(|| SiteNotFound { name: name.to_owned() })
}

/// Turns monitoring of every site of a component on or off, and returns how many sites it
/// changed.
pub fn set_component_enabled(component: &str, enabled: bool) -> usize {
    let sites = all_sites().into_iter().filter(|site| site.info().component == component);
    sites.map(|site| site.set_enabled(enabled)).count()
}

/// Returns the counter with this name and labels, creating it on first use.
pub fn counter(name: &str, labels: &[(&str, &str)]) -> &'static Counter {
    match lookup(name, labels, MetricKind::Counter) {
        MetricRef::Counter(counter) => counter,
        _ => Box::leak(Box::new(Counter::new())),
    }
}

/// Returns the integer gauge with this name and labels, creating it on first use.
pub fn gauge(name: &str, labels: &[(&str, &str)]) -> &'static Gauge {
    match lookup(name, labels, MetricKind::Gauge) {
        MetricRef::Gauge(gauge) => gauge,
        _ => Box::leak(Box::new(Gauge::new())),
    }
}

/// Returns the floating-point gauge with this name and labels, creating it on first use.
pub fn float_gauge(name: &str, labels: &[(&str, &str)]) -> &'static FloatGauge {
    match lookup(name, labels, MetricKind::FloatGauge) {
        MetricRef::FloatGauge(gauge) => gauge,
        _ => Box::leak(Box::new(FloatGauge::new())),
    }
}

/// Returns the histogram with this name and labels, creating it on first use.
pub fn histogram(name: &str, labels: &[(&str, &str)]) -> &'static Histogram {
    match lookup(name, labels, MetricKind::Histogram) {
        MetricRef::Histogram(histogram) => histogram,
        _ => Box::leak(Box::new(Histogram::new())),
    }
}

/// Read access to every registered metric, sorted by name and labels, for the exposition,
/// which renders them in place instead of copying them. Hold it briefly: registering a new
/// metric waits for it.
pub(crate) fn read_metrics() -> std::sync::RwLockReadGuard<'static, BTreeMap<MetricId, MetricRef>> {
    METRICS.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn metrics() -> Vec<(MetricId, MetricRef)> {
    let metrics = METRICS.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    metrics.iter().map(|(id, metric)| (id.clone(), *metric)).collect()
}

/// Returns the registered metric, or one of `kind` registered now. A name already taken by
/// another kind gets a detached metric that no snapshot shows, and an error is logged.
fn lookup(name: &str, labels: &[(&str, &str)], kind: MetricKind) -> MetricRef {
    let id = MetricId::new(name, labels);
    let existing = METRICS.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&id).copied();
    let metric = match existing {
        Some(metric) => metric,
        None => {
            let mut metrics = METRICS.write().unwrap_or_else(|poisoned| poisoned.into_inner());
            *metrics.entry(id.clone()).or_insert_with(|| MetricRef::create(kind))
        }
    };

    if metric.kind() != kind {
        tracing::error!(
            metric = %id,
            registered = ?metric.kind(),
            requested = ?kind,
            "metric name already registered with another kind; use a different name, this one is not exported",
        );
    }
    metric
}

impl MetricId {
    fn new(name: &str, labels: &[(&str, &str)]) -> Self {
        let mut labels: Vec<(String, String)> =
            labels.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect();
        labels.sort();
        MetricId { name: name.to_owned(), labels }
    }
}

impl fmt::Display for MetricId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if self.labels.is_empty() {
            return Ok(());
        }

        f.write_str("{")?;
        for (index, (key, value)) in self.labels.iter().enumerate() {
            let separator = if index == 0 { "" } else { "," };
            write!(f, "{separator}{key}={value:?}")?;
        }
        f.write_str("}")
    }
}

impl MetricRef {
    fn create(kind: MetricKind) -> Self {
        match kind {
            MetricKind::Counter => MetricRef::Counter(Box::leak(Box::new(Counter::new()))),
            MetricKind::Gauge => MetricRef::Gauge(Box::leak(Box::new(Gauge::new()))),
            MetricKind::FloatGauge => MetricRef::FloatGauge(Box::leak(Box::new(FloatGauge::new()))),
            MetricKind::Histogram => MetricRef::Histogram(Box::leak(Box::new(Histogram::new()))),
        }
    }

    /// Returns the kind of this metric.
    pub fn kind(&self) -> MetricKind {
        match self {
            MetricRef::Counter(_) => MetricKind::Counter,
            MetricRef::Gauge(_) => MetricKind::Gauge,
            MetricRef::FloatGauge(_) => MetricKind::FloatGauge,
            MetricRef::Histogram(_) => MetricKind::Histogram,
        }
    }
}

impl fmt::Display for SiteNotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no monitored site is named {:?}; perf::sites() lists the names", self.name)
    }
}

impl std::error::Error for SiteNotFound {}

impl<T> CallSite<T> {
    #[doc(hidden)]
    pub const fn new(name: &'static str, labels: &'static [(&'static str, &'static str)]) -> Self {
        CallSite { name, labels, cached: AtomicPtr::new(std::ptr::null_mut()) }
    }

    #[inline(always)]
    fn get_or(&'static self, resolve: fn(&str, &[(&str, &str)]) -> &'static T) -> &'static T {
        let cached = self.cached.load(Ordering::Acquire);
        if !cached.is_null() {
            // SAFETY: only `&'static T` references are stored, below.
            return unsafe { &*cached };
        }

        let metric = resolve(self.name, self.labels);
        self.cached.store((metric as *const T).cast_mut(), Ordering::Release);
        metric
    }
}

macro_rules! call_site_getter {
    ($type:ty, $resolve:path) => {
        impl CallSite<$type> {
            #[doc(hidden)]
            #[inline(always)]
            pub fn get(&'static self) -> &'static $type {
                self.get_or($resolve)
            }
        }
    };
}

call_site_getter!(Counter, counter);
call_site_getter!(Gauge, gauge);
call_site_getter!(FloatGauge, float_gauge);
call_site_getter!(Histogram, histogram);
