//! Shared parts of the browser tests: perf's HTTP endpoint with the workload, the six views and
//! when each one has rendered, and where screenshots go.

pub(crate) mod webdriver;
pub(crate) mod workload;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// Maximum wait for a page to show what a test expects.
pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// A dashboard view: its route and a JavaScript condition that is true once it shows data.
pub(crate) struct View {
    pub(crate) name: &'static str,
    pub(crate) ready: &'static str,
}

pub(crate) const VIEWS: [View; 6] = [
    View {
        name: "metrics",
        ready: "document.querySelectorAll('#metrics-sites article.site').length >= 3 && document.querySelector('#metrics-sites svg path') !== null",
    },
    View { name: "alerts", ready: "document.querySelector('#alerts-active h2') !== null" },
    View { name: "caches", ready: "document.querySelectorAll('#caches article.cache').length >= 2" },
    View { name: "components", ready: "document.querySelectorAll('#components article.component').length >= 3" },
    View { name: "settings", ready: "document.querySelector('#settings-thresholds h2') !== null" },
    View { name: "export", ready: "document.querySelector('#export-schedules h2') !== null" },
];

/// Returns the base URL of perf's HTTP endpoint on a free port of 127.0.0.1, starting it and
/// the workload on first use. The server runs until the test process ends.
pub(crate) fn base_url() -> &'static str {
    static SERVER: OnceLock<(String, perf::http::Server)> = OnceLock::new();
    let (url, _server) = SERVER.get_or_init(|| {
        workload::start();
        let server = perf::serve(SocketAddr::from(([127, 0, 0, 1], 0))).expect("perf's endpoint starts");
        (format!("http://{}", server.local_addr()), server)
    });
    url
}

/// Serializes the browser tests: one Chromium at a time keeps their timing predictable on a
/// small machine.
pub(crate) fn exclusive() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Returns the folder for screenshots, `target/screenshots` of the workspace (CI keeps it).
pub(crate) fn screenshots_dir() -> PathBuf {
    let workspace = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.join("target"), |dir| workspace.join(dir));
    target.join("screenshots")
}
