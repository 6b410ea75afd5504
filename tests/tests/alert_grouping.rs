//! Grouping with a manual clock: group_wait, an alert that resolves within it,
//! group_interval, repeat_interval, and routing to receivers.

mod alert_support;

use std::time::Duration;

use alert_support::{recorder, snapshot_by_label, take, Harness, Inbox, DELIVERY_TIMEOUT};
use perf::alert::{AlertManager, AlertRule, AlertState, Matcher, Route};

const METRIC: &str = "grouping_value";

/// One rule, alerting per `shard` label, into one group by `alertname`: group_wait 30 s,
/// group_interval 60 s, repeat_interval 300 s.
fn harness() -> (Harness, Inbox) {
    let (receiver, inbox) = recorder("inbox");
    let builder = AlertManager::builder()
        .rule(AlertRule::new("ShardHigh", format!(r#"metric{{name="{METRIC}"}} > 5"#)))
        .receiver(receiver)
        .route(
            Route::new("inbox")
                .group_by(["alertname"])
                .group_wait(Duration::from_secs(30))
                .group_interval(Duration::from_secs(60))
                .repeat_interval(Duration::from_secs(300)),
        );
    (Harness::new(METRIC, builder), inbox)
}

/// Evaluates at `seconds` with the given shards' values.
fn eval(harness: &Harness, seconds: u64, shards: &[(&str, f64)]) {
    harness.set(seconds);
    harness.manager.evaluate(&snapshot_by_label(METRIC, "shard", shards));
    assert!(harness.manager.wait_for_deliveries(DELIVERY_TIMEOUT));
}

fn shards(notification: &perf::alert::Notification) -> Vec<(String, AlertState)> {
    notification.alerts.iter().map(|alert| (alert.labels["shard"].clone(), alert.state)).collect()
}

#[test]
fn group_wait_holds_first_notification() {
    let (harness, inbox) = harness();
    eval(&harness, 0, &[("a", 10.0)]);
    eval(&harness, 29, &[("a", 10.0)]);
    assert!(take(&inbox).is_empty());
}

#[test]
fn group_wait_collects_alerts_into_one() {
    let (harness, inbox) = harness();
    eval(&harness, 0, &[("a", 10.0)]);
    eval(&harness, 10, &[("a", 10.0), ("b", 10.0)]);
    eval(&harness, 30, &[("a", 10.0), ("b", 10.0)]);
    let sent = take(&inbox);
    assert_eq!(sent.len(), 1);
    assert_eq!(shards(&sent[0]), vec![("a".to_owned(), AlertState::Firing), ("b".to_owned(), AlertState::Firing)]);
}

#[test]
fn resolved_within_group_wait_sends_nothing() {
    let (harness, inbox) = harness();
    eval(&harness, 0, &[("a", 10.0)]);
    eval(&harness, 10, &[("a", 1.0)]);
    eval(&harness, 30, &[("a", 1.0)]);
    eval(&harness, 400, &[("a", 1.0)]);
    assert!(take(&inbox).is_empty());
}

#[test]
fn group_interval_delays_new_alert() {
    let (harness, inbox) = harness();
    eval(&harness, 0, &[("a", 10.0)]);
    eval(&harness, 30, &[("a", 10.0)]);
    take(&inbox);
    eval(&harness, 40, &[("a", 10.0), ("b", 10.0)]);
    eval(&harness, 89, &[("a", 10.0), ("b", 10.0)]);
    assert!(take(&inbox).is_empty(), "sent before group_interval");
    eval(&harness, 90, &[("a", 10.0), ("b", 10.0)]);
    let sent = take(&inbox);
    assert_eq!(sent.len(), 1);
    assert_eq!(shards(&sent[0]).len(), 2);
}

#[test]
fn group_interval_sends_resolved() {
    let (harness, inbox) = harness();
    eval(&harness, 0, &[("a", 10.0)]);
    eval(&harness, 30, &[("a", 10.0)]);
    take(&inbox);
    eval(&harness, 45, &[("a", 1.0)]);
    assert!(take(&inbox).is_empty(), "resolved sent before the group's next flush");
    eval(&harness, 90, &[("a", 1.0)]);
    let sent = take(&inbox);
    assert_eq!(shards(&sent[0]), vec![("a".to_owned(), AlertState::Resolved)]);
}

#[test]
fn unchanged_group_not_resent_before_repeat() {
    let (harness, inbox) = harness();
    eval(&harness, 0, &[("a", 10.0)]);
    eval(&harness, 30, &[("a", 10.0)]);
    take(&inbox);
    for second in [90, 150, 210, 270] {
        eval(&harness, second, &[("a", 10.0)]);
    }
    assert!(take(&inbox).is_empty());
}

#[test]
fn repeat_interval_resends_unchanged_group() {
    let (harness, inbox) = harness();
    eval(&harness, 0, &[("a", 10.0)]);
    eval(&harness, 30, &[("a", 10.0)]);
    take(&inbox);
    // Flushes at 90, 150, 210, 270 and 330; the last is 300 s after the first notification.
    for second in [90, 150, 210, 270, 330] {
        eval(&harness, second, &[("a", 10.0)]);
    }
    let sent = take(&inbox);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].created_at, alert_support::at(330));
}

#[test]
fn acknowledged_group_not_repeated() {
    let (harness, inbox) = harness();
    eval(&harness, 0, &[("a", 10.0)]);
    eval(&harness, 30, &[("a", 10.0)]);
    take(&inbox);
    let fingerprint = harness.manager.alerts()[0].alert.fingerprint.clone();
    harness.manager.acknowledge(&fingerprint, "ops", "looking").unwrap();
    eval(&harness, 330, &[("a", 10.0)]);
    assert!(take(&inbox).is_empty());
}

#[test]
fn routes_split_by_matcher() {
    let (default_receiver, default_inbox) = recorder("default");
    let (pager, pager_inbox) = recorder("pager");
    let builder = AlertManager::builder()
        .rule(AlertRule::new("ShardHigh", format!(r#"metric{{name="{METRIC}"}} > 5"#)))
        .receiver(default_receiver)
        .receiver(pager)
        .route(
            Route::new("default")
                .group_by(["shard"])
                .group_wait(Duration::ZERO)
                .child(Route::new("pager").matcher(Matcher::equal("shard", "a"))),
        );
    let harness = Harness::new(METRIC, builder);
    eval(&harness, 0, &[("a", 10.0), ("b", 10.0)]);
    let paged = take(&pager_inbox);
    let defaulted = take(&default_inbox);
    assert_eq!(paged.iter().map(shards).collect::<Vec<_>>(), vec![vec![("a".to_owned(), AlertState::Firing)]]);
    assert_eq!(defaulted.iter().map(shards).collect::<Vec<_>>(), vec![vec![("b".to_owned(), AlertState::Firing)]]);
}
