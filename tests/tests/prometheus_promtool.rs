//! `promtool`, Prometheus's own checker, on what perf generates: the exposition (with its lint
//! rules), the rule files, and the PromQL of the Grafana dashboard.

mod prometheus;

use std::collections::BTreeMap;
use std::time::Duration;

use perf::export::grafana::{self, DashboardOptions};
use perf::export::rules::{self, AlertRule, RuleGroup};
use perf::export::{Exposition, ExpositionOptions, HistogramExposition, TextFormat};
use prometheus::{fixture, promtool};

fn exposition_text(options: ExpositionOptions) -> Vec<u8> {
    fixture::install();
    let mut out = Vec::new();
    Exposition::new(options).expect("valid options").scrape(TextFormat::Prometheus, &mut out);
    out
}

fn assert_clean_check(args: &[&str], input: &[u8]) {
    let output = promtool(args, input);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "promtool {args:?} failed ({}):\n{stdout}{stderr}\ninput:\n{}",
        output.status,
        String::from_utf8_lossy(input)
    );
    if args.contains(&"metrics") {
        assert!(stdout.trim().is_empty(), "promtool reported lint problems:\n{stdout}");
        assert!(stderr.trim().is_empty(), "promtool reported lint problems:\n{stderr}");
    }
}

#[test]
fn check_metrics_passes_histograms() {
    assert_clean_check(&["check", "metrics"], &exposition_text(ExpositionOptions::default()));
}

#[test]
fn check_metrics_passes_summaries() {
    let options = ExpositionOptions { histograms: HistogramExposition::Summary, ..ExpositionOptions::default() };
    assert_clean_check(&["check", "metrics"], &exposition_text(options));
}

#[test]
fn check_metrics_passes_served_metrics() {
    fixture::install();
    let server = perf::serve(std::net::SocketAddr::from(([127, 0, 0, 1], 0))).expect("the server starts");
    let url = format!("http://{}/metrics", server.local_addr());
    let mut response =
        prometheus::http_client().get(&url).header("Accept", "text/plain").call().expect("scrape /metrics");
    assert_eq!(response.status(), 200);
    let body = response.body_mut().read_to_vec().expect("read /metrics");
    assert_clean_check(&["check", "metrics"], &body);
}

#[test]
fn check_metrics_rejects_broken_input() {
    // The checker itself must be able to fail, or the tests above prove nothing.
    let output = promtool(&["check", "metrics"], b"# TYPE x counter\nx_total{a=\"1\"} not-a-number\n");
    assert!(!output.status.success());
    let output = promtool(&["check", "metrics"], b"# HELP requests no suffix\n# TYPE requests counter\nrequests 1\n");
    assert!(!output.status.success(), "a counter without _total is a lint problem");
}

fn check_rule_file(groups: &[RuleGroup]) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("rules.yml");
    rules::write_rule_file(&path, groups).expect("write the rule file");
    let path = path.to_string_lossy().into_owned();
    assert_clean_check(&["check", "rules", &path], b"");
}

#[test]
fn check_rules_accepts_recommended() {
    check_rule_file(&[rules::recommended("perf")]);
}

#[test]
fn check_rules_accepts_every_field() {
    let rule = AlertRule {
        name: "CheckoutSlow".into(),
        expr: "histogram_quantile(0.99, sum by (le) (rate(perf_call_duration_seconds_bucket{function=\"checkout\"}[5m])))\n  > 0.5".into(),
        for_duration: Some(Duration::from_secs(90)),
        keep_firing_for: Some(Duration::from_secs(30)),
        labels: BTreeMap::from([("severity".into(), "page".into()), ("team".into(), "payments: \"core\"".into())]),
        annotations: BTreeMap::from([
            ("summary".into(), "p99 of {{ $labels.function }} is {{ $value | humanizeDuration }}".into()),
            ("runbook".into(), "Line one.\nLine two: check the 'payments' dashboard.".into()),
        ]),
    };
    let group = RuleGroup { name: "checkout".into(), interval: Some(Duration::from_secs(30)), rules: vec![rule] };
    check_rule_file(&[group, rules::recommended("perf")]);
}

#[test]
fn check_rules_rejects_bad_promql() {
    let rule =
        AlertRule { name: "Broken".into(), expr: "sum(rate(perf_calls_total[5m])".into(), ..AlertRule::default() };
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("rules.yml");
    rules::write_rule_file(&path, &[RuleGroup { name: "g".into(), interval: None, rules: vec![rule] }]).unwrap();
    let output = promtool(&["check", "rules", &path.to_string_lossy()], b"");
    assert!(!output.status.success(), "promtool accepts an unbalanced parenthesis");
}

#[test]
fn grafana_queries_are_valid_promql() {
    // promtool has no expression checker; each query becomes the expression of a rule.
    let dashboard = grafana::dashboard(&DashboardOptions::default());
    let rules: Vec<AlertRule> = grafana::expressions(&dashboard)
        .iter()
        .enumerate()
        .map(|(index, expr)| AlertRule {
            name: format!("Panel{index}"),
            expr: expr.replace("$__rate_interval", "5m").replace("=~\"$job\"", "=~\".*\"").replace("$", ""),
            ..AlertRule::default()
        })
        .collect();
    assert!(rules.len() >= 10, "the dashboard has panels for sites, caches and exports");
    check_rule_file(&[RuleGroup { name: "dashboard".into(), interval: None, rules }]);
}

#[test]
fn grafana_queries_name_exposed_families() {
    let text = String::from_utf8(exposition_text(ExpositionOptions::default())).unwrap();
    let dashboard = grafana::dashboard(&DashboardOptions::default());
    for expr in grafana::expressions(&dashboard) {
        for name in metric_names(&expr) {
            // Export families appear once a scheduled export runs; the others must be here now.
            if name.starts_with("perf_export_") {
                continue;
            }
            assert!(text.lines().any(|line| line.starts_with(&name)), "{name} in {expr:?} is not exposed");
        }
    }
}

/// Returns the `perf_` metric names an expression selects.
fn metric_names(expr: &str) -> Vec<String> {
    expr.split(|character: char| !(character.is_ascii_alphanumeric() || character == '_'))
        .filter(|word| word.starts_with("perf_"))
        .map(str::to_owned)
        .collect()
}
