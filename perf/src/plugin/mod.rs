//! Plugin collectors: any component, not only functions, reports into the same snapshot.
//!
//! A [`Collector`] is asked for its samples whenever a snapshot is taken. Register one
//! statically with [`register_collector!`](crate::register_collector) (found through
//! `inventory`, with no set-up code, even from another crate) or at run time with
//! [`register`].
//!
//! Collectors are user code, so each call runs on a worker thread with a time budget
//! ([`set_time_budget`], or [`Collector::time_budget`]). A collector that panics or runs past
//! its budget is disabled, logged, and listed in snapshots with the reason, and every other
//! collector keeps running; [`enable`] turns it back on. A hung collector costs one abandoned
//! thread, never a hung snapshot.
//!
//! Two collectors are built in and registered everywhere: `process` (memory, CPU time,
//! threads and file descriptors of this process) and `perf` (the footprint of the monitoring
//! itself).

mod builtin;
mod registry;
mod runner;
mod samples;
mod supervise;

use std::time::Duration;

pub use builtin::{InternalsCollector, ProcessCollector};
pub use registry::{disable, enable, register, CollectorNotFound, StaticCollector};
pub use runner::{set_time_budget, stuck_workers, time_budget, DEFAULT_TIME_BUDGET, MAX_STUCK_WORKERS};
pub use samples::{Sample, Samples};
pub use supervise::CollectorSnapshot;

pub(crate) use runner::{InFlight, Outcome, Runner};
pub(crate) use supervise::{collect_all, tick_all};

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
    ///
    /// `name`, `kind` and `component` are read on the thread that takes the snapshot, outside
    /// the time budget, so they return stored strings and do no work.
    fn name(&self) -> &str;

    /// Returns what kind of thing this collector measures: `cache`, `process`, `custom`, ...
    fn kind(&self) -> &str {
        "custom"
    }

    /// Returns the component this collector belongs to.
    fn component(&self) -> &str {
        self.name()
    }

    /// Writes the current samples. Called off the hot path, for each snapshot, on a worker
    /// thread. Calling [`snapshot`](crate::snapshot) from here waits for the collection in
    /// progress, which runs past the time budget and gets this collector disabled.
    fn collect(&self, samples: &mut Samples);

    /// Runs on every tick of the collector thread (and on [`collect_now`](crate::collect_now)),
    /// with the tick's time in milliseconds since the Unix epoch. A collector that keeps its own
    /// windows rolls them here, so they line up with the sites' time series. The default does
    /// nothing.
    ///
    /// It runs while the collector holds its lock: a tick that calls
    /// [`snapshot`](crate::snapshot) or [`collect_now`](crate::collect_now) waits for that lock,
    /// runs past its time budget and gets the collector disabled.
    fn tick(&self, now_ms: u64) {
        let _ = now_ms;
    }

    /// Returns why this collector cannot work on this platform, or `None` when it can. An
    /// unsupported collector is listed in snapshots with this reason and no samples.
    fn unsupported(&self) -> Option<String> {
        None
    }

    /// Returns how long one `collect` or `tick` may take before the collector is disabled, or
    /// `None` (the default) for the process-wide budget of [`set_time_budget`].
    fn time_budget(&self) -> Option<Duration> {
        None
    }
}
