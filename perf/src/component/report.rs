//! The aggregate health of the process, for a `/healthz` endpoint or a readiness probe.

use serde::{Deserialize, Serialize};

use super::{check, summary, ComponentSnapshot, Health, HealthStatus};
use crate::snapshot::Snapshot;
use crate::{plugin, registry};

/// The health of every component and of the process as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthReport {
    /// Worst level among the components; `healthy` when there are none.
    pub status: HealthStatus,
    /// Each component's health, sorted by name.
    pub components: Vec<ComponentHealthEntry>,
}

/// The health of one component in a [`HealthReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentHealthEntry {
    /// Component name.
    pub name: String,
    /// Its health.
    pub health: Health,
}

/// Runs every health check and collector and returns the health of every component: the
/// function behind `/healthz`. Sites and metrics are not read, so it costs less than
/// [`snapshot`](crate::snapshot).
///
/// ```
/// let report = perf::component::health();
/// assert!(report.components.iter().any(|component| component.name == "process"));
/// let code = report.http_status();
/// assert!(code == 200 || code == 503);
/// ```
pub fn health() -> HealthReport {
    let sites = registry::all_sites();
    let site_names = sites.iter().map(|site| (site.info().component, site.info().name));
    let components = summary::summarize(site_names, &plugin::collect_all(), check::run_all());
    HealthReport::from_components(&components)
}

impl HealthReport {
    /// Builds the report from the components of a snapshot.
    pub fn from_components(components: &[ComponentSnapshot]) -> Self {
        let entries: Vec<ComponentHealthEntry> = components
            .iter()
            .map(|component| ComponentHealthEntry { name: component.name.clone(), health: component.health.clone() })
            .collect();
        let status = entries.iter().map(|entry| entry.health.status()).max().unwrap_or(HealthStatus::Healthy);
        HealthReport { status, components: entries }
    }

    /// Returns the HTTP status code for a health endpoint: 503 when a component is unhealthy,
    /// 200 otherwise (a degraded component still serves).
    pub fn http_status(&self) -> u16 {
        match self.status {
            HealthStatus::Unhealthy => 503,
            HealthStatus::Healthy | HealthStatus::Degraded => 200,
        }
    }

    /// Returns the components that are not healthy.
    pub fn problems(&self) -> impl Iterator<Item = &ComponentHealthEntry> {
        self.components.iter().filter(|entry| !entry.health.is_healthy())
    }
}

impl Snapshot {
    /// Finds a component by name.
    pub fn component(&self, name: &str) -> Option<&ComponentSnapshot> {
        self.components.iter().find(|component| component.name == name)
    }

    /// Returns the health of every component in this snapshot, and of the process.
    pub fn health(&self) -> HealthReport {
        HealthReport::from_components(&self.components)
    }
}
