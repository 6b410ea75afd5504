use super::{DeliveryError, Receiver};
use crate::alert::notification::Notification;

/// Writes each notification to the log through `tracing`: a warning while alerts fire, an
/// info line when all resolved.
#[derive(Debug, Clone)]
pub struct LogReceiver {
    name: String,
}

impl LogReceiver {
    /// Creates a log receiver named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        LogReceiver { name: name.into() }
    }
}

impl Receiver for LogReceiver {
    fn name(&self) -> &str {
        &self.name
    }

    fn send(&self, notification: &Notification) -> Result<(), DeliveryError> {
        for alert in &notification.alerts {
            let labels = serde_json::to_string(&alert.labels).unwrap_or_default();
            let annotations = serde_json::to_string(&alert.annotations).unwrap_or_default();
            match alert.state {
                crate::alert::AlertState::Firing => tracing::warn!(
                    receiver = %self.name, alert = %alert.rule, state = %alert.state, fingerprint = %alert.fingerprint,
                    labels = %labels, annotations = %annotations, "alert firing"
                ),
                _ => tracing::info!(
                    receiver = %self.name, alert = %alert.rule, state = %alert.state, fingerprint = %alert.fingerprint,
                    labels = %labels, "alert resolved"
                ),
            }
        }
        Ok(())
    }
}
