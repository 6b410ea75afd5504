//! Alert states with a manual clock: pending, firing at `for`, dropped pending, resolve,
//! `keep_firing_for`, hysteresis, no data, flapping and annotations.

mod alert_support;

use std::time::Duration;

use alert_support::{at, recorder, take, Harness};
use perf::alert::{AlertManager, AlertRule, AlertState, HistoryEvent, NoDataPolicy, Route};

const METRIC: &str = "lifecycle_value";

fn rule() -> AlertRule {
    AlertRule::new("ValueHigh", format!(r#"metric{{name="{METRIC}"}} > 5"#))
}

/// A harness whose route sends every change at once (no grouping delay).
fn harness(rule: AlertRule) -> (Harness, alert_support::Inbox) {
    let (receiver, inbox) = recorder("inbox");
    let builder = AlertManager::builder()
        .rule(rule)
        .receiver(receiver)
        .route(Route::new("inbox").group_wait(Duration::ZERO).group_interval(Duration::ZERO));
    (Harness::new(METRIC, builder), inbox)
}

#[test]
fn pending_sends_nothing() {
    let (harness, inbox) = harness(rule().for_duration(Duration::from_secs(60)));
    harness.eval_at(0, Some(10.0));
    assert_eq!(harness.state(), Some(AlertState::Pending));
    assert!(take(&inbox).is_empty());
}

#[test]
fn fires_at_for_not_before() {
    let (harness, _inbox) = harness(rule().for_duration(Duration::from_secs(60)));
    harness.eval_at(0, Some(10.0));
    harness.eval_at(59, Some(10.0));
    assert_eq!(harness.state(), Some(AlertState::Pending));
    harness.eval_at(60, Some(10.0));
    assert_eq!(harness.state(), Some(AlertState::Firing));
}

#[test]
fn firing_starts_at_for_evaluation() {
    let (harness, inbox) = harness(rule().for_duration(Duration::from_secs(60)));
    harness.eval_at(0, Some(10.0));
    harness.eval_at(60, Some(10.0));
    let alert = harness.manager.alerts()[0].alert.clone();
    assert_eq!(alert.active_at, Some(at(0)));
    assert_eq!(alert.starts_at, Some(at(60)));
    let sent = take(&inbox);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].alerts[0].state, AlertState::Firing);
}

#[test]
fn for_zero_fires_at_once() {
    let (harness, inbox) = harness(rule());
    harness.eval_at(0, Some(10.0));
    assert_eq!(harness.state(), Some(AlertState::Firing));
    assert_eq!(take(&inbox).len(), 1);
}

#[test]
fn dropped_pending_sends_nothing() {
    let (harness, inbox) = harness(rule().for_duration(Duration::from_secs(60)));
    harness.eval_at(0, Some(10.0));
    harness.eval_at(30, Some(1.0));
    assert_eq!(harness.state(), None);
    harness.eval_at(120, Some(1.0));
    assert!(take(&inbox).is_empty());
}

#[test]
fn dropped_pending_recorded_in_history() {
    let (harness, _inbox) = harness(rule().for_duration(Duration::from_secs(60)));
    harness.eval_at(0, Some(10.0));
    harness.eval_at(30, Some(1.0));
    let changes: Vec<(AlertState, AlertState)> = harness
        .manager
        .history()
        .into_iter()
        .filter_map(|entry| match entry.event {
            HistoryEvent::StateChanged { from, to, .. } => Some((from, to)),
            _ => None,
        })
        .collect();
    assert_eq!(changes, vec![(AlertState::Inactive, AlertState::Pending), (AlertState::Pending, AlertState::Inactive)]);
}

#[test]
fn resolve_sent_at_once() {
    let (harness, inbox) = harness(rule());
    harness.eval_at(0, Some(10.0));
    take(&inbox);
    harness.eval_at(10, Some(1.0));
    let sent = take(&inbox);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].alerts[0].state, AlertState::Resolved);
    assert_eq!(sent[0].alerts[0].ends_at, Some(at(10)));
}

#[test]
fn keep_firing_for_holds_then_resolves() {
    let (harness, _inbox) = harness(rule().keep_firing_for(Duration::from_secs(60)));
    harness.eval_at(0, Some(10.0));
    harness.eval_at(10, Some(1.0)); // clear since 10 s
    harness.eval_at(69, Some(1.0));
    assert_eq!(harness.state(), Some(AlertState::Firing));
    harness.eval_at(70, Some(1.0));
    assert_eq!(harness.state(), Some(AlertState::Resolved));
}

#[test]
fn keep_firing_for_resets_when_condition_returns() {
    let (harness, _inbox) = harness(rule().keep_firing_for(Duration::from_secs(60)));
    harness.eval_at(0, Some(10.0));
    harness.eval_at(10, Some(1.0)); // clear since 10 s
    harness.eval_at(40, Some(10.0)); // holds again: the timer resets
    harness.eval_at(50, Some(1.0)); // clear since 50 s
    harness.eval_at(109, Some(1.0));
    assert_eq!(harness.state(), Some(AlertState::Firing));
    harness.eval_at(110, Some(1.0));
    assert_eq!(harness.state(), Some(AlertState::Resolved));
}

