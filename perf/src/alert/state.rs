//! Alerts as the manager reports them.

use std::fmt;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::event::Severity;
use crate::threshold::Labels;

/// The state of an alert, with Prometheus's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// The condition does not hold.
    Inactive,
    /// The condition holds, for less than the rule's `for` so far. Nothing is sent.
    Pending,
    /// The condition has held for `for` (or is kept firing by `keep_firing_for`).
    Firing,
    /// The alert fired and its condition cleared.
    Resolved,
}

/// One alert: a rule and the labels of one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Name of the rule (also the `alertname` label).
    pub rule: String,
    /// Labels: the series' labels, the rule's labels, `alertname` and `severity`.
    pub labels: Labels,
    /// Annotations, with their templates filled in.
    pub annotations: Labels,
    /// Severity of the rule.
    pub severity: Severity,
    /// Current state.
    pub state: AlertState,
    /// When the condition started to hold (the start of pending).
    pub active_at: Option<SystemTime>,
    /// When the alert started firing.
    pub starts_at: Option<SystemTime>,
    /// When the alert resolved.
    pub ends_at: Option<SystemTime>,
    /// The value the condition compared at the last evaluation.
    pub value: Option<f64>,
    /// Fingerprint of the labels: 16 hexadecimal digits.
    pub fingerprint: String,
    /// Whether the alert changes state too often (see the rule's flap detection).
    pub flapping: bool,
    /// Who acknowledged the alert, when it is acknowledged.
    pub acknowledged: Option<Acknowledgement>,
    /// Link back to where the alert was generated.
    pub generator_url: String,
}

/// An acknowledgement: someone is on it, so escalation stops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    /// Who acknowledged.
    pub by: String,
    /// Why, or what is being done.
    pub comment: String,
    /// When.
    pub at: SystemTime,
}

impl AlertState {
    /// Returns the name used in payloads and files.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Inactive => "inactive",
            AlertState::Pending => "pending",
            AlertState::Firing => "firing",
            AlertState::Resolved => "resolved",
        }
    }
}

impl fmt::Display for AlertState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
