//! Helpers shared by the configuration tests: a temporary folder with a config file, and
//! polling with a deadline instead of fixed sleeps.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a reload may take on a loaded CI machine before a test gives up.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A temporary folder holding one configuration file.
pub struct ConfigDir {
    dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl ConfigDir {
    /// Creates a folder with `perf.toml` holding `text`.
    pub fn new(text: &str) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("perf.toml");
        std::fs::write(&path, text).expect("config written");
        ConfigDir { dir, path }
    }

    pub fn folder(&self) -> &Path {
        self.dir.path()
    }

    /// Overwrites the file in place.
    pub fn write(&self, text: &str) {
        std::fs::write(&self.path, text).expect("config written");
    }

    /// Writes a sibling file and renames it over the config, as editors that save atomically do.
    pub fn replace_by_rename(&self, text: &str) {
        let temporary = self.dir.path().join(".perf.toml.swp");
        std::fs::write(&temporary, text).expect("temporary written");
        std::fs::rename(&temporary, &self.path).expect("renamed over the config");
    }
}

/// Calls `probe` until it returns `Some`, or panics with `what` after [`DEADLINE`].
pub fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out after {DEADLINE:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Returns a configuration whose collector interval is `interval_ms`, whose only retention
/// tier has the same resolution and whose HTTP port is 10000 plus `interval_ms`, so that the
/// three always agree within one configuration.
pub fn generation_config(interval_ms: u64) -> String {
    format!(
        "[collector]\ninterval = \"{interval_ms}ms\"\nretention = [{{ resolution = \"{interval_ms}ms\", keep = \"1h\" }}]\n\n\
         [http]\nlisten = \"127.0.0.1:{}\"\n\n[reload]\ndebounce = \"50ms\"\n",
        10_000 + interval_ms
    )
}
