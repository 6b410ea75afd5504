//! Alerting set up from the configuration file: a rule, a webhook receiver on a responder on
//! 127.0.0.1, a route and a silence; a reload that changes a threshold; an invalid reload that
//! keeps the manager in effect.

mod config_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use config_support::{wait_for, ConfigDir};
use perf::alert::{AlertState, Muted};
use perf::config::{self, LoadOptions};

#[derive(Debug)]
struct Failure;

/// Fails on every call with `fail` set.
#[perf::monitored(errors)]
fn flaky(fail: bool) -> Result<(), Failure> {
    if fail {
        Err(Failure)
    } else {
        Ok(())
    }
}

/// Fails on every call; its alert is silenced by the file.
#[perf::monitored(errors)]
fn muted() -> Result<(), Failure> {
    Err(Failure)
}

/// The tests share the process's configuration and alert manager, so they run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A collector that does not tick on its own during a test, so that only `collect_now`
/// evaluates the rules, at points the test chooses.
const BASE: &str = r#"
[reload]
watch = false

[collector]
interval = "1h"

[[collector.retention]]
resolution = "1h"
keep = "1d"
"#;

/// An HTTP responder on 127.0.0.1 that answers 200 to every request and keeps the bodies and
/// the values of the `X-Team` header.
struct Responder {
    url: String,
    bodies: Arc<Mutex<Vec<String>>>,
    teams: Arc<Mutex<Vec<String>>>,
}

impl Responder {
    fn start() -> Responder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}/hook", listener.local_addr().expect("local address"));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let teams = Arc::new(Mutex::new(Vec::new()));
        let (kept, kept_teams) = (Arc::clone(&bodies), Arc::clone(&teams));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
                let mut length = 0;
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse().unwrap_or(0);
                        }
                        if name.eq_ignore_ascii_case("x-team") {
                            kept_teams.lock().unwrap().push(value.trim().to_owned());
                        }
                    }
                    line.clear();
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_ok() {
                    kept.lock().unwrap().push(String::from_utf8_lossy(&body).into_owned());
                }
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        Responder { url, bodies, teams }
    }

    fn payloads(&self) -> Vec<serde_json::Value> {
        let bodies = self.bodies.lock().unwrap().clone();
        bodies.iter().map(|body| serde_json::from_str(body).expect("JSON payload")).collect()
    }
}

/// A configuration with the rule `FlakyErrors` on the threshold `flaky_errors` (`above`),
/// the rule `MutedErrors` and a silence over it, a webhook receiver and a route to it.
fn alerting_config(url: &str, above: &str) -> String {
    format!(
        r#"{BASE}
[alerts.rules.FlakyErrors]
threshold = "flaky_errors"
for = "0s"
labels = {{ team = "checkout" }}

[alerts.rules.MutedErrors]
expr = 'error_rate{{site="config_alerts::muted"}} > 50%'
for = "0s"
labels = {{ team = "muted" }}

[thresholds.flaky_errors]
metric = 'error_rate{{site="config_alerts::flaky"}}'
above = "{above}"

[receivers.hook]
kind = "webhook"
url = "{url}"
timeout = "5s"
headers = {{ X-Team = "checkout" }}

[[routes]]
receiver = "hook"
group_by = ["alertname"]
group_wait = "0s"

[silences.maintenance]
matchers = ['team="muted"']
starts_at = 2000-01-01T00:00:00Z
ends_at = 2999-01-01T00:00:00Z
comment = "planned work"
"#
    )
}

/// Calls `flaky` so that `failures` of four calls fail, then evaluates the rules.
fn round(failures: usize) {
    for call in 0..4 {
        let _ = flaky(call < failures);
    }
    let _ = muted();
    perf::collect_now();
}

fn state_of(rule: &str) -> Option<AlertState> {
    let manager = perf::alert::installed()?;
    manager.alerts().into_iter().find(|status| status.alert.rule == rule).map(|status| status.alert.state)
}

