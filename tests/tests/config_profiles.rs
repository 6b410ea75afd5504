//! Profile layering, `extends`, environment overrides, runtime overrides and the source of
//! each effective value.

mod config_support;

use std::time::Duration;

use perf::config::{self, LoadOptions, Loaded};

const FILE: &str = r#"[collector]
interval = "1s"

[http]
listen = "127.0.0.1:9898"

[sites.match."shop::*"]
slow_call = "250ms"

[profiles.staging.http]
enabled = true

[profiles.staging.collector]
interval = "2s"
retention = [{ resolution = "2s", keep = "1h" }]

[profiles.production]
extends = "staging"

[profiles.production.collector]
interval = "5s"
retention = [{ resolution = "5s", keep = "1h" }]

[profiles.production.http]
listen = "127.0.0.1:9999"
"#;

fn load(options: LoadOptions) -> Loaded {
    config::load_str("perf.toml", FILE, &options).unwrap_or_else(|errors| panic!("{errors}"))
}

#[test]
fn profile_none_uses_top_level() {
    let loaded = load(LoadOptions::new().without_env());
    assert_eq!(loaded.settings.collector.interval, Duration::from_secs(1));
    assert!(!loaded.settings.http.enabled);
}

#[test]
fn profile_overrides_top_level() {
    let loaded = load(LoadOptions::new().without_env().profile("staging"));
    assert_eq!(loaded.settings.collector.interval, Duration::from_secs(2));
}

#[test]
fn profile_keeps_keys_it_does_not_set() {
    let loaded = load(LoadOptions::new().without_env().profile("staging"));
    assert_eq!(loaded.settings.http.listen.to_string(), "127.0.0.1:9898");
}

#[test]
fn profile_extends_parent() {
    let loaded = load(LoadOptions::new().without_env().profile("production"));
    assert!(loaded.settings.http.enabled, "production extends staging, which enables http");
}

#[test]
fn profile_child_wins_over_parent() {
    let loaded = load(LoadOptions::new().without_env().profile("production"));
    assert_eq!(loaded.settings.collector.interval, Duration::from_secs(5));
}

#[test]
fn profile_selected_by_env() {
    let loaded = load(LoadOptions::new().env_vars([("PERF_PROFILE", "staging")]));
    assert_eq!(loaded.profile.as_deref(), Some("staging"));
}

#[test]
fn profile_api_beats_env() {
    let loaded = load(LoadOptions::new().env_vars([("PERF_PROFILE", "staging")]).profile("production"));
    assert_eq!(loaded.profile.as_deref(), Some("production"));
}

#[test]
fn env_override_beats_profile() {
    let options =
        LoadOptions::new().env_vars([("PERF_PROFILE", "production"), ("PERF_HTTP__LISTEN", "127.0.0.1:7000")]);
    assert_eq!(load(options).settings.http.listen.to_string(), "127.0.0.1:7000");
}

#[test]
fn env_override_reads_toml_values() {
    let options = LoadOptions::new().env_vars([("PERF_HTTP__ENABLED", "true")]);
    assert!(load(options).settings.http.enabled);
}

#[test]
fn env_override_nested_key() {
    let options = LoadOptions::new().env_vars([("PERF_CACHES__MATCH__SESSIONS__ENABLED", "false")]);
    assert!(!load(options).settings.cache_policy("sessions").enabled);
}

#[test]
fn env_variables_without_double_underscore_ignored() {
    let options = LoadOptions::new().env_vars([("PERF_SOMETHING", "x")]);
    assert_eq!(load(options).settings.collector.interval, Duration::from_secs(1));
}

#[test]
fn runtime_override_beats_env() {
    let options =
        LoadOptions::new().env_vars([("PERF_HTTP__LISTEN", "127.0.0.1:7000")]).set("http.listen", "\"127.0.0.1:7001\"");
    assert_eq!(load(options).settings.http.listen.to_string(), "127.0.0.1:7001");
}

#[test]
fn source_of_profile_value() {
    let loaded = load(LoadOptions::new().without_env().profile("production"));
    assert_eq!(loaded.source_of("collector.interval"), "perf.toml:21:12 (profile production)");
}

#[test]
fn source_of_inherited_profile_value() {
    let loaded = load(LoadOptions::new().without_env().profile("production"));
    assert_eq!(loaded.source_of("http.enabled"), "perf.toml:11:11 (profile staging)");
}

#[test]
fn source_of_top_level_value() {
    let loaded = load(LoadOptions::new().without_env().profile("production"));
    assert_eq!(loaded.source_of("sites.match.\"shop::*\".slow_call"), "perf.toml:8:13");
}

#[test]
fn source_of_env_value() {
    let loaded = load(LoadOptions::new().env_vars([("PERF_HTTP__LISTEN", "127.0.0.1:7000")]));
    assert_eq!(loaded.source_of("http.listen"), "env PERF_HTTP__LISTEN");
}

#[test]
fn source_of_default_value() {
    let loaded = load(LoadOptions::new().without_env());
    assert_eq!(loaded.source_of("http.metrics_path"), "default");
}

#[test]
fn describe_lists_value_and_source() {
    let loaded = load(LoadOptions::new().without_env().profile("production"));
    let text = loaded.describe();
    let line = text.lines().find(|line| line.starts_with("collector.interval ")).expect("collector.interval printed");
    assert!(line.contains("= \"5s\""), "{line}");
    assert!(line.ends_with("# perf.toml:21:12 (profile production)"), "{line}");
}

#[test]
fn describe_lists_defaults() {
    let loaded = load(LoadOptions::new().without_env());
    let text = loaded.describe();
    assert!(
        text.lines().any(|line| line.starts_with("http.dashboard = true") && line.ends_with("# default")),
        "{text}"
    );
}

#[test]
fn describe_lists_array_elements() {
    let loaded = load(LoadOptions::new().without_env().profile("production"));
    let text = loaded.describe();
    let line = text.lines().find(|line| line.starts_with("collector.retention[0].resolution")).expect("tier printed");
    assert!(line.contains("\"5s\""), "{line}");
    assert!(line.ends_with("(profile production)"), "{line}");
}

#[test]
fn perfctl_config_prints_effective_values() {
    let dir = config_support::ConfigDir::new(FILE);
    let arguments = vec!["config".into(), dir.path.clone().into_os_string(), "--profile".into(), "production".into()];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = perf::cli::run(arguments, &mut out, &mut err);
    let out = String::from_utf8(out).unwrap();
    assert_eq!(status, 0, "{}", String::from_utf8_lossy(&err));
    assert!(out.lines().any(|line| line.starts_with("http.listen = \"127.0.0.1:9999\"")), "{out}");
}
