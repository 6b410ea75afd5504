//! A configuration file kept loaded: the current settings, reloads, runtime overrides and
//! reload events.
//!
//! The current settings sit behind an [`ArcSwap`]. A reader takes an `Arc` of one complete
//! configuration, with no lock and without blocking a reload. A reload publishes the new
//! configuration with one atomic pointer swap, so no reader ever sees half of an old and half
//! of a new one. An `RwLock<Arc<_>>` would give the same guarantee, but its readers write to
//! the lock word and so contend with each other and with a waiting writer. The configuration
//! is read far more often (every collector tick, every request of the endpoint) than it
//! changes, so the readers' cost is the one to keep low.
//!
//! Reloads, overrides and their side effects are serialized by one mutex, so two reloads
//! never interleave their application.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, Weak};

use arc_swap::ArcSwap;

use super::apply;
use super::error::ConfigErrors;
use super::event::{ReloadEvent, Subscribers};
use super::load::{self, LoadOptions, Loaded};
use super::schema::Settings;
use super::watch::{self, ConfigWatcher, WatchError, WatchOptions};
use crate::alert::{from_config, AlertManager};

/// Name of the gauge set to 1 after a successful reload and to 0 after a failed one, with the
/// label `file`.
pub const RELOAD_SUCCESS_GAUGE: &str = "perf_config_reload_success";

/// A configuration file kept loaded. Cloning it is cheap and shares the same state.
///
/// ```no_run
/// use perf::config::{ConfigStore, LoadOptions};
///
/// let store = ConfigStore::open("perf.toml", LoadOptions::new())?;
/// let _watcher = store.watch()?;            // reloads when the file changes
/// let interval = store.current().collector.interval;
/// # let _ = interval;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ConfigStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    path: PathBuf,
    loaded: ArcSwap<Loaded>,
    /// Options of the next load; runtime overrides are added here.
    options: Mutex<LoadOptions>,
    /// Held while a configuration is loaded and applied.
    applying: Mutex<()>,
    generation: AtomicU64,
    subscribers: Subscribers,
    applies_to_runtime: bool,
}

impl ConfigStore {
    /// Loads `path` and keeps it loaded. The runtime is not changed: use
    /// [`crate::config::init`] for a store whose settings drive the collector and the sites.
    pub fn open(path: impl AsRef<Path>, options: LoadOptions) -> Result<ConfigStore, ConfigErrors> {
        Self::open_with(path.as_ref(), options, false)
    }

    pub(crate) fn open_with(
        path: &Path,
        options: LoadOptions,
        applies_to_runtime: bool,
    ) -> Result<ConfigStore, ConfigErrors> {
        let loaded = load::load_file(path, &options)?;
        let alerts = if applies_to_runtime { from_config::prepare(&loaded)? } else { None };
        let inner = Inner {
            path: path.to_owned(),
            loaded: ArcSwap::from_pointee(loaded),
            options: Mutex::new(options),
            applying: Mutex::new(()),
            generation: AtomicU64::new(1),
            subscribers: Subscribers::default(),
            applies_to_runtime,
        };
        let store = ConfigStore { inner: Arc::new(inner) };
        if applies_to_runtime {
            let _applying = store.inner.lock_applying();
            store.apply(&store.current(), alerts);
        }
        reload_gauge(&store.inner.path).set(1);
        Ok(store)
    }

    /// Returns the current settings: one complete configuration, never a mix of two.
    pub fn current(&self) -> Arc<Settings> {
        self.inner.loaded.load().settings.clone()
    }

    /// Returns the current configuration with the source of each value.
    pub fn loaded(&self) -> Arc<Loaded> {
        self.inner.loaded.load_full()
    }

