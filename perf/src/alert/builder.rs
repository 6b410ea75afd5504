//! Set-up of an [`AlertManager`]: rules, receivers, routes, inhibition, escalation, retries,
//! history, clock.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::clock::{Clock, SystemClock};
use super::delivery::RetryPolicy;
use super::escalation::EscalationPolicy;
use super::history::HistoryConfig;
use super::receiver::{LogReceiver, Receiver};
use super::route::Route;
use super::rule::AlertRule;
use super::silence::InhibitRule;
use super::{AlertError, AlertManager};

/// Notifications that may wait for the delivery thread before new ones fail.
pub const DEFAULT_DELIVERY_QUEUE_CAPACITY: usize = 1024;

/// Builds an [`AlertManager`].
///
/// ```
/// use perf::alert::{AlertManager, AlertRule, LogReceiver, Route};
///
/// let manager = AlertManager::builder()
///     .rule(AlertRule::new("TooManyInFlight", "in_flight > 100"))
///     .receiver(LogReceiver::new("log"))
///     .route(Route::new("log"))
///     .build()
///     .unwrap();
/// manager.evaluate(&perf::snapshot());
/// ```
#[derive(Debug)]
pub struct AlertManagerBuilder {
    pub(crate) rules: Vec<AlertRule>,
    pub(crate) receivers: Vec<Arc<dyn Receiver>>,
    pub(crate) route: Option<Route>,
    pub(crate) inhibit_rules: Vec<InhibitRule>,
    pub(crate) escalation_policies: Vec<EscalationPolicy>,
    pub(crate) retry: RetryPolicy,
    pub(crate) history: HistoryConfig,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) external_url: String,
    pub(crate) delivery_queue_capacity: usize,
}

impl Default for AlertManagerBuilder {
    fn default() -> Self {
        AlertManagerBuilder {
            rules: Vec::new(),
            receivers: Vec::new(),
            route: None,
            inhibit_rules: Vec::new(),
            escalation_policies: Vec::new(),
            retry: RetryPolicy::default(),
            history: HistoryConfig::default(),
            clock: Arc::new(SystemClock),
            external_url: String::new(),
            delivery_queue_capacity: DEFAULT_DELIVERY_QUEUE_CAPACITY,
        }
    }
}

impl AlertManagerBuilder {
    /// Adds an alert rule.
    pub fn rule(mut self, rule: AlertRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Adds a receiver.
    pub fn receiver(mut self, receiver: impl Receiver + 'static) -> Self {
        self.receivers.push(Arc::new(receiver));
        self
    }

    /// Adds a shared receiver.
    pub fn shared_receiver(mut self, receiver: Arc<dyn Receiver>) -> Self {
        self.receivers.push(receiver);
        self
    }

    /// Sets the root route. Without one, every alert goes to the first receiver (or to a log
    /// receiver named `log` when there is none), grouped by `alertname`.
    pub fn route(mut self, route: Route) -> Self {
        self.route = Some(route);
        self
    }

    /// Adds an inhibition rule.
    pub fn inhibit(mut self, rule: InhibitRule) -> Self {
        self.inhibit_rules.push(rule);
        self
    }

    /// Adds an escalation policy.
    pub fn escalation_policy(mut self, policy: EscalationPolicy) -> Self {
        self.escalation_policies.push(policy);
        self
    }

    /// Sets the retry policy of deliveries.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets how many history entries are kept.
    pub fn history_capacity(mut self, capacity: usize) -> Self {
        self.history.capacity = capacity;
        self
    }

    /// Persists the history to this file of JSON lines, read back at start-up.
    pub fn history_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.history.path = Some(path.into());
        self
    }

    /// Sets the clock; tests pass a [`ManualClock`](super::ManualClock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Sets the URL of this process's alert view, sent in notifications.
    pub fn external_url(mut self, url: impl Into<String>) -> Self {
        self.external_url = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Sets how many notifications may wait for delivery.
    pub fn delivery_queue_capacity(mut self, capacity: usize) -> Self {
        self.delivery_queue_capacity = capacity;
        self
    }

    /// Checks the set-up and starts the delivery thread.
    pub fn build(mut self) -> Result<AlertManager, AlertError> {
        if self.receivers.is_empty() {
            self.receivers.push(Arc::new(LogReceiver::new("log")));
        }
        let route = match self.route.take() {
            Some(route) => route,
            None => Route::new(self.receivers[0].name()).group_by(["alertname"]),
        };
        if route.receiver.is_none() && route.escalation.is_none() {
            return Err(AlertError::Invalid(
                "the root route has no receiver; give it one, such as Route::new(\"log\")".to_owned(),
            ));
        }
        self.check_names(&route)?;
        AlertManager::from_parts(self, route)
    }

    fn check_names(&self, route: &Route) -> Result<(), AlertError> {
        let mut receivers: HashMap<&str, usize> = HashMap::new();
        for receiver in &self.receivers {
            *receivers.entry(receiver.name()).or_default() += 1;
        }
        if let Some((name, _)) = receivers.iter().find(|(_, count)| **count > 1) {
            return Err(AlertError::Invalid(format!("two receivers are named {name:?}; give each its own name")));
        }
        let known: Vec<&str> = receivers.keys().copied().collect();
        let unknown_receiver = |name: &str, place: &str| {
            AlertError::Invalid(format!(
                "{place} names receiver {name:?}, which does not exist; the receivers are {known:?}"
            ))
        };

        let mut error = None;
        visit_routes(route, &mut |route| {
            if let Some(name) = &route.receiver {
                if !receivers.contains_key(name.as_str()) && error.is_none() {
                    error = Some(unknown_receiver(name, "a route"));
                }
            }
            if let Some(policy) = &route.escalation {
                if !self.escalation_policies.iter().any(|candidate| &candidate.name == policy) && error.is_none() {
                    error = Some(AlertError::Invalid(format!(
                        "a route names escalation policy {policy:?}, which does not exist; add it with escalation_policy()"
                    )));
                }
            }
        });
        if let Some(error) = error {
            return Err(error);
        }

        for policy in &self.escalation_policies {
            if policy.levels.is_empty() {
                return Err(AlertError::Invalid(format!("escalation policy {:?} has no level; add one", policy.name)));
            }
            for level in &policy.levels {
                for name in &level.receivers {
                    if !receivers.contains_key(name.as_str()) {
                        return Err(unknown_receiver(name, &format!("escalation policy {:?}", policy.name)));
                    }
                }
            }
        }
        Ok(())
    }
}

fn visit_routes(route: &Route, visit: &mut impl FnMut(&Route)) {
    visit(route);
    for child in &route.routes {
        visit_routes(child, visit);
    }
}
