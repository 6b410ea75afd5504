//! Events found by comparing one snapshot with the previous one: sites and collectors seen for
//! the first time, and caches whose health state changed.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::SystemTime;

use super::{Event, EventData, Severity};
use crate::snapshot::{MetricValue, Snapshot};

#[derive(Default)]
struct Seen {
    sites: HashSet<String>,
    collectors: HashSet<String>,
    cache_health: HashMap<String, String>,
}

static SEEN: Mutex<Option<Seen>> = Mutex::new(None);

/// Emits the registration and cache health events that `snapshot` reveals.
pub(crate) fn compare(snapshot: &Snapshot, now: SystemTime) {
    let mut guard = SEEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let seen = guard.get_or_insert_with(Seen::default);

    for site in &snapshot.sites {
        if seen.sites.insert(site.name.clone()) {
            let event = Event::new(now, Severity::Info, EventData::SiteRegistered)
                .with_component(site.component.clone())
                .with_site(site.name.clone());
            super::emit(event);
        }
    }

    for collector in &snapshot.collectors {
        if seen.collectors.insert(collector.name.clone()) {
            let data = EventData::ComponentRegistered {
                collector: collector.name.clone(),
                collector_kind: collector.kind.clone(),
            };
            super::emit(Event::new(now, Severity::Info, data).with_component(collector.component.clone()));
        }
        if collector.kind != "cache" {
            continue;
        }

        let Some(state) = health_state(&collector.samples) else { continue };
        let previous = seen.cache_health.insert(collector.name.clone(), state.clone());
        if previous.as_deref() == Some(state.as_str()) {
            continue;
        }
        let score =
            collector.samples.iter().find(|sample| sample.name == "cache_health_score").and_then(|sample| match sample
                .value
            {
                MetricValue::FloatGauge(score) => Some(score),
                MetricValue::Gauge(score) => Some(score as f64),
                _ => None,
            });
        let severity = match state.as_str() {
            "critical" => Severity::Critical,
            "degraded" => Severity::Warning,
            _ => Severity::Info,
        };
        let data = EventData::CacheHealthChanged { cache: collector.name.clone(), from: previous, to: state, score };
        super::emit(Event::new(now, severity, data).with_component(collector.component.clone()));
    }
}

/// Returns the `state` label of the `cache_health_state` gauge that is 1, as perf-cache
/// reports it.
fn health_state(samples: &[crate::plugin::Sample]) -> Option<String> {
    samples
        .iter()
        .filter(|sample| sample.name == "cache_health_state")
        .find(|sample| matches!(sample.value, MetricValue::Gauge(1)))
        .and_then(|sample| sample.labels.get("state").cloned())
}
