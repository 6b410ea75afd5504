//! The results of scheduled exports, kept per export name for snapshots, the exposition and
//! the HTTP API.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::Format;

/// The record of one scheduled export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportStatus {
    /// Name of the export.
    pub name: String,
    /// Format it writes.
    pub format: Format,
    /// Folder it writes into.
    pub directory: String,
    /// Successful runs.
    pub successes: u64,
    /// Failed runs.
    pub failures: u64,
    /// Failed runs since the last success.
    pub consecutive_failures: u64,
    /// Time of the last success, in milliseconds since the Unix epoch.
    pub last_success_ms: Option<u64>,
    /// File written by the last success.
    pub last_file: Option<String>,
    /// Time of the last failure, in milliseconds since the Unix epoch.
    pub last_failure_ms: Option<u64>,
    /// Error of the last failure; cleared by the next success.
    pub last_error: Option<String>,
}

static STATUSES: Mutex<BTreeMap<String, ExportStatus>> = Mutex::new(BTreeMap::new());

/// Returns the status of every scheduled export started in this process, sorted by name.
pub fn all() -> Vec<ExportStatus> {
    lock().values().cloned().collect()
}

/// Returns the status of the named export.
pub fn get(name: &str) -> Option<ExportStatus> {
    lock().get(name).cloned()
}

/// Records that an export starts (or restarts) under `name`, keeping earlier counts.
pub(crate) fn register(name: &str, format: Format, directory: &str) {
    let mut statuses = lock();
    let status = statuses.entry(name.to_owned()).or_insert_with(|| ExportStatus {
        name: name.to_owned(),
        format,
        directory: directory.to_owned(),
        successes: 0,
        failures: 0,
        consecutive_failures: 0,
        last_success_ms: None,
        last_file: None,
        last_failure_ms: None,
        last_error: None,
    });
    status.format = format;
    status.directory = directory.to_owned();
}

pub(crate) fn record_success(name: &str, at_ms: u64, file: &str) {
    if let Some(status) = lock().get_mut(name) {
        status.successes += 1;
        status.consecutive_failures = 0;
        status.last_success_ms = Some(at_ms);
        status.last_file = Some(file.to_owned());
        status.last_error = None;
    }
}

pub(crate) fn record_failure(name: &str, at_ms: u64, error: &str) {
    if let Some(status) = lock().get_mut(name) {
        status.failures += 1;
        status.consecutive_failures += 1;
        status.last_failure_ms = Some(at_ms);
        status.last_error = Some(error.to_owned());
    }
}

fn lock() -> std::sync::MutexGuard<'static, BTreeMap<String, ExportStatus>> {
    STATUSES.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
