//! An adaptive rule falls back to its static bound, or stays silent, until it has history.

mod alert_support;

use alert_support::{recorder, Harness};
use perf::alert::{AlertManager, AlertRule, AlertState, Route};

const METRIC: &str = "fallback_value";

fn harness(rule: AlertRule) -> Harness {
    let (receiver, _inbox) = recorder("inbox");
    let builder = AlertManager::builder().rule(rule).receiver(receiver).route(Route::new("inbox"));
    Harness::new(METRIC, builder)
}

fn adaptive() -> AlertRule {
    let value = format!(r#"metric{{name="{METRIC}"}}"#);
    AlertRule::new("Unusual", format!("{value} > ewma_upper({value}, 3, 0.3)")).min_samples(5)
}

#[test]
fn learning_rule_silent_without_fallback() {
    let harness = harness(adaptive());
    harness.eval_at(0, Some(1000.0));
    assert_eq!(harness.state(), None);
}

#[test]
fn learning_rule_uses_static_fallback() {
    let rule = adaptive().fallback(format!(r#"metric{{name="{METRIC}"}} > 100"#));
    let harness = harness(rule);
    harness.eval_at(0, Some(1000.0));
    assert_eq!(harness.state(), Some(AlertState::Firing));
}

#[test]
fn fallback_below_bound_stays_inactive() {
    let rule = adaptive().fallback(format!(r#"metric{{name="{METRIC}"}} > 100"#));
    let harness = harness(rule);
    harness.eval_at(0, Some(50.0));
    assert_eq!(harness.state(), None);
}

#[test]
fn learned_rule_ignores_fallback() {
    // After five samples of 10 the band is 10 ± 0, so 50 breaches it although the fallback
    // (above 100) would not.
    let rule = adaptive().fallback(format!(r#"metric{{name="{METRIC}"}} > 100"#));
    let harness = harness(rule);
    for second in 0..5 {
        harness.eval_at(second * 10, Some(10.0));
    }
    harness.eval_at(50, Some(50.0));
    assert_eq!(harness.state(), Some(AlertState::Firing));
}