    /// Returns the path of the file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Returns how many configurations were applied, the first load included.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::Acquire)
    }

    /// Reads the file again. A valid file takes effect at once and sets the
    /// [`RELOAD_SUCCESS_GAUGE`] to 1; an invalid one leaves the last good configuration in
    /// effect, logs its errors, sets the gauge to 0 and sends [`ReloadEvent::Failed`].
    pub fn reload(&self) -> Result<Arc<Settings>, ConfigErrors> {
        let _applying = self.inner.lock_applying();
        let options = self.inner.lock_options().clone();
        match self.load(&options) {
            Ok((loaded, alerts)) => {
                let (settings, generation) = self.swap(loaded, alerts);
                reload_gauge(&self.inner.path).set(1);
                tracing::info!(file = %self.inner.path.display(), generation, "configuration reloaded");
                self.notify_applied(&settings, generation);
                Ok(settings)
            }
            Err(errors) => {
                reload_gauge(&self.inner.path).set(0);
                for error in errors.errors() {
                    tracing::error!(file = %self.inner.path.display(), "invalid configuration, keeping the last good one: {error}");
                }
                let event = ReloadEvent::Failed { file: self.inner.path.clone(), errors: errors.clone() };
                self.inner.subscribers.publish(&event);
                Err(errors)
            }
        }
    }

    /// Sets one key above the file, the environment and the profile, through the same
    /// validation as the file. `path` is a dotted TOML key and `value` a TOML value:
    ///
    /// ```no_run
    /// # let store = perf::config::ConfigStore::open("perf.toml", Default::default()).unwrap();
    /// store.set("thresholds.checkout_p99.above", "\"300ms\"")?;
    /// store.set("sites.match.\"shop::*\".enabled", "false")?;
    /// # Ok::<(), perf::config::ConfigErrors>(())
    /// ```
    ///
    /// An invalid change returns its errors and changes nothing. The override stays in effect
    /// across reloads of the file until [`ConfigStore::clear_overrides`].
    pub fn set(&self, path: &str, value: &str) -> Result<Arc<Settings>, ConfigErrors> {
        let _applying = self.inner.lock_applying();
        let mut overrides: Vec<(String, String)> = self.inner.lock_options().overrides().to_vec();
        overrides.retain(|(existing, _)| existing != path);
        overrides.push((path.to_owned(), value.to_owned()));
        let options = self.inner.lock_options().clone().with_overrides(overrides);
        self.try_options(options)
    }

    /// Removes every override made with [`ConfigStore::set`] and applies the file as it is.
    pub fn clear_overrides(&self) -> Result<Arc<Settings>, ConfigErrors> {
        let _applying = self.inner.lock_applying();
        let options = self.inner.lock_options().clone().with_overrides(Vec::new());
        self.try_options(options)
    }

    /// Returns a channel that receives an event for every reload from now on.
    pub fn subscribe(&self) -> Receiver<ReloadEvent> {
        self.inner.subscribers.subscribe()
    }

    /// Watches the file with the settings of its `[reload]` section, and reloads it after
    /// each burst of changes. Watching stops when the returned watcher is dropped.
    pub fn watch(&self) -> Result<ConfigWatcher, WatchError> {
        let options = WatchOptions::from(&self.current().reload);
        self.watch_with(options)
    }

    /// Watches the file with explicit options.
    pub fn watch_with(&self, options: WatchOptions) -> Result<ConfigWatcher, WatchError> {
        watch::spawn(self.downgrade(), &self.inner.path, options)
    }

    pub(crate) fn downgrade(&self) -> Weak<Inner> {
        Arc::downgrade(&self.inner)
    }

    pub(crate) fn upgrade(inner: &Weak<Inner>) -> Option<ConfigStore> {
        inner.upgrade().map(|inner| ConfigStore { inner })
    }

    fn try_options(&self, options: LoadOptions) -> Result<Arc<Settings>, ConfigErrors> {
        let (loaded, alerts) = self.load(&options)?;
        *self.inner.lock_options() = options;
        let (settings, generation) = self.swap(loaded, alerts);
        self.notify_applied(&settings, generation);
        Ok(settings)
    }

    /// Loads the file, and builds its alert manager when this store drives the runtime, so
    /// that a configuration whose alerting part is invalid is rejected as a whole.
    fn load(&self, options: &LoadOptions) -> Result<(Loaded, Option<AlertManager>), ConfigErrors> {
        let loaded = load::load_file(&self.inner.path, options)?;
        let alerts = if self.inner.applies_to_runtime { from_config::prepare(&loaded)? } else { None };
        Ok((loaded, alerts))
    }

    /// Makes `loaded` current and applies it; returns its settings and generation. Called
    /// with the application lock held.
    fn swap(&self, loaded: Loaded, alerts: Option<AlertManager>) -> (Arc<Settings>, u64) {
        let settings = loaded.settings.clone();
        self.inner.loaded.store(Arc::new(loaded));
        let generation = self.inner.generation.fetch_add(1, Ordering::AcqRel) + 1;
        self.apply(&settings, alerts);
        (settings, generation)
    }

    fn notify_applied(&self, settings: &Arc<Settings>, generation: u64) {
        let event = ReloadEvent::Applied { file: self.inner.path.clone(), generation, settings: settings.clone() };
        self.inner.subscribers.publish(&event);
    }

    fn apply(&self, settings: &Arc<Settings>, alerts: Option<AlertManager>) {
        if !self.inner.applies_to_runtime {
            return;
        }
        super::runtime::publish(settings);
        let disabled = apply::apply_sites(settings);
        tracing::debug!(disabled, "site toggles applied");
        if let Err(error) = apply::apply_collector(settings) {
            tracing::error!("failed to apply the collector settings: {error}");
        }
        from_config::apply(alerts);
    }
}

impl Inner {
    fn lock_applying(&self) -> std::sync::MutexGuard<'_, ()> {
        self.applying.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_options(&self) -> std::sync::MutexGuard<'_, LoadOptions> {
        self.options.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn reload_gauge(path: &Path) -> &'static crate::Gauge {
    crate::registry::gauge(RELOAD_SUCCESS_GAUGE, &[("file", &path.display().to_string())])
}
