//! `#[monitored(slow = "...")]` emits a slow-call event for each call over its bound, off the
//! hot path.

use std::time::Duration;

use perf::event::{self, EventData, EventFilter, EventKind};

#[perf::monitored(slow = "5ms")]
fn maybe_slow(sleep: Duration) {
    std::thread::sleep(sleep);
}

fn site() -> String {
    format!("{}::maybe_slow", module_path!())
}

#[test]
fn slow_call_emits_event_after_collection() {
    let events = event::subscribe(EventFilter::new().kinds([EventKind::SlowCall]).site(site()), 16);
    maybe_slow(Duration::from_millis(20));
    maybe_slow(Duration::ZERO);
    assert!(events.try_recv().is_none(), "the event waits for the collector");

    perf::collect_now();
    let slow: Vec<(u64, u64)> = events
        .try_iter()
        .map(|event| match event.data {
            EventData::SlowCall { nanos, threshold_nanos } => (nanos, threshold_nanos),
            other => panic!("unexpected event {other:?}"),
        })
        .collect();
    assert_eq!(slow.len(), 1, "only the 20 ms call is slower than 5 ms: {slow:?}");
    assert!(slow[0].0 >= 20_000_000, "measured {} ns", slow[0].0);
    assert_eq!(slow[0].1, 5_000_000);
}
