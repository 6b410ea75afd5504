use std::time::Duration;

use serde::Serialize;

use super::http::JsonPoster;
use super::webhook::DEFAULT_WEBHOOK_TIMEOUT;
use super::{DeliveryError, Receiver};
use crate::alert::notification::{rfc3339, Notification};
use crate::alert::AlertState;
use crate::threshold::Labels;

/// Sends alerts to a real Alertmanager through its v2 API (`POST /api/v2/alerts`), as
/// Prometheus does. Alertmanager then groups, silences and routes them itself.
///
/// Alertmanager resolves an alert it has not heard of for its `resolve_timeout` (5 minutes by
/// default), so the route to this receiver should repeat more often than that, for example
/// `group_wait` 0, `group_interval` 0 and `repeat_interval` 1 minute; or set
/// [`firing_ttl`](AlertmanagerReceiver::firing_ttl).
#[derive(Debug, Clone)]
pub struct AlertmanagerReceiver {
    name: String,
    alerts_url: String,
    firing_ttl: Option<Duration>,
    poster: JsonPoster,
}

/// One alert as the v2 API takes it (`postableAlert`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PostableAlert<'a> {
    labels: &'a Labels,
    annotations: &'a Labels,
    #[serde(skip_serializing_if = "Option::is_none")]
    starts_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ends_at: Option<String>,
    #[serde(rename = "generatorURL", skip_serializing_if = "str::is_empty")]
    generator_url: &'a str,
}

impl AlertmanagerReceiver {
    /// Creates a receiver named `name` for the Alertmanager at `base_url`, such as
    /// `http://127.0.0.1:9093`.
    pub fn new(name: impl Into<String>, base_url: impl AsRef<str>) -> Self {
        let base = base_url.as_ref().trim_end_matches('/');
        AlertmanagerReceiver {
            name: name.into(),
            alerts_url: format!("{base}/api/v2/alerts"),
            firing_ttl: None,
            poster: JsonPoster::new(DEFAULT_WEBHOOK_TIMEOUT),
        }
    }

    /// Sends firing alerts with an end time `ttl` after the notification was made, as Prometheus
    /// does, so that
    /// Alertmanager resolves them if this process stops sending.
    pub fn firing_ttl(mut self, ttl: Duration) -> Self {
        self.firing_ttl = Some(ttl);
        self
    }

    /// Sets the time limit of one request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.poster = JsonPoster::new(timeout);
        self
    }
}

impl Receiver for AlertmanagerReceiver {
    fn name(&self) -> &str {
        &self.name
    }

    fn send(&self, notification: &Notification) -> Result<(), DeliveryError> {
        let alerts: Vec<PostableAlert<'_>> = notification
            .alerts
            .iter()
            .map(|alert| {
                let ends_at = match alert.state {
                    AlertState::Resolved => alert.ends_at.map(rfc3339),
                    _ => self.firing_ttl.map(|ttl| rfc3339(notification.created_at + ttl)),
                };
                PostableAlert {
                    labels: &alert.labels,
                    annotations: &alert.annotations,
                    starts_at: alert.starts_at.map(rfc3339),
                    ends_at,
                    generator_url: &alert.generator_url,
                }
            })
            .collect();
        let body = serde_json::to_vec(&alerts)
            .map_err(|error| DeliveryError::permanent(format!("failed to encode the alerts: {error}")))?;
        self.poster.post(&self.alerts_url, &body)
    }
}
