//! History persisted to a file: a restart loses none of it, and the file stays bounded.

mod alert_support;

use std::time::Duration;

use alert_support::{recorder, Harness};
use perf::alert::{AlertManager, AlertRule, AlertState, HistoryEvent, Route};

const METRIC: &str = "history_value";

fn builder(path: &std::path::Path, capacity: usize) -> perf::alert::AlertManagerBuilder {
    let (receiver, _inbox) = recorder("inbox");
    AlertManager::builder()
        .rule(AlertRule::new("HistoryHigh", format!(r#"metric{{name="{METRIC}"}} > 5"#)))
        .receiver(receiver)
        .route(Route::new("inbox").group_wait(Duration::ZERO))
        .history_file(path)
        .history_capacity(capacity)
}

fn state_changes(manager: &AlertManager) -> Vec<(AlertState, AlertState)> {
    manager
        .history()
        .into_iter()
        .filter_map(|entry| match entry.event {
            HistoryEvent::StateChanged { from, to, .. } => Some((from, to)),
            _ => None,
        })
        .collect()
}

#[test]
fn history_survives_restart() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("history.jsonl");
    {
        let harness = Harness::new(METRIC, builder(&path, 100));
        harness.eval_at(0, Some(10.0));
        harness.eval_at(10, Some(1.0));
    }
    let restarted = builder(&path, 100).build().unwrap();
    let expected = vec![(AlertState::Inactive, AlertState::Firing), (AlertState::Firing, AlertState::Resolved)];
    assert_eq!(state_changes(&restarted), expected);
}

#[test]
fn history_capacity_bounds_memory_and_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("history.jsonl");
    let harness = Harness::new(METRIC, builder(&path, 4));
    // 20 evaluations alternate firing and resolved: 20 state changes, plus deliveries.
    for second in 0..20 {
        harness.eval_at(second * 10, Some(if second % 2 == 0 { 10.0 } else { 1.0 }));
    }
    assert_eq!(harness.manager.history().len(), 4);
    let lines = std::fs::read_to_string(&path).unwrap().lines().count();
    assert!(lines <= 8, "the file holds {lines} lines; at most twice the capacity of 4");
}

#[test]
fn history_unreadable_lines_skipped() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("history.jsonl");
    std::fs::write(&path, "not json\n").unwrap();
    let manager = builder(&path, 10).build().unwrap();
    assert!(manager.history().is_empty());
}
