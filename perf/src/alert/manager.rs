//! The alert manager: evaluates rules, keeps alert states, and dispatches notifications.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use super::builder::AlertManagerBuilder;
use super::clock::Clock;
use super::delivery::{Delivery, DeliveryRecord};
use super::dispatch::Dispatcher;
use super::escalation::Escalations;
use super::history::{History, HistoryEntry, HistoryEvent};
use super::notification::Notification;
use super::receiver::Receiver;
use super::route::{Route, RouteNode};
use super::rules::{Change, RuleRuntime};
use super::silence::{Muted, Silence};
use super::state::{Acknowledgement, Alert, AlertState};
use super::AlertError;
use crate::event::{self, Event, EventData, Severity};
use crate::snapshot::Snapshot;

/// Evaluates alert rules and notifies receivers; see the module documentation.
#[derive(Debug)]
pub struct AlertManager {
    inner: Mutex<Inner>,
    clock: Arc<dyn Clock>,
    delivery: Delivery,
    history: Arc<Mutex<History>>,
    receivers: HashMap<String, Arc<dyn Receiver>>,
    generator_url: String,
}

#[derive(Debug)]
struct Inner {
    rules: Vec<RuleRuntime>,
    dispatcher: Dispatcher,
    escalations: Escalations,
    next_silence: u64,
}

/// An alert with whether notifications of it are muted.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertStatus {
    /// The alert.
    pub alert: Alert,
    /// The reason it is muted, if it is.
    pub muted: Option<Muted>,
}

impl AlertManager {
    /// Starts building an alert manager.
    pub fn builder() -> AlertManagerBuilder {
        AlertManagerBuilder::default()
    }

    pub(crate) fn from_parts(builder: AlertManagerBuilder, route: Route) -> Result<AlertManager, AlertError> {
        let rules = builder
            .rules
            .into_iter()
            .map(|rule| rule.compile().map(RuleRuntime::new))
            .collect::<Result<Vec<_>, _>>()?;
        let history = Arc::new(Mutex::new(History::open(&builder.history)?));
        let delivery = Delivery::start(
            Arc::clone(&builder.clock),
            builder.retry,
            builder.delivery_queue_capacity,
            Arc::clone(&history),
        )
        .map_err(|error| AlertError::Invalid(format!("failed to start the alert delivery thread: {error}")))?;

        let generator_url =
            if builder.external_url.is_empty() { String::new() } else { format!("{}/alerts", builder.external_url) };
        let dispatcher = Dispatcher::new(RouteNode::build(&route), builder.inhibit_rules, builder.external_url);
        Ok(AlertManager {
            inner: Mutex::new(Inner {
                rules,
                dispatcher,
                escalations: Escalations::new(builder.escalation_policies),
                next_silence: 0,
            }),
            clock: builder.clock,
            delivery,
            history,
            receivers: builder.receivers.into_iter().map(|receiver| (receiver.name().to_owned(), receiver)).collect(),
            generator_url,
        })
    }

    /// Evaluates every rule against `snapshot` at the clock's time, then sends what is due:
    /// group notifications whose timers expired and escalation steps.
    pub fn evaluate(&self, snapshot: &Snapshot) {
        let now = self.clock.now();
        let mut outgoing = Vec::new();
        {
            let mut inner = self.lock();
            let Inner { rules, dispatcher, escalations, .. } = &mut *inner;
            dispatcher.expire_silences(now);

            for rule in rules.iter_mut() {
                for change in rule.evaluate(snapshot, now, &self.generator_url) {
                    self.record(&change, now);
                    outgoing.extend(dispatch_change(dispatcher, escalations, change.alert, now));
                }
                for alert in rule.alerts(&self.generator_url) {
                    dispatcher.refresh(alert);
                }
            }

            let acknowledged: HashSet<String> = rules
                .iter()
                .flat_map(|rule| rule.instances.values())
                .filter(|instance| instance.acknowledged.is_some())
                .map(|instance| super::labels::fingerprint_hex(instance.fingerprint))
                .collect();
            outgoing.extend(dispatcher.flush_due(now, &self.receivers, &acknowledged));

            let dispatcher = &*dispatcher;
            outgoing.extend(escalations.due(
                now,
                |fingerprint| dispatcher.alert(fingerprint).cloned(),
                |alert| dispatcher.muted(alert, now).is_some(),
            ));
        }
        self.send(outgoing);
    }

    /// Evaluates against a snapshot taken now.
    pub fn evaluate_now(&self) {
        self.evaluate(&crate::snapshot());
    }

    /// Returns every pending, firing and recently resolved alert, sorted by rule and labels,
    /// with whether it is muted.
    pub fn alerts(&self) -> Vec<AlertStatus> {
        let now = self.clock.now();
        let inner = self.lock();
        let mut alerts: Vec<AlertStatus> = inner
            .rules
            .iter()
            .flat_map(|rule| rule.alerts(&self.generator_url))
            .map(|alert| {
                let muted = inner.dispatcher.muted(&alert, now);
                AlertStatus { alert, muted }
            })
            .collect();
        alerts.sort_by(|a, b| (&a.alert.rule, &a.alert.labels).cmp(&(&b.alert.rule, &b.alert.labels)));
        alerts
    }

