//! Silences and inhibition rules: two ways to mute notifications of alerts that still fire.

use std::time::SystemTime;

use serde::Serialize;

use super::labels::{matches_all, Matcher};
use super::state::{Alert, AlertState};
use crate::threshold::Labels;

/// A silence: mutes every alert its matchers select, from `starts_at` until `ends_at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Silence {
    /// Identifier, set by [`AlertManager::add_silence`](super::AlertManager::add_silence).
    pub id: String,
    /// Matchers that must all hold.
    pub matchers: Vec<Matcher>,
    /// Start of the silence.
    pub starts_at: SystemTime,
    /// End of the silence (excluded).
    pub ends_at: SystemTime,
    /// Author of the silence.
    pub created_by: String,
    /// Reason for the silence.
    pub comment: String,
}

/// Inhibition: while an alert that matches `source` fires, alerts that match `target` and
/// have the same values for the `equal` labels are muted. An alert never inhibits itself.
#[derive(Debug, Clone, PartialEq)]
pub struct InhibitRule {
    /// Matchers of the muting alert.
    pub source: Vec<Matcher>,
    /// Matchers of the muted alerts.
    pub target: Vec<Matcher>,
    /// Labels whose values must be equal in both (a label missing from both counts as equal).
    pub equal: Vec<String>,
}

/// The reason an alert is muted, for listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Muted {
    /// By the silences with these ids.
    Silenced(Vec<String>),
    /// By an inhibition rule.
    Inhibited,
}

impl Silence {
    /// Creates a silence; its id is set when it is added to a manager.
    pub fn new(matchers: Vec<Matcher>, starts_at: SystemTime, ends_at: SystemTime) -> Self {
        Silence { id: String::new(), matchers, starts_at, ends_at, created_by: String::new(), comment: String::new() }
    }

    /// Sets who created the silence and why.
    pub fn by(mut self, created_by: impl Into<String>, comment: impl Into<String>) -> Self {
        self.created_by = created_by.into();
        self.comment = comment.into();
        self
    }

    /// Returns `true` when the silence is in force at `now`.
    pub fn is_active(&self, now: SystemTime) -> bool {
        self.starts_at <= now && now < self.ends_at
    }

    /// Returns `true` when the silence is in force at `now` and selects `labels`.
    pub fn mutes(&self, labels: &Labels, now: SystemTime) -> bool {
        self.is_active(now) && matches_all(&self.matchers, labels)
    }
}

impl InhibitRule {
    /// Creates a rule.
    pub fn new<S: Into<String>>(
        source: Vec<Matcher>,
        target: Vec<Matcher>,
        equal: impl IntoIterator<Item = S>,
    ) -> Self {
        InhibitRule { source, target, equal: equal.into_iter().map(Into::into).collect() }
    }

    /// Returns `true` when one of the `firing` alerts mutes `target`.
    pub(crate) fn inhibits<'a>(&self, target: &Alert, mut firing: impl Iterator<Item = &'a Alert>) -> bool {
        if !matches_all(&self.target, &target.labels) {
            return false;
        }
        firing.any(|source| {
            source.state == AlertState::Firing
                && source.fingerprint != target.fingerprint
                && matches_all(&self.source, &source.labels)
                && self.equal.iter().all(|name| source.labels.get(name) == target.labels.get(name))
        })
    }
}
