//! The list of collectors: those registered statically with
//! [`register_collector!`](crate::register_collector) and those added at run time with
//! [`register`], each with its run state (enabled or disabled, and why).

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use once_cell::sync::Lazy;

use super::runner::InFlight;
use super::Collector;

#[doc(hidden)]
pub struct StaticCollector(pub &'static dyn Collector);

inventory::collect!(StaticCollector);

/// Error returned when no collector has the given name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectorNotFound {
    /// The name that was looked up.
    pub name: String,
}

/// A registered collector and its run state.
pub(crate) struct Entry {
    collector: Handle,
    enabled: AtomicBool,
    disabled_reason: Mutex<Option<String>>,
    last_duration_us: AtomicU64,
    /// Set while a `collect` runs, so that one stuck in a hung call is not started again.
    pub(crate) collecting: InFlight,
    /// Set while a `tick` runs, for the same reason.
    pub(crate) ticking: InFlight,
}

enum Handle {
    Static(&'static dyn Collector),
    Shared(Arc<dyn Collector>),
}

static ENTRIES: Lazy<RwLock<Vec<Arc<Entry>>>> = Lazy::new(|| {
    let statics = inventory::iter::<StaticCollector>.into_iter().map(|collector| Handle::Static(collector.0));
    RwLock::new(statics.map(Entry::new).map(Arc::new).collect())
});

/// Registers a collector at run time. It stays registered for the life of the process.
pub fn register(collector: Arc<dyn Collector>) {
    let entry = Arc::new(Entry::new(Handle::Shared(collector)));
    let mut entries = ENTRIES.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    if entries.iter().any(|existing| existing.collector().name() == entry.collector().name()) {
        tracing::warn!(
            collector = entry.collector().name(),
            "a perf collector with this name is already registered; give each collector its own name",
        );
    }
    entries.push(entry);
}

/// Turns a collector disabled after a panic or a time-out back on. Every collector of that
/// name is enabled. A collector still stuck in the call that timed out is skipped until that
/// call returns.
pub fn enable(name: &str) -> Result<(), CollectorNotFound> {
    let matching = entries_named(name)?;
    for entry in matching {
        entry.enable();
    }
    tracing::info!(collector = name, "perf collector enabled");
    Ok(())
}

/// Stops running a collector until [`enable`] turns it back on. Every collector of that name is
/// disabled.
pub fn disable(name: &str) -> Result<(), CollectorNotFound> {
    let matching = entries_named(name)?;
    for entry in matching {
        entry.disable("disabled through perf::plugin::disable".to_owned());
    }
    Ok(())
}

/// Registers a `static` collector before `main`, from any crate.
///
/// The crate that does this must be linked into the program: a library that nothing else uses
/// is left out by the linker, and its collectors with it. Use one item of it, even
/// `use my_plugin as _;`, from the program.
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

/// Returns every registered collector, static ones first.
pub(crate) fn entries() -> Vec<Arc<Entry>> {
    ENTRIES.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
}

fn entries_named(name: &str) -> Result<Vec<Arc<Entry>>, CollectorNotFound> {
    let matching: Vec<Arc<Entry>> = entries().into_iter().filter(|entry| entry.collector().name() == name).collect();
    if matching.is_empty() {
        return Err(CollectorNotFound { name: name.to_owned() });
    }
    Ok(matching)
}

impl Entry {
    fn new(collector: Handle) -> Self {
        Entry {
            collector,
            enabled: AtomicBool::new(true),
            disabled_reason: Mutex::new(None),
            last_duration_us: AtomicU64::new(0),
            collecting: InFlight::new(),
            ticking: InFlight::new(),
        }
    }

    pub(crate) fn collector(&self) -> &dyn Collector {
        match &self.collector {
            Handle::Static(collector) => *collector,
            Handle::Shared(collector) => &**collector,
        }
    }

    pub(crate) fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Acquire)
    }

    /// Returns why the collector is disabled, or `None` while it is enabled.
    pub(crate) fn disabled_reason(&self) -> Option<String> {
        if self.is_enabled() {
            return None;
        }
        let reason = self.disabled_reason.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Some(reason.clone().unwrap_or_else(|| "disabled".to_owned()))
    }

    /// Disables the collector and returns `true`, or returns `false` when it already was.
    pub(crate) fn disable(&self, reason: String) -> bool {
        let mut stored = self.disabled_reason.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let was_enabled = self.enabled.swap(false, Ordering::AcqRel);
        if was_enabled {
            *stored = Some(reason);
        }
        was_enabled
    }

    fn enable(&self) {
        let mut stored = self.disabled_reason.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *stored = None;
        self.enabled.store(true, Ordering::Release);
    }

    pub(crate) fn last_duration_us(&self) -> u64 {
        self.last_duration_us.load(Ordering::Relaxed)
    }

    pub(crate) fn set_last_duration(&self, duration: std::time::Duration) {
        let micros = duration.as_micros().min(u128::from(u64::MAX)) as u64;
        self.last_duration_us.store(micros, Ordering::Relaxed);
    }
}

impl fmt::Debug for StaticCollector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StaticCollector").field(&self.0.name()).finish()
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.collector().name())
            .field("enabled", &self.is_enabled())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for CollectorNotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no perf collector is named {:?}; perf::snapshot().collectors lists the names", self.name)
    }
}

impl std::error::Error for CollectorNotFound {}
