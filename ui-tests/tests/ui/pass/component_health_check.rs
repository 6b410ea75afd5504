//! `#[health_check]` on a function and on a `static`, with and without arguments, registers
//! each check in the component it names (by default the module path).

use std::sync::atomic::{AtomicBool, Ordering};

use perf::{ComponentHealth, Health};

#[perf::health_check]
fn default_component() -> Health {
    Health::Healthy
}

#[perf::health_check(component = "storage", name = "free_space")]
fn disk() -> perf::Health {
    Health::degraded("9% free")
}

struct Replica {
    lagging: AtomicBool,
}

impl ComponentHealth for Replica {
    fn health(&self) -> Health {
        if self.lagging.load(Ordering::Relaxed) {
            Health::unhealthy("replica 40 s behind")
        } else {
            Health::Healthy
        }
    }
}

#[perf::health_check(component = "storage")]
static REPLICA: Replica = Replica { lagging: AtomicBool::new(true) };

mod reexport {
    pub use perf as instrumentation;
}

#[perf::health_check(component = "reexported", crate = reexport::instrumentation)]
const fn through_reexport() -> Health {
    Health::Healthy
}

fn main() {
    let snapshot = perf::snapshot();

    let default = snapshot.component(module_path!()).expect("the module path is the default component");
    assert_eq!(default.checks.len(), 1);
    assert_eq!(default.checks[0].name, "default_component");

    let storage = snapshot.component("storage").unwrap();
    let names: Vec<&str> = storage.checks.iter().map(|check| check.name.as_str()).collect();
    assert_eq!(names, ["REPLICA", "free_space"]);
    assert_eq!(storage.health, Health::unhealthy("REPLICA: replica 40 s behind"));

    REPLICA.lagging.store(false, Ordering::Relaxed);
    let storage = perf::snapshot().component("storage").cloned().unwrap();
    assert_eq!(storage.health, Health::degraded("free_space: 9% free"));

    assert_eq!(snapshot.component("reexported").unwrap().health, Health::Healthy);
    let _ = (disk(), default_component(), through_reexport());
}
