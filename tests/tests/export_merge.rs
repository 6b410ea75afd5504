//! Exports of several processes merge exactly: two worker processes that split some work,
//! merged, equal one worker process that did all of it.

use std::path::Path;
use std::process::Command;

use perf::export::{self, Exposition, ExpositionOptions, TextFormat};
use perf::{MetricValue, Snapshot};

const SITE_SUFFIX: &str = "::parse";

fn run_worker(first: u32, end: u32, output: &Path) -> Snapshot {
    let status = Command::new(env!("CARGO_BIN_EXE_export_worker"))
        .arg(first.to_string())
        .arg(end.to_string())
        .arg(output)
        .status()
        .expect("the worker starts");
    assert!(status.success(), "worker {first}..{end} failed: {status}");
    export::from_json(&std::fs::read(output).expect("the worker wrote its export")).expect("the export reads back")
}

/// Two workers with 0..600 and 600..1000, merged, and one worker with 0..1000.
fn merged_and_whole() -> (Snapshot, Snapshot) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let first = run_worker(0, 600, &folder.path().join("first.json"));
    let second = run_worker(600, 1000, &folder.path().join("second.json"));
    let whole = run_worker(0, 1000, &folder.path().join("whole.json"));
    (export::merge(&[first, second]), whole)
}

fn site(snapshot: &Snapshot) -> &perf::SiteSnapshot {
    snapshot.sites.iter().find(|site| site.name.ends_with(SITE_SUFFIX)).expect("the worker's parse site")
}

fn metric<'a>(snapshot: &'a Snapshot, name: &str) -> &'a perf::MetricSnapshot {
    snapshot.metric(name, &[]).unwrap_or_else(|| panic!("metric {name} in the export"))
}

#[test]
fn merged_site_counts_equal_whole() {
    let (merged, whole) = merged_and_whole();
    let (merged, whole) = (site(&merged), site(&whole));
    assert_eq!(merged.calls, 1000);
    assert_eq!(merged.calls, whole.calls);
    assert_eq!(merged.errors, whole.errors);
    assert_eq!(merged.errors_by_kind, whole.errors_by_kind);
    assert_eq!(merged.error_rate, whole.error_rate);
    let count = |site: &perf::SiteSnapshot| site.latency_histogram.as_ref().map(perf::Buckets::count);
    assert_eq!(count(merged), count(whole));
}

#[test]
fn merged_histogram_equals_whole_exactly() {
    let (merged, whole) = merged_and_whole();
    let (merged, whole) = (metric(&merged, "item_size_bytes"), metric(&whole, "item_size_bytes"));
    assert!(merged.histogram.is_some());
    assert_eq!(merged.histogram, whole.histogram, "every bucket count is the same");
    assert_eq!(merged.value, whole.value, "so are count, min, max, mean and every quantile");
    let MetricValue::Histogram(Some(distribution)) = &merged.value else { panic!("a histogram value") };
    assert_eq!(distribution.count, 1000);
}

#[test]
fn merged_counter_equals_whole() {
    let (merged, whole) = merged_and_whole();
    assert_eq!(metric(&merged, "items_processed").value, MetricValue::Counter(1000));
    assert_eq!(metric(&merged, "items_processed").value, metric(&whole, "items_processed").value);
}

#[test]
fn merged_export_renders_like_whole() {
    let (merged, whole) = merged_and_whole();
    let exposition = Exposition::new(ExpositionOptions::default()).expect("valid options");
    let render = |snapshot: &Snapshot| {
        let mut out = Vec::new();
        exposition.render(snapshot, TextFormat::Prometheus, &mut out);
        let text = String::from_utf8(out).expect("UTF-8");
        text.lines().filter(|line| line.starts_with("item_size_bytes")).map(str::to_owned).collect::<Vec<_>>()
    };
    let lines = render(&merged);
    assert!(lines.len() > 3, "{lines:?}");
    assert_eq!(lines, render(&whole));
}
