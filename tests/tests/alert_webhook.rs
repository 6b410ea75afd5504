//! The webhook receiver against a responder on 127.0.0.1: Alertmanager's payload, retries
//! with backoff after failures, and a failure that stays visible.

mod alert_support;

use std::time::{Duration, Instant};

use alert_support::{at, Harness, Responder};
use perf::alert::{
    AlertManager, AlertRule, DeliveryRecord, DeliveryStatus, HistoryEvent, RetryPolicy, Route, WebhookPayload,
    WebhookReceiver,
};
use perf::event::{self, EventData, EventFilter, EventKind};

const METRIC: &str = "webhook_value";

/// Retries after 10 s, then 20 s, with no jitter, up to 4 attempts.
fn retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_secs(10),
        max_backoff: Duration::from_secs(300),
        multiplier: 2.0,
        jitter: 0.0,
    }
}

fn harness(url: &str) -> Harness {
    let rule = AlertRule::new("QueueDeep", format!(r#"metric{{name="{METRIC}"}} > 5"#))
        .label("team", "jobs")
        .annotation("summary", "queue depth is {{ $value }}");
    let builder = AlertManager::builder()
        .rule(rule)
        .receiver(WebhookReceiver::new("hook", url).timeout(Duration::from_secs(5)))
        .route(Route::new("hook").group_by(["alertname"]).group_wait(Duration::ZERO).group_interval(Duration::ZERO))
        .retry(retry())
        .external_url("http://127.0.0.1:9999");
    Harness::new(METRIC, builder)
}

/// Waits in real time until `done` holds for the only delivery record.
fn wait_for_record(harness: &Harness, done: impl Fn(&DeliveryRecord) -> bool) -> DeliveryRecord {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let records = harness.manager.deliveries();
        if let Some(record) = records.first().filter(|record| done(record)) {
            return record.clone();
        }
        assert!(Instant::now() < deadline, "delivery did not reach the expected state: {records:#?}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn webhook_payload_is_alertmanager_v4() {
    let responder = Responder::start(vec![200]);
    let harness = harness(&responder.url);
    harness.eval_at(0, Some(12.0));
    wait_for_record(&harness, |record| record.status == DeliveryStatus::Delivered);

    let requests = responder.requests();
    assert_eq!((requests[0].method.as_str(), requests[0].path.as_str()), ("POST", "/hook"));
    let body: serde_json::Value = serde_json::from_str(&requests[0].body).unwrap();
    assert_eq!(body["version"], "4");
    assert_eq!(body["status"], "firing");
    assert_eq!(body["receiver"], "hook");
    assert_eq!(body["groupLabels"], serde_json::json!({ "alertname": "QueueDeep" }));
    assert_eq!(body["commonLabels"]["team"], "jobs");
    assert_eq!(body["commonAnnotations"]["summary"], "queue depth is 12");
    assert_eq!(body["externalURL"], "http://127.0.0.1:9999");
    assert!(body["groupKey"].is_string());

    let alert = &body["alerts"][0];
    assert_eq!(alert["status"], "firing");
    assert_eq!(alert["labels"]["alertname"], "QueueDeep");
    assert_eq!(alert["annotations"]["summary"], "queue depth is 12");
    // The start of the test clock, 1_700_000_000 s after the epoch.
    assert_eq!(alert["startsAt"], "2023-11-14T22:13:20.000Z");
    assert_eq!(alert["endsAt"], "0001-01-01T00:00:00Z");
    assert_eq!(alert["generatorURL"], "http://127.0.0.1:9999/alerts");
    let fingerprint = alert["fingerprint"].as_str().unwrap();
    assert!(fingerprint.len() == 16 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()), "{fingerprint}");
}

#[test]
fn webhook_payload_deserializes_typed() {
    let responder = Responder::start(vec![200]);
    let harness = harness(&responder.url);
    harness.eval_at(0, Some(12.0));
    harness.eval_at(10, Some(1.0));
    wait_for_record(&harness, |record| record.status == DeliveryStatus::Delivered);
    let deadline = Instant::now() + Duration::from_secs(10);
    while responder.requests().len() < 2 {
        assert!(Instant::now() < deadline, "the resolved notification did not arrive");
        std::thread::sleep(Duration::from_millis(2));
    }

    let resolved: WebhookPayload = serde_json::from_str(&responder.requests()[1].body).unwrap();
    assert_eq!(resolved.status, "resolved");
    assert_eq!(resolved.alerts[0].status, "resolved");
    assert_eq!(resolved.alerts[0].ends_at, "2023-11-14T22:13:30.000Z");
}

#[test]
fn webhook_retries_with_backoff_until_delivered() {
    let responder = Responder::start(vec![500, 503, 200]);
    let harness = harness(&responder.url);
    harness.eval_at(0, Some(12.0));
    let record = wait_for_record(&harness, |record| record.attempts.len() == 1);
    assert_eq!(record.status, DeliveryStatus::Retrying);
    assert_eq!(record.next_attempt_at, Some(at(10)));

    harness.set(9);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(harness.manager.deliveries()[0].attempts.len(), 1, "retried before the backoff");

    harness.set(10);
    let record = wait_for_record(&harness, |record| record.attempts.len() == 2);
    assert_eq!(record.next_attempt_at, Some(at(30)), "the second wait doubles to 20 s");

    harness.set(30);
    let record = wait_for_record(&harness, |record| record.status == DeliveryStatus::Delivered);
    let times: Vec<_> = record.attempts.iter().map(|attempt| attempt.at).collect();
    assert_eq!(times, vec![at(0), at(10), at(30)]);
    assert_eq!(responder.requests().len(), 3);
}

#[test]
fn webhook_attempt_errors_name_status() {
    let responder = Responder::start(vec![500, 200]);
    let harness = harness(&responder.url);
    harness.eval_at(0, Some(12.0));
    let record = wait_for_record(&harness, |record| record.attempts.len() == 1);
    let error = record.attempts[0].error.clone().unwrap();
    assert!(error.contains("HTTP 500"), "{error}");
}

#[test]
fn webhook_rejected_request_fails_visibly() {
    let failures = event::subscribe(EventFilter::new().kinds([EventKind::NotificationFailed]), 16);
    let responder = Responder::start(vec![400]);
    let harness = harness(&responder.url);
    harness.eval_at(0, Some(12.0));

    let record = wait_for_record(&harness, |record| record.status == DeliveryStatus::Failed);
    assert_eq!(record.attempts.len(), 1, "a 400 is not retried");
    let logged = harness.manager.history().into_iter().any(
        |entry| matches!(entry.event, HistoryEvent::DeliveryFailed { ref error, .. } if error.contains("HTTP 400")),
    );
    assert!(logged, "the failure is not in the history");

    let event = failures.recv_timeout(Duration::from_secs(10)).expect("a NotificationFailed event");
    assert!(matches!(event.data, EventData::NotificationFailed { ref receiver, .. } if receiver == "hook"));
}

#[test]
fn webhook_gives_up_after_max_attempts() {
    let responder = Responder::start(vec![500]);
    let harness = harness(&responder.url);
    harness.eval_at(0, Some(12.0));
    // Attempts at 0, 10, 30 and 70 s: waits of 10, 20 and 40 s.
    for second in [10, 30, 70] {
        harness.set(second);
        let attempts = wait_for_record(&harness, |record| record.next_attempt_at != Some(at(second))).attempts.len();
        assert!(attempts >= 2, "no retry at {second}");
    }
    let record = wait_for_record(&harness, |record| record.status == DeliveryStatus::Failed);
    assert_eq!(record.attempts.len(), 4);
}

#[test]
fn webhook_unreachable_is_retried() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let harness = harness(&format!("http://127.0.0.1:{port}/hook"));
    harness.eval_at(0, Some(12.0));
    let record = wait_for_record(&harness, |record| record.attempts.len() == 1);
    assert_eq!(record.status, DeliveryStatus::Retrying);
}
