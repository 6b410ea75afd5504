//! The CSV export (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or
//! line break quoted, quotes doubled), with a header row.
//!
//! Each export is one window: one row per site, per registered metric and per collector
//! sample, with the cumulative values and, for sites, the values of the collector's last
//! window. Scheduled exports append nothing; each file contains one export. The `csv` crate does
//! the quoting, since its writer is the most used and tested implementation of the RFC.
//!
//! Columns: `taken_at_ms`, `record` (`site`, `metric`, `sample`), `name`, `component`,
//! `collector` and `collector_kind` (for samples), `type`, `labels` (a JSON object, empty
//! without labels), `value` (counters and gauges), the site counts `calls`, `errors`,
//! `cancelled`, `in_flight`, `error_rate`, a distribution `count`, `min`, `max`, `mean`, `p50`,
//! `p90`, `p99`, `p999` with its `unit`, then the window columns, prefixed `window_`.

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;

use crate::metric::Distribution;
use crate::registry::MetricKind;
use crate::snapshot::{MetricValue, SiteSnapshot, Snapshot, Window};

/// Writes a snapshot as CSV.
///
/// ```
/// let mut out = Vec::new();
/// perf::export::write_csv(&perf::snapshot(), &mut out).unwrap();
/// assert!(out.starts_with(b"taken_at_ms,record,name,"));
/// ```
pub fn write_csv<W: io::Write>(snapshot: &Snapshot, out: W) -> io::Result<()> {
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(out);

    for site in &snapshot.sites {
        writer.serialize(site_row(snapshot.taken_at_ms, site)).map_err(into_io)?;
    }
    for metric in &snapshot.metrics {
        let row = Row {
            taken_at_ms: snapshot.taken_at_ms,
            record: "metric",
            name: &metric.name,
            kind: kind_name(metric.kind),
            labels: labels_json(&metric.labels),
            ..Row::default()
        };
        writer.serialize(with_value(row, &metric.value)).map_err(into_io)?;
    }
    for collector in &snapshot.collectors {
        for sample in &collector.samples {
            let row = Row {
                taken_at_ms: snapshot.taken_at_ms,
                record: "sample",
                name: &sample.name,
                component: &collector.component,
                collector: &collector.name,
                collector_kind: &collector.kind,
                kind: value_kind(&sample.value),
                labels: labels_json(&sample.labels),
                ..Row::default()
            };
            writer.serialize(with_value(row, &sample.value)).map_err(into_io)?;
        }
    }
    writer.flush()
}

/// Renders a snapshot as CSV into memory.
pub fn to_csv(snapshot: &Snapshot) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_csv(snapshot, &mut out);
    out
}

#[derive(Debug, Default, Serialize)]
struct Row<'a> {
    taken_at_ms: u64,
    record: &'static str,
    name: &'a str,
    component: &'a str,
    collector: &'a str,
    collector_kind: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    labels: String,
    value: Option<f64>,
    calls: Option<u64>,
    errors: Option<u64>,
    cancelled: Option<u64>,
    in_flight: Option<i64>,
    error_rate: Option<f64>,
    count: Option<u64>,
    min: Option<u64>,
    max: Option<u64>,
    mean: Option<f64>,
    p50: Option<u64>,
    p90: Option<u64>,
    p99: Option<u64>,
    p999: Option<u64>,
    unit: &'static str,
    window_end_ms: Option<u64>,
    window_seconds: Option<f64>,
    window_calls: Option<u64>,
    window_errors: Option<u64>,
    window_cancelled: Option<u64>,
    window_rate_per_sec: Option<f64>,
    window_error_rate: Option<f64>,
    window_p50: Option<f64>,
    window_p90: Option<f64>,
    window_p99: Option<f64>,
    window_p999: Option<f64>,
    window_max: Option<f64>,
    window_mean: Option<f64>,
}

fn site_row(taken_at_ms: u64, site: &SiteSnapshot) -> Row<'_> {
    let mut row = Row {
        taken_at_ms,
        record: "site",
        name: &site.name,
        component: &site.component,
        kind: "site",
        labels: labels_json(&site.labels),
        calls: Some(site.calls),
        errors: Some(site.errors),
        cancelled: Some(site.cancelled),
        in_flight: Some(site.in_flight),
        error_rate: Some(site.error_rate),
        ..Row::default()
    };
    if let Some(latency) = &site.latency {
        row = with_distribution(row, latency);
        row.unit = "nanoseconds";
    }
    if let Some(window) = &site.window {
        row = with_window(row, window);
    }
    row
}

fn with_value<'a>(mut row: Row<'a>, value: &MetricValue) -> Row<'a> {
    match value {
        MetricValue::Counter(total) => row.value = Some(*total as f64),
        MetricValue::Gauge(value) => row.value = Some(*value as f64),
        MetricValue::FloatGauge(value) => row.value = Some(*value),
        MetricValue::Histogram(Some(distribution)) => row = with_distribution(row, distribution),
        MetricValue::Histogram(None) => row.count = Some(0),
    }
    row
}

fn with_distribution<'a>(mut row: Row<'a>, distribution: &Distribution) -> Row<'a> {
    row.count = Some(distribution.count);
    row.min = Some(distribution.min);
    row.max = Some(distribution.max);
    row.mean = Some(distribution.mean);
    row.p50 = Some(distribution.p50);
    row.p90 = Some(distribution.p90);
    row.p99 = Some(distribution.p99);
    row.p999 = Some(distribution.p999);
    row
}

fn with_window<'a>(mut row: Row<'a>, window: &Window) -> Row<'a> {
    row.window_end_ms = Some(window.end_ms);
    row.window_seconds = Some(window.seconds);
    row.window_calls = Some(window.calls);
    row.window_errors = Some(window.errors);
    row.window_cancelled = Some(window.cancelled);
    row.window_rate_per_sec = Some(window.rate_per_sec);
    row.window_error_rate = Some(window.error_rate);
    if let Some(latency) = &window.latency {
        row.window_p50 = Some(latency.p50);
        row.window_p90 = Some(latency.p90);
        row.window_p99 = Some(latency.p99);
        row.window_p999 = Some(latency.p999);
        row.window_max = Some(latency.max);
        row.window_mean = Some(latency.mean);
    }
    row
}

fn labels_json(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return String::new();
    }
    serde_json::to_string(labels).unwrap_or_default()
}

fn kind_name(kind: MetricKind) -> &'static str {
    match kind {
        MetricKind::Counter => "counter",
        MetricKind::Gauge => "gauge",
        MetricKind::FloatGauge => "float_gauge",
        MetricKind::Histogram => "histogram",
    }
}

fn value_kind(value: &MetricValue) -> &'static str {
    match value {
        MetricValue::Counter(_) => "counter",
        MetricValue::Gauge(_) => "gauge",
        MetricValue::FloatGauge(_) => "float_gauge",
        MetricValue::Histogram(_) => "histogram",
    }
}

fn into_io(error: ::csv::Error) -> io::Error {
    match error.into_kind() {
        ::csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}
