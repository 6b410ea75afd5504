//! The dispatcher: routes firing and resolved alerts into groups and decides, at each group's
//! flush, whether its receiver must hear about it. It follows Alertmanager:
//!
//! - a new group waits `group_wait` before its first flush, then flushes every
//!   `group_interval`;
//! - at a flush, silenced and inhibited alerts are left out. A notification is then sent when
//!   an alert fires that the last notification did not carry, or when alerts resolved since
//!   (for receivers that take resolved alerts). It is also sent when the last firing alert
//!   resolved, or when `repeat_interval` has passed since the last notification (unless every
//!   firing alert is acknowledged);
//! - a group whose alerts all fired and resolved before its first flush sends nothing;
//! - resolved alerts leave the group after a flush, and an empty group is removed.
//!
//! One difference: the repeat is due when `repeat_interval` has passed or is exactly reached,
//! where Alertmanager waits for it to be strictly exceeded.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::notification::Notification;
use super::receiver::Receiver;
use super::route::{RouteNode, RouteOpts};
use super::silence::{InhibitRule, Muted, Silence};
use super::state::{Alert, AlertState};
use crate::threshold::Labels;

#[derive(Debug)]
pub(crate) struct Dispatcher {
    pub(crate) routes: RouteNode,
    store: HashMap<String, Alert>,
    groups: BTreeMap<String, Group>,
    log: HashMap<(String, String), NotifyLog>,
    pub(crate) silences: Vec<Silence>,
    inhibit_rules: Vec<InhibitRule>,
    external_url: String,
}

#[derive(Debug)]
struct Group {
    route: RouteOpts,
    labels: Labels,
    alerts: BTreeSet<String>,
    next_flush: SystemTime,
}

/// Record of the last notification of a group to a receiver.
#[derive(Debug)]
struct NotifyLog {
    firing: BTreeSet<String>,
    resolved: BTreeSet<String>,
    at: SystemTime,
}

impl Dispatcher {
    pub(crate) fn new(routes: RouteNode, inhibit_rules: Vec<InhibitRule>, external_url: String) -> Self {
        Dispatcher {
            routes,
            store: HashMap::new(),
            groups: BTreeMap::new(),
            log: HashMap::new(),
            silences: Vec::new(),
            inhibit_rules,
            external_url,
        }
    }

    /// Takes a firing or resolved alert and puts it in the groups of the routes it matches.
    pub(crate) fn receive(&mut self, alert: Alert, now: SystemTime) {
        for opts in self.routes.matching(&alert.labels) {
            if opts.receiver.is_none() {
                continue;
            }
            let labels = opts.group_labels(&alert.labels);
            let key = format!("{}:{}", opts.id, format_labels(&labels));
            let group = self.groups.entry(key).or_insert_with(|| Group {
                route: opts.clone(),
                labels,
                alerts: BTreeSet::new(),
                next_flush: now + opts.group_wait,
            });
            group.alerts.insert(alert.fingerprint.clone());
        }
        self.store.insert(alert.fingerprint.clone(), alert);
    }

    /// Replaces the stored copy of an alert already received (new value or annotations)
    /// without routing it again.
    pub(crate) fn refresh(&mut self, alert: Alert) {
        if let Some(stored) = self.store.get_mut(&alert.fingerprint) {
            if stored.state == alert.state {
                *stored = alert;
            }
        }
    }

    /// Returns the stored alert with this fingerprint.
    pub(crate) fn alert(&self, fingerprint: &str) -> Option<&Alert> {
        self.store.get(fingerprint)
    }

