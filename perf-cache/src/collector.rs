//! [`CacheCollector`]: one cache name in perf's snapshot, adding up every instance that
//! reports under it.
//!
//! A type with `#[derive(MonitoredCache)]` owns a `static` collector registered through
//! `inventory`, so it is in `perf::snapshot()` from start-up, before any instance exists. A
//! cache built at run time under a new name gets a collector registered then with
//! `perf::plugin::register`. Each instance registers its counters with its collector when it
//! is built. When it is dropped, its counters move into the collector's retired totals under
//! the same lock, so the totals never step back.

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use perf::plugin::{Collector, Samples};
use serde::{Deserialize, Serialize};

use crate::health::{Health, HealthPolicy, HealthState, LatencySplit};
use crate::metrics::{CacheLatency, CacheMetrics, LatencyBuckets};
use crate::stats::{CacheStats, RemovalCause};
use crate::window::{CacheWindow, Windows};

/// The collector of one cache name: the instances that report under it, their retired
/// totals, the health policy and the windows.
#[derive(Debug)]
pub struct CacheCollector {
    name: Cow<'static, str>,
    policy: RwLock<HealthPolicy>,
    members: Mutex<Members>,
    windows: Mutex<Windows>,
}

/// A reference to a collector: `static` for derived cache types, shared for caches named at
/// run time.
#[derive(Debug, Clone)]
pub enum CollectorRef {
    /// The `static` collector of a derived cache type.
    Static(&'static CacheCollector),
    /// A collector created at run time.
    Shared(Arc<CacheCollector>),
}

/// Everything known about one cache name, as plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheReport {
    /// Cache name.
    pub name: String,
    /// Instances reporting under the name now.
    pub instances: usize,
    /// Statistics of every instance, live and dropped, added up.
    pub stats: CacheStats,
    /// Hit rate (1.0 without requests).
    pub hit_rate: f64,
    /// Miss rate (0.0 without requests).
    pub miss_rate: f64,
    /// Latency distributions of the operations, in nanoseconds.
    pub latency: CacheLatency,
    /// Lookups split against the target latency.
    pub latency_split: LatencySplit,
    /// Health score and state.
    pub health: Health,
    /// Targets and bounds of the health score.
    pub policy: HealthPolicy,
    /// The last window closed by perf's collector, once it has ticked twice.
    pub window: Option<CacheWindow>,
}

/// The counters of one instance, shared between the instance's store and its collector.
#[derive(Debug)]
pub(crate) struct InstanceShared {
    pub(crate) metrics: CacheMetrics,
    pub(crate) capacity: Option<u64>,
}

/// Keeps an instance registered with its collector until it is dropped.
#[derive(Debug)]
pub(crate) struct Registration {
    collector: CollectorRef,
    shared: Arc<InstanceShared>,
}

#[derive(Debug)]
struct Members {
    live: Vec<Arc<InstanceShared>>,
    retired: CacheStats,
    retired_latency: Option<LatencyBuckets>,
}

