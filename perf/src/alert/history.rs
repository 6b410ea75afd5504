//! Alert history: state changes, acknowledgements and deliveries, bounded in memory and
//! optionally appended to a file of JSON lines so that a restart loses none of it.
//!
//! The file is read back at start-up (the newest `capacity` entries are kept). It is
//! rewritten with only those entries once it contains twice as many lines, so it stays
//! bounded too. Each entry is written and flushed as it happens.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::state::AlertState;
use super::AlertError;
use crate::threshold::Labels;

/// Entries kept by default.
pub const DEFAULT_HISTORY_CAPACITY: usize = 1000;

/// One entry of the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When it happened.
    pub at: SystemTime,
    /// What happened.
    #[serde(flatten)]
    pub event: HistoryEvent,
}

/// The kind of a history entry, with its details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HistoryEvent {
    /// An alert changed state.
    StateChanged {
        /// Name of the rule.
        rule: String,
        /// Fingerprint of the alert.
        fingerprint: String,
        /// Labels of the alert.
        labels: Labels,
        /// State before.
        from: AlertState,
        /// State after.
        to: AlertState,
        /// Value compared at the change.
        value: Option<f64>,
    },
    /// Someone acknowledged an alert.
    Acknowledged {
        /// Name of the rule.
        rule: String,
        /// Fingerprint of the alert.
        fingerprint: String,
        /// Who.
        by: String,
        /// Why.
        comment: String,
    },
    /// A notification reached its receiver.
    Delivered {
        /// Name of the receiver.
        receiver: String,
        /// Key of the group.
        group_key: String,
        /// Fingerprints of the alerts sent.
        fingerprints: Vec<String>,
        /// Attempts it took.
        attempts: u32,
    },
    /// A notification could not be delivered.
    DeliveryFailed {
        /// Name of the receiver.
        receiver: String,
        /// Key of the group.
        group_key: String,
        /// Fingerprints of the alerts not sent.
        fingerprints: Vec<String>,
        /// Attempts made.
        attempts: u32,
        /// The last error.
        error: String,
    },
}

/// Capacity and file of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryConfig {
    /// Entries kept in memory, and in the file after it is rewritten.
    pub capacity: usize,
    /// File of JSON lines to append to and to read back at start-up.
    pub path: Option<PathBuf>,
}

#[derive(Debug)]
pub(crate) struct History {
    capacity: usize,
    entries: VecDeque<HistoryEntry>,
    file: Option<HistoryFile>,
}

#[derive(Debug)]
struct HistoryFile {
    path: PathBuf,
    handle: File,
    lines: usize,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig { capacity: DEFAULT_HISTORY_CAPACITY, path: None }
    }
}

impl History {
    /// Opens the history, reading back the file when there is one.
    pub(crate) fn open(config: &HistoryConfig) -> Result<History, AlertError> {
        let capacity = config.capacity.max(1);
        let mut history = History { capacity, entries: VecDeque::new(), file: None };
        let Some(path) = &config.path else {
            return Ok(history);
        };

        let lines = history.read_back(path)?;
        let handle = append_handle(path)?;
        history.file = Some(HistoryFile { path: path.clone(), handle, lines });
        if lines > 2 * capacity {
            history.compact();
        }
        Ok(history)
    }

    /// Records an entry, in memory and in the file.
    pub(crate) fn push(&mut self, entry: HistoryEntry) {
        if let Some(file) = &mut self.file {
            match serde_json::to_string(&entry) {
                Ok(mut line) => {
                    line.push('\n');
                    if let Err(error) = file.handle.write_all(line.as_bytes()).and_then(|()| file.handle.flush()) {
                        tracing::error!(path = %file.path.display(), %error, "failed to append to the alert history file");
                    }
                    file.lines += 1;
                }
                Err(error) => tracing::error!(%error, "failed to encode an alert history entry"),
            }
        }

        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
        if self.file.as_ref().is_some_and(|file| file.lines > 2 * self.capacity) {
            self.compact();
        }
    }

    /// Returns the entries, oldest first.
    pub(crate) fn entries(&self) -> Vec<HistoryEntry> {
        self.entries.iter().cloned().collect()
    }

    fn read_back(&mut self, path: &Path) -> Result<usize, AlertError> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(error) => {
                return Err(AlertError::Invalid(format!(
                    "failed to read the alert history file {}: {error}; fix its permissions or choose another path",
                    path.display()
                )))
            }
        };

        let mut lines = 0;
        let mut skipped = 0;
        for line in BufReader::new(file).lines() {
            let Ok(line) = line else {
                skipped += 1;
                continue;
            };
            lines += 1;
            match serde_json::from_str::<HistoryEntry>(&line) {
                Ok(entry) => {
                    if self.entries.len() == self.capacity {
                        self.entries.pop_front();
                    }
                    self.entries.push_back(entry);
                }
                Err(_) => skipped += 1,
            }
        }
        if skipped > 0 {
            tracing::warn!(path = %path.display(), skipped, "skipped unreadable lines of the alert history file");
        }
        Ok(lines)
    }

    /// Rewrites the file with the entries in memory, through a temporary file and a rename.
    fn compact(&mut self) {
        let Some(file) = &mut self.file else { return };
        let temporary = file.path.with_extension("tmp");
        let result = (|| -> std::io::Result<()> {
            let mut out = File::create(&temporary)?;
            for entry in &self.entries {
                let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
                line.push('\n');
                out.write_all(line.as_bytes())?;
            }
            out.sync_all()?;
            std::fs::rename(&temporary, &file.path)
        })();

        match result.and_then(|()| OpenOptions::new().append(true).open(&file.path)) {
            Ok(handle) => {
                file.handle = handle;
                file.lines = self.entries.len();
            }
            Err(error) => {
                tracing::error!(path = %file.path.display(), %error, "failed to rewrite the alert history file")
            }
        }
    }
}

fn append_handle(path: &Path) -> Result<File, AlertError> {
    OpenOptions::new().create(true).append(true).open(path).map_err(|error| {
        AlertError::Invalid(format!(
            "failed to open the alert history file {} for appending: {error}; fix its permissions or choose another path",
            path.display()
        ))
    })
}
