//! `POST /api/toggle`: turns monitoring of a site, of every site of a component, of a cache or
//! of a plugin collector on or off.
//!
//! Body: `{"site": "app::checkout", "enabled": false}`, `{"component": "payments", "enabled":
//! true}`, `{"cache": "sessions", "enabled": false}` or `{"collector": "process", "enabled":
//! true}`. When the process has a configuration file, sites, components and caches change
//! through it: the change is an override that passes the same validation as the file and stays
//! across reloads. Without a file, sites and components change in the registry directly.

use serde::{Deserialize, Serialize};

use super::response::Response;
use super::settings::rejected;
use crate::{config, plugin, registry};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ToggleRequest {
    site: Option<String>,
    component: Option<String>,
    cache: Option<String>,
    collector: Option<String>,
    enabled: bool,
}

#[derive(Debug, Serialize)]
struct ToggleReply {
    /// Sites whose monitoring was set.
    changed: usize,
    enabled: bool,
}

pub(crate) fn respond(body: &[u8]) -> Response {
    let request: ToggleRequest = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(error) => {
            return Response::error(
                400,
                format!(
                    "invalid toggle request: {error}; expected {{\"site\", \"component\", \"cache\" or \"collector\": NAME, \"enabled\": BOOL}}"
                ),
            )
        }
    };

    let targets = [&request.site, &request.component, &request.cache, &request.collector];
    if targets.iter().filter(|target| target.is_some()).count() != 1 {
        return Response::error(
            400,
            "invalid toggle request: give exactly one of \"site\", \"component\", \"cache\" and \"collector\"",
        );
    }
    let enabled = request.enabled;
    let changed = if let Some(site) = &request.site {
        let count = registry::all_sites().iter().filter(|entry| entry.info().name == site).count();
        if count == 0 {
            return Response::error(404, format!("no site is named {site:?}; GET /api/snapshot lists the sites"));
        }
        if config::store().is_some() {
            if let Err(errors) = config::set_site_enabled(site, enabled) {
                return rejected(&errors);
            }
        } else {
            let _ = registry::set_site_enabled(site, enabled);
        }
        count
    } else if let Some(component) = &request.component {
        let count = registry::all_sites().iter().filter(|entry| entry.info().component == component).count();
        if count == 0 {
            return Response::error(
                404,
                format!("component {component:?} has no sites; GET /api/components lists the components"),
            );
        }
        if config::store().is_some() {
            if let Err(errors) = config::set_component_enabled(component, enabled) {
                return rejected(&errors);
            }
        } else {
            registry::set_component_enabled(component, enabled);
        }
        count
    } else if let Some(cache) = &request.cache {
        return super::settings::set_cache_enabled(cache, enabled);
    } else {
        let collector = request.collector.as_deref().unwrap_or_default();
        let result = if enabled { plugin::enable(collector) } else { plugin::disable(collector) };
        if result.is_err() {
            return Response::error(
                404,
                format!("no collector is named {collector:?}; GET /api/components lists them"),
            );
        }
        1
    };

    tracing::info!(
        site = ?request.site,
        component = ?request.component,
        cache = ?request.cache,
        collector = ?request.collector,
        enabled = request.enabled,
        changed,
        "perf dashboard: monitoring toggled"
    );
    Response::json(200, &ToggleReply { changed, enabled: request.enabled })
}
