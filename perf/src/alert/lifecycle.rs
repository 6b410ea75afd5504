//! The state machine of one alert, with Prometheus's rules:
//!
//! - inactive → pending when the condition starts to hold; nothing is sent while pending;
//! - pending → firing at the first evaluation where the condition has held for `for` (the
//!   same evaluation when `for` is 0);
//! - pending → inactive when the condition clears first: the alert is dropped silently;
//! - firing → resolved when the condition clears, unless `keep_firing_for` is set: then the
//!   alert keeps firing until the condition has stayed clear for that long, and the timer
//!   starts again if the condition returns meanwhile;
//! - resolved → pending when the condition holds again: a new alert, with a new start.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use super::rule::FlapDetection;
use super::state::{Acknowledgement, AlertState};
use crate::threshold::Labels;

/// The result of one evaluation of an alert's condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// The condition holds.
    Active,
    /// The condition does not hold (or the recovery condition holds).
    Clear,
    /// Neither: between trigger and recovery, or no data under `keep last`.
    Unchanged,
}

/// The timing settings of a rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) for_duration: Duration,
    pub(crate) keep_firing_for: Duration,
    pub(crate) flap: Option<FlapDetection>,
}

/// One alert of a rule, for the labels of one series.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub(crate) labels: Labels,
    pub(crate) fingerprint: u64,
    pub(crate) state: AlertState,
    pub(crate) active_at: Option<SystemTime>,
    pub(crate) starts_at: Option<SystemTime>,
    pub(crate) ends_at: Option<SystemTime>,
    keep_firing_since: Option<SystemTime>,
    pub(crate) value: Option<f64>,
    pub(crate) annotations: Labels,
    changes: VecDeque<SystemTime>,
    pub(crate) flapping: bool,
    pub(crate) acknowledged: Option<Acknowledgement>,
}

/// A change of state.
pub(crate) type Transition = (AlertState, AlertState);

impl Instance {
    pub(crate) fn new(labels: Labels) -> Self {
        let fingerprint = super::labels::fingerprint(&labels);
        Instance {
            labels,
            fingerprint,
            state: AlertState::Inactive,
            active_at: None,
            starts_at: None,
            ends_at: None,
            keep_firing_since: None,
            value: None,
            annotations: Labels::new(),
            changes: VecDeque::new(),
            flapping: false,
            acknowledged: None,
        }
    }

    /// Applies one evaluation at `now` and returns the change of state, if any.
    pub(crate) fn step(&mut self, signal: Signal, now: SystemTime, timing: &Timing) -> Option<Transition> {
        let active = match signal {
            Signal::Active => true,
            Signal::Clear => false,
            Signal::Unchanged => matches!(self.state, AlertState::Pending | AlertState::Firing),
        };
        let from = self.state;

        match (self.state, active) {
            (AlertState::Inactive | AlertState::Resolved, true) => {
                self.state = AlertState::Pending;
                self.active_at = Some(now);
                self.starts_at = None;
                self.ends_at = None;
                self.keep_firing_since = None;
                self.acknowledged = None;
                self.fire_if_due(now, timing);
            }
            (AlertState::Pending, true) => self.fire_if_due(now, timing),
            (AlertState::Pending, false) => {
                self.state = AlertState::Inactive;
                self.active_at = None;
            }
            (AlertState::Firing, true) => self.keep_firing_since = None,
            (AlertState::Firing, false) => {
                let since = *self.keep_firing_since.get_or_insert(now);
                if now.duration_since(since).unwrap_or(Duration::ZERO) >= timing.keep_firing_for {
                    self.state = AlertState::Resolved;
                    self.ends_at = Some(now);
                    self.keep_firing_since = None;
                    self.record_change(now);
                }
            }
            (AlertState::Inactive | AlertState::Resolved, false) => {}
        }

        self.update_flapping(now, timing.flap);
        (self.state != from).then_some((from, self.state))
    }

    fn fire_if_due(&mut self, now: SystemTime, timing: &Timing) {
        let Some(active_at) = self.active_at else { return };
        if now.duration_since(active_at).unwrap_or(Duration::ZERO) >= timing.for_duration {
            self.state = AlertState::Firing;
            self.starts_at = Some(now);
            self.record_change(now);
        }
    }

    fn record_change(&mut self, now: SystemTime) {
        self.changes.push_back(now);
    }

    fn update_flapping(&mut self, now: SystemTime, flap: Option<FlapDetection>) {
        let Some(flap) = flap else {
            self.changes.clear();
            return;
        };
        while self.changes.front().is_some_and(|at| now.duration_since(*at).unwrap_or(Duration::ZERO) > flap.window) {
            self.changes.pop_front();
        }
        self.flapping = self.changes.len() >= flap.max_changes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn timing(for_seconds: u64, keep_seconds: u64) -> Timing {
        Timing {
            for_duration: Duration::from_secs(for_seconds),
            keep_firing_for: Duration::from_secs(keep_seconds),
            flap: None,
        }
    }

    #[test]
    fn step_for_zero_fires_at_once() {
        let mut alert = Instance::new(Labels::new());
        let change = alert.step(Signal::Active, at(10), &timing(0, 0));
        assert_eq!(change, Some((AlertState::Inactive, AlertState::Firing)));
    }

    #[test]
    fn step_unchanged_keeps_pending_counting() {
        let mut alert = Instance::new(Labels::new());
        alert.step(Signal::Active, at(0), &timing(30, 0));
        alert.step(Signal::Unchanged, at(20), &timing(30, 0));
        let change = alert.step(Signal::Unchanged, at(30), &timing(30, 0));
        assert_eq!(change, Some((AlertState::Pending, AlertState::Firing)));
    }

    #[test]
    fn step_unchanged_leaves_inactive() {
        let mut alert = Instance::new(Labels::new());
        assert_eq!(alert.step(Signal::Unchanged, at(0), &timing(0, 0)), None);
    }

    #[test]
    fn step_flapping_after_max_changes() {
        let flap = Some(FlapDetection { window: Duration::from_secs(60), max_changes: 3 });
        let timing = Timing { flap, ..timing(0, 0) };
        let mut alert = Instance::new(Labels::new());
        alert.step(Signal::Active, at(0), &timing); // fired: 1 change
        alert.step(Signal::Clear, at(10), &timing); // resolved: 2
        assert!(!alert.flapping);
        alert.step(Signal::Active, at(20), &timing); // fired: 3
        assert!(alert.flapping);
    }

    #[test]
    fn step_flapping_clears_after_window() {
        let flap = Some(FlapDetection { window: Duration::from_secs(60), max_changes: 3 });
        let timing = Timing { flap, ..timing(0, 0) };
        let mut alert = Instance::new(Labels::new());
        alert.step(Signal::Active, at(0), &timing);
        alert.step(Signal::Clear, at(10), &timing);
        alert.step(Signal::Active, at(20), &timing);
        // At 71 s the change at 0 s and the one at 10 s are older than 60 s.
        alert.step(Signal::Active, at(71), &timing);
        assert!(!alert.flapping);
    }
}
