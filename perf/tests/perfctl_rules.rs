//! `perfctl rules` and `perfctl grafana` through the real binary: the rule file passes
//! `promtool check rules`, untranslatable rules fail with their position, and the dashboard is
//! JSON with panels.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn perfctl(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perfctl"))
        .args(arguments)
        .env_remove("PERF_PROFILE")
        .output()
        .expect("perfctl runs")
}

fn example() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/perf.toml").to_owned()
}

/// Finds `promtool` on the PATH or in /usr/bin, failing with the package that provides it.
fn promtool() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|directory| directory.join("promtool"))
        .find(|candidate| candidate.is_file());
    let fallback = Path::new("/usr/bin/promtool");
    match on_path {
        Some(path) => path,
        None if fallback.is_file() => fallback.to_owned(),
        None => {
            panic!("promtool not found on PATH; install the Debian package `prometheus` (apt-get install prometheus)")
        }
    }
}

#[test]
fn rules_of_example_pass_promtool() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("perf.rules.yml");
    let output = perfctl(&["rules", &example(), "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));

    let check = Command::new(promtool()).args(["check", "rules"]).arg(&out).output().expect("promtool runs");
    assert_eq!(
        check.status.code(),
        Some(0),
        "promtool rejected the rule file:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("SUCCESS: 3 rules found"));
}

/// Rules that use every translated form: site name splits, ratios, quantiles, `unless`,
/// matching on shared labels, `or`, presence, custom counters, `increase` and `delta`. The
/// disabled rule has no PromQL equivalent and must be skipped, not rejected.
const EVERY_KIND: &str = r#"
[alerts.rules.nested_site]
expr = 'rate(calls{site="shop::Cart::add"}) > 1/s and error_rate{site="shop::Cart::add"} > 5%'
[alerts.rules.cache_and_site]
expr = 'in_flight > 5 and not hit_rate{cache="c"} < 50%'
[alerts.rules.present]
expr = 'not absent(latency{component="search"}, 5m) and mean(latency) > 100ms'
[alerts.rules.either]
expr = '(quantile(99.5%, latency) >= 1s or cache_size{cache="s"} > 64MiB) and health < 50%'
[alerts.rules.custom]
expr = 'rate(metric{name="orders", shop="eu"}) > 2/s or increase(errors, 5m) > 3 or delta(entries, 10m) > 100'
[alerts.rules.negated]
expr = 'not p90(latency) <= 2s and abs(-in_flight) > 1'
[alerts.rules.disabled_band]
expr = 'p99(latency) > ewma_upper(p99(latency), 3, 0.3)'
enabled = false
"#;

#[test]
fn rules_of_every_kind_pass_promtool() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("perf.toml");
    std::fs::write(&config, EVERY_KIND).unwrap();
    let out = dir.path().join("perf.rules.yml");

    let output = perfctl(&["rules", config.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));

    let check = Command::new(promtool()).args(["check", "rules"]).arg(&out).output().expect("promtool runs");
    assert_eq!(
        check.status.code(),
        Some(0),
        "promtool rejected the rule file:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("SUCCESS: 6 rules found"));
}

#[test]
fn rules_of_example_map_threshold_and_labels() {
    let output = perfctl(&["rules", &example()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let yaml = String::from_utf8(output.stdout).unwrap();

    // `threshold = "sessions_hit_rate"`: hit_rate{cache="sessions"} below 90%.
    let hit_rate = concat!(
        r#"expr: "sum by (cache, component) (rate(perf_cache_gets_total{cache=\"sessions\", result=\"hit\"}[1m]))"#,
        r#" / sum by (cache, component) (rate(perf_cache_gets_total{cache=\"sessions\"}[1m])) < 0.9""#
    );
    assert!(yaml.contains(hit_rate), "{yaml}");
    assert!(yaml.contains("        for: 1m\n        keep_firing_for: 2m\n"), "{yaml}");
    assert!(yaml.contains("          severity: \"critical\"\n          team: \"shop\"\n"), "{yaml}");
    assert!(yaml.contains(r#"summary: "checkout p99 is {{ $value }}""#), "{yaml}");
}

#[test]
fn rules_range_option_sets_rate_window() {
    let output = perfctl(&["rules", &example(), "--range", "5m"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let yaml = String::from_utf8(output.stdout).unwrap();
    assert!(yaml.contains(r#"rate(perf_calls_total{module=\"shop\", function=\"checkout\"}[5m])"#), "{yaml}");
    assert!(!yaml.contains("[1m]"), "{yaml}");
}

#[test]
fn rules_reject_ewma_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("perf.toml");
    std::fs::write(
        &config,
        "[alerts.rules.drift]\nexpr = 'p99(latency) > ewma_upper(p99(latency), 3, 0.3)'\n\n[alerts.rules.busy]\nexpr = 'in_flight > 10'\n",
    )
    .unwrap();
    let out = dir.path().join("out.yml");

    let output = perfctl(&["rules", config.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let first = stderr.lines().next().unwrap();
    assert!(first.starts_with(&format!("{}:2:8: alert rule `drift`: ", config.display())), "{stderr}");
    assert!(first.contains("`ewma_upper(p99(latency), 3, 0.3)`"), "{stderr}");
    assert!(first.contains("adaptive threshold"), "{stderr}");
    assert!(!out.exists(), "no rule file may be written when a rule fails");
}

#[test]
fn rules_reject_adaptive_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("perf.toml");
    std::fs::write(
        &config,
        "[alerts.rules.drift]\nthreshold = \"p99_band\"\n\n[thresholds.p99_band]\nmetric = 'p99(latency)'\nkind = \"ewma\"\nlambda = 0.3\nk = 3\n",
    )
    .unwrap();

    let output = perfctl(&["rules", config.to_str().unwrap()]);
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(stderr.contains("alert rule `drift`: threshold `p99_band` is an adaptive threshold"), "{stderr}");
}

#[test]
fn grafana_writes_json_with_panels() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dashboard.json");
    let output = perfctl(&["grafana", "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));

    let dashboard: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(dashboard["uid"], "perf-overview");
    assert!(!dashboard["panels"].as_array().expect("panels is an array").is_empty());
}

#[test]
fn grafana_to_stdout_is_json() {
    let output = perfctl(&["grafana"]);
    assert_eq!(output.status.code(), Some(0));
    let dashboard: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(dashboard["panels"].is_array());
}
