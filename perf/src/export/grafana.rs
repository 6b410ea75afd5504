//! A Grafana dashboard for the exported families, to import into Grafana (Dashboards, New,
//! Import) on top of a Prometheus data source.
//!
//! Rows: functions (call rate, error ratio, errors by kind, p50 and p99 latency, calls in
//! flight), one repeated row per cache (hit ratio, lookups by result, evictions by cause, size,
//! weighted size, health score), and exports. Variables select the data source, the `job`, the
//! component, the function and the caches. The JSON follows the dashboard schema of Grafana 10
//! and 11 (`schemaVersion` 39).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Settings of the generated dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardOptions {
    /// Dashboard title.
    pub title: String,
    /// Dashboard UID, stable across imports so that a new import replaces the old one.
    pub uid: String,
    /// The exposition's namespace (`perf` by default).
    pub namespace: String,
}

impl Default for DashboardOptions {
    fn default() -> Self {
        DashboardOptions { title: "perf".to_owned(), uid: "perf-overview".to_owned(), namespace: "perf".to_owned() }
    }
}

/// Returns the dashboard as JSON.
///
/// ```
/// let dashboard = perf::export::grafana::dashboard(&Default::default());
/// assert_eq!(dashboard["uid"], "perf-overview");
/// assert!(dashboard["panels"].as_array().unwrap().len() > 5);
/// ```
pub fn dashboard(options: &DashboardOptions) -> Value {
    let metric = |name: &str| {
        if options.namespace.is_empty() {
            name.to_owned()
        } else {
            format!("{}_{name}", options.namespace)
        }
    };
    let calls = metric("calls_total");
    let errors = metric("call_errors_total");
    let duration = metric("call_duration_seconds_bucket");
    let in_flight = metric("calls_in_flight");
    let gets = metric("cache_gets_total");
    let evictions = metric("cache_evictions_total");
    let export_runs = metric("export_runs_total");
    let build_info = metric("build_info");

    let sites = r#"job=~"$job",component=~"$component",function=~"$function""#;
    let cache = r#"job=~"$job",cache=~"$cache""#;
    let by_site = "job, component, function";
    let legend_site = "{{function}} ({{job}})";

    let mut layout = Layout::default();
    let mut panels = vec![layout.row("Functions", None)];
    panels.push(layout.timeseries(
        "Call rate",
        "reqps",
        vec![target(&format!("sum by ({by_site}) (rate({calls}{{{sites}}}[$__rate_interval]))"), legend_site)],
    ));
    panels.push(layout.timeseries(
        "Error ratio",
        "percentunit",
        vec![target(
            &format!(
                "sum by ({by_site}) (rate({calls}{{{sites},result=\"error\"}}[$__rate_interval]))\n/ sum by ({by_site}) (rate({calls}{{{sites}}}[$__rate_interval]))"
            ),
            legend_site,
        )],
    ));
    panels.push(layout.timeseries(
        "Errors by kind",
        "reqps",
        vec![target(
            &format!("sum by (job, function, kind) (rate({errors}{{{sites}}}[$__rate_interval]))"),
            "{{function}}: {{kind}}",
        )],
    ));
    panels.push(layout.timeseries(
        "Latency p50 and p99",
        "s",
        vec![
            target(
                &format!(
                    "histogram_quantile(0.5, sum by ({by_site}, le) (rate({duration}{{{sites}}}[$__rate_interval])))"
                ),
                "p50 {{function}} ({{job}})",
            ),
            target(
                &format!(
                    "histogram_quantile(0.99, sum by ({by_site}, le) (rate({duration}{{{sites}}}[$__rate_interval])))"
                ),
                "p99 {{function}} ({{job}})",
            ),
        ],
    ));
    panels.push(layout.timeseries(
        "Calls in flight",
        "short",
        vec![target(&format!("sum by ({by_site}) ({in_flight}{{{sites}}})"), legend_site)],
    ));

    panels.push(layout.row("Cache $cache", Some("cache")));
    panels.push(layout.timeseries(
        "Hit ratio",
        "percentunit",
        vec![target(
            &format!(
                "sum by (job, cache) (rate({gets}{{{cache},result=\"hit\"}}[$__rate_interval]))\n/ sum by (job, cache) (rate({gets}{{{cache}}}[$__rate_interval]))"
            ),
            "{{cache}} ({{job}})",
        )],
    ));
    panels.push(layout.timeseries(
        "Lookups by result",
        "reqps",
        vec![target(
            &format!("sum by (job, cache, result) (rate({gets}{{{cache}}}[$__rate_interval]))"),
            "{{result}} ({{job}})",
        )],
    ));
    panels.push(layout.timeseries(
        "Evictions by cause",
        "reqps",
        vec![target(
            &format!("sum by (job, cache, cause) (rate({evictions}{{{cache}}}[$__rate_interval]))"),
            "{{cause}} ({{job}})",
        )],
    ));
    panels.push(layout.timeseries(
        "Size",
        "short",
        vec![
            target(&format!("sum by (job, cache) ({}{{{cache}}})", metric("cache_size")), "entries ({{job}})"),
            target(
                &format!("sum by (job, cache) ({}{{{cache}}})", metric("cache_weighted_size")),
                "weighted ({{job}})",
            ),
        ],
    ));
    panels.push(layout.timeseries(
        "Health score",
        "short",
        vec![target(&format!("min by (job, cache) ({}{{{cache}}})", metric("cache_health_score")), "{{job}}")],
    ));

    panels.push(layout.row("Exports", None));
    panels.push(layout.timeseries(
        "Export runs by result",
        "short",
        vec![target(
            &format!("sum by (job, export, result) (increase({export_runs}{{job=~\"$job\"}}[$__rate_interval]))"),
            "{{export}} {{result}} ({{job}})",
        )],
    ));

    json!({
        "title": options.title,
        "uid": options.uid,
        "tags": ["perf"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "editable": true,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [
            {
                "name": "datasource",
                "label": "Data source",
                "type": "datasource",
                "query": "prometheus",
                "current": {},
                "hide": 0,
            },
            query_variable("job", "Job", &format!("label_values({build_info}, job)")),
            query_variable("component", "Component", &format!("label_values({calls}{{job=~\"$job\"}}, component)")),
            query_variable("function", "Function", &format!("label_values({calls}{{job=~\"$job\",component=~\"$component\"}}, function)")),
            query_variable("cache", "Cache", &format!("label_values({gets}{{job=~\"$job\"}}, cache)")),
        ]},
        "panels": panels,
    })
}

