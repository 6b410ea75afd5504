//! The alert manager: alert rules over any metric, with Prometheus's alert states and
//! Alertmanager's routing, grouping, silences and inhibition, plus acknowledgement,
//! escalation policies and receivers.
//!
//! A rule ([`AlertRule`]) is a rule expression with `for`, `keep_firing_for`, an optional
//! recovery condition (hysteresis), a no-data policy, flap detection, a severity, labels and
//! annotation templates. Each evaluation ([`AlertManager::evaluate`], run by the collector
//! after every tick once the manager is [`install`]ed) moves each alert through inactive,
//! pending, firing and resolved. Firing and resolved alerts go through the routing tree
//! ([`Route`]) into groups, which notify [`Receiver`]s on their timers; silenced and
//! inhibited alerts are left out. Notifications are delivered by a thread of their own, with
//! retries. The exact rules are in `docs/ALERTING.md`.
//!
//! Every timing rule reads the manager's [`Clock`], so that tests drive them with a
//! [`ManualClock`]. Timers are checked at each evaluation, so in production they are precise
//! to the collector interval (1 s by default).
//!
//! ```
//! use std::time::Duration;
//! use perf::alert::{self, AlertManager, AlertRule, LogReceiver, Route};
//!
//! let manager = AlertManager::builder()
//!     .rule(AlertRule::new("HighErrorRate", "error_rate > 5%").for_duration(Duration::from_secs(60)))
//!     .receiver(LogReceiver::new("log"))
//!     .route(Route::new("log").group_by(["alertname"]))
//!     .build()
//!     .expect("valid alerting set-up");
//! alert::install(manager); // evaluated after every collector tick from now on
//! # alert::uninstall();
//! ```

mod builder;
mod clock;
mod delivery;
mod dispatch;
mod error;
mod escalation;
pub mod from_config;
mod history;
mod labels;
mod lifecycle;
mod manager;
mod notification;
mod receiver;
mod route;
mod rule;
mod rules;
mod silence;
mod state;
mod template;

use std::sync::{Arc, RwLock};

pub use builder::{AlertManagerBuilder, DEFAULT_DELIVERY_QUEUE_CAPACITY};
pub use clock::{Clock, ManualClock, SystemClock};
pub use delivery::{Attempt, DeliveryRecord, DeliveryStatus, RetryPolicy};
pub use error::AlertError;
pub use escalation::{EscalationLevel, EscalationPolicy};
pub use history::{HistoryConfig, HistoryEntry, HistoryEvent, DEFAULT_HISTORY_CAPACITY};
pub use labels::{fingerprint, fingerprint_hex, Matcher};
pub use manager::{AlertManager, AlertStatus};
pub use notification::{rfc3339, EscalationStep, Notification, WebhookAlert, WebhookPayload, ZERO_TIME};
pub use receiver::{
    AlertmanagerReceiver, CallbackReceiver, DeliveryError, FileReceiver, LogReceiver, Receiver, WebhookReceiver,
    DEFAULT_WEBHOOK_TIMEOUT,
};
pub use route::{Route, GROUP_BY_ALL};
pub use rule::{AlertRule, FlapDetection, NoDataPolicy};
pub use silence::{InhibitRule, Muted, Silence};
pub use state::{Acknowledgement, Alert, AlertState};

pub use crate::threshold::Labels;

static INSTALLED: RwLock<Option<Arc<AlertManager>>> = RwLock::new(None);

/// Installs `manager` as the process's alert manager: the collector evaluates it after every
/// tick. Returns it shared, for queries, acknowledgements and silences; a manager installed
/// before is replaced.
pub fn install(manager: AlertManager) -> Arc<AlertManager> {
    let manager = Arc::new(manager);
    *INSTALLED.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::clone(&manager));
    manager
}

/// Returns the installed alert manager.
pub fn installed() -> Option<Arc<AlertManager>> {
    INSTALLED.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
}

/// Removes the installed alert manager; the collector stops evaluating it.
pub fn uninstall() -> Option<Arc<AlertManager>> {
    INSTALLED.write().unwrap_or_else(|poisoned| poisoned.into_inner()).take()
}

pub(crate) fn is_installed() -> bool {
    INSTALLED.read().unwrap_or_else(|poisoned| poisoned.into_inner()).is_some()
}

pub(crate) fn evaluate_installed(snapshot: &crate::Snapshot) {
    if let Some(manager) = installed() {
        manager.evaluate(snapshot);
    }
}
