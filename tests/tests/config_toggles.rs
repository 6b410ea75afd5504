//! Site toggles from the configuration take effect on monitored functions, at start and on
//! reload, and through the runtime API. One test drives the process-wide configuration, so
//! the steps run in order in a single test.

mod config_support;

use config_support::ConfigDir;
use perf::config::{self, LoadOptions};

#[perf::monitored]
fn checkout() {}

#[perf::monitored]
fn search() {}

mod payments {
    #[perf::monitored(component = "payments")]
    pub(crate) fn charge() {}
}

fn calls(function: &str) -> u64 {
    perf::site(&format!("config_toggles::{function}")).map_or(0, |site| site.calls)
}

/// Calls `run` three times and returns how many of the calls were counted.
fn counted(function: &str, run: fn()) -> u64 {
    let before = calls(function);
    for _ in 0..3 {
        run();
    }
    calls(function) - before
}

const BASE: &str = "[reload]\nwatch = false\n\n[collector]\ninterval = \"1s\"\n";

#[test]
fn toggles_take_effect() {
    let dir = ConfigDir::new(&format!("{BASE}\n[sites.match.\"config_toggles::check*\"]\nenabled = false\n"));
    config::init(&dir.path, LoadOptions::new().without_env()).unwrap_or_else(|errors| panic!("{errors}"));

    assert_eq!(counted("checkout", checkout), 0, "disabled by a pattern at start");
    assert_eq!(counted("search", search), 3, "a site no rule names keeps counting");
    let collector = perf::snapshot().collector;
    assert!(collector.running, "init starts the collector");
    assert_eq!(collector.interval_ms, 1_000);

    dir.write(&format!("{BASE}\n[components.match.payments]\nenabled = false\n"));
    config::reload().unwrap();
    assert_eq!(counted("checkout", checkout), 3, "re-enabled once the rule is gone");
    assert_eq!(counted("payments::charge", payments::charge), 0, "disabled through its component");

    config::set_site_enabled("config_toggles::search", false).unwrap();
    assert_eq!(counted("search", search), 0, "disabled through the API");
    assert_eq!(config::current().sites.rule_for("config_toggles::search").and_then(|rule| rule.enabled), Some(false));

    config::set_site_enabled("config_toggles::payments::*", true).unwrap();
    assert_eq!(counted("payments::charge", payments::charge), 3, "a site rule overrides its component rule");

    config::set_cache_enabled("sessions", false).unwrap();
    assert!(!config::cache_enabled("sessions"));
    assert!(config::cache_enabled("catalog"));

    let error = config::set_threshold("missing", "above", "1s").unwrap_err();
    assert!(error.errors()[0].message.contains("missing key `metric`"), "{error}");
    perf::shutdown();
}
