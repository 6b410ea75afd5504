//! Escalation policies: who is notified, and when, while an alert stays unacknowledged.
//!
//! When an alert routed to a policy fires, level 0 is notified at once. Each level has a
//! `delay`: if the alert is still firing and unacknowledged that long after its level was
//! notified, the next level is notified. After the last level's delay the policy starts over
//! at level 0, `repeat` times. Acknowledgement stops it; resolution stops it and sends the
//! resolved alert to every receiver that was notified. Silenced or inhibited alerts move
//! through the levels without notifying anyone.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, SystemTime};

use super::notification::{EscalationStep, Notification};
use super::state::{Alert, AlertState};

/// An escalation policy.
///
/// ```
/// use std::time::Duration;
/// use perf::alert::{EscalationLevel, EscalationPolicy};
///
/// let policy = EscalationPolicy::new("checkout")
///     .level(Duration::from_secs(5 * 60), ["on-call"])
///     .level(Duration::from_secs(15 * 60), ["team-lead"])
///     .repeat(1);
/// assert_eq!(policy.levels.len(), 2);
/// # let _: &EscalationLevel = &policy.levels[0];
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationPolicy {
    /// Name that routes refer to.
    pub name: String,
    /// Levels, notified in order.
    pub levels: Vec<EscalationLevel>,
    /// Times the policy starts over after its last level.
    pub repeat: u32,
}

/// One level of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationLevel {
    /// How long the level waits for an acknowledgement before the next level is notified.
    pub delay: Duration,
    /// Receivers notified at this level.
    pub receivers: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Escalations {
    policies: HashMap<String, EscalationPolicy>,
    active: HashMap<(String, String), Escalation>,
}

#[derive(Debug)]
struct Escalation {
    level: usize,
    level_since: SystemTime,
    pass: u32,
    notified: BTreeSet<String>,
    done: bool,
}

impl EscalationPolicy {
    /// Creates a policy with no level.
    pub fn new(name: impl Into<String>) -> Self {
        EscalationPolicy { name: name.into(), levels: Vec::new(), repeat: 0 }
    }

    /// Adds a level.
    pub fn level<S: Into<String>>(mut self, delay: Duration, receivers: impl IntoIterator<Item = S>) -> Self {
        self.levels.push(EscalationLevel { delay, receivers: receivers.into_iter().map(Into::into).collect() });
        self
    }

    /// Sets how many times the policy starts over.
    pub fn repeat(mut self, times: u32) -> Self {
        self.repeat = times;
        self
    }
}

impl Escalations {
    pub(crate) fn new(policies: Vec<EscalationPolicy>) -> Self {
        Escalations {
            policies: policies.into_iter().map(|policy| (policy.name.clone(), policy)).collect(),
            active: HashMap::new(),
        }
    }

    /// Starts escalating a firing alert: level 0 is notified now, unless `muted`.
    pub(crate) fn start(&mut self, policy: &str, alert: &Alert, now: SystemTime, muted: bool) -> Vec<Notification> {
        let Some(definition) = self.policies.get(policy) else { return Vec::new() };
        if definition.levels.is_empty() {
            return Vec::new();
        }
        let key = (alert.fingerprint.clone(), policy.to_owned());
        if self.active.contains_key(&key) {
            return Vec::new();
        }

        let mut escalation = Escalation { level: 0, level_since: now, pass: 0, notified: BTreeSet::new(), done: false };
        let notifications = if muted { Vec::new() } else { notify(definition, &mut escalation, alert, now) };
        self.active.insert(key, escalation);
        notifications
    }

    /// Stops every escalation of an alert; returns the resolved notifications for the
    /// receivers notified so far when `resolved` is given.
    pub(crate) fn stop(&mut self, fingerprint: &str, resolved: Option<&Alert>, now: SystemTime) -> Vec<Notification> {
        let keys: Vec<(String, String)> = self.active.keys().filter(|(fp, _)| fp == fingerprint).cloned().collect();
        let mut notifications = Vec::new();
        for key in keys {
            let Some(escalation) = self.active.remove(&key) else { continue };
            let Some(alert) = resolved else { continue };
            for receiver in escalation.notified {
                notifications.push(notification(&key.1, &receiver, alert, now, escalation.level, escalation.pass));
            }
        }
        notifications
    }

    /// Moves every escalation whose delay has passed at `now` to its next level and returns
    /// the notifications. `alert` looks up the current alert; `muted` returns whether it is muted.
    pub(crate) fn due(
        &mut self,
        now: SystemTime,
        alert: impl Fn(&str) -> Option<Alert>,
        muted: impl Fn(&Alert) -> bool,
    ) -> Vec<Notification> {
        let mut notifications = Vec::new();
        for ((fingerprint, policy), escalation) in &mut self.active {
            let Some(definition) = self.policies.get(policy) else { continue };
            let Some(current) = alert(fingerprint) else { continue };
            if current.state != AlertState::Firing || current.acknowledged.is_some() {
                continue;
            }

            while !escalation.done {
                let due_at = escalation.level_since + definition.levels[escalation.level].delay;
                if due_at > now {
                    break;
                }
                escalation.level += 1;
                escalation.level_since = due_at;
                if escalation.level == definition.levels.len() {
                    if escalation.pass >= definition.repeat {
                        escalation.done = true;
                        break;
                    }
                    escalation.pass += 1;
                    escalation.level = 0;
                }
                if !muted(&current) {
                    notifications.extend(notify(definition, escalation, &current, due_at));
                }
            }
        }
        notifications
    }
}

fn notify(policy: &EscalationPolicy, escalation: &mut Escalation, alert: &Alert, at: SystemTime) -> Vec<Notification> {
    let level = &policy.levels[escalation.level];
    level
        .receivers
        .iter()
        .map(|receiver| {
            escalation.notified.insert(receiver.clone());
            notification(&policy.name, receiver, alert, at, escalation.level, escalation.pass)
        })
        .collect()
}

fn notification(policy: &str, receiver: &str, alert: &Alert, at: SystemTime, level: usize, pass: u32) -> Notification {
    Notification {
        receiver: receiver.to_owned(),
        group_key: format!("escalation:{policy}:{}", alert.fingerprint),
        group_labels: alert.labels.clone(),
        alerts: vec![alert.clone()],
        external_url: String::new(),
        created_at: at,
        escalation: Some(EscalationStep { policy: policy.to_owned(), level, pass }),
    }
}
