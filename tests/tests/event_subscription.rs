//! Subscriptions: filters, bounded queues that count their losses, a blocking iterator and
//! an async stream.

use std::pin::Pin;
use std::time::{Duration, SystemTime};

use perf::event::{self, Event, EventData, EventFilter, EventKind, Severity};

/// An export event for `target`, which tests use to tell their own events apart.
fn export_event(target: &str, severity: Severity) -> Event {
    Event::new(SystemTime::now(), severity, EventData::ExportFinished { target: target.to_owned(), error: None })
        .with_component(target)
}

fn mine(target: &str) -> EventFilter {
    EventFilter::new().kinds([EventKind::ExportFinished]).component(target)
}

#[test]
fn subscription_receives_matching_event() {
    let events = event::subscribe(mine("sub-match"), 8);
    event::emit(export_event("sub-match", Severity::Info));
    let received = events.try_recv().unwrap();
    assert_eq!(received.component.as_deref(), Some("sub-match"));
}

#[test]
fn subscription_filters_out_other_component() {
    let events = event::subscribe(mine("sub-filter"), 8);
    event::emit(export_event("sub-other", Severity::Info));
    assert!(events.try_recv().is_none());
}

#[test]
fn subscription_filters_by_severity() {
    let events = event::subscribe(mine("sub-severity").min_severity(Severity::Warning), 8);
    event::emit(export_event("sub-severity", Severity::Info));
    event::emit(export_event("sub-severity", Severity::Critical));
    let severities: Vec<Severity> = events.try_iter().map(|event| event.severity).collect();
    assert_eq!(severities, vec![Severity::Critical]);
}

#[test]
fn full_queue_drops_oldest_and_counts() {
    let events = event::subscribe(mine("sub-full"), 3);
    for index in 0..5 {
        let mut event = export_event("sub-full", Severity::Info);
        event.labels.insert("index".to_owned(), index.to_string());
        event::emit(event);
    }
    assert_eq!(events.dropped(), 2);
    let kept: Vec<String> = events.try_iter().map(|event| event.labels["index"].clone()).collect();
    assert_eq!(kept, vec!["2", "3", "4"]);
}

#[test]
fn full_queue_loss_in_global_stats() {
    let before = event::stats().dropped;
    let events = event::subscribe(mine("sub-stats"), 1);
    event::emit(export_event("sub-stats", Severity::Info));
    event::emit(export_event("sub-stats", Severity::Info));
    assert!(event::stats().dropped > before);
    drop(events);
}

#[test]
fn emit_never_waits_for_slow_subscriber() {
    let stalled = event::subscribe(mine("sub-stalled"), 4);
    let started = std::time::Instant::now();
    for _ in 0..10_000 {
        event::emit(export_event("sub-stalled", Severity::Info));
    }
    // Nobody reads: every emit returned anyway, dropping the oldest event.
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(stalled.dropped(), 10_000 - 4);
}

#[test]
fn blocking_iterator_waits_for_event() {
    let events = event::subscribe(mine("sub-iter"), 8);
    let sender = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(20));
        event::emit(export_event("sub-iter", Severity::Info));
    });
    let first = events.into_iter().next().unwrap();
    assert_eq!(first.component.as_deref(), Some("sub-iter"));
    sender.join().unwrap();
}

#[test]
fn recv_timeout_expires_without_event() {
    let events = event::subscribe(mine("sub-timeout"), 8);
    assert!(events.recv_timeout(Duration::from_millis(10)).is_none());
}

#[tokio::test]
async fn async_stream_yields_event() {
    let mut events = event::subscribe(mine("sub-stream"), 8);
    tokio::spawn(async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        event::emit(export_event("sub-stream", Severity::Info));
    });
    let next = std::future::poll_fn(|context| futures_core::Stream::poll_next(Pin::new(&mut events), context));
    let event = tokio::time::timeout(Duration::from_secs(10), next).await.unwrap().unwrap();
    assert_eq!(event.component.as_deref(), Some("sub-stream"));
}
