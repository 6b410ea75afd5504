//! Cost of one Prometheus scrape of 10,000 series: perf's exposition against
//! `metrics-exporter-prometheus`, with the same series in both, in one criterion group so the
//! numbers come from the same run on the same machine.
//!
//! The series: 1,000 metric names with 10 label values each, 800 names of counters and 200
//! of gauges. A counting global allocator measures the bytes and allocations of one scrape.
//!
//! A perf scrape also runs the plugin collectors. Two are built in: `process` reads
//! `/proc/self`, and `perf` (the runtime's own numbers) copies the metric registry to count
//! it. The first scrape row runs them; the others disable both, so that they render the same
//! 10,000 series and nothing else, like `metrics-exporter-prometheus` does.
//!
//! Run with `cargo bench -p perf-tests --bench exposition`. After criterion's report, the
//! binary prints a Markdown table of the mean time and the allocations per scrape, and the
//! speed ratio. docs/BENCHMARKS.md records a run.

// Printing the summary table is this binary's job.
#![allow(clippy::print_stdout)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use criterion::Criterion;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use perf::export::{Exposition, ExpositionOptions, TextFormat};

const GROUP: &str = "exposition";
const NAMES: usize = 1_000;
const LABEL_VALUES: usize = 10;
const COUNTER_NAMES: usize = 800;
const SERIES: usize = NAMES * LABEL_VALUES;

const PERF_SCRAPE_COLLECTORS: &str = "perf_scrape_prometheus_with_builtin_collectors";
const PERF_SCRAPE: &str = "perf_scrape_prometheus";
const PERF_SCRAPE_OPENMETRICS: &str = "perf_scrape_openmetrics";
const PERF_SNAPSHOT_RENDER: &str = "perf_snapshot_then_render";
const METRICS_RENDER: &str = "metrics_exporter_prometheus_render";

/// The built-in plugin collectors that the like-for-like rows disable.
const BUILTIN_COLLECTORS: [&str; 2] = ["perf", "process"];

/// Counts every allocation and its bytes, on top of the system allocator.
struct Counting;