#[test]
fn hysteresis_between_bounds_keeps_firing() {
    let rule = AlertRule::new("Hot", format!(r#"metric{{name="{METRIC}"}} > 80"#))
        .recovery(format!(r#"metric{{name="{METRIC}"}} < 50"#));
    let (harness, _inbox) = harness(rule);
    harness.eval_at(0, Some(90.0));
    harness.eval_at(10, Some(60.0));
    assert_eq!(harness.state(), Some(AlertState::Firing));
}

#[test]
fn hysteresis_below_recovery_resolves() {
    let rule = AlertRule::new("Hot", format!(r#"metric{{name="{METRIC}"}} > 80"#))
        .recovery(format!(r#"metric{{name="{METRIC}"}} < 50"#));
    let (harness, _inbox) = harness(rule);
    harness.eval_at(0, Some(90.0));
    harness.eval_at(10, Some(60.0));
    harness.eval_at(20, Some(40.0));
    assert_eq!(harness.state(), Some(AlertState::Resolved));
}

#[test]
fn hysteresis_between_bounds_does_not_start() {
    let rule = AlertRule::new("Hot", format!(r#"metric{{name="{METRIC}"}} > 80"#))
        .recovery(format!(r#"metric{{name="{METRIC}"}} < 50"#));
    let (harness, _inbox) = harness(rule);
    harness.eval_at(0, Some(60.0));
    assert_eq!(harness.state(), None);
}

#[test]
fn no_data_ok_resolves() {
    let (harness, _inbox) = harness(rule().no_data(NoDataPolicy::Ok));
    harness.eval_at(0, Some(10.0));
    harness.eval_at(10, None);
    assert_eq!(harness.state(), Some(AlertState::Resolved));
}

#[test]
fn no_data_keep_last_keeps_firing() {
    let (harness, _inbox) = harness(rule().no_data(NoDataPolicy::KeepLast));
    harness.eval_at(0, Some(10.0));
    harness.eval_at(10, None);
    assert_eq!(harness.state(), Some(AlertState::Firing));
}

#[test]
fn no_data_firing_raises_rule_alert() {
    let (harness, _inbox) = harness(rule().no_data(NoDataPolicy::Firing).label("team", "shop"));
    harness.eval_at(0, None);
    let alerts = harness.manager.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].alert.state, AlertState::Firing);
    assert_eq!(alerts[0].alert.labels.get("team").map(String::as_str), Some("shop"));
}

#[test]
fn no_data_alert_has_nodata_label() {
    let (harness, _inbox) = harness(rule().no_data(NoDataPolicy::NoDataAlert).for_duration(Duration::from_secs(30)));
    harness.eval_at(0, None);
    harness.eval_at(30, None);
    let alerts = harness.manager.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].alert.labels.get("nodata").map(String::as_str), Some("true"));
    assert_eq!(alerts[0].alert.state, AlertState::Firing);
}

#[test]
fn no_data_alert_clears_when_data_returns() {
    let (harness, _inbox) = harness(rule().no_data(NoDataPolicy::NoDataAlert));
    harness.eval_at(0, None);
    harness.eval_at(10, Some(1.0));
    let states: Vec<AlertState> = harness.manager.alerts().iter().map(|status| status.alert.state).collect();
    assert_eq!(states, vec![AlertState::Resolved]);
}

#[test]
fn flapping_marked_after_changes() {
    let (harness, _inbox) = harness(rule().flap_detection(Duration::from_secs(300), 4));
    for (second, value) in [(0, 10.0), (10, 1.0), (20, 10.0), (30, 1.0)] {
        harness.eval_at(second, Some(value));
    }
    let alert = harness.manager.alerts()[0].alert.clone();
    assert!(alert.flapping);
    assert_eq!(alert.annotations.get("flapping").map(String::as_str), Some("true"));
}

#[test]
fn annotation_template_filled() {
    let rule = rule().label("team", "shop").annotation("summary", "value {{ $value }} for {{ $labels.team }}");
    let (harness, inbox) = harness(rule);
    harness.eval_at(0, Some(7.5));
    let sent = take(&inbox);
    assert_eq!(sent[0].alerts[0].annotations.get("summary").map(String::as_str), Some("value 7.5 for shop"));
}

#[test]
fn alert_labels_carry_alertname_and_severity() {
    let (harness, _inbox) = harness(rule());
    harness.eval_at(0, Some(10.0));
    let labels = harness.manager.alerts()[0].alert.labels.clone();
    assert_eq!(labels.get("alertname").map(String::as_str), Some("ValueHigh"));
    assert_eq!(labels.get("severity").map(String::as_str), Some("warning"));
    assert_eq!(labels.get("name").map(String::as_str), Some(METRIC));
}

#[test]
fn invalid_expression_points_at_position() {
    let error = AlertManager::builder().rule(AlertRule::new("Bad", "p99(latency) > 250")).build().unwrap_err();
    let text = error.to_string();
    // The number 250 starts at byte 15, column 16, and has no unit where a duration is needed.
    assert!(text.contains("column 16"), "{text}");
}
