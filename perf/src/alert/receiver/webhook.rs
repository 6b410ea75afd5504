use std::time::Duration;

use super::http::JsonPoster;
use super::{DeliveryError, Receiver};
use crate::alert::notification::Notification;

/// Posts Alertmanager's webhook payload (version 4) to a URL.
#[derive(Debug, Clone)]
pub struct WebhookReceiver {
    name: String,
    url: String,
    send_resolved: bool,
    headers: Vec<(String, String)>,
    poster: JsonPoster,
}

/// Default time limit of one webhook request, connection included.
pub const DEFAULT_WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

impl WebhookReceiver {
    /// Creates a receiver named `name` that posts to `url`.
    pub fn new(name: impl Into<String>, url: impl Into<String>) -> Self {
        WebhookReceiver {
            name: name.into(),
            url: url.into(),
            send_resolved: true,
            headers: Vec::new(),
            poster: JsonPoster::new(DEFAULT_WEBHOOK_TIMEOUT),
        }
    }

    /// Sets the time limit of one request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.poster = JsonPoster::new(timeout);
        self
    }

    /// Sets whether resolved alerts are posted (the default).
    pub fn send_resolved(mut self, value: bool) -> Self {
        self.send_resolved = value;
        self
    }

    /// Adds a request header, such as `Authorization`, sent with every post.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Returns the URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Receiver for WebhookReceiver {
    fn name(&self) -> &str {
        &self.name
    }

    fn send_resolved(&self) -> bool {
        self.send_resolved
    }

    fn send(&self, notification: &Notification) -> Result<(), DeliveryError> {
        let body = serde_json::to_vec(&notification.webhook_payload())
            .map_err(|error| DeliveryError::permanent(format!("failed to encode the webhook payload: {error}")))?;
        self.poster.post_with_headers(&self.url, &body, &self.headers)
    }
}