static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are plain
// atomics that allocate nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` was allocated by `System` with `layout`, as the caller guarantees.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract, which is passed on.
        unsafe { System.realloc(pointer, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let started = SystemTime::now();
    let output_dir = criterion_output_dir();
    let mut criterion = Criterion::default()
        .output_directory(&output_dir)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(30)
        .configure_from_args();

    register_perf_series();
    let handle = register_metrics_series();
    let exposition = Exposition::new(ExpositionOptions::default()).expect("default exposition options are valid");
    check_same_series(&exposition, &handle);

    let mut group = criterion.benchmark_group(GROUP);
    group.bench_function(PERF_SCRAPE_COLLECTORS, |b| {
        b.iter(|| black_box(perf_scrape(&exposition, TextFormat::Prometheus)))
    });
    let with_collectors = allocations_of(|| perf_scrape(&exposition, TextFormat::Prometheus).len());
    for name in BUILTIN_COLLECTORS {
        perf::plugin::disable(name)
            .unwrap_or_else(|error| panic!("cannot disable the built-in collector {name}: {error}"));
    }
    group.bench_function(PERF_SCRAPE, |b| b.iter(|| black_box(perf_scrape(&exposition, TextFormat::Prometheus))));
    group.bench_function(PERF_SCRAPE_OPENMETRICS, |b| {
        b.iter(|| black_box(perf_scrape(&exposition, TextFormat::OpenMetrics)))
    });
    group.bench_function(PERF_SNAPSHOT_RENDER, |b| b.iter(|| black_box(perf_snapshot_render(&exposition))));
    group.bench_function(METRICS_RENDER, |b| b.iter(|| black_box(handle.render())));
    group.finish();
    criterion.final_summary();

    let rows = [
        (PERF_SCRAPE_COLLECTORS, with_collectors),
        (PERF_SCRAPE, allocations_of(|| perf_scrape(&exposition, TextFormat::Prometheus).len())),
        (PERF_SCRAPE_OPENMETRICS, allocations_of(|| perf_scrape(&exposition, TextFormat::OpenMetrics).len())),
        (PERF_SNAPSHOT_RENDER, allocations_of(|| perf_snapshot_render(&exposition).len())),
        (METRICS_RENDER, allocations_of(|| handle.render().len())),
    ];
    println!("\n{}", summary(&output_dir, started, &rows));
}

/// Scrapes as perf's `/metrics` does: renders the live registry into a fresh buffer.
fn perf_scrape(exposition: &Exposition, format: TextFormat) -> Vec<u8> {
    let mut out = Vec::new();
    exposition.scrape(format, &mut out);
    out
}

/// Takes a snapshot, then renders it, as `/api/export?format=prometheus` does.
fn perf_snapshot_render(exposition: &Exposition) -> Vec<u8> {
    let mut out = Vec::new();
    exposition.render(&perf::snapshot(), TextFormat::Prometheus, &mut out);
    out
}

fn series_names() -> impl Iterator<Item = (usize, String, String)> {
    (0..NAMES).flat_map(|name| {
        (0..LABEL_VALUES).map(move |shard| (name, format!("bench_series_{name:04}"), shard.to_string()))
    })
}

fn register_perf_series() {
    for (index, name, shard) in series_names() {
        let value = (index * LABEL_VALUES) as u64 + shard.len() as u64;
        if index < COUNTER_NAMES {
            perf::registry::counter(&name, &[("shard", &shard)]).add(value);
        } else {
            perf::registry::gauge(&name, &[("shard", &shard)]).set(value as i64);
        }
    }
}

fn register_metrics_series() -> PrometheusHandle {
    let recorder = PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    metrics::with_local_recorder(&recorder, || {
        for (index, name, shard) in series_names() {
            let value = (index * LABEL_VALUES) as u64 + shard.len() as u64;
            if index < COUNTER_NAMES {
                metrics::counter!(name, "shard" => shard).absolute(value);
            } else {
                metrics::gauge!(name, "shard" => shard).set(value as f64);
            }
        }
    });
    // The recorder must outlive its handle's renders; it is used for the life of the process.
    std::mem::forget(recorder);
    handle
}

/// Checks that both sides render the same 10,000 series before timing them.
fn check_same_series(exposition: &Exposition, handle: &PrometheusHandle) {
    let count = |text: &str| text.lines().filter(|line| line.starts_with("bench_series_")).count();
    let perf = String::from_utf8(perf_scrape(exposition, TextFormat::Prometheus)).expect("exposition is UTF-8");
    let metrics = handle.render();
    assert_eq!(count(&perf), SERIES, "perf renders every series");
    assert_eq!(count(&metrics), SERIES, "metrics-exporter-prometheus renders every series");
}

/// Returns the bytes and the number of allocations of one call of `scrape`.
fn allocations_of(scrape: impl Fn() -> usize) -> (u64, u64, usize) {
    black_box(scrape());
    let bytes_before = ALLOCATED_BYTES.load(Ordering::Relaxed);
    let count_before = ALLOCATIONS.load(Ordering::Relaxed);
    let output = black_box(scrape());
    let bytes = ALLOCATED_BYTES.load(Ordering::Relaxed) - bytes_before;
    let count = ALLOCATIONS.load(Ordering::Relaxed) - count_before;
    (bytes, count, output)
}

fn criterion_output_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).join("target"));
    target.join("criterion")
}

/// Reads the mean of a benchmark from criterion's estimates, when it ran in this process.
fn mean_nanos(output_dir: &Path, id: &str, started: SystemTime) -> Option<f64> {
    let path = output_dir.join(GROUP).join(id).join("new").join("estimates.json");
    let modified = std::fs::metadata(&path).and_then(|metadata| metadata.modified()).ok()?;
    if modified < started {
        return None;
    }
    let estimates: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    estimates["mean"]["point_estimate"].as_f64()
}

fn summary(output_dir: &Path, started: SystemTime, rows: &[(&str, (u64, u64, usize))]) -> String {
    let mut table = String::from(
        "| subject | mean per scrape | bytes allocated | allocations | output bytes |\n|---|---:|---:|---:|---:|\n",
    );
    for (id, (bytes, count, output)) in rows {
        let mean = mean_nanos(output_dir, id, started)
            .map_or_else(|| "not run".to_owned(), |nanos| format!("{:.2} ms", nanos / 1e6));
        table.push_str(&format!("| {id} | {mean} | {bytes} | {count} | {output} |\n"));
    }

    let ratio = match (mean_nanos(output_dir, METRICS_RENDER, started), mean_nanos(output_dir, PERF_SCRAPE, started)) {
        (Some(theirs), Some(ours)) => {
            let ratio = theirs / ours;
            let verdict = if ratio >= 2.0 { "met" } else { "NOT met" };
            format!("\n{PERF_SCRAPE} is {ratio:.1}x faster than {METRICS_RENDER} (target: 2x or more, {verdict}).\n")
        }
        _ => "\nThe speed ratio needs both benchmarks to run in this process.\n".to_owned(),
    };
    table + &ratio
}