/// A collector of a derived cache type, listed for [`caches`] and for name look-ups.
#[doc(hidden)]
#[derive(Debug)]
pub struct StaticCache(pub &'static CacheCollector);

inventory::collect!(StaticCache);

static RUNTIME: Mutex<Vec<Arc<CacheCollector>>> = Mutex::new(Vec::new());

impl CacheCollector {
    /// Creates the collector of a derived cache type. Used by `#[derive(MonitoredCache)]`.
    #[doc(hidden)]
    pub const fn new_static(name: &'static str, policy: HealthPolicy) -> CacheCollector {
        CacheCollector {
            name: Cow::Borrowed(name),
            policy: RwLock::new(policy),
            members: Mutex::new(Members { live: Vec::new(), retired: CacheStats::ZERO, retired_latency: None }),
            windows: Mutex::new(Windows::new()),
        }
    }

    /// Returns the cache name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the health policy.
    pub fn policy(&self) -> HealthPolicy {
        *self.policy.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the health policy (targets and state bounds) of every instance.
    pub fn set_policy(&self, policy: HealthPolicy) {
        *self.policy.write().unwrap_or_else(PoisonError::into_inner) = policy;
    }

    /// Returns the number of live instances.
    pub fn instances(&self) -> usize {
        self.members().live.len()
    }

    /// Returns the statistics of every instance, live and dropped, added up.
    pub fn stats(&self) -> CacheStats {
        self.totals().0
    }

    /// Returns the windows closed so far, oldest first (at most
    /// [`WINDOW_CAPACITY`](crate::WINDOW_CAPACITY)).
    pub fn windows(&self) -> Vec<CacheWindow> {
        self.lock_windows().all()
    }

    /// Returns everything known about this cache.
    pub fn report(&self) -> CacheReport {
        let (stats, latency) = self.totals();
        let policy = self.policy();
        let latency_split = LatencySplit::from_buckets(&latency.get, policy.target_latency());
        CacheReport {
            name: self.name.to_string(),
            instances: self.instances(),
            stats,
            hit_rate: stats.hit_rate(),
            miss_rate: stats.miss_rate(),
            latency: latency.distributions(),
            latency_split,
            health: Health::evaluate(&stats, &latency_split, &policy),
            policy,
            window: self.lock_windows().latest(),
        }
    }

    pub(crate) fn register(&self, capacity: Option<u64>) -> Arc<InstanceShared> {
        let shared = Arc::new(InstanceShared { metrics: CacheMetrics::default(), capacity });
        self.members().live.push(Arc::clone(&shared));
        shared
    }

    fn retire(&self, shared: &Arc<InstanceShared>) {
        let mut members = self.members();
        members.live.retain(|member| !Arc::ptr_eq(member, shared));

        let final_counts = counters_only(shared.metrics.stats(None));
        members.retired = members.retired.plus(&final_counts);
        let latency = shared.metrics.latency_buckets();
        match &mut members.retired_latency {
            Some(retired) => retired.merge(&latency),
            None => members.retired_latency = Some(latency),
        }
    }

    /// Adds up the retired totals and every live instance, under one lock.
    fn totals(&self) -> (CacheStats, LatencyBuckets) {
        let members = self.members();
        let mut stats = members.retired;
        let mut latency = members.retired_latency.clone().unwrap_or_default();
        for member in &members.live {
            stats = stats.plus(&member.metrics.stats(member.capacity));
            latency.merge(&member.metrics.latency_buckets());
        }
        (stats, latency)
    }

    fn members(&self) -> MutexGuard<'_, Members> {
        self.members.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_windows(&self) -> MutexGuard<'_, Windows> {
        self.windows.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Collector for CacheCollector {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &str {
        "cache"
    }

    fn collect(&self, samples: &mut Samples) {
        let (stats, latency) = self.totals();
        let policy = self.policy();
        let split = LatencySplit::from_buckets(&latency.get, policy.target_latency());
        let health = Health::evaluate(&stats, &split, &policy);

        samples.counter("cache_hits", &[], stats.hits);
        samples.counter("cache_misses", &[], stats.misses);
        samples.counter("cache_requests", &[], stats.request_count());
        samples.float_gauge("cache_hit_rate", &[], stats.hit_rate());
        samples.float_gauge("cache_miss_rate", &[], stats.miss_rate());
        samples.counter("cache_loads", &[("result", "success")], stats.load_successes);
        samples.counter("cache_loads", &[("result", "failure")], stats.load_failures);
        samples.counter("cache_load_time_ns", &[], stats.total_load_time_ns);
        samples.float_gauge("cache_average_load_penalty_ns", &[], stats.average_load_penalty().as_nanos() as f64);
        samples.counter("cache_inserts", &[], stats.inserts);
        for cause in RemovalCause::ALL {
            samples.counter("cache_evictions", &[("cause", cause.as_str())], stats.evictions.get(cause));
        }
        samples.counter("cache_eviction_weight", &[], stats.eviction_weight);

        samples.gauge("cache_entries", &[], saturating_i64(stats.entries));
        samples.gauge("cache_weighted_size", &[], saturating_i64(stats.weighted_size));
        if let Some(capacity) = stats.capacity {
            samples.gauge("cache_capacity", &[], saturating_i64(capacity));
        }
        samples.gauge("cache_memory_bytes", &[], saturating_i64(stats.memory_bytes));
        samples.gauge("cache_instances", &[], saturating_i64(self.instances() as u64));

        samples.histogram("cache_get_latency_ns", &[], &latency.get);
        samples.histogram("cache_insert_latency_ns", &[], &latency.insert);
        samples.histogram("cache_remove_latency_ns", &[], &latency.remove);
        samples.histogram("cache_load_latency_ns", &[], &latency.load);
        samples.float_gauge("cache_latency_apdex", &[], split.apdex());

        samples.float_gauge("cache_health_score", &[], health.score);
        for state in [HealthState::Healthy, HealthState::Degraded, HealthState::Critical] {
            samples.gauge("cache_health_state", &[("state", state.as_str())], i64::from(health.state == state));
        }

        if let Some(window) = self.lock_windows().latest() {
            samples.float_gauge("cache_window_hit_rate", &[], window.hit_rate());
            samples.gauge("cache_window_requests", &[], saturating_i64(window.stats.request_count()));
            samples.gauge("cache_window_evictions", &[], saturating_i64(window.stats.eviction_count()));
            samples.gauge("cache_window_duration_ms", &[], saturating_i64(window.duration_ms));
        }
    }

    fn tick(&self, now_ms: u64) {
        let stats = self.stats();
        self.lock_windows().roll(now_ms, stats);
    }
}

impl CollectorRef {
    /// Returns the collector named `name`: the `static` one of a derived type with that name,
    /// or the run-time one, created and registered with perf on first use.
    pub fn named(name: &str) -> CollectorRef {
        if let Some(found) = inventory::iter::<StaticCache>.into_iter().find(|entry| entry.0.name() == name) {
            return CollectorRef::Static(found.0);
        }

        let mut runtime = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = runtime.iter().find(|collector| collector.name() == name) {
            return CollectorRef::Shared(Arc::clone(found));
        }
        let created = Arc::new(CacheCollector::new_runtime(name));
        perf::plugin::register(Arc::clone(&created) as Arc<dyn Collector>);
        runtime.push(Arc::clone(&created));
        tracing::debug!(cache = name, "registered cache collector");
        CollectorRef::Shared(created)
    }
}

impl Deref for CollectorRef {
    type Target = CacheCollector;

    fn deref(&self) -> &CacheCollector {
        match self {
            CollectorRef::Static(collector) => collector,
            CollectorRef::Shared(collector) => collector,
        }
    }
}

impl CacheCollector {
    fn new_runtime(name: &str) -> CacheCollector {
        CacheCollector { name: Cow::Owned(name.to_owned()), ..CacheCollector::new_static("", HealthPolicy::DEFAULT) }
    }
}

impl Registration {
    pub(crate) fn new(collector: CollectorRef, capacity: Option<u64>) -> Registration {
        let shared = collector.register(capacity);
        Registration { collector, shared }
    }

    pub(crate) fn shared(&self) -> &Arc<InstanceShared> {
        &self.shared
    }

    pub(crate) fn collector(&self) -> &CacheCollector {
        &self.collector
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.collector.retire(&self.shared);
    }
}

/// Returns the report of every cache, derived or named at run time, sorted by name.
///
/// ```
/// let users = perf_cache::HashMapCache::<u32, String>::new("doc_users", 100);
/// users.insert(1, "ada".to_owned());
/// assert_eq!(users.get(&1).as_deref(), Some("ada"));
///
/// let reports = perf_cache::caches();
/// let report = reports.iter().find(|report| report.name == "doc_users").unwrap();
/// assert_eq!(report.stats.hits, 1);
/// ```
pub fn caches() -> Vec<CacheReport> {
    let statics = inventory::iter::<StaticCache>.into_iter().map(|entry| entry.0.report());
    let runtime: Vec<Arc<CacheCollector>> = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let mut reports: Vec<CacheReport> = statics.chain(runtime.iter().map(|collector| collector.report())).collect();
    reports.sort_by(|a, b| a.name.cmp(&b.name));
    reports
}

/// Returns the report of the cache named `name`, if one is registered.
pub fn cache(name: &str) -> Option<CacheReport> {
    caches().into_iter().find(|report| report.name == name)
}

fn counters_only(stats: CacheStats) -> CacheStats {
    CacheStats { entries: 0, weighted_size: 0, capacity: None, memory_bytes: 0, ..stats }
}

fn saturating_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
