//! Notifications and their wire formats.
//!
//! A notification carries the alerts of one group (or one escalated alert) to one receiver.
//! [`WebhookPayload`] is Alertmanager's webhook body, version 4: the same JSON that
//! Alertmanager posts to its webhook receivers, so that tools written for it read ours.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::state::{Alert, AlertState};
use crate::threshold::Labels;

/// The message sent to one receiver at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// Name of the receiver.
    pub receiver: String,
    /// Identifies the group: the route and the group labels.
    pub group_key: String,
    /// Labels the group is keyed by.
    pub group_labels: Labels,
    /// The alerts, firing ones first.
    pub alerts: Vec<Alert>,
    /// Link to this process's alert view, if one is configured.
    pub external_url: String,
    /// When the notification was made.
    pub created_at: SystemTime,
    /// The escalation step, for a notification sent by an escalation policy.
    pub escalation: Option<EscalationStep>,
}

/// The state of an escalation when it notifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationStep {
    /// Name of the policy.
    pub policy: String,
    /// Level notified, from 0.
    pub level: usize,
    /// Times the policy has started over, from 0.
    pub pass: u32,
}

/// The body of an Alertmanager webhook notification, version 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookPayload {
    /// Always `"4"`.
    pub version: String,
    /// Key of the group.
    pub group_key: String,
    /// Alerts left out because of a limit; always 0 here.
    pub truncated_alerts: u64,
    /// `firing` when at least one alert fires, else `resolved`.
    pub status: String,
    /// Name of the receiver.
    pub receiver: String,
    /// Labels the group is keyed by.
    pub group_labels: Labels,
    /// Labels shared by every alert.
    pub common_labels: Labels,
    /// Annotations shared by every alert.
    pub common_annotations: Labels,
    /// Link back to the sender.
    #[serde(rename = "externalURL")]
    pub external_url: String,
    /// The alerts.
    pub alerts: Vec<WebhookAlert>,
}

/// One alert of a [`WebhookPayload`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAlert {
    /// `firing` or `resolved`.
    pub status: String,
    /// Labels.
    pub labels: Labels,
    /// Annotations.
    pub annotations: Labels,
    /// RFC 3339 start of firing.
    pub starts_at: String,
    /// RFC 3339 end; `0001-01-01T00:00:00Z` (Go's zero time, as Alertmanager writes it) while
    /// firing.
    pub ends_at: String,
    /// Link to the source of the alert.
    #[serde(rename = "generatorURL")]
    pub generator_url: String,
    /// Fingerprint of the labels.
    pub fingerprint: String,
}

/// The end time Alertmanager writes for an alert that has not ended.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

impl Notification {
    /// Returns `firing` when at least one alert fires, else `resolved`.
    pub fn status(&self) -> AlertState {
        if self.alerts.iter().any(|alert| alert.state == AlertState::Firing) {
            AlertState::Firing
        } else {
            AlertState::Resolved
        }
    }

    /// Returns the labels every alert has with the same value.
    pub fn common_labels(&self) -> Labels {
        common(self.alerts.iter().map(|alert| &alert.labels))
    }

    /// Returns the annotations every alert has with the same value.
    pub fn common_annotations(&self) -> Labels {
        common(self.alerts.iter().map(|alert| &alert.annotations))
    }

    /// Builds the Alertmanager webhook payload (version 4).
    pub fn webhook_payload(&self) -> WebhookPayload {
        WebhookPayload {
            version: "4".to_owned(),
            group_key: self.group_key.clone(),
            truncated_alerts: 0,
            status: self.status().as_str().to_owned(),
            receiver: self.receiver.clone(),
            group_labels: self.group_labels.clone(),
            common_labels: self.common_labels(),
            common_annotations: self.common_annotations(),
            external_url: self.external_url.clone(),
            alerts: self.alerts.iter().map(WebhookAlert::from_alert).collect(),
        }
    }
}

impl WebhookAlert {
    fn from_alert(alert: &Alert) -> Self {
        let status = if alert.state == AlertState::Firing { "firing" } else { "resolved" };
        WebhookAlert {
            status: status.to_owned(),
            labels: alert.labels.clone(),
            annotations: alert.annotations.clone(),
            starts_at: alert.starts_at.map_or_else(|| ZERO_TIME.to_owned(), rfc3339),
            ends_at: match (alert.state, alert.ends_at) {
                (AlertState::Resolved, Some(ends_at)) => rfc3339(ends_at),
                _ => ZERO_TIME.to_owned(),
            },
            generator_url: alert.generator_url.clone(),
            fingerprint: alert.fingerprint.clone(),
        }
    }
}

/// Formats a time as RFC 3339 in UTC with milliseconds: `2024-05-01T12:00:00.000Z`.
pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_millis(time).to_string()
}

fn common<'a>(mut sets: impl Iterator<Item = &'a Labels>) -> Labels {
    let Some(first) = sets.next() else {
        return Labels::new();
    };
    let mut shared = first.clone();
    for set in sets {
        shared.retain(|name, value| set.get(name) == Some(value));
    }
    shared
}
