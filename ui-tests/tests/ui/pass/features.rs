//! Each of `calls`, `errors`, `latency` and `in_flight` turns on exactly what it names.

use perf::Features;
use perf_ui_tests::site;

const NONE: Features = Features { calls: false, errors: false, latency: false, in_flight: false };

#[perf::monitored(calls)]
fn with_calls(fail: bool) -> Result<(), String> {
    if fail {
        Err("failed".to_owned())
    } else {
        Ok(())
    }
}

#[perf::monitored(errors)]
fn with_errors(fail: bool) -> Result<(), String> {
    if fail {
        Err("failed".to_owned())
    } else {
        Ok(())
    }
}

#[perf::monitored(latency)]
fn with_latency(fail: bool) -> Result<(), String> {
    if fail {
        Err("failed".to_owned())
    } else {
        Ok(())
    }
}

#[perf::monitored(in_flight)]
fn with_in_flight() -> i64 {
    site(concat!(module_path!(), "::with_in_flight")).in_flight
}

#[perf::monitored(calls, errors, latency, in_flight)]
fn with_everything(fail: bool) -> Result<i64, String> {
    if fail {
        return Err("failed".to_owned());
    }
    Ok(site(concat!(module_path!(), "::with_everything")).in_flight)
}

fn main() {
    for fail in [false, true, true] {
        let _ = with_calls(fail);
        let _ = with_errors(fail);
        let _ = with_latency(fail);
    }

    let calls = site(concat!(module_path!(), "::with_calls"));
    assert_eq!(calls.features, Features { calls: true, ..NONE });
    assert_eq!(calls.calls, 3);
    assert_eq!(calls.errors, 0);
    assert!(calls.latency.is_none());

    let errors = site(concat!(module_path!(), "::with_errors"));
    assert_eq!(errors.features, Features { errors: true, ..NONE });
    assert_eq!(errors.calls, 3);
    assert_eq!(errors.errors, 2);
    assert!(errors.latency.is_none());

    let latency = site(concat!(module_path!(), "::with_latency"));
    assert_eq!(latency.features, Features { latency: true, ..NONE });
    assert_eq!(latency.calls, 3);
    assert_eq!(latency.errors, 0);
    assert_eq!(latency.latency.map(|latency| latency.count), Some(3));

    assert_eq!(with_in_flight(), 1);
    let in_flight = site(concat!(module_path!(), "::with_in_flight"));
    assert_eq!(in_flight.features, Features { in_flight: true, ..NONE });
    assert_eq!(in_flight.in_flight, 0);

    assert_eq!(with_everything(false), Ok(1));
    assert!(with_everything(true).is_err());
    let everything = site(concat!(module_path!(), "::with_everything"));
    assert_eq!(everything.features, Features { calls: true, errors: true, latency: true, in_flight: true });
    assert_eq!(everything.calls, 2);
    assert_eq!(everything.errors, 1);
    assert_eq!(everything.in_flight, 0);
    assert_eq!(everything.latency.map(|latency| latency.count), Some(2));
}
