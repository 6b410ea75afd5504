//! Which events a subscription receives.

use super::{Event, EventKind, Severity};

/// A filter on events; every condition set must hold. The default lets every event through.
///
/// ```
/// use perf::event::{EventFilter, EventKind, Severity};
///
/// let filter = EventFilter::new()
///     .kinds([EventKind::AlertStateChanged, EventKind::SlowCall])
///     .min_severity(Severity::Warning)
///     .component("shop");
/// # let _ = filter;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    kinds: Vec<EventKind>,
    min_severity: Option<Severity>,
    component: Option<String>,
    site: Option<String>,
    labels: Vec<(String, String)>,
}

impl EventFilter {
    /// Creates a filter that lets every event through.
    pub fn new() -> Self {
        EventFilter::default()
    }

    /// Keeps only events of these kinds.
    pub fn kinds(mut self, kinds: impl IntoIterator<Item = EventKind>) -> Self {
        self.kinds.extend(kinds);
        self
    }

    /// Keeps only events at least this severe.
    pub fn min_severity(mut self, severity: Severity) -> Self {
        self.min_severity = Some(severity);
        self
    }

    /// Keeps only events of this component.
    pub fn component(mut self, component: impl Into<String>) -> Self {
        self.component = Some(component.into());
        self
    }

    /// Keeps only events of this site.
    pub fn site(mut self, site: impl Into<String>) -> Self {
        self.site = Some(site.into());
        self
    }

    /// Keeps only events whose label `name` has `value`.
    pub fn label(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.push((name.into(), value.into()));
        self
    }

    /// Returns `true` when `event` passes every condition.
    pub fn matches(&self, event: &Event) -> bool {
        if !self.kinds.is_empty() && !self.kinds.contains(&event.kind()) {
            return false;
        }
        if self.min_severity.is_some_and(|min| event.severity < min) {
            return false;
        }
        if self.component.as_ref().is_some_and(|component| event.component.as_ref() != Some(component)) {
            return false;
        }
        if self.site.as_ref().is_some_and(|site| event.site.as_ref() != Some(site)) {
            return false;
        }
        self.labels.iter().all(|(name, value)| event.labels.get(name) == Some(value))
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::event::EventData;

    fn slow_call(severity: Severity) -> Event {
        Event::new(SystemTime::UNIX_EPOCH, severity, EventData::SlowCall { nanos: 2, threshold_nanos: 1 })
            .with_component("shop")
            .with_site("shop::checkout")
    }

    #[test]
    fn filter_default_passes_all() {
        assert!(EventFilter::new().matches(&slow_call(Severity::Info)));
    }

    #[test]
    fn filter_kind_rejects_other() {
        assert!(!EventFilter::new().kinds([EventKind::SiteRegistered]).matches(&slow_call(Severity::Info)));
    }

    #[test]
    fn filter_severity_rejects_lower() {
        assert!(!EventFilter::new().min_severity(Severity::Warning).matches(&slow_call(Severity::Info)));
    }

    #[test]
    fn filter_site_accepts_same() {
        assert!(EventFilter::new().site("shop::checkout").matches(&slow_call(Severity::Info)));
    }

    #[test]
    fn filter_label_rejects_missing() {
        assert!(!EventFilter::new().label("team", "cart").matches(&slow_call(Severity::Info)));
    }
}