/// Returns every PromQL expression of the dashboard's panels and variables, for checks.
pub fn expressions(dashboard: &Value) -> Vec<String> {
    let mut expressions = Vec::new();
    for panel in dashboard["panels"].as_array().into_iter().flatten() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            if let Some(expr) = target["expr"].as_str() {
                expressions.push(expr.to_owned());
            }
        }
    }
    expressions
}

/// Places panels two per line, with rows across the whole width.
#[derive(Default)]
struct Layout {
    next_id: u64,
    y: u64,
    column: u64,
}

impl Layout {
    fn row(&mut self, title: &str, repeat: Option<&str>) -> Value {
        if self.column != 0 {
            self.y += 8;
            self.column = 0;
        }
        self.next_id += 1;
        let mut row = json!({
            "id": self.next_id,
            "type": "row",
            "title": title,
            "collapsed": false,
            "panels": [],
            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y},
        });
        if let Some(variable) = repeat {
            row["repeat"] = json!(variable);
        }
        self.y += 1;
        row
    }

    fn timeseries(&mut self, title: &str, unit: &str, targets: Vec<Value>) -> Value {
        self.next_id += 1;
        let x = self.column * 12;
        let panel = json!({
            "id": self.next_id,
            "type": "timeseries",
            "title": title,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"h": 8, "w": 12, "x": x, "y": self.y},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
            "targets": targets,
        });
        self.column += 1;
        if self.column == 2 {
            self.column = 0;
            self.y += 8;
        }
        panel
    }
}

fn target(expr: &str, legend: &str) -> Value {
    json!({
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "expr": expr,
        "legendFormat": legend,
        "refId": "A",
    })
}

fn query_variable(name: &str, label: &str, query: &str) -> Value {
    json!({
        "name": name,
        "label": label,
        "type": "query",
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "query": {"query": query, "refId": format!("{name}-values")},
        "definition": query,
        "refresh": 2,
        "multi": true,
        "includeAll": true,
        "allValue": ".*",
        "current": {},
        "sort": 1,
        "hide": 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_ids_are_unique() {
        let dashboard = dashboard(&DashboardOptions::default());
        let mut ids: Vec<u64> =
            dashboard["panels"].as_array().unwrap().iter().map(|panel| panel["id"].as_u64().unwrap()).collect();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }

    #[test]
    fn namespace_prefixes_every_metric() {
        let options = DashboardOptions { namespace: "shop".into(), ..DashboardOptions::default() };
        let expressions = expressions(&dashboard(&options));
        assert!(!expressions.is_empty());
        for expr in &expressions {
            assert!(!expr.contains("perf_"), "{expr}");
            assert!(expr.contains("shop_"), "{expr}");
        }
    }

    #[test]
    fn cache_row_repeats_per_cache() {
        let dashboard = dashboard(&DashboardOptions::default());
        let rows: Vec<&Value> =
            dashboard["panels"].as_array().unwrap().iter().filter(|panel| panel["type"] == "row").collect();
        assert_eq!(rows.iter().filter(|row| row["repeat"] == "cache").count(), 1);
    }
}
