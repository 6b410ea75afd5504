//! The configuration of the process: [`init`] loads a file whose settings drive the runtime,
//! [`current`] reads them from anywhere, and the toggles change them at run time through the
//! same validation as the file.

use std::path::Path;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use once_cell::sync::Lazy;

use super::error::{ConfigError, ConfigErrors};
use super::event::ReloadEvent;
use super::load::LoadOptions;
use super::schema::Settings;
use super::store::ConfigStore;
use super::watch::ConfigWatcher;

/// The settings in effect for the process; the defaults until [`init`].
static CURRENT: Lazy<ArcSwap<Settings>> = Lazy::new(|| ArcSwap::from_pointee(Settings::default()));

/// The store of [`init`], and its watcher when the file is watched.
static RUNTIME: Mutex<Option<(ConfigStore, Option<ConfigWatcher>)>> = Mutex::new(None);

/// Loads the configuration file of the process and applies it. The collector starts with the
/// settings of `[collector]` (or restarts, if they differ from the running ones), and sites are
/// turned on and off by `[sites]` and `[components]`. The alerting sections install an alert
/// manager (see [`crate::alert::from_config`]). When `[reload] watch` is true,
/// the file is watched and reloaded on change. Calling it again replaces the configuration.
///
/// ```no_run
/// let store = perf::config::init("perf.toml", perf::config::LoadOptions::new().profile("production"))?;
/// # let _ = store;
/// # Ok::<(), perf::config::ConfigErrors>(())
/// ```
pub fn init(path: impl AsRef<Path>, options: LoadOptions) -> Result<ConfigStore, ConfigErrors> {
    let path = path.as_ref();
    let mut runtime = lock_runtime();
    // The previous watcher stops before the new store applies anything.
    runtime.take();

    let store = ConfigStore::open_with(path, options, true)?;
    let watcher = if store.current().reload.watch {
        match store.watch() {
            Ok(watcher) => Some(watcher),
            Err(error) => {
                tracing::error!("{error}; the configuration is reloaded only on request");
                None
            }
        }
    } else {
        None
    };
    *runtime = Some((store.clone(), watcher));
    Ok(store)
}

/// Returns the settings in effect: one complete configuration, never a mix of two. Before
/// [`init`], the defaults.
///
/// ```
/// let settings = perf::config::current();
/// assert!(settings.collector.interval > std::time::Duration::ZERO);
/// ```
pub fn current() -> Arc<Settings> {
    CURRENT.load_full()
}

/// Returns the store of [`init`], if it was called.
pub fn store() -> Option<ConfigStore> {
    lock_runtime().as_ref().map(|(store, _)| store.clone())
}

/// Reads the file of [`init`] again; see [`ConfigStore::reload`].
pub fn reload() -> Result<Arc<Settings>, ConfigErrors> {
    require_store()?.reload()
}

/// Returns a channel of the reload events of the file of [`init`].
pub fn subscribe() -> Result<Receiver<ReloadEvent>, ConfigErrors> {
    Ok(require_store()?.subscribe())
}

/// Sets one key at run time; see [`ConfigStore::set`].
pub fn set(path: &str, value: &str) -> Result<Arc<Settings>, ConfigErrors> {
    require_store()?.set(path, value)
}

/// Turns monitoring of the sites whose names match `pattern` on or off, as
/// `[sites.match."PATTERN"] enabled = ...` would.
pub fn set_site_enabled(pattern: &str, enabled: bool) -> Result<Arc<Settings>, ConfigErrors> {
    set(&format!("sites.match.{}.enabled", quote(pattern)), &enabled.to_string())
}

/// Turns monitoring of the sites of the components matching `pattern` on or off.
pub fn set_component_enabled(pattern: &str, enabled: bool) -> Result<Arc<Settings>, ConfigErrors> {
    set(&format!("components.match.{}.enabled", quote(pattern)), &enabled.to_string())
}

/// Turns monitoring of the caches matching `pattern` on or off; the cache layer reads it
/// through [`cache_enabled`].
pub fn set_cache_enabled(pattern: &str, enabled: bool) -> Result<Arc<Settings>, ConfigErrors> {
    set(&format!("caches.match.{}.enabled", quote(pattern)), &enabled.to_string())
}

/// Changes one key of a threshold at run time, such as `set_threshold("checkout_p99",
/// "above", "300ms")`. `value` is written as in the file without quotes; it is validated
/// as the file would be, against the unit of the threshold's metric.
pub fn set_threshold(name: &str, key: &str, value: &str) -> Result<Arc<Settings>, ConfigErrors> {
    let is_number = value.parse::<f64>().is_ok();
    let value = if is_number { value.to_owned() } else { quote(value) };
    set(&format!("thresholds.{}.{}", quote(name), quote(key)), &value)
}

/// Returns whether monitoring of the cache `name` is on in the settings in effect.
pub fn cache_enabled(name: &str) -> bool {
    current().cache_policy(name).enabled
}

/// Loads a configuration file, applies it and watches it: the same as [`init`] with the
/// profile from `PERF_PROFILE` and overrides from the environment.
pub fn start_with_config_file(path: impl AsRef<Path>) -> Result<ConfigStore, ConfigErrors> {
    init(path, LoadOptions::new())
}

pub(crate) fn publish(settings: &Arc<Settings>) {
    CURRENT.store(settings.clone());
}

fn require_store() -> Result<ConfigStore, ConfigErrors> {
    store().ok_or_else(|| {
        ConfigErrors::from_vec(vec![ConfigError {
            file: "<api>".to_owned(),
            line: 1,
            column: 1,
            span: 0..0,
            key: String::new(),
            message: "no configuration file is loaded; call perf::config::init first".to_owned(),
        }])
    })
}

fn lock_runtime() -> std::sync::MutexGuard<'static, Option<(ConfigStore, Option<ConfigWatcher>)>> {
    RUNTIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Quotes a key as a TOML basic string.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}
