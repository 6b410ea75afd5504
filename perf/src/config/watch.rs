//! Watches the folder of the configuration file and reloads after each burst of changes.
//!
//! The folder is watched, not the file, because editors and deployment tools often save by
//! writing a new file and renaming it over the old one, which ends a watch on the old file.
//! Events of other files in the folder are ignored. After an event of the file, the watcher
//! waits until no event has come for the debounce time, then reloads once, so a burst of
//! writes causes one reload.
//!
//! In [`WatchMode::Auto`] the platform's file events are used (inotify on Linux) and, where
//! they cannot be set up (no inotify instance left, an unsupported file system), the folder is
//! polled instead. [`WatchMode::Poll`] always polls, for network file systems and containers
//! whose events never arrive.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Weak;
use std::thread::JoinHandle;
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use super::schema::{ReloadSettings, WatchMode};
use super::store::{ConfigStore, Inner};

/// Settings of a file watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchOptions {
    /// Quiet time after the last change before reloading.
    pub debounce: Duration,
    /// File events, polling, or file events with polling as the fallback.
    pub mode: WatchMode,
    /// Time between two checks when polling.
    pub poll_interval: Duration,
}

/// Error returned when the file cannot be watched.
#[derive(Debug, thiserror::Error)]
#[error("failed to watch {folder} for changes of the configuration: {source}")]
pub struct WatchError {
    /// The folder that was to be watched.
    pub folder: PathBuf,
    /// The error of the file watcher.
    #[source]
    pub source: notify::Error,
}

/// A running watch; dropping it stops the watch and waits for its thread to end.
#[derive(Debug)]
pub struct ConfigWatcher {
    signals: Sender<Signal>,
    thread: Option<JoinHandle<()>>,
    mode: WatchMode,
}

#[derive(Debug)]
enum Signal {
    Changed,
    Stop,
}

impl From<&ReloadSettings> for WatchOptions {
    fn from(settings: &ReloadSettings) -> Self {
        WatchOptions { debounce: settings.debounce, mode: settings.mode, poll_interval: settings.poll_interval }
    }
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions::from(&ReloadSettings::default())
    }
}

impl ConfigWatcher {
    /// Returns how changes are noticed: [`WatchMode::Events`] or [`WatchMode::Poll`], after
    /// the choice of [`WatchMode::Auto`].
    pub fn mode(&self) -> WatchMode {
        self.mode
    }
}

impl Drop for ConfigWatcher {
    fn drop(&mut self) {
        let _ = self.signals.send(Signal::Stop);
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("configuration watcher thread panicked");
            }
        }
    }
}

pub(crate) fn spawn(store: Weak<Inner>, path: &Path, options: WatchOptions) -> Result<ConfigWatcher, WatchError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = path.file_name().map(|name| name.to_owned()).unwrap_or_default();

    let (signals, receiver) = channel();
    let events = signals.clone();
    let handler = move |result: notify::Result<notify::Event>| match result {
        Ok(event) => {
            let relevant = !matches!(event.kind, EventKind::Access(_))
                && event.paths.iter().any(|changed| changed.file_name() == Some(file_name.as_os_str()));
            if relevant {
                let _ = events.send(Signal::Changed);
            }
        }
        Err(error) => tracing::warn!("configuration watcher error: {error}"),
    };

    let (watcher, mode) = start_watcher(handler, &folder, options)?;
    let path = path.to_owned();
    let thread = std::thread::Builder::new()
        .name("perf-config-watch".into())
        .spawn(move || run(watcher, receiver, store, &path, options.debounce))
        .map_err(|error| WatchError { folder: folder.clone(), source: notify::Error::io(error) })?;
    tracing::debug!(folder = %folder.display(), ?mode, "watching the configuration");
    Ok(ConfigWatcher { signals, thread: Some(thread), mode })
}

type Handler = Box<dyn Fn(notify::Result<notify::Event>) + Send + Sync>;

fn start_watcher(
    handler: impl Fn(notify::Result<notify::Event>) + Send + Sync + 'static,
    folder: &Path,
    options: WatchOptions,
) -> Result<(Box<dyn Watcher + Send>, WatchMode), WatchError> {
    let handler: std::sync::Arc<Handler> = std::sync::Arc::new(Box::new(handler));
    let fail = |source| WatchError { folder: folder.to_owned(), source };

    if options.mode != WatchMode::Poll {
        let forward = handler.clone();
        let events = RecommendedWatcher::new(move |event| forward(event), notify::Config::default())
            .and_then(|mut watcher| watcher.watch(folder, RecursiveMode::NonRecursive).map(|()| watcher));
        match events {
            Ok(watcher) => return Ok((Box::new(watcher), WatchMode::Events)),
            Err(error) if options.mode == WatchMode::Events => return Err(fail(error)),
            Err(error) => tracing::warn!(
                "file events unavailable ({error}); polling the configuration every {:?}",
                options.poll_interval
            ),
        }
    }

    let config = notify::Config::default().with_poll_interval(options.poll_interval).with_compare_contents(true);
    let mut watcher = PollWatcher::new(move |event| handler(event), config).map_err(fail)?;
    watcher.watch(folder, RecursiveMode::NonRecursive).map_err(fail)?;
    Ok((Box::new(watcher), WatchMode::Poll))
}

/// Waits for changes, debounces them and reloads, until stopped or until the store is gone.
fn run(
    _watcher: Box<dyn Watcher + Send>,
    receiver: std::sync::mpsc::Receiver<Signal>,
    store: Weak<Inner>,
    path: &Path,
    debounce: Duration,
) {
    loop {
        match receiver.recv() {
            Ok(Signal::Changed) => {}
            Ok(Signal::Stop) | Err(_) => return,
        }

        loop {
            match receiver.recv_timeout(debounce) {
                Ok(Signal::Changed) => continue,
                Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => break,
            }
        }

        let Some(store) = ConfigStore::upgrade(&store) else {
            return;
        };
        tracing::debug!(file = %path.display(), "configuration changed");
        // Errors are logged and published by `reload`.
        let _ = store.reload();
    }
}
