//! Configuration from a TOML file: profiles, environment overrides, validation with
//! `file:line:column` errors, hot reload and runtime toggles.
//!
//! ```no_run
//! // Load perf.toml with the profile of PERF_PROFILE, start the collector with its settings,
//! // turn sites on and off as it says, and reload it whenever it changes.
//! perf::config::start_with_config_file("perf.toml")?;
//!
//! let settings = perf::config::current();
//! println!("collector ticks every {:?}", settings.collector.interval);
//!
//! perf::config::set_site_enabled("shop::*", false)?;            // a runtime toggle
//! perf::config::set_threshold("checkout_p99", "above", "300ms")?; // a dynamic threshold
//! # Ok::<(), perf::config::ConfigErrors>(())
//! ```
//!
//! A load goes through these steps, each in its own module: the file is parsed into a tree
//! whose every key and value remembers its position (module `tree`); the
//! selected profile and the profiles it extends are laid over the top level (`profiles`), then
//! the `PERF_<SECTION>__<KEY>` variables (`env`) and the runtime overrides (`load`); the
//! merged tree is decoded into [`Settings`] (`schema`, `decode`, `values`), with every error
//! collected; references between sections are checked last. The file format is described in
//! `docs/CONFIG.md`.
//!
//! Errors are [`ConfigError`]s with the file, line, column, key, bad value and what is
//! expected. A load reports all of them, not the first only.

mod apply;
mod decode;
mod env;
mod error;
mod event;
mod load;
mod pattern;
mod profiles;
mod provenance;
mod runtime;
mod schema;
mod source;
mod store;
pub(crate) mod suggest;
mod tree;
pub mod units;
mod values;
mod watch;

pub use env::PROFILE_VAR;
pub use error::{ConfigError, ConfigErrors};
pub use event::{ReloadEvent, EVENT_QUEUE_CAPACITY};
pub use load::{check_file, check_str, load_file, load_str, LoadOptions, Loaded};
pub use pattern::{NamePattern, Specificity};
pub use runtime::{
    cache_enabled, current, init, reload, set, set_cache_enabled, set_component_enabled, set_site_enabled,
    set_threshold, start_with_config_file, store, subscribe,
};
pub use schema::*;
pub use store::{ConfigStore, RELOAD_SUCCESS_GAUGE};
pub use watch::{ConfigWatcher, WatchError, WatchOptions};
