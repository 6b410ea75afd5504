//! Components: sites, collectors, caches and health checks grouped by component, and their
//! health aggregated per component and for the process.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Once;
use std::time::Duration;

use perf::component::{self, HealthReport};
use perf::plugin::{Collector, Samples};
use perf::{ComponentHealth, Health, HealthStatus};

const HEALTHY: u8 = 0;
const DEGRADED: u8 = 1;
const UNHEALTHY: u8 = 2;

static CHECKOUT_STATE: AtomicU8 = AtomicU8::new(HEALTHY);

#[perf::monitored(component = "checkout")]
fn pay(amount: u32) -> Result<u32, String> {
    if amount == 0 {
        return Err("nothing to pay".to_owned());
    }
    Ok(amount)
}

struct Cart;

#[perf::monitored(component = "checkout")]
impl Cart {
    fn total(&self) -> u32 {
        3
    }
}

#[perf::health_check(component = "checkout")]
fn payment_gateway() -> Health {
    match CHECKOUT_STATE.load(Ordering::SeqCst) {
        HEALTHY => Health::Healthy,
        DEGRADED => Health::degraded("gateway answers in 2 s"),
        _ => Health::unhealthy("gateway refuses connections"),
    }
}

struct Ledger {
    reachable: AtomicBool,
}

impl ComponentHealth for Ledger {
    fn health(&self) -> Health {
        if self.reachable.load(Ordering::SeqCst) {
            Health::Healthy
        } else {
            Health::unhealthy("ledger unreachable")
        }
    }
}

#[perf::health_check(component = "billing", name = "ledger")]
static LEDGER: Ledger = Ledger { reachable: AtomicBool::new(true) };

struct Payments;

impl Collector for Payments {
    fn name(&self) -> &str {
        "payments_pending"
    }

    fn component(&self) -> &str {
        "checkout"
    }

    fn collect(&self, samples: &mut Samples) {
        samples.gauge("payments_pending", &[], 4);
    }
}

static PAYMENTS: Payments = Payments;
perf::register_collector!(PAYMENTS);

/// A stand-in for a perf-cache collector: kind `cache`, reporting its state as caches do.
struct SessionCache {
    state: &'static AtomicU8,
}

impl Collector for SessionCache {
    fn name(&self) -> &str {
        "sessions"
    }

    fn kind(&self) -> &str {
        "cache"
    }

    fn component(&self) -> &str {
        "sessions"
    }

    fn collect(&self, samples: &mut Samples) {
        let state = self.state.load(Ordering::SeqCst);
        for (value, name) in [(HEALTHY, "healthy"), (DEGRADED, "degraded"), (UNHEALTHY, "critical")] {
            samples.gauge("cache_health_state", &[("state", name)], i64::from(state == value));
        }
        samples.float_gauge("cache_health_score", &[], 35.0);
    }
}

/// Gives health checks 5 s: a panic takes a while when the panic hook prints a backtrace, and
/// no check in this file is meant to run past its budget.
fn setup() {
    static SETUP: Once = Once::new();
    SETUP.call_once(|| perf::plugin::set_time_budget(Duration::from_secs(5)));
}

static SESSION_STATE: AtomicU8 = AtomicU8::new(HEALTHY);
static SESSIONS: SessionCache = SessionCache { state: &SESSION_STATE };
perf::register_collector!(SESSIONS);

#[test]
fn component_lists_its_members() {
    setup();
    pay(5).unwrap();
    Cart.total();

    let snapshot = perf::snapshot();
    let checkout = snapshot.component("checkout").unwrap();
    assert_eq!(checkout.sites, ["component_health::Cart::total", "component_health::pay"]);
    assert_eq!(checkout.collectors, ["payments_pending"]);
    assert!(checkout.caches.is_empty());
    assert_eq!(checkout.checks.len(), 1);
    assert_eq!(checkout.checks[0].name, "payment_gateway");

    let sessions = snapshot.component("sessions").unwrap();
    assert_eq!(sessions.caches, ["sessions"]);
    assert!(sessions.collectors.is_empty());

    let names: Vec<&str> = snapshot.components.iter().map(|component| component.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "components are sorted by name");
    assert!(names.contains(&"process"), "{names:?}");
    assert!(names.contains(&"perf"), "{names:?}");
}

#[test]
fn component_health_follows_its_check() {
    setup();
    let health_of = || perf::snapshot().component("checkout").unwrap().health.clone();
    assert_eq!(health_of(), Health::Healthy);

    CHECKOUT_STATE.store(DEGRADED, Ordering::SeqCst);
    assert_eq!(health_of(), Health::degraded("payment_gateway: gateway answers in 2 s"));

    CHECKOUT_STATE.store(UNHEALTHY, Ordering::SeqCst);
    assert_eq!(health_of(), Health::unhealthy("payment_gateway: gateway refuses connections"));

    CHECKOUT_STATE.store(HEALTHY, Ordering::SeqCst);
    assert_eq!(health_of(), Health::Healthy);
}

#[test]
fn static_check_named_by_argument() {
    setup();
    LEDGER.reachable.store(false, Ordering::SeqCst);
    let snapshot = perf::snapshot();
    LEDGER.reachable.store(true, Ordering::SeqCst);

    let billing = snapshot.component("billing").unwrap();
    assert_eq!(billing.checks[0].name, "ledger");
    assert_eq!(billing.health, Health::unhealthy("ledger: ledger unreachable"));
}

#[test]
fn cache_state_sets_component_health() {
    setup();
    let health_of = || perf::snapshot().component("sessions").unwrap().health.clone();
    assert_eq!(health_of(), Health::Healthy);

    SESSION_STATE.store(DEGRADED, Ordering::SeqCst);
    assert_eq!(health_of(), Health::degraded("cache `sessions` is degraded (health score 35)"));

    SESSION_STATE.store(UNHEALTHY, Ordering::SeqCst);
    assert_eq!(health_of(), Health::unhealthy("cache `sessions` is critical (health score 35)"));

    SESSION_STATE.store(HEALTHY, Ordering::SeqCst);
}

#[test]
fn report_takes_worst_component() {
    setup();
    component::register_health_check("report_a", "probe", || Health::degraded("slow"));
    component::register_health_check("report_b", "probe", || Health::unhealthy("down"));

    let report = component::health();
    assert_eq!(report.status, HealthStatus::Unhealthy);
    assert_eq!(report.http_status(), 503);

    let problems: Vec<(&str, HealthStatus)> =
        report.problems().map(|entry| (entry.name.as_str(), entry.health.status())).collect();
    assert!(problems.contains(&("report_a", HealthStatus::Degraded)), "{problems:?}");
    assert!(problems.contains(&("report_b", HealthStatus::Unhealthy)), "{problems:?}");
    assert!(report.components.iter().any(|entry| entry.name == "checkout"));
}

#[test]
fn report_of_degraded_only_serves() {
    setup();
    let snapshot = perf::snapshot();
    let mut components = snapshot.components.clone();
    components.retain(|component| component.name == "process" || component.name == "perf");
    components[0].health = Health::degraded("swap in use");

    let report = HealthReport::from_components(&components);
    assert_eq!(report.status, HealthStatus::Degraded);
    assert_eq!(report.http_status(), 200);
}

#[test]
fn panicking_check_is_unhealthy() {
    setup();
    component::register_health_check("panicky", "probe", || -> Health { panic!("probe exploded") });
    let panicky = perf::snapshot().component("panicky").unwrap().clone();
    assert_eq!(panicky.health, Health::unhealthy("probe: health check panicked: probe exploded"));
}
