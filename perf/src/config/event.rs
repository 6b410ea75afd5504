//! Reload events: every reload, applied or failed, is sent to the subscribers of its store and
//! emitted on the event bus of the process as [`crate::event::EventData::ConfigReloaded`].
//!
//! A subscriber gets a bounded channel. When it falls behind by more than
//! [`EVENT_QUEUE_CAPACITY`] events, newer events are dropped for it and counted in the
//! `perf_config_reload_events_dropped` counter, so a slow subscriber never blocks a reload.

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::error::ConfigErrors;
use super::schema::Settings;
use crate::event::{Event, EventData, Severity};

/// Events a subscriber can fall behind by before new ones are dropped for it.
pub const EVENT_QUEUE_CAPACITY: usize = 64;

/// The outcome of one reload of a configuration file.
#[derive(Debug, Clone)]
pub enum ReloadEvent {
    /// The new configuration is in effect.
    Applied {
        /// The configuration file.
        file: PathBuf,
        /// Number of configurations applied by this store so far, the first load included.
        generation: u64,
        /// The new settings.
        settings: Arc<Settings>,
    },
    /// The file is invalid; the last good configuration stays in effect.
    Failed {
        /// The configuration file.
        file: PathBuf,
        /// Every error of the file.
        errors: ConfigErrors,
    },
}

/// The subscribers of one store.
#[derive(Debug, Default)]
pub(crate) struct Subscribers {
    senders: Mutex<Vec<SyncSender<ReloadEvent>>>,
}

impl Subscribers {
    pub(crate) fn subscribe(&self) -> Receiver<ReloadEvent> {
        let (sender, receiver) = sync_channel(EVENT_QUEUE_CAPACITY);
        self.senders.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(sender);
        receiver
    }

    /// Sends `event` to every subscriber that keeps up, drops those that are gone, and emits
    /// it on the event bus.
    pub(crate) fn publish(&self, event: &ReloadEvent) {
        crate::event::emit(event.to_bus_event());

        let mut senders = self.senders.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        senders.retain(|sender| match sender.try_send(event.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                crate::registry::counter("perf_config_reload_events_dropped", &[]).increment();
                true
            }
            Err(TrySendError::Disconnected(_)) => false,
        });
    }
}

impl ReloadEvent {
    /// Returns `true` for [`ReloadEvent::Applied`].
    pub fn is_applied(&self) -> bool {
        matches!(self, ReloadEvent::Applied { .. })
    }

    /// Converts the event for the event bus: a failed reload is a warning that carries every
    /// error, one `file:line:column: message` per line.
    fn to_bus_event(&self) -> Event {
        let (severity, error) = match self {
            ReloadEvent::Applied { .. } => (Severity::Info, None),
            ReloadEvent::Failed { errors, .. } => (Severity::Warning, Some(errors.to_string())),
        };
        let data = EventData::ConfigReloaded { applied: self.is_applied(), error };
        Event::new(SystemTime::now(), severity, data)
    }
}