    /// Acknowledges the alert with this fingerprint: its escalation stops and repeat
    /// notifications of its group pause while every firing alert in it is acknowledged.
    pub fn acknowledge(&self, fingerprint: &str, by: &str, comment: &str) -> Result<(), AlertError> {
        let now = self.clock.now();
        let mut inner = self.lock();
        let Inner { rules, escalations, .. } = &mut *inner;
        let found = rules.iter_mut().find_map(|rule| {
            let name = rule.compiled.rule.name.clone();
            rule.instances
                .values_mut()
                .find(|instance| super::labels::fingerprint_hex(instance.fingerprint) == fingerprint)
                .map(|instance| (name, instance))
        });
        let Some((rule, instance)) = found else {
            return Err(AlertError::UnknownAlert(fingerprint.to_owned()));
        };
        if !matches!(instance.state, AlertState::Pending | AlertState::Firing) {
            return Err(AlertError::Invalid(format!(
                "alert {fingerprint} is {}; only a pending or firing alert can be acknowledged",
                instance.state
            )));
        }

        instance.acknowledged = Some(Acknowledgement { by: by.to_owned(), comment: comment.to_owned(), at: now });
        escalations.stop(fingerprint, None, now);
        drop(inner);

        tracing::info!(alert = %rule, %fingerprint, by, "alert acknowledged");
        let event = HistoryEvent::Acknowledged {
            rule,
            fingerprint: fingerprint.to_owned(),
            by: by.to_owned(),
            comment: comment.to_owned(),
        };
        self.history_guard().push(HistoryEntry { at: now, event });
        Ok(())
    }

    /// Adds a silence and returns its id.
    pub fn add_silence(&self, mut silence: Silence) -> Result<String, AlertError> {
        if silence.ends_at <= silence.starts_at {
            return Err(AlertError::Invalid(format!(
                "silence ends at {} but starts at {}; its end must come after its start",
                super::notification::rfc3339(silence.ends_at),
                super::notification::rfc3339(silence.starts_at)
            )));
        }
        if silence.matchers.is_empty() {
            return Err(AlertError::Invalid(
                "a silence needs at least one matcher; one with none would mute every alert".to_owned(),
            ));
        }

        let mut inner = self.lock();
        inner.next_silence += 1;
        silence.id = format!("silence-{}", inner.next_silence);
        let id = silence.id.clone();
        tracing::info!(silence = %id, created_by = %silence.created_by, "silence added");
        inner.dispatcher.silences.push(silence);
        Ok(id)
    }

    /// Ends a silence now.
    pub fn expire_silence(&self, id: &str) -> Result<(), AlertError> {
        let now = self.clock.now();
        let mut inner = self.lock();
        let silence = inner.dispatcher.silences.iter_mut().find(|silence| silence.id == id);
        let Some(silence) = silence else {
            return Err(AlertError::UnknownSilence(id.to_owned()));
        };
        silence.ends_at = now;
        Ok(())
    }

    /// Returns the silences not yet ended.
    pub fn silences(&self) -> Vec<Silence> {
        self.lock().dispatcher.silences.clone()
    }

    /// Returns the history, oldest first.
    pub fn history(&self) -> Vec<HistoryEntry> {
        self.history_guard().entries()
    }

    /// Returns the recent deliveries, with their attempts and errors.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.delivery.records()
    }

    /// Waits up to `timeout` of real time until no notification is due or being sent; returns
    /// `false` on timeout. Retries scheduled for later do not count.
    pub fn wait_for_deliveries(&self, timeout: Duration) -> bool {
        self.delivery.wait_idle(timeout)
    }

    /// Returns the clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    fn record(&self, change: &Change, now: SystemTime) {
        let alert = &change.alert;
        let (from, to) = change.transition;
        let event = HistoryEvent::StateChanged {
            rule: alert.rule.clone(),
            fingerprint: alert.fingerprint.clone(),
            labels: alert.labels.clone(),
            from,
            to,
            value: alert.value,
        };
        self.history_guard().push(HistoryEntry { at: now, event });

        let severity = match to {
            AlertState::Firing => alert.severity,
            _ => Severity::Info,
        };
        let component = alert.labels.get("component").cloned();
        let site = alert.labels.get("site").cloned();
        let with_place = |mut event: Event| {
            event.component = component.clone();
            event.site = site.clone();
            event.with_labels(alert.labels.clone())
        };

        if matches!(from, AlertState::Inactive | AlertState::Resolved) {
            let data = EventData::ThresholdBreached { rule: alert.rule.clone(), value: alert.value };
            event::emit(with_place(Event::new(now, alert.severity, data)));
        }
        let data = EventData::AlertStateChanged {
            rule: alert.rule.clone(),
            fingerprint: alert.fingerprint.clone(),
            from,
            to,
            value: alert.value,
        };
        event::emit(with_place(Event::new(now, severity, data)));
    }

    fn send(&self, notifications: Vec<Notification>) {
        for notification in notifications {
            match self.receivers.get(&notification.receiver) {
                Some(receiver) => self.delivery.enqueue(notification, Arc::clone(receiver)),
                None => {
                    tracing::error!(receiver = %notification.receiver, "alert notification for an unknown receiver")
                }
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn history_guard(&self) -> MutexGuard<'_, History> {
        self.history.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Hands a firing or resolved alert to the dispatcher and to escalation.
fn dispatch_change(
    dispatcher: &mut Dispatcher,
    escalations: &mut Escalations,
    alert: Alert,
    now: SystemTime,
) -> Vec<Notification> {
    match alert.state {
        AlertState::Firing => {
            let policies: Vec<String> =
                dispatcher.routes.matching(&alert.labels).iter().filter_map(|opts| opts.escalation.clone()).collect();
            dispatcher.receive(alert.clone(), now);
            let muted = dispatcher.muted(&alert, now).is_some();
            policies.iter().flat_map(|policy| escalations.start(policy, &alert, now, muted)).collect()
        }
        AlertState::Resolved => {
            dispatcher.receive(alert.clone(), now);
            escalations.stop(&alert.fingerprint, Some(&alert), now)
        }
        AlertState::Inactive | AlertState::Pending => Vec::new(),
    }
}

impl Drop for AlertManager {
    fn drop(&mut self) {
        self.delivery.stop();
    }
}
