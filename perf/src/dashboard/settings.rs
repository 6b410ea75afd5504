//! The Settings view's routes, over the configuration of the process (`perf::config`). Every
//! change goes through the configuration's own validation, as if it were written in the file:
//!
//! - `GET /api/settings`: the file, the active profile and the others, the thresholds with
//!   their editable values, and the monitoring toggles;
//! - `POST /api/settings/threshold` with `{"threshold": NAME, "field": "above", "value":
//!   "300ms"}`: 422 with the validation errors when the value is rejected;
//! - `POST /api/settings/profile` with `{"profile": NAME}`: loads the file again with that
//!   profile.

use serde::{Deserialize, Serialize};

use super::response::Response;
use crate::config::{self, ConfigErrors, LoadOptions};

#[derive(Debug, Serialize)]
struct SettingsReply {
    /// The configuration file, when the process loaded one.
    file: Option<String>,
    profile: Option<String>,
    /// The profiles of the file, when it loads with each of them.
    profiles: Vec<String>,
    thresholds: Vec<ThresholdField>,
    toggles: Vec<Toggle>,
}

/// One editable value of a threshold.
#[derive(Debug, Serialize)]
struct ThresholdField {
    threshold: String,
    field: String,
    value: String,
    metric: String,
    kind: String,
}

/// A monitoring switch: `target` is the key of `POST /api/toggle` that turns it.
#[derive(Debug, Serialize)]
struct Toggle {
    target: &'static str,
    key: String,
    label: String,
    enabled: bool,
    detail: String,
}

#[derive(Debug, Serialize)]
struct FieldError {
    key: String,
    message: String,
    /// `file:line:column: message`.
    location: String,
}

#[derive(Debug, Serialize)]
struct RejectedReply {
    error: String,
    errors: Vec<FieldError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdRequest {
    threshold: String,
    field: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileRequest {
    profile: String,
}

/// Fields of a serialized threshold that are not bounds or parameters.
const NOT_EDITABLE: [&str; 2] = ["metric", "kind"];

pub(crate) fn show() -> Response {
    let store = config::store();
    let settings = config::current();
    let thresholds =
        settings.thresholds.iter().flat_map(|(name, threshold)| threshold_fields(name, threshold)).collect();

    let snapshot = crate::snapshot();
    let mut toggles: Vec<Toggle> = super::ComponentView::all(&snapshot)
        .into_iter()
        .filter(|component| !component.sites.is_empty())
        .map(|component| {
            let on = component.sites.iter().filter(|site| site.enabled).count();
            Toggle {
                target: "component",
                label: format!("component {}", component.name),
                detail: format!("{on} of {} sites monitored", component.sites.len()),
                enabled: on > 0,
                key: component.name,
            }
        })
        .collect();
    if store.is_some() {
        toggles.extend(super::CacheView::all(&snapshot).into_iter().map(|cache| Toggle {
            target: "cache",
            label: format!("cache {}", cache.name),
            detail: "cache monitoring in the configuration".to_owned(),
            enabled: config::cache_enabled(&cache.name),
            key: cache.name,
        }));
    }

    let reply = SettingsReply {
        file: store.as_ref().map(|store| store.path().display().to_string()),
        profile: store.as_ref().and_then(|store| store.loaded().profile.clone()),
        profiles: store.as_ref().map(|store| profiles(store.path())).unwrap_or_default(),
        thresholds,
        toggles,
    };
    Response::json(200, &reply)
}

pub(crate) fn set_threshold(body: &[u8]) -> Response {
    let request: ThresholdRequest = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(error) => {
            return Response::error(
                400,
                format!(
                "invalid threshold change: {error}; expected {{\"threshold\": NAME, \"field\": KEY, \"value\": TEXT}}"
            ),
            )
        }
    };
    if config::store().is_none() {
        return no_file();
    }
    match config::set_threshold(&request.threshold, &request.field, request.value.trim()) {
        Ok(settings) => {
            let value = settings
                .thresholds
                .get(&request.threshold)
                .and_then(|threshold| {
                    threshold_fields(&request.threshold, threshold)
                        .into_iter()
                        .find(|field| field.field == request.field)
                })
                .map_or_else(|| request.value.clone(), |field| field.value);
            tracing::info!(threshold = %request.threshold, field = %request.field, %value, "perf dashboard: threshold changed");
            Response::json(
                200,
                &serde_json::json!({ "threshold": request.threshold, "field": request.field, "value": value }),
            )
        }
        Err(errors) => rejected(&errors),
    }
}

pub(crate) fn set_profile(body: &[u8]) -> Response {
    let request: ProfileRequest = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(error) => {
            return Response::error(400, format!("invalid profile change: {error}; expected {{\"profile\": NAME}}"))
        }
    };
    let Some(store) = config::store() else { return no_file() };
    let path = store.path().to_owned();
    let known = profiles(&path);
    if !known.contains(&request.profile) {
        let message =
            format!("unknown profile {:?}; the file {} defines {}", request.profile, path.display(), list(&known));
        return Response::json(422, &RejectedReply { error: message, errors: Vec::new() });
    }
    match config::init(&path, LoadOptions::new().profile(&request.profile)) {
        Ok(_) => {
            tracing::info!(profile = %request.profile, file = %path.display(), "perf dashboard: profile switched");
            Response::json(200, &serde_json::json!({ "profile": request.profile }))
        }
        Err(errors) => rejected(&errors),
    }
}

