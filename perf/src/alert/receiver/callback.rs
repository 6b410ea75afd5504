use std::fmt;

use super::{DeliveryError, Receiver};
use crate::alert::notification::Notification;

type Callback = dyn Fn(&Notification) -> Result<(), DeliveryError> + Send + Sync;

/// Calls a function with each notification, on the delivery thread.
///
/// ```
/// use perf::alert::CallbackReceiver;
///
/// let receiver = CallbackReceiver::new("audit", |notification| {
///     eprintln!("{} alerts for {}", notification.alerts.len(), notification.receiver);
///     Ok(())
/// });
/// # let _ = receiver;
/// ```
pub struct CallbackReceiver {
    name: String,
    send_resolved: bool,
    callback: Box<Callback>,
}

impl CallbackReceiver {
    /// Creates a receiver named `name` that calls `callback`.
    pub fn new(
        name: impl Into<String>,
        callback: impl Fn(&Notification) -> Result<(), DeliveryError> + Send + Sync + 'static,
    ) -> Self {
        CallbackReceiver { name: name.into(), send_resolved: true, callback: Box::new(callback) }
    }

    /// Sets whether resolved alerts are passed too (the default).
    pub fn send_resolved(mut self, value: bool) -> Self {
        self.send_resolved = value;
        self
    }
}

impl fmt::Debug for CallbackReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackReceiver").field("name", &self.name).finish_non_exhaustive()
    }
}

impl Receiver for CallbackReceiver {
    fn name(&self) -> &str {
        &self.name
    }

    fn send_resolved(&self) -> bool {
        self.send_resolved
    }

    fn send(&self, notification: &Notification) -> Result<(), DeliveryError> {
        (self.callback)(notification)
    }
}