#[test]
fn webhook_receives_configured_alert() {
    let _serial = serial();
    let responder = Responder::start();
    let dir = ConfigDir::new(&alerting_config(&responder.url, "50%"));
    config::init(&dir.path, LoadOptions::new().without_env()).unwrap_or_else(|errors| panic!("{errors}"));

    let payload = wait_for("a firing payload for FlakyErrors", || {
        round(4);
        responder.payloads().into_iter().find(|payload| payload["groupLabels"]["alertname"] == "FlakyErrors")
    });
    assert_eq!(payload["version"], "4");
    assert_eq!(payload["status"], "firing");
    assert_eq!(payload["receiver"], "hook");
    assert_eq!(payload["commonLabels"]["team"], "checkout");
    assert_eq!(payload["alerts"][0]["labels"]["alertname"], "FlakyErrors");
    assert_eq!(payload["alerts"][0]["labels"]["site"], "config_alerts::flaky");
    assert_eq!(responder.teams.lock().unwrap()[0], "checkout", "the configured header is sent");

    let manager = perf::alert::installed().expect("manager installed by init");
    let muted_alert = manager.alerts().into_iter().find(|status| status.alert.rule == "MutedErrors");
    let muted_alert = muted_alert.expect("MutedErrors is active");
    assert_eq!(muted_alert.alert.state, AlertState::Firing);
    assert!(matches!(muted_alert.muted, Some(Muted::Silenced(_))), "{muted_alert:?}");

    assert!(manager.wait_for_deliveries(Duration::from_secs(10)), "deliveries finish");
    let leaked = responder.payloads().into_iter().any(|payload| payload["groupLabels"]["alertname"] == "MutedErrors");
    assert!(!leaked, "the silenced alert reached the webhook");
}

#[test]
fn reload_changes_threshold() {
    let _serial = serial();
    let responder = Responder::start();
    let dir = ConfigDir::new(&alerting_config(&responder.url, "50%"));
    config::init(&dir.path, LoadOptions::new().without_env()).unwrap_or_else(|errors| panic!("{errors}"));

    // One call in four fails: 25%, under the bound of 50%. The first round only seeds the
    // interval ratio.
    for _ in 0..3 {
        round(1);
    }
    assert_eq!(state_of("FlakyErrors"), None, "25% is under 50%");

    let before = perf::alert::installed().expect("manager installed by init");
    dir.write(&alerting_config(&responder.url, "10%"));
    config::reload().unwrap_or_else(|errors| panic!("{errors}"));
    let after = perf::alert::installed().expect("manager installed by the reload");
    assert!(!Arc::ptr_eq(&before, &after), "the reload installs a new manager");

    wait_for("FlakyErrors firing over 10%", || {
        round(1);
        (state_of("FlakyErrors") == Some(AlertState::Firing)).then_some(())
    });
}

#[test]
fn invalid_reload_keeps_manager() {
    let _serial = serial();
    let responder = Responder::start();
    let dir = ConfigDir::new(&alerting_config(&responder.url, "50%"));
    config::init(&dir.path, LoadOptions::new().without_env()).unwrap_or_else(|errors| panic!("{errors}"));
    let before = perf::alert::installed().expect("manager installed by init");

    // Valid for the file's schema, but the alert manager cannot rate-limit a receiver.
    let invalid = alerting_config(&responder.url, "50%").replace("timeout = \"5s\"", "rate_limit = \"10/m\"");
    dir.write(&invalid);
    let errors = config::reload().expect_err("rate_limit is rejected");
    let error = &errors.errors()[0];
    assert_eq!(error.key, "receivers.hook.rate_limit");
    assert!(error.message.contains("remove it"), "{error}");
    let line = invalid.lines().position(|line| line.starts_with("rate_limit")).expect("line of rate_limit") + 1;
    assert_eq!(error.line, line);

    let after = perf::alert::installed().expect("a manager is still installed");
    assert!(Arc::ptr_eq(&before, &after), "the failed reload replaced the manager");
    assert_eq!(config::current().receivers["hook"].rate_limit, None, "the last good configuration stays");
}

#[test]
fn example_file_builds_manager() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/perf.toml");
    let loaded =
        config::check_file(path, &LoadOptions::new().without_env()).unwrap_or_else(|errors| panic!("{errors}"));
    for configuration in loaded {
        let profile = configuration.profile.clone();
        let manager = perf::alert::from_config::build(&configuration);
        let manager = manager.unwrap_or_else(|errors| panic!("profile {profile:?}: {errors}"));
        assert_eq!(manager.silences().len(), 1, "profile {profile:?}: the silence search_reindex");
    }
}