    /// Flushes the groups that are due at `now` and returns their notifications.
    pub(crate) fn flush_due(
        &mut self,
        now: SystemTime,
        receivers: &HashMap<String, Arc<dyn Receiver>>,
        acknowledged: &HashSet<String>,
    ) -> Vec<Notification> {
        let mut notifications = Vec::new();
        let due: Vec<String> =
            self.groups.iter().filter(|(_, group)| group.next_flush <= now).map(|(key, _)| key.clone()).collect();

        for key in due {
            let Some(group) = self.groups.get(&key) else { continue };
            let receiver_name = group.route.receiver.clone().unwrap_or_default();
            let send_resolved = receivers.get(&receiver_name).is_none_or(|receiver| receiver.send_resolved());

            let mut firing = Vec::new();
            let mut resolved = Vec::new();
            for fingerprint in &group.alerts {
                let Some(alert) = self.store.get(fingerprint) else { continue };
                if self.muted(alert, now).is_some() {
                    continue;
                }
                match alert.state {
                    AlertState::Firing => firing.push(alert.clone()),
                    AlertState::Resolved => resolved.push(alert.clone()),
                    AlertState::Inactive | AlertState::Pending => {}
                }
            }

            firing.sort_by(|a, b| a.labels.cmp(&b.labels));
            resolved.sort_by(|a, b| a.labels.cmp(&b.labels));

            let log_key = (key.clone(), receiver_name.clone());
            let all_acknowledged =
                !firing.is_empty() && firing.iter().all(|alert| acknowledged.contains(&alert.fingerprint));
            let firing_set: BTreeSet<String> = firing.iter().map(|alert| alert.fingerprint.clone()).collect();
            let resolved_set: BTreeSet<String> = resolved.iter().map(|alert| alert.fingerprint.clone()).collect();
            let update = needs_update(
                self.log.get(&log_key),
                &firing_set,
                &resolved_set,
                send_resolved,
                group.route.repeat_interval,
                now,
                all_acknowledged,
            );

            if update {
                let mut alerts = firing;
                if send_resolved {
                    alerts.extend(resolved);
                }
                notifications.push(Notification {
                    receiver: receiver_name,
                    group_key: key.clone(),
                    group_labels: group.labels.clone(),
                    alerts,
                    external_url: self.external_url.clone(),
                    created_at: now,
                    escalation: None,
                });
                self.log.insert(log_key, NotifyLog { firing: firing_set, resolved: resolved_set, at: now });
            }

            let store = &self.store;
            let Some(group) = self.groups.get_mut(&key) else { continue };
            group.next_flush = next_flush(group.next_flush, group.route.group_interval, now);
            group
                .alerts
                .retain(|fingerprint| store.get(fingerprint).is_some_and(|alert| alert.state != AlertState::Resolved));
        }

        self.remove_empty_groups();
        notifications
    }

    /// Returns why an alert is muted at `now`, if it is.
    pub(crate) fn muted(&self, alert: &Alert, now: SystemTime) -> Option<Muted> {
        let silences: Vec<String> = self
            .silences
            .iter()
            .filter(|silence| silence.mutes(&alert.labels, now))
            .map(|silence| silence.id.clone())
            .collect();
        if !silences.is_empty() {
            return Some(Muted::Silenced(silences));
        }
        let inhibited = self.inhibit_rules.iter().any(|rule| rule.inhibits(alert, self.store.values()));
        inhibited.then_some(Muted::Inhibited)
    }

    /// Drops silences that ended before `now`.
    pub(crate) fn expire_silences(&mut self, now: SystemTime) {
        self.silences.retain(|silence| silence.ends_at > now);
    }

    fn remove_empty_groups(&mut self) {
        let empty: Vec<String> =
            self.groups.iter().filter(|(_, group)| group.alerts.is_empty()).map(|(key, _)| key.clone()).collect();
        for key in &empty {
            self.groups.remove(key);
        }
        self.log.retain(|(key, _), _| !empty.contains(key));

        let groups = &self.groups;
        self.store.retain(|fingerprint, alert| {
            alert.state == AlertState::Firing || groups.values().any(|group| group.alerts.contains(fingerprint))
        });
    }
}

/// Alertmanager's decision, with the repeat due at exactly `repeat_interval`.
fn needs_update(
    last: Option<&NotifyLog>,
    firing: &BTreeSet<String>,
    resolved: &BTreeSet<String>,
    send_resolved: bool,
    repeat_interval: Duration,
    now: SystemTime,
    all_acknowledged: bool,
) -> bool {
    let Some(last) = last else {
        return !firing.is_empty();
    };
    if !firing.is_subset(&last.firing) {
        return true;
    }
    if firing.is_empty() {
        return !last.firing.is_empty();
    }
    if send_resolved && !resolved.is_subset(&last.resolved) {
        return true;
    }
    !all_acknowledged && now.duration_since(last.at).unwrap_or(Duration::ZERO) >= repeat_interval
}

/// Returns the flush after `scheduled`: one `interval` later, skipping flushes already missed;
/// with a zero interval, every evaluation flushes.
fn next_flush(scheduled: SystemTime, interval: Duration, now: SystemTime) -> SystemTime {
    if interval.is_zero() {
        return now;
    }
    let mut next = scheduled + interval;
    while next <= now {
        next += interval;
    }
    next
}

pub(crate) fn format_labels(labels: &Labels) -> String {
    let pairs: Vec<String> = labels.iter().map(|(name, value)| format!("{name}={value:?}")).collect();
    format!("{{{}}}", pairs.join(","))
}
