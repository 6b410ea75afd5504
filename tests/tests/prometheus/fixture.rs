//! A process state with sites, metrics and a cache-like collector, with values known to the
//! tests.

use std::sync::Once;

use perf::plugin::{Collector, Samples};

/// Calls of [`checkout`] made by [`install`].
pub(crate) const CHECKOUT_CALLS: u32 = 50;
/// Of which errors: amounts ending in 7 (declined) and 9 (timeout).
pub(crate) const CHECKOUT_ERRORS: u64 = 10;
/// Value of the `jobs_processed` counter.
pub(crate) const JOBS_PROCESSED: u64 = 1234;

#[derive(Debug, perf::ErrorKind)]
pub(crate) enum PaymentError {
    Declined,
    Timeout,
}

/// A monitored function with errors of two kinds, latency and in-flight calls, and a static
/// label whose value needs escaping.
#[perf::monitored(latency, errors, in_flight, labels(note = "eu, \"west\" \\ 1"))]
pub(crate) fn checkout(amount: u32) -> Result<u32, PaymentError> {
    match amount % 10 {
        7 => Err(PaymentError::Declined),
        9 => Err(PaymentError::Timeout),
        _ => Ok(amount),
    }
}

/// A collector named and shaped like perf-cache's: `cache_*` samples of kind `cache`.
pub(crate) struct SessionCache;

impl Collector for SessionCache {
    fn name(&self) -> &str {
        "sessions"
    }

    fn kind(&self) -> &str {
        "cache"
    }

    fn collect(&self, samples: &mut Samples) {
        samples.counter("cache_hits", &[], 90);
        samples.counter("cache_misses", &[], 10);
        samples.counter("cache_requests", &[], 100);
        samples.float_gauge("cache_hit_rate", &[], 0.9);
        samples.counter("cache_evictions", &[("cause", "size")], 3);
        samples.counter("cache_evictions", &[("cause", "expired")], 1);
        samples.counter("cache_load_time_ns", &[], 1_500_000);
        samples.gauge("cache_entries", &[], 42);
        samples.gauge("cache_weighted_size", &[], 4_200);
        samples.gauge("cache_memory_bytes", &[], 65_536);
        samples.float_gauge("cache_health_score", &[], 97.5);
        samples.gauge("cache_health_state", &[("state", "healthy")], 1);
        samples.gauge("cache_health_state", &[("state", "degraded")], 0);
        let latency = perf::Histogram::new();
        latency.record_n(800, 60);
        latency.record_n(25_000, 30);
        latency.record_n(2_000_000, 10);
        samples.histogram("cache_get_latency_ns", &[], &latency.buckets());
        samples.gauge("cache_window_requests", &[], 7);
    }
}

static SESSIONS: SessionCache = SessionCache;
perf::register_collector!(SESSIONS);

/// Runs the fixture's calls and sets its metrics, once per process.
pub(crate) fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for amount in 0..CHECKOUT_CALLS {
            let _ = checkout(amount);
        }
        perf::counter!("jobs_processed").add(JOBS_PROCESSED);
        perf::gauge!("queue_depth", "queue" => "email").set(3);
        perf::float_gauge!("load_ratio").set(0.25);
        let payload = perf::histogram!("payload_bytes", "route" => "/upload");
        for size in [100, 2_000, 70_000] {
            payload.record(size);
        }
    });
}

/// Returns the snapshot of the fixture's site.
pub(crate) fn checkout_site(snapshot: &perf::Snapshot) -> &perf::SiteSnapshot {
    snapshot.sites.iter().find(|site| site.function == "checkout").expect("the checkout site is registered")
}
