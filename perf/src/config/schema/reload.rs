//! `[reload]`: how the file is watched for changes.
//!
//! ```toml
//! [reload]
//! watch = true
//! debounce = "200ms"
//! mode = "auto"           # file events, falling back to polling where they fail
//! poll_interval = "2s"
//! ```

use std::time::Duration;

use serde::Serialize;

use crate::config::decode::Decoder;
use crate::config::tree::Node;
use crate::config::units::serialize_duration;
use crate::config::values;

/// Settings of the file watcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReloadSettings {
    /// Whether the file is watched.
    pub watch: bool,
    /// Quiet time after the last change before reloading, so a burst of writes causes one
    /// reload.
    #[serde(serialize_with = "serialize_duration")]
    pub debounce: Duration,
    /// Mechanism that notices changes.
    pub mode: WatchMode,
    /// Time between two checks when polling.
    #[serde(serialize_with = "serialize_duration")]
    pub poll_interval: Duration,
}

/// Mechanism by which the watcher notices changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchMode {
    /// File events where the platform has them, polling otherwise.
    Auto,
    /// File events only (inotify, FSEvents, kqueue, ReadDirectoryChangesW).
    Events,
    /// Polling only: for network file systems and containers whose events do not arrive.
    Poll,
}

impl Default for ReloadSettings {
    fn default() -> Self {
        ReloadSettings {
            watch: true,
            debounce: Duration::from_millis(200),
            mode: WatchMode::Auto,
            poll_interval: Duration::from_secs(2),
        }
    }
}

const MODES: &[&str] = &["auto", "events", "poll"];

pub(crate) fn decode(cx: &mut Decoder<'_>, node: &Node, key: &str) -> ReloadSettings {
    let mut settings = ReloadSettings::default();
    let Some(mut fields) = cx.fields(node, key) else {
        return settings;
    };
    if let Some(watch) = fields.get(cx, "watch", values::boolean) {
        settings.watch = watch;
    }
    if let Some(debounce) = fields.get(cx, "debounce", values::duration) {
        settings.debounce = debounce;
    }
    settings.mode = match fields.get(cx, "mode", |cx, node, key| values::choice(cx, node, key, MODES)) {
        Some("events") => WatchMode::Events,
        Some("poll") => WatchMode::Poll,
        _ => WatchMode::Auto,
    };
    if let Some(interval) = fields.get(cx, "poll_interval", values::positive_duration) {
        settings.poll_interval = interval;
    }
    fields.finish(cx);
    settings
}
