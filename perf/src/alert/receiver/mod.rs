//! Receivers: where notifications go.
//!
//! [`LogReceiver`] writes them to the log, [`FileReceiver`] appends them to a file as JSON
//! lines, [`WebhookReceiver`] posts Alertmanager's webhook payload, [`AlertmanagerReceiver`]
//! posts the alerts to a real Alertmanager through its v2 API, and [`CallbackReceiver`] calls a
//! function. Every receiver runs on the delivery thread, never on the collector thread, and a
//! failed delivery is retried with backoff (see `RetryPolicy`).

mod alertmanager;
mod callback;
mod file;
mod http;
mod log;
mod webhook;

use std::fmt;

use super::notification::Notification;

pub use alertmanager::AlertmanagerReceiver;
pub use callback::CallbackReceiver;
pub use file::FileReceiver;
pub use log::LogReceiver;
pub use webhook::{WebhookReceiver, DEFAULT_WEBHOOK_TIMEOUT};

/// A notification channel.
pub trait Receiver: Send + Sync + fmt::Debug {
    /// Returns the name that routes refer to.
    fn name(&self) -> &str;

    /// Returns whether resolved alerts are sent, as well as firing ones.
    fn send_resolved(&self) -> bool {
        true
    }

    /// Delivers one notification.
    fn send(&self, notification: &Notification) -> Result<(), DeliveryError>;
}

/// A failed delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DeliveryError {
    /// What failed, with the receiver's answer when there is one.
    pub message: String,
    /// Whether trying again may succeed: false for a request the receiver rejected as
    /// invalid (an HTTP 4xx status other than 408 and 429).
    pub retryable: bool,
}

impl DeliveryError {
    /// Creates an error that is worth retrying.
    pub fn retryable(message: impl Into<String>) -> Self {
        DeliveryError { message: message.into(), retryable: true }
    }

    /// Creates an error that retrying cannot fix.
    pub fn permanent(message: impl Into<String>) -> Self {
        DeliveryError { message: message.into(), retryable: false }
    }
}
