//! Evaluation of the rules: expressions to signals, signals to alert states.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use super::lifecycle::{Instance, Signal, Timing, Transition};
use super::rule::{CompiledRule, NoDataPolicy};
use super::state::{Alert, AlertState};
use crate::snapshot::Snapshot;
use crate::threshold::{Evaluation, Labels};

/// How long a resolved alert stays listed (as Prometheus keeps resolved alerts to resend).
const RESOLVED_RETENTION: Duration = Duration::from_secs(15 * 60);

/// A rule and its alerts.
#[derive(Debug)]
pub(crate) struct RuleRuntime {
    pub(crate) compiled: CompiledRule,
    pub(crate) instances: HashMap<u64, Instance>,
}

/// A change of state of one alert, with the alert as it is after the change.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub(crate) alert: Alert,
    pub(crate) transition: Transition,
}

impl RuleRuntime {
    pub(crate) fn new(compiled: CompiledRule) -> Self {
        RuleRuntime { compiled, instances: HashMap::new() }
    }

    /// Evaluates the rule at `now` and returns the alerts that changed state.
    pub(crate) fn evaluate(&mut self, snapshot: &Snapshot, now: SystemTime, generator_url: &str) -> Vec<Change> {
        let signals = self.signals(snapshot, now);
        let rule = &self.compiled.rule;
        let timing = Timing {
            for_duration: rule.for_duration,
            keep_firing_for: rule.keep_firing_for,
            flap: rule.flap_detection,
        };

        let mut changes = Vec::new();
        for (labels, (signal, value)) in signals {
            let fingerprint = super::labels::fingerprint(&labels);
            let instance = self.instances.entry(fingerprint).or_insert_with(|| Instance::new(labels));
            if signal != Signal::Clear && value.is_some() {
                instance.value = value;
            }
            let transition = instance.step(signal, now, &timing);
            instance.annotations = self
                .compiled
                .annotations
                .iter()
                .map(|(name, template)| (name.clone(), template.render(&instance.labels, instance.value)))
                .collect();
            if let Some(transition) = transition {
                changes.push(Change { alert: alert_of(&self.compiled, instance, generator_url), transition });
            }
        }

        self.instances.retain(|_, instance| match instance.state {
            AlertState::Inactive => false,
            AlertState::Resolved => instance
                .ends_at
                .is_some_and(|ends| now.duration_since(ends).unwrap_or(Duration::ZERO) < RESOLVED_RETENTION),
            AlertState::Pending | AlertState::Firing => true,
        });
        changes
    }

    /// Returns every alert of the rule.
    pub(crate) fn alerts(&self, generator_url: &str) -> Vec<Alert> {
        self.instances.values().map(|instance| alert_of(&self.compiled, instance, generator_url)).collect()
    }

    /// Returns the signal of every alert this evaluation concerns: the series of the
    /// expression, the alerts whose series vanished, and the no-data alert.
    fn signals(&mut self, snapshot: &Snapshot, now: SystemTime) -> HashMap<Labels, (Signal, Option<f64>)> {
        let mut evaluation = self.compiled.trigger.evaluate(snapshot, now);
        if evaluation.warming_up {
            if let Some(fallback) = &mut self.compiled.fallback {
                merge_missing(&mut evaluation, fallback.evaluate(snapshot, now));
            }
        }
        let recovery = self.compiled.recovery.as_mut().map(|recovery| recovery.evaluate(snapshot, now));

        let mut signals: HashMap<Labels, (Signal, Option<f64>)> = HashMap::new();
        for series in &evaluation.series {
            let signal = if series.active {
                Signal::Active
            } else {
                match &recovery {
                    None => Signal::Clear,
                    Some(recovery) => match recovery.series.iter().find(|other| other.labels == series.labels) {
                        Some(other) if other.active => Signal::Clear,
                        _ => Signal::Unchanged,
                    },
                }
            };
            signals.insert(self.alert_labels(&series.labels), (signal, series.value));
        }

        let no_data = evaluation.series.is_empty() && !evaluation.warming_up;
        if no_data {
            self.no_data_signals(&mut signals);
        }
        for instance in self.instances.values() {
            signals.entry(instance.labels.clone()).or_insert((Signal::Clear, None));
        }
        signals
    }

    fn no_data_signals(&self, signals: &mut HashMap<Labels, (Signal, Option<f64>)>) {
        let existing = |signal| {
            self.instances.values().map(move |instance| (instance.labels.clone(), (signal, None))).collect::<Vec<_>>()
        };
        match self.compiled.rule.no_data {
            NoDataPolicy::Ok => {}
            NoDataPolicy::KeepLast => signals.extend(existing(Signal::Unchanged)),
            NoDataPolicy::Firing => {
                let live = self.instances.values().filter(|instance| instance.state != AlertState::Resolved).count();
                signals.extend(existing(Signal::Active));
                if live == 0 {
                    signals.insert(self.alert_labels(&Labels::new()), (Signal::Active, None));
                }
            }
            NoDataPolicy::NoDataAlert => {
                signals.extend(existing(Signal::Unchanged));
                let mut labels = self.alert_labels(&Labels::new());
                labels.insert("nodata".to_owned(), "true".to_owned());
                signals.insert(labels, (Signal::Active, None));
            }
        }
    }

    /// Returns the labels of the alert for a series: the series' labels, then the rule's
    /// labels over them, then `alertname` and (unless set) `severity`.
    fn alert_labels(&self, series: &Labels) -> Labels {
        let rule = &self.compiled.rule;
        let mut labels = series.clone();
        labels.extend(rule.labels.iter().map(|(name, value)| (name.clone(), value.clone())));
        labels.insert("alertname".to_owned(), rule.name.clone());
        labels.entry("severity".to_owned()).or_insert_with(|| rule.severity.as_str().to_owned());
        labels
    }
}

/// Adds the fallback's verdicts for the series that the main condition could not judge.
fn merge_missing(evaluation: &mut Evaluation, fallback: Evaluation) {
    for series in fallback.series {
        if !evaluation.series.iter().any(|existing| existing.labels == series.labels) {
            evaluation.series.push(series);
        }
    }
}

pub(crate) fn alert_of(compiled: &CompiledRule, instance: &Instance, generator_url: &str) -> Alert {
    let rule = &compiled.rule;
    let mut annotations = instance.annotations.clone();
    if instance.flapping {
        annotations.insert("flapping".to_owned(), "true".to_owned());
    }
    Alert {
        rule: rule.name.clone(),
        labels: instance.labels.clone(),
        annotations,
        severity: rule.severity,
        state: instance.state,
        active_at: instance.active_at,
        starts_at: instance.starts_at,
        ends_at: instance.ends_at,
        value: instance.value,
        fingerprint: super::labels::fingerprint_hex(instance.fingerprint),
        flapping: instance.flapping,
        acknowledged: instance.acknowledged.clone(),
        generator_url: generator_url.to_owned(),
    }
}
