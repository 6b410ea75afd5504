//! Health checks: registered statically by `#[perf::health_check]` or at run time, and run in
//! isolation like collectors.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{ComponentHealth, Health};
use crate::plugin::{self, InFlight, Outcome, Runner};

/// The result of one health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSnapshot {
    /// Name of the check.
    pub name: String,
    /// Component it checks.
    pub component: String,
    /// The health the check returned, or the failure that left it without one (panic, time-out).
    pub health: Health,
    /// How long the check took, in microseconds (0 when it did not return).
    pub duration_us: u64,
}

/// A health check registered by `#[perf::health_check]`. Created by the macro; not built by
/// hand.
#[doc(hidden)]
pub struct HealthCheck {
    name: &'static str,
    component: &'static str,
    source: CheckSource,
    running: InFlight,
}

#[doc(hidden)]
pub enum CheckSource {
    /// A function returning the health.
    Fn(fn() -> Health),
    /// A `static` that implements [`ComponentHealth`].
    Static(&'static dyn ComponentHealth),
}

#[doc(hidden)]
#[derive(Debug)]
pub struct HealthCheckRef(pub &'static HealthCheck);

inventory::collect!(HealthCheckRef);

struct RuntimeCheck {
    name: String,
    component: String,
    check: Box<dyn ComponentHealth>,
    running: InFlight,
}

#[derive(Clone)]
enum Handle {
    Static(&'static HealthCheck),
    Shared(Arc<RuntimeCheck>),
}

static RUNTIME: RwLock<Vec<Arc<RuntimeCheck>>> = RwLock::new(Vec::new());
static CHECKS: Runner = Runner::new("health");

/// Registers a health check of `component` at run time. It stays registered for the life of
/// the process.
///
/// ```
/// use perf::Health;
///
/// perf::component::register_health_check("billing", "ledger_reachable", || Health::degraded("read-only replica"));
///
/// let snapshot = perf::snapshot();
/// let billing = snapshot.component("billing").unwrap();
/// assert_eq!(billing.health, Health::degraded("ledger_reachable: read-only replica"));
/// ```
pub fn register_health_check(component: &str, name: &str, check: impl ComponentHealth + 'static) {
    let check = RuntimeCheck {
        name: name.to_owned(),
        component: component.to_owned(),
        check: Box::new(check),
        running: InFlight::new(),
    };
    RUNTIME.write().unwrap_or_else(|poisoned| poisoned.into_inner()).push(Arc::new(check));
}

/// Runs every health check, each with the process-wide time budget, and returns the results
/// sorted by component and name.
pub(crate) fn run_all() -> Vec<CheckSnapshot> {
    let statics = inventory::iter::<HealthCheckRef>.into_iter().map(|check| Handle::Static(check.0));
    let runtime: Vec<Handle> =
        RUNTIME.read().unwrap_or_else(|poisoned| poisoned.into_inner()).iter().cloned().map(Handle::Shared).collect();
    let runnable: Vec<Handle> = statics.chain(runtime).collect();

    let budget = plugin::time_budget();
    let budgets = vec![budget; runnable.len()];
    let call = |check: &Handle| {
        // Jobs of one runner run one at a time, so a call still running here is one that timed
        // out on an abandoned worker.
        if check.running().is_running() {
            return None;
        }
        let _running = check.running().enter();
        Some(check.health())
    };
    let outcomes = CHECKS.run_all(runnable.clone(), &budgets, call, |_, _| {});

    let mut results: Vec<CheckSnapshot> = Vec::with_capacity(runnable.len());
    for (check, outcome) in runnable.iter().zip(outcomes) {
        results.push(match outcome {
            Outcome::Done(Some(health), duration) => check.result(health, duration),
            Outcome::Done(None, _) => still_running(check),
            Outcome::Panicked(message) => {
                let reason = format!("health check panicked: {message}");
                tracing::error!(check = check.name(), component = check.component(), %reason, "perf health check failed");
                check.result(Health::unhealthy(reason), Duration::ZERO)
            }
            Outcome::TimedOut(budget) => {
                let reason = format!("health check ran past its time budget of {budget:?}");
                tracing::error!(check = check.name(), component = check.component(), %reason, "perf health check failed");
                check.result(Health::unhealthy(reason), Duration::ZERO)
            }
            Outcome::NotRun(reason) => {
                check.result(Health::unhealthy(format!("health check not run: {reason}")), Duration::ZERO)
            }
        });
    }
    results.sort_by(|a, b| a.component.cmp(&b.component).then_with(|| a.name.cmp(&b.name)));
    results
}

fn still_running(check: &Handle) -> CheckSnapshot {
    let reason = "health check not run: its previous call, which timed out, has not returned";
    check.result(Health::unhealthy(reason), Duration::ZERO)
}

impl HealthCheck {
    #[doc(hidden)]
    pub const fn new(name: &'static str, component: &'static str, source: CheckSource) -> Self {
        HealthCheck { name, component, source, running: InFlight::new() }
    }
}

impl Handle {
    fn name(&self) -> &str {
        match self {
            Handle::Static(check) => check.name,
            Handle::Shared(check) => &check.name,
        }
    }

    fn component(&self) -> &str {
        match self {
            Handle::Static(check) => check.component,
            Handle::Shared(check) => &check.component,
        }
    }

    fn running(&self) -> &InFlight {
        match self {
            Handle::Static(check) => &check.running,
            Handle::Shared(check) => &check.running,
        }
    }

    fn health(&self) -> Health {
        match self {
            Handle::Static(HealthCheck { source: CheckSource::Fn(check), .. }) => check(),
            Handle::Static(HealthCheck { source: CheckSource::Static(check), .. }) => check.health(),
            Handle::Shared(check) => check.check.health(),
        }
    }

    fn result(&self, health: Health, duration: Duration) -> CheckSnapshot {
        CheckSnapshot {
            name: self.name().to_owned(),
            component: self.component().to_owned(),
            health,
            duration_us: duration.as_micros().min(u128::from(u64::MAX)) as u64,
        }
    }
}

impl fmt::Debug for HealthCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HealthCheck").field("name", &self.name).field("component", &self.component).finish()
    }
}

impl fmt::Debug for CheckSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckSource::Fn(_) => f.write_str("CheckSource::Fn"),
            CheckSource::Static(_) => f.write_str("CheckSource::Static"),
        }
    }
}
