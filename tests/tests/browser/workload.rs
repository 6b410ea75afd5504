//! The test process's real data: monitored functions in three components, two caches and a
//! thread that calls them continuously. A configuration file sets the collector to tick every
//! 250 ms, a threshold and two profiles, and an alert manager has a rule the tests can trigger.

use std::sync::Once;
use std::time::{Duration, Instant};

use perf::alert::{self, AlertManager, AlertRule, LogReceiver, Route};
use perf_cache::HashMapCache;

/// Errors of the checkout site, counted by kind.
#[derive(Debug, perf::ErrorKind)]
pub(crate) enum OrderError {
    /// An item of the order is out of stock.
    OutOfStock,
}

/// Name of the site the toggle test turns off and on again.
pub(crate) const LOGIN_SITE: &str = "browser_workload::login";
/// Alert rule that fires when refunds fail.
pub(crate) const REFUND_RULE: &str = "RefundsFailing";
/// Threshold in the configuration file, with its `above` bound.
pub(crate) const THRESHOLD: &str = "checkout_p99";

const CONFIG: &str = r#"
[collector]
interval = "250ms"

[[collector.retention]]
resolution = "250ms"
keep = "10m"

[[collector.retention]]
resolution = "5s"
keep = "1h"

[thresholds.checkout_p99]
metric = 'p99(latency{site="browser_workload::place_order"})'
kind = "static"
above = "250ms"

[profiles.staging]
[profiles.staging.thresholds.checkout_p99]
above = "500ms"

[profiles.production]
"#;

#[perf::monitored(latency, errors, in_flight, name = "browser_workload::place_order", component = "checkout")]
fn place_order(items: u64) -> Result<u64, OrderError> {
    spin(Duration::from_micros(40 + items * 15));
    if items.is_multiple_of(13) {
        return Err(OrderError::OutOfStock);
    }
    Ok(items * 250)
}

#[perf::monitored(latency, errors, name = "browser_workload::search", component = "search")]
fn search(text: &str) -> Result<usize, String> {
    spin(Duration::from_micros(10 + text.len() as u64 * 3));
    if text.is_empty() {
        return Err("empty query".to_owned());
    }
    Ok(text.len())
}

#[perf::monitored(latency, errors, name = "browser_workload::refund", component = "checkout")]
fn refund(order: u64) -> Result<(), String> {
    Err(format!("payment provider rejected the refund of order {order}"))
}

/// Fails `count` refunds, which fires the refund alert at the next collector tick.
pub(crate) fn fail_refunds(count: u64) {
    for order in 0..count {
        let _ = refund(order);
    }
}

#[perf::monitored(latency, errors, name = "browser_workload::login", component = "auth")]
fn login(user: u64) -> Result<(), String> {
    spin(Duration::from_micros(120));
    if user.is_multiple_of(50) {
        return Err(format!("user {user} is locked"));
    }
    Ok(())
}

/// Starts the collector and the load thread, once per process.
pub(crate) fn start() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        let path = std::env::temp_dir().join(format!("perf-browser-tests-{}.toml", std::process::id()));
        std::fs::write(&path, CONFIG).expect("write the test configuration");
        perf::config::init(&path, perf::config::LoadOptions::new().without_env())
            .expect("the test configuration loads");

        let manager = AlertManager::builder()
            .rule(
                AlertRule::new(REFUND_RULE, r#"error_rate{site="browser_workload::refund"} > 50%"#)
                    .keep_firing_for(Duration::from_secs(300))
                    .annotation("summary", "refunds fail at the payment provider"),
            )
            .receiver(LogReceiver::new("log"))
            .route(Route::new("log").group_by(["alertname"]))
            .build()
            .expect("valid alerting set-up");
        alert::install(manager);

        std::thread::Builder::new().name("browser-workload".into()).spawn(run).expect("workload thread");
    });
}

fn run() {
    // Sessions fit in their cache (a high hit rate); catalog pages do not (evictions by size).
    let sessions = HashMapCache::<u64, String>::new("sessions", 200);
    let catalog = HashMapCache::<u64, Vec<u8>>::new("catalog", 100);
    let mut step: u64 = 0;
    loop {
        step += 1;
        let _ = place_order(step % 40 + 1);
        let query = "q".repeat((step % 9) as usize);
        let _ = search(&query);
        let _ = search("dashboard");
        let _ = login(step);
        sessions.get_or_load(step % 150, |user| format!("session of {user}"));
        catalog.get_or_load(step.wrapping_mul(7919) % 2000, |page| vec![0; 64 + (*page as usize % 512)]);
        std::thread::sleep(Duration::from_millis(4));
    }
}

fn spin(duration: Duration) {
    let start = Instant::now();
    while start.elapsed() < duration {
        std::hint::spin_loop();
    }
}
