//! `GET /api/components`: the components of the process with their sites and plugin
//! collectors (caches among them), grouped from a snapshot.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::snapshot::Snapshot;

/// One component and what belongs to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentView {
    /// Component name.
    pub name: String,
    /// Health state (`healthy`, `degraded`, `unhealthy`), when the component reports one.
    pub health: Option<String>,
    /// Reason for that health, when the component gives one.
    pub health_detail: Option<String>,
    /// The component's instrumented sites, sorted by name.
    pub sites: Vec<ComponentSite>,
    /// The component's plugin collectors, sorted by name.
    pub collectors: Vec<ComponentCollector>,
}

/// A site of a component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentSite {
    /// Full name of the site.
    pub name: String,
    /// Name of the function.
    pub function: String,
    /// Whether monitoring of the site is on.
    pub enabled: bool,
    /// Completed calls since the start of the process.
    pub calls: u64,
    /// Errors since the start of the process.
    pub errors: u64,
}

/// A plugin collector of a component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentCollector {
    /// Collector name.
    pub name: String,
    /// Kind of collector (`cache`, `process`, `custom`, ...).
    pub kind: String,
    /// Whether the collector runs.
    pub enabled: bool,
    /// Reason the collector produced no samples: it failed, is disabled or is not supported.
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ComponentsReply {
    pub(crate) components: Vec<ComponentView>,
}

impl ComponentView {
    /// Groups the sites and collectors of a snapshot by component, sorted by component name.
    pub fn all(snapshot: &Snapshot) -> Vec<ComponentView> {
        let names = snapshot.sites.iter().map(|site| &site.component);
        let names = names.chain(snapshot.collectors.iter().map(|collector| &collector.component));
        let mut components: BTreeMap<&str, ComponentView> = names
            .map(|name| {
                let view = ComponentView {
                    name: name.clone(),
                    health: None,
                    health_detail: None,
                    sites: Vec::new(),
                    collectors: Vec::new(),
                };
                (name.as_str(), view)
            })
            .collect();

        for site in &snapshot.sites {
            let component = components.get_mut(site.component.as_str()).expect("entry created above");
            component.sites.push(ComponentSite {
                name: site.name.clone(),
                function: site.function.clone(),
                enabled: site.enabled,
                calls: site.calls,
                errors: site.errors,
            });
        }
        for collector in &snapshot.collectors {
            let component = components.get_mut(collector.component.as_str()).expect("entry created above");
            component.collectors.push(ComponentCollector {
                name: collector.name.clone(),
                kind: collector.kind.clone(),
                enabled: collector.enabled,
                error: collector.error.clone(),
            });
        }

        // NOTE: health stays `None` until the component registry reports one; a collector
        // that failed while enabled is the only sign of trouble read here.
        let mut views: Vec<ComponentView> = components.into_values().collect();
        for view in &mut views {
            view.sites.sort_by(|a, b| a.name.cmp(&b.name));
            view.collectors.sort_by(|a, b| a.name.cmp(&b.name));
            if let Some(failed) =
                view.collectors.iter().find(|collector| collector.enabled && collector.error.is_some())
            {
                view.health = Some("degraded".to_owned());
                view.health_detail = Some(format!("collector {} failed", failed.name));
            }
        }
        views
    }
}
