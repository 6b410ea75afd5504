//! Escalation policies with a manual clock, with and without acknowledgement.

mod alert_support;

use std::time::Duration;

use alert_support::{at, recorder, take, Harness, Inbox};
use perf::alert::{AlertManager, AlertRule, AlertState, EscalationPolicy, Route};

const METRIC: &str = "escalation_value";

struct Inboxes {
    log: Inbox,
    oncall: Inbox,
    lead: Inbox,
}

/// Level 0 pages `oncall` and waits 300 s, level 1 pages `lead` and waits 600 s; the policy
/// starts over once.
fn harness() -> (Harness, Inboxes) {
    let (log, log_inbox) = recorder("log");
    let (oncall, oncall_inbox) = recorder("oncall");
    let (lead, lead_inbox) = recorder("lead");
    let policy = EscalationPolicy::new("checkout")
        .level(Duration::from_secs(300), ["oncall"])
        .level(Duration::from_secs(600), ["lead"])
        .repeat(1);
    let builder = AlertManager::builder()
        .rule(AlertRule::new("CheckoutDown", format!(r#"metric{{name="{METRIC}"}} > 5"#)))
        .receiver(log)
        .receiver(oncall)
        .receiver(lead)
        .escalation_policy(policy)
        .route(Route::new("log").escalation("checkout"));
    let inboxes = Inboxes { log: log_inbox, oncall: oncall_inbox, lead: lead_inbox };
    (Harness::new(METRIC, builder), inboxes)
}

/// Returns when each notification in `inbox` was made, in seconds after the start.
fn times(inbox: &Inbox) -> Vec<u64> {
    take(inbox).iter().map(|notification| notification.created_at.duration_since(at(0)).unwrap().as_secs()).collect()
}

fn firing_until(harness: &Harness, seconds: &[u64]) {
    for second in seconds {
        harness.eval_at(*second, Some(10.0));
    }
}

#[test]
fn escalation_notifies_level_zero_at_once() {
    let (harness, inboxes) = harness();
    firing_until(&harness, &[0]);
    assert_eq!(times(&inboxes.oncall), vec![0]);
    assert!(take(&inboxes.lead).is_empty());
}

#[test]
fn escalation_moves_to_next_level_after_delay() {
    let (harness, inboxes) = harness();
    firing_until(&harness, &[0, 299]);
    assert!(take(&inboxes.lead).is_empty(), "escalated before the delay");
    firing_until(&harness, &[300]);
    assert_eq!(times(&inboxes.lead), vec![300]);
}

#[test]
fn escalation_starts_over_then_stops() {
    let (harness, inboxes) = harness();
    // Level 0 at 0, level 1 at 300, level 0 again at 900, level 1 at 1200; the second pass
    // ends at 1800 with no third.
    firing_until(&harness, &[0, 300, 900, 1200, 1800, 3000]);
    assert_eq!(times(&inboxes.oncall), vec![0, 900]);
    assert_eq!(times(&inboxes.lead), vec![300, 1200]);
}

#[test]
fn escalation_catches_up_missed_levels() {
    let (harness, inboxes) = harness();
    // One late evaluation at 1000 s does both steps due by then, at their own times.
    firing_until(&harness, &[0, 1000]);
    assert_eq!(times(&inboxes.lead), vec![300]);
    assert_eq!(times(&inboxes.oncall), vec![0, 900]);
}

#[test]
fn acknowledgement_stops_escalation() {
    let (harness, inboxes) = harness();
    firing_until(&harness, &[0]);
    let fingerprint = harness.manager.alerts()[0].alert.fingerprint.clone();
    harness.set(100);
    harness.manager.acknowledge(&fingerprint, "alice", "on it").unwrap();
    firing_until(&harness, &[300, 900, 1200]);
    assert!(take(&inboxes.lead).is_empty());
    assert_eq!(times(&inboxes.oncall), vec![0]);
}

#[test]
fn acknowledgement_shown_on_alert() {
    let (harness, _inboxes) = harness();
    firing_until(&harness, &[0]);
    let fingerprint = harness.manager.alerts()[0].alert.fingerprint.clone();
    harness.set(100);
    harness.manager.acknowledge(&fingerprint, "alice", "on it").unwrap();
    let acknowledged = harness.manager.alerts()[0].alert.acknowledged.clone().unwrap();
    assert_eq!((acknowledged.by.as_str(), acknowledged.at), ("alice", at(100)));
}

#[test]
fn acknowledge_unknown_fingerprint_rejected() {
    let (harness, _inboxes) = harness();
    assert!(harness.manager.acknowledge("0000000000000000", "alice", "").is_err());
}

#[test]
fn resolution_stops_and_tells_notified_levels() {
    let (harness, inboxes) = harness();
    firing_until(&harness, &[0, 300]);
    take(&inboxes.oncall);
    take(&inboxes.lead);
    harness.eval_at(400, Some(1.0));
    let oncall = take(&inboxes.oncall);
    let lead = take(&inboxes.lead);
    assert_eq!(oncall.len(), 1);
    assert_eq!(lead.len(), 1);
    assert_eq!(oncall[0].alerts[0].state, AlertState::Resolved);
    harness.eval_at(900, Some(1.0));
    assert!(take(&inboxes.oncall).is_empty(), "escalated after resolution");
}

#[test]
fn escalation_route_still_notifies_its_receiver() {
    let (harness, inboxes) = harness();
    firing_until(&harness, &[0, 30]);
    assert_eq!(times(&inboxes.log), vec![30]);
}
