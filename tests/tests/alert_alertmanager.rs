//! Our alerts reach a real Alertmanager through its v2 API and come back through
//! `GET /api/v2/alerts` with our labels, annotations, start time and fingerprint.
//!
//! Needs Debian's `prometheus-alertmanager` package (or the binary named by
//! `PERF_ALERTMANAGER_BIN`). The test starts it on 127.0.0.1 with a free port, a temporary
//! storage folder, a minimal configuration and clustering off, and stops it at the end.

mod alert_support;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use perf::alert::{AlertManager, AlertRule, AlertState, AlertmanagerReceiver, DeliveryStatus, ManualClock, Route};

const METRIC: &str = "alertmanager_value";

const CONFIG: &str = "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n";

/// A running Alertmanager, stopped when dropped.
struct Alertmanager {
    child: Child,
    url: String,
    _storage: tempfile::TempDir,
}

impl Alertmanager {
    fn start() -> Alertmanager {
        let binary = std::env::var_os("PERF_ALERTMANAGER_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("prometheus-alertmanager"));
        let storage = tempfile::tempdir().unwrap();
        let config = storage.path().join("alertmanager.yml");
        std::fs::write(&config, CONFIG).unwrap();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

        let child = Command::new(&binary)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.path={}", storage.path().join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "failed to start {}: {error}. This test needs Alertmanager: install Debian's package with \
                     `apt-get install -y prometheus-alertmanager`, or set PERF_ALERTMANAGER_BIN to its binary",
                    binary.display()
                )
            });
        let alertmanager = Alertmanager { child, url: format!("http://127.0.0.1:{port}"), _storage: storage };
        alertmanager.wait_ready();
        alertmanager
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(response) = ureq::get(&format!("{}/-/ready", self.url)).call() {
                if response.status() == 200 {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "Alertmanager at {} was not ready within 30 s", self.url);
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn alerts(&self) -> Vec<serde_json::Value> {
        let mut response = ureq::get(&format!("{}/api/v2/alerts", self.url)).call().expect("GET /api/v2/alerts");
        let body = response.body_mut().read_to_string().unwrap();
        serde_json::from_str(&body).unwrap()
    }
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The current time, cut to whole milliseconds (the precision we send).
fn now_millis() -> SystemTime {
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
    UNIX_EPOCH + Duration::from_millis(millis)
}

#[test]
fn alertmanager_receives_and_returns_alert() {
    let alertmanager = Alertmanager::start();
    let start = now_millis();
    let clock = Arc::new(ManualClock::new(start));
    let rule = AlertRule::new("CacheColdAm", format!(r#"metric{{name="{METRIC}"}} > 5"#))
        .label("team", "cache")
        .annotation("summary", "value is {{ $value }}");
    let manager = AlertManager::builder()
        .clock(clock.clone())
        .rule(rule)
        .receiver(AlertmanagerReceiver::new("am", &alertmanager.url))
        .route(Route::new("am").group_wait(Duration::ZERO).group_interval(Duration::ZERO))
        .build()
        .unwrap();

    manager.evaluate(&alert_support::snapshot(&[(METRIC, &[("shard", "7")], 9.0)]));
    assert!(manager.wait_for_deliveries(Duration::from_secs(10)));
    let ours = manager.alerts()[0].alert.clone();
    assert_eq!(ours.state, AlertState::Firing);
    let delivery = manager.deliveries()[0].clone();
    assert_eq!(delivery.status, DeliveryStatus::Delivered, "{delivery:#?}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let returned = loop {
        let alerts = alertmanager.alerts();
        if let Some(alert) = alerts.into_iter().find(|alert| alert["labels"]["alertname"] == "CacheColdAm") {
            break alert;
        }
        assert!(Instant::now() < deadline, "Alertmanager did not list the alert");
        std::thread::sleep(Duration::from_millis(100));
    };

    let labels: perf::alert::Labels = serde_json::from_value(returned["labels"].clone()).unwrap();
    assert_eq!(labels, ours.labels);
    let annotations: perf::alert::Labels = serde_json::from_value(returned["annotations"].clone()).unwrap();
    assert_eq!(annotations.get("summary").map(String::as_str), Some("value is 9"));
    let starts_at = humantime::parse_rfc3339(returned["startsAt"].as_str().unwrap()).unwrap();
    assert_eq!(starts_at, start);
    assert_eq!(returned["fingerprint"].as_str(), Some(ours.fingerprint.as_str()));
}
