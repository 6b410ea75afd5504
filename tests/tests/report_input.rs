//! Reports built from consecutive snapshots (JSON exports): the intervals between them, and
//! the rendered page.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use perf::report::{render, ReportInput, ReportOptions};

const SITE: &str = "report_input::charge";

#[perf::monitored(name = "report_input::charge", component = "billing")]
fn charge(cents: u64) -> Result<u64, String> {
    if cents == 0 {
        return Err("nothing to charge".to_owned());
    }
    Ok(cents)
}

/// Keeps tests that call the site from running at the same time, so each sees its own calls.
fn exclusive() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Takes a snapshot after 10 good calls, then another after 30 more calls of which 6 fail.
fn two_snapshots() -> (perf::Snapshot, perf::Snapshot) {
    for cents in 1..=10 {
        charge(cents).unwrap();
    }
    let first = perf::snapshot();
    std::thread::sleep(Duration::from_millis(20));
    for cents in 0..30 {
        let _ = charge(cents % 5);
    }
    (first, perf::snapshot())
}

#[test]
fn interval_counts_calls_between_snapshots() {
    let _site = exclusive();
    let (first, second) = two_snapshots();
    let seconds = (second.taken_at_ms - first.taken_at_ms) as f64 / 1000.0;
    let input = ReportInput::from_snapshots(vec![second.clone(), first.clone()], "two exports").unwrap();

    let intervals = &input.sites[SITE];
    assert_eq!(intervals.len(), 1);
    assert_eq!(intervals[0].calls, 30);
    assert_eq!(intervals[0].errors, 6);
    assert_eq!(intervals[0].end_ms, second.taken_at_ms);
    assert!((intervals[0].seconds - seconds).abs() < 1e-9, "{} s, expected {seconds} s", intervals[0].seconds);
    assert!(intervals[0].p99.is_some(), "no latency for the interval");
}

#[test]
fn period_spans_the_snapshots() {
    let _site = exclusive();
    let (first, second) = two_snapshots();
    let input = ReportInput::from_snapshots(vec![first.clone(), second.clone()], "two exports").unwrap();
    assert_eq!((input.from_ms, input.to_ms), (first.taken_at_ms, second.taken_at_ms));
}

#[test]
fn no_snapshot_is_an_error() {
    let error = ReportInput::from_snapshots(Vec::new(), "nothing").unwrap_err();
    assert_eq!(error.to_string(), "no snapshot to report on: give at least one JSON export");
}

#[test]
fn rendered_report_lists_the_site() {
    let _site = exclusive();
    let (first, second) = two_snapshots();
    let input = ReportInput::from_snapshots(vec![first, second], "two exports").unwrap();
    let html = render(&input, &ReportOptions { title: "billing <nightly>".to_owned(), ..ReportOptions::default() });

    assert!(html.contains("<title>billing &lt;nightly&gt;</title>"), "title not escaped");
    assert!(html.contains(&format!("<td class=\"mono\">{SITE}</td>")), "slowest sites table misses the site");
    assert!(html.contains("id=\"latency\""), "no latency section");
    assert!(!html.contains("<script"), "a report needs no script");
}
