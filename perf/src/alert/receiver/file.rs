use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use super::{DeliveryError, Receiver};
use crate::alert::notification::Notification;

/// Appends each notification to a file as one JSON line: the Alertmanager webhook payload.
#[derive(Debug)]
pub struct FileReceiver {
    name: String,
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileReceiver {
    /// Creates a receiver named `name` that appends to `path` (created if missing).
    pub fn new(name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        FileReceiver { name: name.into(), path: path.into(), lock: Mutex::new(()) }
    }
}

impl Receiver for FileReceiver {
    fn name(&self) -> &str {
        &self.name
    }

    fn send(&self, notification: &Notification) -> Result<(), DeliveryError> {
        let mut line = serde_json::to_vec(&notification.webhook_payload())
            .map_err(|error| DeliveryError::permanent(format!("failed to encode the notification: {error}")))?;
        line.push(b'\n');

        let _guard = self.lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut file =
            OpenOptions::new().create(true).append(true).open(&self.path).map_err(|error| {
                DeliveryError::retryable(format!("failed to open {}: {error}", self.path.display()))
            })?;
        file.write_all(&line)
            .and_then(|()| file.flush())
            .map_err(|error| DeliveryError::retryable(format!("failed to write {}: {error}", self.path.display())))
    }
}
