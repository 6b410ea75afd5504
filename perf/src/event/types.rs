//! The events: what happened, when, how severe, and where.

use std::fmt;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::alert::AlertState;
use crate::threshold::Labels;

/// Something that happened in the runtime, delivered to subscribers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// When it happened.
    pub at: SystemTime,
    /// Severity.
    pub severity: Severity,
    /// Component it concerns, if any.
    pub component: Option<String>,
    /// Site it concerns, if any.
    pub site: Option<String>,
    /// Labels, such as those of an alert.
    pub labels: Labels,
    /// What happened.
    pub data: EventData,
}

/// Severity of an event, from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational.
    Info,
    /// Needs attention.
    Warning,
    /// Needs action now.
    Critical,
}

/// The details of each kind of event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventData {
    /// An alert moved from one state to another.
    AlertStateChanged {
        /// Name of the alert rule.
        rule: String,
        /// Fingerprint of the alert's labels.
        fingerprint: String,
        /// State before.
        from: AlertState,
        /// State after.
        to: AlertState,
        /// Value that the condition compared, if any.
        value: Option<f64>,
    },
    /// The condition of an alert rule started to hold for a series.
    ThresholdBreached {
        /// Name of the alert rule.
        rule: String,
        /// Value that the condition compared, if any.
        value: Option<f64>,
    },
    /// A call of a site with `#[monitored(slow = "...")]` took longer than its bound.
    SlowCall {
        /// Duration of the call, in nanoseconds.
        nanos: u64,
        /// The bound it exceeded, in nanoseconds.
        threshold_nanos: u64,
    },
    /// The collector saw an instrumented site for the first time.
    SiteRegistered,
    /// The collector saw a plugin collector (such as a cache) for the first time.
    ComponentRegistered {
        /// Name of the collector.
        collector: String,
        /// Kind of the collector: `cache`, `process`, `custom`, ...
        collector_kind: String,
    },
    /// The configuration was reloaded, or a reload was rejected.
    ConfigReloaded {
        /// Whether the new configuration is in force.
        applied: bool,
        /// Error that made the reload fail.
        error: Option<String>,
    },
    /// A scheduled export finished.
    ExportFinished {
        /// Destination of the export: a path or a name.
        target: String,
        /// Error of a failed export.
        error: Option<String>,
    },
    /// The health state of a cache changed.
    CacheHealthChanged {
        /// Name of the cache.
        cache: String,
        /// State before, such as `healthy`; `None` when first seen.
        from: Option<String>,
        /// State after.
        to: String,
        /// Health score, from 0 to 100.
        score: Option<f64>,
    },
    /// A plugin collector panicked or ran past its time budget, and was disabled.
    CollectorDisabled {
        /// Name of the collector.
        collector: String,
        /// Why it was disabled.
        reason: String,
    },
    /// A notification could not be delivered to a receiver, after every retry.
    NotificationFailed {
        /// Name of the receiver.
        receiver: String,
        /// The last error.
        error: String,
        /// Attempts made.
        attempts: u32,
    },
}

/// The kind of an event, for filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// [`EventData::AlertStateChanged`].
    AlertStateChanged,
    /// [`EventData::ThresholdBreached`].
    ThresholdBreached,
    /// [`EventData::SlowCall`].
    SlowCall,
    /// [`EventData::SiteRegistered`].
    SiteRegistered,
    /// [`EventData::ComponentRegistered`].
    ComponentRegistered,
    /// [`EventData::ConfigReloaded`].
    ConfigReloaded,
    /// [`EventData::ExportFinished`].
    ExportFinished,
    /// [`EventData::CacheHealthChanged`].
    CacheHealthChanged,
    /// [`EventData::CollectorDisabled`].
    CollectorDisabled,
    /// [`EventData::NotificationFailed`].
    NotificationFailed,
}

impl Event {
    /// Creates an event at `at` with no component, site or label.
    pub fn new(at: SystemTime, severity: Severity, data: EventData) -> Self {
        Event { at, severity, component: None, site: None, labels: Labels::new(), data }
    }

    /// Sets the component.
    pub fn with_component(mut self, component: impl Into<String>) -> Self {
        self.component = Some(component.into());
        self
    }

    /// Sets the site.
    pub fn with_site(mut self, site: impl Into<String>) -> Self {
        self.site = Some(site.into());
        self
    }

    /// Sets the labels.
    pub fn with_labels(mut self, labels: Labels) -> Self {
        self.labels = labels;
        self
    }

    /// Returns the kind of the event.
    pub fn kind(&self) -> EventKind {
        match self.data {
            EventData::AlertStateChanged { .. } => EventKind::AlertStateChanged,
            EventData::ThresholdBreached { .. } => EventKind::ThresholdBreached,
            EventData::SlowCall { .. } => EventKind::SlowCall,
            EventData::SiteRegistered => EventKind::SiteRegistered,
            EventData::ComponentRegistered { .. } => EventKind::ComponentRegistered,
            EventData::ConfigReloaded { .. } => EventKind::ConfigReloaded,
            EventData::ExportFinished { .. } => EventKind::ExportFinished,
            EventData::CacheHealthChanged { .. } => EventKind::CacheHealthChanged,
            EventData::CollectorDisabled { .. } => EventKind::CollectorDisabled,
            EventData::NotificationFailed { .. } => EventKind::NotificationFailed,
        }
    }
}

impl Severity {
    /// Returns the name used in labels and files: `info`, `warning` or `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    /// Parses `info`, `warning` or `critical`.
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
