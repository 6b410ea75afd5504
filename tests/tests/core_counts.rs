//! Exact counts of calls, errors by kind, panics and in-flight calls of `#[monitored]` sites.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::thread;

#[derive(Debug, perf::ErrorKind)]
enum StoreError {
    Timeout,
    #[allow(dead_code)]
    Rejected {
        code: u16,
    },
    #[error_kind(name = "not_found")]
    Missing,
}

#[perf::monitored(latency, errors)]
fn divide(numerator: u64, denominator: u64) -> Result<u64, String> {
    if denominator == 0 {
        return Err(format!("cannot divide {numerator} by zero"));
    }
    Ok(numerator / denominator)
}

#[perf::monitored]
fn store(key: u32) -> Result<u32, StoreError> {
    match key % 4 {
        0 => Err(StoreError::Timeout),
        1 => Err(StoreError::Rejected { code: 409 }),
        2 => Err(StoreError::Missing),
        _ => Ok(key),
    }
}

#[perf::monitored(calls)]
fn count_only() {}

#[perf::monitored(errors)]
fn errors_only(fail: bool) -> Result<(), ()> {
    if fail {
        Err(())
    } else {
        Ok(())
    }
}

#[perf::monitored]
fn explode(value: u32) -> u32 {
    if value == 7 {
        panic!("seven is not allowed");
    }
    value
}

#[perf::monitored(in_flight, calls)]
fn observe_in_flight() -> i64 {
    perf::site("core_counts::observe_in_flight").map_or(-1, |site| site.in_flight)
}

struct Status(u16);

impl perf::Classify for Status {
    fn classify(&self) -> perf::Outcome {
        if self.0 >= 500 {
            perf::Outcome::Error("server_error")
        } else {
            perf::Outcome::Success
        }
    }
}

#[perf::monitored]
fn respond(code: u16) -> Status {
    Status(code)
}

#[perf::monitored]
fn identity<T: Clone>(value: &T) -> T {
    value.clone()
}

#[test]
fn threads_make_exact_counts() {
    const THREADS: u64 = 8;
    const CALLS: u64 = 5_000;
    let handles: Vec<_> = (0..THREADS)
        .map(|thread| {
            thread::spawn(move || {
                for call in 0..CALLS {
                    // One call in ten divides by zero.
                    let _ = divide(thread * CALLS + call, call % 10);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }

    let site = perf::site("core_counts::divide").unwrap();
    assert_eq!(site.calls, THREADS * CALLS);
    assert_eq!(site.errors, THREADS * CALLS / 10);
    assert_eq!(site.errors_by_kind.get("error"), Some(&(THREADS * CALLS / 10)));
    assert_eq!(site.latency.unwrap().count, THREADS * CALLS);
    assert_eq!(site.in_flight, 0);
}

#[test]
fn errors_counted_by_variant() {
    for key in 0..40 {
        let _ = store(key);
    }

    let site = perf::site("core_counts::store").unwrap();
    assert_eq!(site.calls, 40);
    assert_eq!(site.errors, 30);
    assert_eq!(site.errors_by_kind.get("Timeout"), Some(&10));
    assert_eq!(site.errors_by_kind.get("Rejected"), Some(&10));
    assert_eq!(site.errors_by_kind.get("not_found"), Some(&10));
    assert!((site.error_rate - 0.75).abs() < 1e-12);
}

#[test]
fn calls_only_site_has_no_latency() {
    for _ in 0..25 {
        count_only();
    }

    let site = perf::site("core_counts::count_only").unwrap();
    assert_eq!(site.calls, 25);
    assert_eq!(site.errors, 0);
    assert!(site.latency.is_none());
}

#[test]
fn errors_only_site_counts_calls() {
    for index in 0..9 {
        let _ = errors_only(index % 3 == 0);
    }

    let site = perf::site("core_counts::errors_only").unwrap();
    assert_eq!(site.calls, 9);
    assert_eq!(site.errors, 3);
}

#[test]
fn panic_counted_and_propagated() {
    assert_eq!(explode(3), 3);
    let result = catch_unwind(AssertUnwindSafe(|| explode(7)));

    let payload = result.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"seven is not allowed"));
    let site = perf::site("core_counts::explode").unwrap();
    assert_eq!(site.calls, 2);
    assert_eq!(site.errors, 1);
    assert_eq!(site.errors_by_kind.get("panic"), Some(&1));
}

#[test]
fn in_flight_seen_during_call() {
    assert_eq!(observe_in_flight(), 1);
    assert_eq!(perf::site("core_counts::observe_in_flight").unwrap().in_flight, 0);
}

#[test]
fn classify_decides_outcome() {
    respond(200);
    respond(503);
    respond(500);

    let site = perf::site("core_counts::respond").unwrap();
    assert_eq!(site.calls, 3);
    assert_eq!(site.errors_by_kind.get("server_error"), Some(&2));
}

#[test]
fn generic_function_is_one_site() {
    identity(&1u8);
    identity(&String::from("two"));
    identity(&Arc::new(3.0f64));

    let matching = perf::sites().iter().filter(|site| site.name == "core_counts::identity").count();
    assert_eq!(matching, 1);
    assert_eq!(perf::site("core_counts::identity").unwrap().calls, 3);
}
