//! Silences and inhibition with a manual clock.

mod alert_support;

use std::time::Duration;

use alert_support::{at, recorder, snapshot_by_label, take, Harness, Inbox, DELIVERY_TIMEOUT};
use perf::alert::{AlertManager, AlertRule, InhibitRule, Matcher, Muted, Route, Silence};
use perf::event::Severity;

const METRIC: &str = "silence_value";

fn builder(inbox_name: &str) -> (perf::alert::AlertManagerBuilder, Inbox) {
    let (receiver, inbox) = recorder(inbox_name);
    let builder = AlertManager::builder()
        .rule(AlertRule::new("ValueHigh", format!(r#"metric{{name="{METRIC}"}} > 5"#)).label("team", "shop"))
        .receiver(receiver)
        .route(
            Route::new(inbox_name).group_by(["alertname"]).group_wait(Duration::ZERO).group_interval(Duration::ZERO),
        );
    (builder, inbox)
}

fn eval(harness: &Harness, seconds: u64, value: f64) {
    harness.eval_at(seconds, Some(value));
}

#[test]
fn silence_mutes_while_active() {
    let (builder, inbox) = builder("inbox");
    let harness = Harness::new(METRIC, builder);
    harness.manager.add_silence(Silence::new(vec![Matcher::equal("team", "shop")], at(0), at(100))).unwrap();
    eval(&harness, 0, 10.0);
    eval(&harness, 99, 10.0);
    assert!(take(&inbox).is_empty());
}

#[test]
fn silence_end_lets_alert_through() {
    let (builder, inbox) = builder("inbox");
    let harness = Harness::new(METRIC, builder);
    harness.manager.add_silence(Silence::new(vec![Matcher::equal("team", "shop")], at(0), at(100))).unwrap();
    eval(&harness, 0, 10.0);
    eval(&harness, 100, 10.0);
    let sent = take(&inbox);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].created_at, at(100));
}

#[test]
fn silence_not_started_does_not_mute() {
    let (builder, inbox) = builder("inbox");
    let harness = Harness::new(METRIC, builder);
    harness.manager.add_silence(Silence::new(vec![Matcher::equal("team", "shop")], at(50), at(100))).unwrap();
    eval(&harness, 0, 10.0);
    assert_eq!(take(&inbox).len(), 1);
}

#[test]
fn silence_other_labels_does_not_mute() {
    let (builder, inbox) = builder("inbox");
    let harness = Harness::new(METRIC, builder);
    harness.manager.add_silence(Silence::new(vec![Matcher::equal("team", "search")], at(0), at(100))).unwrap();
    eval(&harness, 0, 10.0);
    assert_eq!(take(&inbox).len(), 1);
}

#[test]
fn silence_listed_as_muting() {
    let (builder, _inbox) = builder("inbox");
    let harness = Harness::new(METRIC, builder);
    let id = harness.manager.add_silence(Silence::new(vec![Matcher::equal("team", "shop")], at(0), at(100))).unwrap();
    eval(&harness, 0, 10.0);
    assert_eq!(harness.manager.alerts()[0].muted, Some(Muted::Silenced(vec![id])));
}

#[test]
fn silence_expired_early_unmutes() {
    let (builder, inbox) = builder("inbox");
    let harness = Harness::new(METRIC, builder);
    let id = harness.manager.add_silence(Silence::new(vec![Matcher::equal("team", "shop")], at(0), at(100))).unwrap();
    eval(&harness, 0, 10.0);
    harness.set(20);
    harness.manager.expire_silence(&id).unwrap();
    eval(&harness, 20, 10.0);
    assert_eq!(take(&inbox).len(), 1);
}

#[test]
fn silence_without_matchers_rejected() {
    let (builder, _inbox) = builder("inbox");
    let harness = Harness::new(METRIC, builder);
    assert!(harness.manager.add_silence(Silence::new(Vec::new(), at(0), at(100))).is_err());
}

/// Two rules on per-cache values: a critical one above 90 and a warning one above 50, with
/// the critical alert inhibiting the warning of the same cache.
fn inhibition_harness() -> (Harness, Inbox) {
    let (receiver, inbox) = recorder("inbox");
    let expr = |bound: u32| format!(r#"metric{{name="{METRIC}"}} > {bound}"#);
    let builder = AlertManager::builder()
        .rule(AlertRule::new("Critical", expr(90)).severity(Severity::Critical))
        .rule(AlertRule::new("Warning", expr(50)).severity(Severity::Warning))
        .receiver(receiver)
        .route(Route::new("inbox").group_by(["alertname", "cache"]).group_wait(Duration::ZERO))
        .inhibit(InhibitRule::new(
            vec![Matcher::equal("severity", "critical")],
            vec![Matcher::equal("severity", "warning")],
            ["cache"],
        ));
    (Harness::new(METRIC, builder), inbox)
}

fn eval_caches(harness: &Harness, seconds: u64, caches: &[(&str, f64)]) {
    harness.set(seconds);
    harness.manager.evaluate(&snapshot_by_label(METRIC, "cache", caches));
    assert!(harness.manager.wait_for_deliveries(DELIVERY_TIMEOUT));
}

fn sent_alertnames(inbox: &Inbox) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = take(inbox)
        .iter()
        .flat_map(|notification| notification.alerts.iter())
        .map(|alert| (alert.labels["alertname"].clone(), alert.labels["cache"].clone()))
        .collect();
    names.sort();
    names
}

#[test]
fn inhibition_mutes_target_with_equal_label() {
    let (harness, inbox) = inhibition_harness();
    eval_caches(&harness, 0, &[("sessions", 95.0)]);
    assert_eq!(sent_alertnames(&inbox), vec![("Critical".to_owned(), "sessions".to_owned())]);
}

#[test]
fn inhibition_spares_other_label_value() {
    let (harness, inbox) = inhibition_harness();
    eval_caches(&harness, 0, &[("sessions", 95.0), ("pages", 60.0)]);
    let expected = vec![("Critical".to_owned(), "sessions".to_owned()), ("Warning".to_owned(), "pages".to_owned())];
    assert_eq!(sent_alertnames(&inbox), expected);
}

#[test]
fn inhibition_lifts_when_source_resolves() {
    let (harness, inbox) = inhibition_harness();
    eval_caches(&harness, 0, &[("sessions", 95.0)]);
    take(&inbox);
    eval_caches(&harness, 10, &[("sessions", 60.0)]);
    // The warning's group flushes next at group_interval (the default 300 s) after its first.
    eval_caches(&harness, 300, &[("sessions", 60.0)]);
    let names = sent_alertnames(&inbox);
    assert!(names.contains(&("Warning".to_owned(), "sessions".to_owned())), "{names:?}");
}
