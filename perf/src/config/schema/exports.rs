//! `[exports.NAME]`: scheduled exports of the metrics to files, and `[http]`: the endpoint
//! that serves scrapes and the dashboard.
//!
//! ```toml
//! [exports.prometheus]
//! format = "prometheus"
//! path = "/var/lib/perf/metrics.prom"
//! interval = "15s"
//!
//! [http]
//! enabled = true
//! listen = "127.0.0.1:9898"
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::config::decode::Decoder;
use crate::config::tree::Node;
use crate::config::units::serialize_duration;
use crate::config::values;

/// One scheduled export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Export {
    /// Format of the file.
    pub format: ExportFormat,
    /// Path of the file, replaced atomically at each export.
    pub path: PathBuf,
    /// Time between two exports.
    #[serde(serialize_with = "serialize_duration")]
    pub interval: Duration,
    /// Whether the file is gzip-compressed.
    pub gzip: bool,
    /// Whether the export runs.
    pub enabled: bool,
}

/// Formats of exported metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// JSON, the snapshot as serialized by serde.
    Json,
    /// Comma-separated values, one row per site.
    Csv,
    /// Prometheus text exposition format 0.0.4.
    Prometheus,
    /// OpenMetrics text format 1.0.
    Openmetrics,
}

/// The HTTP endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HttpSettings {
    /// Whether the endpoint is served.
    pub enabled: bool,
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// Path of the Prometheus scrape endpoint; starts with `/`.
    pub metrics_path: String,
    /// Whether the dashboard is served at `/`.
    pub dashboard: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            enabled: false,
            listen: SocketAddr::from(([127, 0, 0, 1], 9898)),
            metrics_path: "/metrics".to_owned(),
            dashboard: true,
        }
    }
}

const FORMATS: &[&str] = &["json", "csv", "prometheus", "openmetrics"];

pub(crate) fn decode_export(cx: &mut Decoder<'_>, _name: &str, node: &Node, key: &str) -> Option<Export> {
    let mut fields = cx.fields(node, key)?;
    let example = "format = \"prometheus\" (one of json, csv, prometheus, openmetrics)";
    let format = fields.require(cx, "format", example, |cx, node, key| values::choice(cx, node, key, FORMATS));
    let path = fields.require(cx, "path", "path = \"/var/lib/perf/metrics.prom\"", values::non_empty_string);
    let interval = fields.get(cx, "interval", values::positive_duration).unwrap_or(Duration::from_secs(60));
    let gzip = fields.get(cx, "gzip", values::boolean).unwrap_or(false);
    let enabled = fields.get(cx, "enabled", values::boolean).unwrap_or(true);
    fields.finish(cx);

    let format = match format? {
        "json" => ExportFormat::Json,
        "csv" => ExportFormat::Csv,
        "prometheus" => ExportFormat::Prometheus,
        _ => ExportFormat::Openmetrics,
    };
    Some(Export { format, path: PathBuf::from(path?), interval, gzip, enabled })
}

pub(crate) fn decode_http(cx: &mut Decoder<'_>, node: &Node, key: &str) -> HttpSettings {
    let mut settings = HttpSettings::default();
    let Some(mut fields) = cx.fields(node, key) else {
        return settings;
    };
    if let Some(enabled) = fields.get(cx, "enabled", values::boolean) {
        settings.enabled = enabled;
    }
    if let Some(listen) = fields.get(cx, "listen", socket_address) {
        settings.listen = listen;
    }
    if let Some(path) = fields.get(cx, "metrics_path", url_path) {
        settings.metrics_path = path;
    }
    if let Some(dashboard) = fields.get(cx, "dashboard", values::boolean) {
        settings.dashboard = dashboard;
    }
    fields.finish(cx);
    settings
}

fn socket_address(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<SocketAddr> {
    let text = values::string(cx, node, key)?;
    match text.parse() {
        Ok(address) => Some(address),
        Err(_) => {
            let message =
                format!("{key}: invalid address {text:?}; expected an IP address and a port, like \"127.0.0.1:9898\"");
            cx.error(&node.origin, key, message);
            None
        }
    }
}

fn url_path(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<String> {
    let text = values::string(cx, node, key)?;
    if !text.starts_with('/') || text.contains(char::is_whitespace) {
        let message = format!("{key}: invalid path {text:?}; expected a path starting with `/`, like \"/metrics\"");
        cx.error(&node.origin, key, message);
        return None;
    }
    Some(text)
}
