//! Cost of one instrumented call: perf's `#[monitored]` against a bare call, the clock floor,
//! `metered`, `autometrics` and the `metrics` crate, in one criterion group so the numbers come
//! from the same run on the same machine.
//!
//! Run with `cargo bench -p perf-tests --bench hot_path`. After criterion's own report, the
//! binary prints a table of nanoseconds per call and the ratios checked against the hot-path
//! targets; docs/BENCHMARKS.md records a run.

// Printing the summary table is this binary's job.
#![allow(clippy::print_stdout)]

#[path = "hot_path/subjects.rs"]
mod subjects;
#[path = "hot_path/summary.rs"]
mod summary;

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant, SystemTime};

use autometrics::settings::AutometricsSettings;
use criterion::Criterion;
use metrics_exporter_prometheus::PrometheusHandle;

use subjects::MeteredService;

const GROUP: &str = "hot_path";

/// The input of every call: any value below `u64::MAX` takes the `Ok` path.
const INPUT: u64 = 41;

fn main() {
    let started = SystemTime::now();
    let output_dir = summary::default_output_dir();
    let mut criterion = Criterion::default()
        .output_directory(&output_dir)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50)
        .configure_from_args();

    let recorder = subjects::install_metrics_recorder();
    let autometrics = subjects::init_autometrics();
    let metered = MeteredService::default();
    perf::set_site_enabled(subjects::DISABLED_SITE, false)
        .unwrap_or_else(|error| panic!("failed to disable site {}: {error:?}", subjects::DISABLED_SITE));
    assert_every_subject_records(&metered, autometrics, &recorder);

    bench_hot_path(&mut criterion, &metered, &recorder);
    criterion.final_summary();

    let results = summary::Results::load(&output_dir.join(GROUP), started);
    println!("\n{results}");
}

fn bench_hot_path(criterion: &mut Criterion, metered: &MeteredService, recorder: &PrometheusHandle) {
    let mut group = criterion.benchmark_group(GROUP);

    group.bench_function(summary::BARE, |b| b.iter(|| subjects::bare(black_box(INPUT))));
    group.bench_function(summary::CLOCK_FLOOR, |b| {
        b.iter(|| {
            let start = perf::__private::now_raw();
            let end = perf::__private::now_raw();
            (start, end)
        })
    });
    group.bench_function(summary::CALLS, |b| b.iter(|| subjects::calls(black_box(INPUT))));
    group.bench_function(summary::LATENCY_ERRORS, |b| b.iter(|| subjects::latency_errors(black_box(INPUT))));
    group.bench_function(summary::DISABLED, |b| b.iter(|| subjects::disabled(black_box(INPUT))));
    group.bench_function(summary::TWO_THREADS, |b| b.iter_custom(two_threads_per_call));
    group.bench_function(summary::METERED, |b| b.iter(|| metered.call(black_box(INPUT))));
    group.bench_function(summary::AUTOMETRICS, |b| b.iter(|| subjects::autometrics_call(black_box(INPUT))));
    group.bench_function(summary::METRICS, |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                let _ = black_box(subjects::metrics_call(black_box(INPUT)));
            }
            let elapsed = start.elapsed();
            recorder.run_upkeep();
            elapsed
        })
    });

    group.finish();
}

/// Runs `iters` calls of one `latency, errors` site on each of two threads at once, and
/// returns the longer of the two threads' times, so criterion reports the time per call per
/// thread. Spawning the threads is outside the timed loops.
fn two_threads_per_call(iters: u64) -> Duration {
    let barrier = Barrier::new(2);
    let run = || {
        barrier.wait();
        let start = Instant::now();
        for _ in 0..iters {
            let _ = black_box(subjects::latency_errors(black_box(INPUT)));
        }
        start.elapsed()
    };

    std::thread::scope(|scope| {
        let first = scope.spawn(run);
        let second = scope.spawn(run);
        let first = first.join().expect("the first benchmark thread does not panic");
        let second = second.join().expect("the second benchmark thread does not panic");
        first.max(second)
    })
}

/// Calls every subject once and checks that each library recorded the call, so no benchmark
/// measures a recorder that silently drops its data.
fn assert_every_subject_records(
    metered: &MeteredService,
    autometrics: &AutometricsSettings,
    recorder: &PrometheusHandle,
) {
    let sites = [(subjects::CALLS_SITE, 1), (subjects::LATENCY_ERRORS_SITE, 1), (subjects::DISABLED_SITE, 0)];
    let calls_of = |site: &str| perf::site(site).unwrap_or_else(|| panic!("site {site} is not registered")).calls;
    let before = sites.map(|(site, _)| calls_of(site));
    let _ = subjects::calls(INPUT);
    let _ = subjects::latency_errors(INPUT);
    let _ = subjects::disabled(INPUT);
    for ((site, added), before) in sites.into_iter().zip(before) {
        assert_eq!(calls_of(site), before + added, "calls of {site} after one more call");
    }

    let _ = metered.call(INPUT);
    assert_eq!(metered.metrics.call.hit_count.0.get(), 1, "metered hit count after one call");

    let _ = subjects::autometrics_call(INPUT);
    let text = subjects::render_autometrics(autometrics);
    assert!(
        text.lines()
            .any(|line| line.starts_with("function_calls_total{") && line.contains("function=\"autometrics_call\"")),
        "autometrics recorded no call of autometrics_call:\n{text}"
    );

    let _ = subjects::metrics_call(INPUT);
    let text = recorder.render();
    assert!(text.contains("hot_path_calls_total 1"), "the Prometheus recorder has no call count:\n{text}");
}
