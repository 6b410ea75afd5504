//! Reports built from consecutive snapshots (JSON exports) and from a running process over
//! HTTP: the intervals, the period, and the rendered page.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use std::net::SocketAddr;

use perf::report::{fetch, render, FetchError, ReportInput, ReportOptions};

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

#[test]
fn fetch_reads_running_process() {
    let _site = exclusive();
    let options = perf::http::HttpOptions {
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        bearer_token: Some("report-token".to_owned()),
        ..perf::http::HttpOptions::default()
    };
    let server = perf::serve(options).expect("server starts");
    let url = format!("http://{}", server.local_addr());
    perf::collect_now();
    for cents in 1..=5 {
        charge(cents).unwrap();
    }
    perf::collect_now();

    let input = fetch(&url, Some("report-token"), Duration::from_secs(60)).expect("report input over HTTP");
    assert!(input.snapshot.site(SITE).is_some_and(|site| site.calls >= 5), "the site is missing or has no calls");
    let last = input.sites.get(SITE).and_then(|intervals| intervals.last()).expect("intervals of the site");
    assert_eq!(last.calls, 5);
    assert_eq!(input.source, url);
    server.shutdown();
}

#[test]
fn fetch_with_wrong_token_is_status_error() {
    let options = perf::http::HttpOptions {
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        bearer_token: Some("right".to_owned()),
        ..perf::http::HttpOptions::default()
    };
    let server = perf::serve(options).expect("server starts");
    let url = format!("http://{}", server.local_addr());

    let error = fetch(&url, Some("wrong"), Duration::from_secs(60)).unwrap_err();
    assert!(matches!(&error, FetchError::Status { status, .. } if status.starts_with("401")), "{error}");
    server.shutdown();
}
