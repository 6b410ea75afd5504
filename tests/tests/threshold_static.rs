//! Static thresholds with units, counters, composite conditions and absence of data.

mod alert_support;

use std::time::Duration;

use alert_support::{at, snapshot};
use perf::threshold::{EvalSettings, Evaluation, Evaluator};
use perf::{MetricSnapshot, Snapshot};

fn evaluator(expr: &str) -> Evaluator {
    Evaluator::new(perf::rule::parse_condition(expr).unwrap(), EvalSettings::default())
}

fn counter(name: &str, total: u64) -> MetricSnapshot {
    serde_json::from_value(serde_json::json!({
        "name": name, "labels": {}, "kind": "counter", "value": { "counter": total },
    }))
    .unwrap()
}

fn counters(name: &str, total: u64) -> Snapshot {
    let mut snapshot = snapshot(&[]);
    snapshot.metrics = vec![counter(name, total)];
    snapshot
}

fn only(evaluation: &Evaluation) -> (bool, f64) {
    assert_eq!(evaluation.series.len(), 1, "{evaluation:?}");
    (evaluation.series[0].active, evaluation.series[0].value.unwrap())
}

#[perf::monitored(errors)]
fn flaky(fail: bool) -> Result<(), String> {
    if fail {
        Err("failed".to_owned())
    } else {
        Ok(())
    }
}

#[test]
fn percent_bound_is_fraction() {
    // 1 error in 4 calls since the first evaluation: 0.25, above 20% (0.2).
    let site = format!("{}::flaky", module_path!());
    let mut rule = evaluator(&format!(r#"error_rate{{site="{site}"}} > 20%"#));
    rule.evaluate(&perf::snapshot(), at(0));
    for fail in [false, true, false, false] {
        let _ = flaky(fail);
    }
    let evaluation = rule.evaluate(&perf::snapshot(), at(10));
    assert_eq!(only(&evaluation), (true, 0.25));
}

#[test]
fn rate_of_counter_per_second() {
    // 100 then 160 calls 10 s apart: 6 per second, above 5/s.
    let mut rule = evaluator(r#"rate(metric{name="static_calls"}) > 5/s"#);
    let first = rule.evaluate(&counters("static_calls", 100), at(0));
    assert!(first.series.is_empty());
    assert!(first.warming_up);
    let second = rule.evaluate(&counters("static_calls", 160), at(10));
    assert_eq!(only(&second), (true, 6.0));
}

#[test]
fn rate_per_minute_unit() {
    // 6 per second is 360 per minute, below 400/m.
    let mut rule = evaluator(r#"rate(metric{name="static_calls"}) > 400/m"#);
    rule.evaluate(&counters("static_calls", 100), at(0));
    let second = rule.evaluate(&counters("static_calls", 160), at(10));
    assert_eq!(only(&second), (false, 6.0));
}

#[test]
fn rate_after_counter_reset() {
    // 160 then 30: the counter restarted, so 30 is the increase over 10 s, 3 per second.
    let mut rule = evaluator(r#"rate(metric{name="static_calls"}) > 5/s"#);
    rule.evaluate(&counters("static_calls", 160), at(0));
    let after_reset = rule.evaluate(&counters("static_calls", 30), at(10));
    assert_eq!(only(&after_reset), (false, 3.0));
}

#[test]
fn and_joins_on_shared_labels() {
    let mut rule = evaluator(r#"metric{name="static_a"} > 1 and metric{name="static_b"} > 1"#);
    let snapshot = snapshot(&[
        ("static_a", &[("shard", "x")], 5.0),
        ("static_b", &[("shard", "x")], 5.0),
        ("static_a", &[("shard", "y")], 5.0),
        ("static_b", &[("shard", "y")], 0.0),
    ]);
    let evaluation = rule.evaluate(&snapshot, at(0));
    let verdicts: Vec<(String, bool)> =
        evaluation.series.iter().map(|series| (series.labels["shard"].clone(), series.active)).collect();
    assert_eq!(verdicts, vec![("x".to_owned(), true), ("y".to_owned(), false)]);
}

#[test]
fn or_holds_when_either_holds() {
    let mut rule = evaluator(r#"metric{name="static_a"} > 10 or metric{name="static_a"} < 1"#);
    let evaluation = rule.evaluate(&snapshot(&[("static_a", &[], 0.5)]), at(0));
    assert!(evaluation.series[0].active);
}

#[test]
fn not_negates() {
    let mut rule = evaluator(r#"not metric{name="static_a"} > 10"#);
    let evaluation = rule.evaluate(&snapshot(&[("static_a", &[], 0.5)]), at(0));
    assert!(evaluation.series[0].active);
}

#[test]
fn absent_after_window() {
    let mut rule = evaluator(r#"absent(metric{name="static_gone"}, 1m)"#);
    let first = rule.evaluate(&snapshot(&[]), at(0));
    assert!(!first.series[0].active, "absent before the window passed");
    let later = rule.evaluate(&snapshot(&[]), at(60));
    assert!(later.series[0].active);
    assert_eq!(later.series[0].labels.get("name").map(String::as_str), Some("static_gone"));
}

#[test]
fn absent_resets_when_data_returns() {
    let mut rule = evaluator(r#"absent(metric{name="static_gone"}, 1m)"#);
    rule.evaluate(&snapshot(&[]), at(0));
    rule.evaluate(&snapshot(&[("static_gone", &[], 1.0)]), at(50));
    let later = rule.evaluate(&snapshot(&[]), at(100));
    assert!(!later.series[0].active, "the minute counts from the last sample, at 50 s");
}

#[perf::monitored(latency)]
fn sleepy() {
    std::thread::sleep(Duration::from_millis(2));
}

#[test]
fn latency_bound_in_milliseconds() {
    sleepy();
    let site = format!("{}::sleepy", module_path!());
    let mut below = evaluator(&format!(r#"p99(latency{{site="{site}"}}) > 1ms"#));
    let mut above = evaluator(&format!(r#"p99(latency{{site="{site}"}}) > 250ms"#));
    let snapshot = perf::snapshot();
    let (active, seconds) = only(&below.evaluate(&snapshot, at(0)));
    assert!(active, "a 2 ms call is slower than 1 ms: p99 was {seconds} s");
    assert!(!only(&above.evaluate(&snapshot, at(0))).0);
}