/// Switches a cache's monitoring through the configuration.
pub(crate) fn set_cache_enabled(cache: &str, enabled: bool) -> Response {
    if config::store().is_none() {
        return no_file();
    }
    match config::set_cache_enabled(cache, enabled) {
        Ok(_) => Response::json(200, &serde_json::json!({ "changed": 1, "enabled": enabled })),
        Err(errors) => rejected(&errors),
    }
}

/// Returns the editable fields of a threshold: its bounds and parameters as written in the file.
fn threshold_fields(name: &str, threshold: &config::Threshold) -> Vec<ThresholdField> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(threshold) else {
        return Vec::new();
    };
    let text = |value: &serde_json::Value| match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let metric = fields.get("metric").map(text).unwrap_or_default();
    let kind = fields.get("kind").map(text).unwrap_or_default();
    fields
        .iter()
        .filter(|(key, value)| {
            !NOT_EDITABLE.contains(&key.as_str()) && !value.is_null() && !value.is_object() && !value.is_array()
        })
        .map(|(key, value)| ThresholdField {
            threshold: name.to_owned(),
            field: key.clone(),
            value: text(value),
            metric: metric.clone(),
            kind: kind.clone(),
        })
        .collect()
}

/// Returns the profiles of the file, or none when it does not load with every one of them.
fn profiles(path: &std::path::Path) -> Vec<String> {
    match config::check_file(path, &LoadOptions::new().without_env()) {
        Ok(loads) => loads.into_iter().filter_map(|loaded| loaded.profile).collect(),
        Err(errors) => {
            tracing::warn!(file = %path.display(), errors = errors.len(), "perf dashboard: profiles not listed, the file has errors");
            Vec::new()
        }
    }
}

pub(crate) fn rejected(errors: &ConfigErrors) -> Response {
    let errors: Vec<FieldError> = errors
        .errors()
        .iter()
        .map(|error| FieldError { key: error.key.clone(), message: error.message.clone(), location: error.to_string() })
        .collect();
    let error = errors.first().map_or_else(|| "the change was rejected".to_owned(), |first| first.message.clone());
    Response::json(422, &RejectedReply { error, errors })
}

fn no_file() -> Response {
    Response::error(
        409,
        "no configuration file is loaded in this process; start it with perf::config::init(\"perf.toml\", ...) to change settings at run time",
    )
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "no profiles".to_owned();
    }
    names.join(", ")
}
