//! The demo's output: a progress line while it runs, and a summary table from
//! `perf::snapshot()` when it ends. Printing is this module's job.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::Path;
use std::time::Duration;

use perf::Snapshot;
use perf_cache::{CacheReport, RemovalCause};

/// Name of the request handler's site.
pub(crate) const HANDLER_SITE: &str = "demo::handle";
/// Name of the demo's cache.
pub(crate) const CACHE_NAME: &str = "demo_files";
/// Name of the counter of body bytes sent.
pub(crate) const BYTES_COUNTER: &str = "demo_bytes_served";

/// The numbers of the progress line and of the summary's totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Totals {
    pub(crate) requests: u64,
    pub(crate) errors: u64,
    pub(crate) bytes: u64,
    pub(crate) hits: u64,
    pub(crate) misses: u64,
    pub(crate) hit_rate: f64,
    pub(crate) evictions: u64,
}

impl Totals {
    /// Reads the totals from the runtime, without taking a whole snapshot.
    pub(crate) fn read() -> Totals {
        let handler = perf::site(HANDLER_SITE);
        let cache = perf_cache::cache(CACHE_NAME);
        let stats = cache.as_ref().map(|report| report.stats).unwrap_or_default();
        Totals {
            requests: handler.as_ref().map_or(0, |site| site.calls),
            errors: handler.as_ref().map_or(0, |site| site.errors),
            bytes: perf::registry::counter(BYTES_COUNTER, &[]).value(),
            hits: stats.hits,
            misses: stats.misses,
            hit_rate: stats.hit_rate(),
            evictions: stats.eviction_count(),
        }
    }
}

/// Prints the progress line to stderr: rewritten in place on a terminal, one line per call
/// otherwise.
pub(crate) fn progress(elapsed: Duration, totals: &Totals) {
    let seconds = elapsed.as_secs_f64().max(1e-3);
    let line = format!(
        "[{seconds:6.1}s] {} requests ({}/s), {} errors, cache hit rate {:.1}%, {} evictions, {} served",
        group(totals.requests),
        group((totals.requests as f64 / seconds) as u64),
        group(totals.errors),
        totals.hit_rate * 100.0,
        group(totals.evictions),
        bytes(totals.bytes),
    );
    let mut stderr = std::io::stderr().lock();
    let _ = if stderr.is_terminal() { write!(stderr, "\r{line}\x1b[K") } else { writeln!(stderr, "{line}") };
    let _ = stderr.flush();
}

/// Ends a progress line left open on a terminal.
pub(crate) fn end_progress() {
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
}

/// Returns the summary table of `snapshot`: sites by p99, requests, errors, the cache and its
/// health.
pub(crate) fn summary(snapshot: &Snapshot, elapsed: Duration) -> String {
    let mut out = String::new();
    let mut sites: Vec<_> = snapshot.sites.iter().filter(|site| site.calls > 0).collect();
    sites.sort_by_key(|site| std::cmp::Reverse(site.latency.map_or(0, |latency| latency.p99)));

    let _ = writeln!(
        out,
        "{:<24} {:>10} {:>8} {:>10} {:>10} {:>10} {:>10}",
        "site", "calls", "errors", "p50", "p90", "p99", "max"
    );
    for site in sites {
        let latency = site.latency.unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<24} {:>10} {:>8} {:>10} {:>10} {:>10} {:>10}",
            site.name,
            group(site.calls),
            group(site.errors),
            nanos(latency.p50),
            nanos(latency.p90),
            nanos(latency.p99),
            nanos(latency.max),
        );
    }
    out.push('\n');

    let totals = Totals::read();
    let seconds = elapsed.as_secs_f64().max(1e-3);
    let handler = snapshot.site(HANDLER_SITE);
    let kinds: Vec<String> = handler
        .map(|site| site.errors_by_kind.iter().map(|(kind, count)| format!("{kind} {}", group(*count))).collect())
        .unwrap_or_default();
    let error_share = if totals.requests == 0 { 0.0 } else { totals.errors as f64 * 100.0 / totals.requests as f64 };
    let _ = writeln!(
        out,
        "{:<14} {} ({}/s over {seconds:.1} s)",
        "requests",
        group(totals.requests),
        group((totals.requests as f64 / seconds) as u64)
    );
    let _ = writeln!(
        out,
        "{:<14} {} ({error_share:.1}%{}{})",
        "errors",
        group(totals.errors),
        if kinds.is_empty() { "" } else { ": " },
        kinds.join(", ")
    );
    let _ = writeln!(out, "{:<14} {}", "bytes served", bytes(totals.bytes));

    match perf_cache::cache(CACHE_NAME) {
        Some(cache) => write_cache(&mut out, &cache),
        None => out.push_str("cache          not registered\n"),
    }
    write_process(&mut out, snapshot);
    for component in &snapshot.components {
        let _ = writeln!(out, "{:<14} {}: {}", "component", component.name, component.health);
    }
    out
}

