//! A health check that hangs makes its component unhealthy and is not started again while its
//! call is stuck. One test, alone in its binary, so that no other snapshot runs the check.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use perf::Health;

static CALLS: AtomicUsize = AtomicUsize::new(0);
static RELEASE: AtomicBool = AtomicBool::new(false);

#[test]
fn hung_check_is_unhealthy_and_not_rerun() {
    perf::component::register_health_check("stuck", "probe", || {
        CALLS.fetch_add(1, Ordering::SeqCst);
        while !RELEASE.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(10));
        }
        Health::Healthy
    });

    let started = Instant::now();
    let first = perf::snapshot().component("stuck").unwrap().health.clone();
    let second = perf::component::health();
    assert!(started.elapsed() < Duration::from_secs(5), "two health reads took {:?}", started.elapsed());

    let budget = perf::plugin::time_budget();
    assert_eq!(first, Health::unhealthy(format!("probe: health check ran past its time budget of {budget:?}")));
    let stuck = second.components.iter().find(|entry| entry.name == "stuck").unwrap();
    let reason = stuck.health.reason().unwrap();
    assert!(reason.contains("has not returned"), "{reason}");
    assert_eq!(CALLS.load(Ordering::SeqCst), 1, "a check stuck in its call was started again");

    RELEASE.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(5);
    let recovered = loop {
        let health = perf::snapshot().component("stuck").unwrap().health.clone();
        if health.is_healthy() || Instant::now() > deadline {
            break health;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(recovered, Health::Healthy, "the check runs again once its stuck call returned");
    assert_eq!(perf::plugin::stuck_workers(), 0);
}
