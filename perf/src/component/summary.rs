//! The component registry: every site, cache, collector and health check grouped by the
//! component it names, with the component's health worked out from all of them.
//!
//! Nothing is registered twice: the registry is derived from the sites' `component`, each
//! collector's [`component`](crate::plugin::Collector::component) and each health check's
//! component, so `#[monitored(component = "...")]`, a collector and `#[perf::health_check]`
//! that name the same component all meet here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{CheckSnapshot, Health};
use crate::plugin::CollectorSnapshot;
use crate::snapshot::MetricValue;

/// One component: what belongs to it and its health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentSnapshot {
    /// Component name.
    pub name: String,
    /// Worst finding among its health checks, caches and collectors, healthy when there is
    /// none:
    ///
    /// - a health check counts as it returned, its reason prefixed with the check's name;
    /// - a cache in the `degraded` or `critical` state (its `cache_health_state` sample) makes
    ///   the component degraded or unhealthy;
    /// - a disabled collector makes it degraded.
    pub health: Health,
    /// Names of its instrumented sites.
    pub sites: Vec<String>,
    /// Names of its caches (collectors of kind `cache`).
    pub caches: Vec<String>,
    /// Names of its other collectors.
    pub collectors: Vec<String>,
    /// Results of its health checks.
    pub checks: Vec<CheckSnapshot>,
}

/// Groups sites (as `(component, name)` pairs), collectors and check results by component,
/// sorted by name, and works out each component's health.
pub(crate) fn summarize<'a>(
    sites: impl IntoIterator<Item = (&'a str, &'a str)>,
    collectors: &[CollectorSnapshot],
    checks: Vec<CheckSnapshot>,
) -> Vec<ComponentSnapshot> {
    let mut components: BTreeMap<String, ComponentSnapshot> = BTreeMap::new();
    let mut findings: BTreeMap<String, Vec<Health>> = BTreeMap::new();

    for (component, site) in sites {
        entry(&mut components, component).sites.push(site.to_owned());
    }

    for collector in collectors {
        let component = entry(&mut components, &collector.component);
        if collector.kind == "cache" {
            component.caches.push(collector.name.clone());
        } else {
            component.collectors.push(collector.name.clone());
        }
        findings.entry(collector.component.clone()).or_default().extend(collector_findings(collector));
    }

    for check in checks {
        let finding = match &check.health {
            Health::Healthy => Health::Healthy,
            Health::Degraded { reason } => Health::degraded(format!("{}: {reason}", check.name)),
            Health::Unhealthy { reason } => Health::unhealthy(format!("{}: {reason}", check.name)),
        };
        findings.entry(check.component.clone()).or_default().push(finding);
        entry(&mut components, &check.component).checks.push(check);
    }

    for (name, component) in &mut components {
        component.health = Health::worst_of(findings.remove(name).unwrap_or_default());
    }
    components.into_values().collect()
}

fn entry<'a>(components: &'a mut BTreeMap<String, ComponentSnapshot>, name: &str) -> &'a mut ComponentSnapshot {
    components.entry(name.to_owned()).or_insert_with(|| ComponentSnapshot {
        name: name.to_owned(),
        health: Health::Healthy,
        sites: Vec::new(),
        caches: Vec::new(),
        collectors: Vec::new(),
        checks: Vec::new(),
    })
}

/// Returns what a collector says about its component's health.
fn collector_findings(collector: &CollectorSnapshot) -> Vec<Health> {
    let mut findings = Vec::new();
    if !collector.enabled {
        let reason = collector.error.as_deref().unwrap_or("disabled");
        findings.push(Health::degraded(format!("collector `{}` is disabled: {reason}", collector.name)));
    }
    if collector.kind != "cache" {
        return findings;
    }

    let state = collector.samples.iter().find(|sample| {
        sample.name == "cache_health_state" && matches!(sample.value, MetricValue::Gauge(value) if value > 0)
    });
    let Some(state) = state.and_then(|sample| sample.labels.get("state")) else {
        return findings;
    };
    let score = collector.samples.iter().find(|sample| sample.name == "cache_health_score").and_then(|sample| {
        match sample.value {
            MetricValue::FloatGauge(score) => Some(score),
            _ => None,
        }
    });
    let detail = match score {
        Some(score) => format!("cache `{}` is {state} (health score {score:.0})", collector.name),
        None => format!("cache `{}` is {state}", collector.name),
    };
    match state.as_str() {
        "degraded" => findings.push(Health::degraded(detail)),
        "critical" | "unhealthy" => findings.push(Health::unhealthy(detail)),
        _ => {}
    }
    findings
}