/// Writes the process collector's memory, CPU time, threads and file descriptors.
fn write_process(out: &mut String, snapshot: &Snapshot) {
    let Some(process) = snapshot.collectors.iter().find(|collector| collector.name == "process") else {
        return;
    };
    let value = |name: &str| {
        let samples = process.samples.iter().filter(|sample| sample.name == name);
        samples
            .map(|sample| match sample.value {
                perf::MetricValue::Counter(total) => total,
                perf::MetricValue::Gauge(value) => value.max(0) as u64,
                _ => 0,
            })
            .sum::<u64>()
    };
    let _ = writeln!(
        out,
        "{:<14} {} resident, {:.1} s CPU, {} threads, {} open files",
        "process",
        bytes(value("process_resident_memory_bytes")),
        value("process_cpu_us") as f64 / 1e6,
        value("process_threads"),
        value("process_open_fds"),
    );
}

fn write_cache(out: &mut String, cache: &CacheReport) {
    let stats = &cache.stats;
    let _ = writeln!(
        out,
        "{:<14} {}: {} hits, {} misses, hit rate {:.1}% (target {:.0}%)",
        "cache",
        cache.name,
        group(stats.hits),
        group(stats.misses),
        cache.hit_rate * 100.0,
        cache.policy.target_hit_rate() * 100.0,
    );
    let causes: Vec<String> = RemovalCause::ALL
        .iter()
        .map(|cause| format!("{} {}", group(stats.evictions.get(*cause)), cause.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "{:<14} {} ({}; {} evicted)",
        "evictions",
        group(stats.eviction_count()),
        causes.join(", "),
        bytes(stats.eviction_weight)
    );
    let capacity = stats.capacity.map_or_else(|| "no limit".to_owned(), bytes);
    let _ = writeln!(
        out,
        "{:<14} {} entries, {} of {}",
        "cache size",
        group(stats.entries),
        bytes(stats.weighted_size),
        capacity
    );
    let health = &cache.health;
    let parts = &health.components;
    let _ = writeln!(
        out,
        "{:<14} {:.1} of 100, {} (hit rate {:.2}, latency {:.2}, load failures {:.2}, churn {:.2}, memory {:.2})",
        "health",
        health.score,
        health.state,
        parts.hit_rate,
        parts.latency,
        parts.load_failures,
        parts.churn,
        parts.memory,
    );
}

/// Writes `snapshot` as pretty JSON to `path`.
pub(crate) fn write_json(snapshot: &Snapshot, path: &Path) -> Result<(), String> {
    let json =
        serde_json::to_vec_pretty(snapshot).map_err(|error| format!("cannot encode the snapshot as JSON: {error}"))?;
    std::fs::write(path, json)
        .map_err(|error| format!("cannot write the snapshot to {}: {error}; check --json", path.display()))
}

/// Prints `text` to stdout.
pub(crate) fn print(text: &str) {
    print!("{text}");
}

/// Formats a count with thousands separators: `12,345`.
pub(crate) fn group(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Formats nanoseconds with a unit: `850ns`, `12.3µs`, `4.5ms`, `1.20s`.
fn nanos(value: u64) -> String {
    match value {
        0..=999 => format!("{value}ns"),
        1_000..=999_999 => format!("{:.1}µs", value as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.1}ms", value as f64 / 1e6),
        _ => format!("{:.2}s", value as f64 / 1e9),
    }
}

/// Formats bytes with a binary unit: `512 B`, `1.5 KiB`, `32.0 MiB`.
fn bytes(value: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut scaled = value as f64;
    let mut unit = 0;
    while scaled >= 1024.0 && unit < UNITS.len() - 1 {
        scaled /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value} B")
    } else {
        format!("{scaled:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::{bytes, group, nanos};

    #[test]
    fn group_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(12_345_678), "12,345,678");
    }

    #[test]
    fn bytes_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1_536), "1.5 KiB");
        assert_eq!(bytes(32 * 1024 * 1024), "32.0 MiB");
    }

    #[test]
    fn nanos_units() {
        assert_eq!(nanos(850), "850ns");
        assert_eq!(nanos(12_300), "12.3µs");
        assert_eq!(nanos(4_500_000), "4.5ms");
        assert_eq!(nanos(1_200_000_000), "1.20s");
    }
}
