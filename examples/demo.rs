//! The perf demo: an HTTP static-file server over a real directory tree, with `#[monitored]`
//! handlers and a byte-weighted `#[derive(MonitoredCache)]` cache in front of the disk, driven
//! by a built-in load generator with Zipf-skewed popularity over 127.0.0.1.
//!
//! Run with `cargo run --release --example demo` (`-- --help` lists the flags). While it runs,
//! perf's endpoint on `--addr` (127.0.0.1:9184) serves the live dashboard and `/metrics`, and
//! stderr shows a progress line. When it ends, after `--duration` or on Ctrl-C, it prints a
//! summary table from `perf::snapshot()`, and `--json PATH` also writes the snapshot.

#[path = "demo/mod.rs"]
mod demo;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use demo::flags::{self, Command};
use demo::{report, Demo};

/// How often the progress line is refreshed.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

fn main() -> ExitCode {
    let options = match flags::parse(std::env::args().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            report::print(flags::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("demo: {error}");
            return ExitCode::from(2);
        }
    };

    if let Err(error) = perf::init() {
        eprintln!("demo: {error}; windows and time series are off for this run");
    }
    let alerts = install_hit_rate_alert(options.alert_hit_rate_below);
    let interrupted = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&interrupted);
    if let Err(error) = ctrlc::set_handler(move || handler_flag.store(true, Ordering::Relaxed)) {
        eprintln!("demo: cannot handle Ctrl-C ({error}); it will end the program without a summary");
    }

    let mut demo = match Demo::start(&options) {
        Ok(demo) => demo,
        Err(error) => {
            eprintln!("demo: {error}");
            return ExitCode::from(error.exit_code());
        }
    };
    let (files, skipped) = demo.file_counts();
    let until = match options.duration {
        Some(duration) => format!("for {:.1} s", duration.as_secs_f64()),
        None => "until Ctrl-C".to_owned(),
    };
    eprintln!(
        "demo: serving {} ({} files, {} left out) on http://{}, {} connections {until}",
        demo.root().display(),
        report::group(files as u64),
        report::group(skipped as u64),
        demo.files_addr(),
        options.threads,
    );
    if let Some(addr) = demo.addr() {
        eprintln!("demo: live dashboard on http://{addr}/, Prometheus metrics on http://{addr}/metrics");
    }

    wait(&demo, options.duration, &interrupted);
    let elapsed = demo.stop();
    report::end_progress();

    let snapshot = perf::snapshot();
    report::print(&report::summary(&snapshot, elapsed));
    for alert in alerts.alerts() {
        report::print(&format!("{:<14} {} {}\n", "alert", alert.alert.rule, alert.alert.state));
    }
    if let Some(path) = &options.json {
        if let Err(error) = report::write_json(&snapshot, path) {
            eprintln!("demo: {error}");
            return ExitCode::FAILURE;
        }
        report::print(&format!("{:<14} written to {}\n", "snapshot", path.display()));
    }
    ExitCode::SUCCESS
}

/// Installs the rule `DemoCacheHitRateLow`: the hit rate of the demo's cache below `threshold`
/// (0 to 1) for 5 s fires it, and a receiver prints its notifications to stderr.
fn install_hit_rate_alert(threshold: f64) -> Arc<perf::alert::AlertManager> {
    let expression = format!("hit_rate{{cache=\"demo_files\"}} < {}%", threshold * 100.0);
    let rule = perf::alert::AlertRule::new("DemoCacheHitRateLow", expression)
        .for_duration(Duration::from_secs(5))
        .annotation("summary", "hit rate of {{ $labels.cache }} is {{ $value }}");
    let printer = perf::alert::CallbackReceiver::new("stderr", |notification| {
        for alert in &notification.alerts {
            let summary = alert.annotations.get("summary").map_or("", String::as_str);
            eprintln!("\ndemo: alert {} {}: {summary}", alert.rule, alert.state);
        }
        Ok(())
    });
    let route = perf::alert::Route::new("stderr").group_wait(Duration::ZERO).group_interval(Duration::from_secs(10));
    let manager = perf::alert::AlertManager::builder().rule(rule).receiver(printer).route(route).build();
    perf::alert::install(manager.expect("the demo's alert rule is valid"))
}

/// Shows the progress line until `duration` has passed or Ctrl-C was pressed.
fn wait(demo: &Demo, duration: Option<Duration>, interrupted: &AtomicBool) {
    let mut next_progress = Instant::now() + PROGRESS_EVERY;
    loop {
        if interrupted.load(Ordering::Relaxed) || duration.is_some_and(|duration| demo.elapsed() >= duration) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
        if Instant::now() >= next_progress {
            report::progress(demo.elapsed(), &report::Totals::read());
            next_progress += PROGRESS_EVERY;
        }
    }
}
