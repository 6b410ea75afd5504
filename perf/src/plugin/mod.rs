//! Plugin collectors: any component, not only functions, reports into the same snapshot.
//!
//! A [`Collector`] is asked for its samples whenever a snapshot is taken. Register one
//! statically with [`register_collector!`](crate::register_collector) (found through
//! `inventory`, with no set-up code, even from another crate) or at run time with
//! [`register`]. A collector that panics is reported in the snapshot with its panic message,
//! and every other collector still runs.

mod samples;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};

pub use samples::{Sample, Samples};

/// A source of metrics other than `#[monitored]` functions: a cache, a connection pool, the
/// process itself.
///
/// ```
/// use perf::plugin::{Collector, Samples};
///
/// struct QueueDepth;
///
/// impl Collector for QueueDepth {
///     fn name(&self) -> &str { "jobs" }
///     fn collect(&self, samples: &mut Samples) {
///         samples.gauge("queue_depth", &[("queue", "email")], 3);
///     }
/// }
///
/// static QUEUE: QueueDepth = QueueDepth;
/// perf::register_collector!(QUEUE);
///
/// let snapshot = perf::snapshot();
/// let jobs = snapshot.collectors.iter().find(|collector| collector.name == "jobs").unwrap();
/// assert_eq!(jobs.samples[0].name, "queue_depth");
/// ```
pub trait Collector: Send + Sync {
    /// Returns the name of this collector, unique within the process.
    fn name(&self) -> &str;

    /// Returns what kind of thing this collector measures: `cache`, `process`, `custom`, ...
    fn kind(&self) -> &str {
        "custom"
    }

    /// Returns the component this collector belongs to.
    fn component(&self) -> &str {
        self.name()
    }

    /// Writes the current samples. Called off the hot path, for each snapshot.
    fn collect(&self, samples: &mut Samples);
}

/// The samples of one collector in a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectorSnapshot {
    /// Collector name.
    pub name: String,
    /// Kind of collector.
    pub kind: String,
    /// Component it belongs to.
    pub component: String,
    /// Samples written by the collector.
    pub samples: Vec<Sample>,
    /// Why the collector produced no samples, when it failed.
    pub error: Option<String>,
}

#[doc(hidden)]
pub struct StaticCollector(pub &'static dyn Collector);

inventory::collect!(StaticCollector);

impl std::fmt::Debug for StaticCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("StaticCollector").field(&self.0.name()).finish()
    }
}

static RUNTIME: RwLock<Vec<Arc<dyn Collector>>> = RwLock::new(Vec::new());

/// Registers a collector at run time. It stays registered for the life of the process.
pub fn register(collector: Arc<dyn Collector>) {
    RUNTIME.write().unwrap_or_else(|poisoned| poisoned.into_inner()).push(collector);
}

/// Registers a `static` collector before `main`, from any crate.
///
/// ```
/// # use perf::plugin::{Collector, Samples};
/// struct Pool;
/// impl Collector for Pool {
///     fn name(&self) -> &str { "db_pool" }
///     fn collect(&self, samples: &mut Samples) { samples.gauge("connections_idle", &[], 4); }
/// }
/// static POOL: Pool = Pool;
/// perf::register_collector!(POOL);
/// ```
#[macro_export]
macro_rules! register_collector {
    ($collector:path) => {
        $crate::__private::inventory::submit! { $crate::__private::StaticCollector(&$collector) }
    };
}

/// Runs every collector and returns their samples, sorted by name.
pub(crate) fn collect_all() -> Vec<CollectorSnapshot> {
    let runtime: Vec<Arc<dyn Collector>> = RUNTIME.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
    let statics = inventory::iter::<StaticCollector>.into_iter().map(|collector| collector.0);
    let mut snapshots: Vec<CollectorSnapshot> =
        statics.chain(runtime.iter().map(|collector| &**collector)).map(run).collect();
    snapshots.sort_by(|a, b| a.name.cmp(&b.name));
    snapshots
}

fn run(collector: &dyn Collector) -> CollectorSnapshot {
    let mut samples = Samples::default();
    let result = catch_unwind(AssertUnwindSafe(|| collector.collect(&mut samples)));
    let error = result.err().map(|panic| {
        let message = panic_message(&*panic);
        tracing::error!(collector = collector.name(), %message, "perf collector panicked; its samples are skipped");
        format!("collector panicked: {message}")
    });

    CollectorSnapshot {
        name: collector.name().to_owned(),
        kind: collector.kind().to_owned(),
        component: collector.component().to_owned(),
        samples: if error.is_some() { Vec::new() } else { samples.into_vec() },
        error,
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        return (*text).to_owned();
    }
    if let Some(text) = panic.downcast_ref::<String>() {
        return text.clone();
    }
    "non-string panic payload".to_owned()
}
