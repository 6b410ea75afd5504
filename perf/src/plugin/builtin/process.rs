//! The `process` collector: memory, CPU time, threads and file descriptors of this process.
//!
//! On Linux it reads `/proc/self/status`, `/proc/self/stat`, `/proc/self/limits` and the
//! entries of `/proc/self/fd`, and asks `libc::sysconf` for the clock-tick rate. Elsewhere it
//! is listed as unsupported, with no samples.

use crate::plugin::{Collector, Samples};

/// Reports the process's resident and virtual memory, CPU time by mode, thread count, open
/// file descriptors and their limit. Registered statically by perf as the collector `process`
/// of the component `process`.
///
/// | sample | kind | unit |
/// |---|---|---|
/// | `process_resident_memory_bytes` | gauge | bytes |
/// | `process_virtual_memory_bytes` | gauge | bytes |
/// | `process_cpu_us{mode="user" or "system"}` | counter | microseconds |
/// | `process_threads` | gauge | threads |
/// | `process_open_fds` | gauge | descriptors |
/// | `process_max_fds` | gauge | descriptors (absent when unlimited) |
///
/// CPU time is a counter of whole microseconds because collector counters are integers; its
/// resolution is the kernel's clock tick, usually 10 ms.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessCollector;

static PROCESS: ProcessCollector = ProcessCollector;
crate::register_collector!(PROCESS);

impl Collector for ProcessCollector {
    fn name(&self) -> &str {
        "process"
    }

    fn kind(&self) -> &str {
        "process"
    }

    fn component(&self) -> &str {
        "process"
    }

    fn unsupported(&self) -> Option<String> {
        platform::unsupported()
    }

    fn collect(&self, samples: &mut Samples) {
        platform::collect(samples);
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::super::procfs::{self, ParseError};
    use crate::plugin::Samples;

    static WARNED: AtomicBool = AtomicBool::new(false);

    pub(super) fn unsupported() -> Option<String> {
        if std::path::Path::new("/proc/self/stat").exists() {
            return None;
        }
        Some("process metrics come from /proc, which is not mounted in this environment".to_owned())
    }

    pub(super) fn collect(samples: &mut Samples) {
        match read("/proc/self/status").and_then(|text| procfs::parse_status(&text)) {
            Ok(status) => {
                samples.gauge("process_resident_memory_bytes", &[], saturate(status.resident_bytes));
                samples.gauge("process_virtual_memory_bytes", &[], saturate(status.virtual_bytes));
                samples.gauge("process_threads", &[], saturate(status.threads));
            }
            Err(error) => warn_once(&error),
        }

        match read("/proc/self/stat").and_then(|text| procfs::parse_stat(&text)) {
            Ok(ticks) => {
                let per_second = clock_ticks_per_second();
                samples.counter("process_cpu_us", &[("mode", "user")], ticks_to_micros(ticks.user, per_second));
                samples.counter("process_cpu_us", &[("mode", "system")], ticks_to_micros(ticks.system, per_second));
            }
            Err(error) => warn_once(&error),
        }

        match open_fds() {
            Ok(count) => samples.gauge("process_open_fds", &[], saturate(count)),
            Err(error) => warn_once(&error),
        }

        match read("/proc/self/limits").and_then(|text| procfs::parse_max_open_files(&text)) {
            Ok(Some(limit)) => samples.gauge("process_max_fds", &[], saturate(limit)),
            Ok(None) => {}
            Err(error) => warn_once(&error),
        }
    }

    /// Counts the entries of `/proc/self/fd`, less the descriptor that lists them.
    fn open_fds() -> Result<u64, ParseError> {
        let entries = std::fs::read_dir("/proc/self/fd").map_err(|error| io_error("/proc/self/fd", &error))?;
        let count = entries.count() as u64;
        Ok(count.saturating_sub(1))
    }

    fn clock_ticks_per_second() -> u64 {
        // SAFETY: sysconf only reads a system constant; it has no preconditions.
        let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        u64::try_from(ticks).ok().filter(|ticks| *ticks > 0).unwrap_or(100)
    }

    fn ticks_to_micros(ticks: u64, per_second: u64) -> u64 {
        let micros = u128::from(ticks) * 1_000_000 / u128::from(per_second);
        micros.min(u128::from(u64::MAX)) as u64
    }

    fn read(file: &'static str) -> Result<String, ParseError> {
        std::fs::read_to_string(file).map_err(|error| io_error(file, &error))
    }

    fn io_error(file: &'static str, error: &std::io::Error) -> ParseError {
        ParseError { file, detail: format!("cannot be read: {error}") }
    }

    fn saturate(value: u64) -> i64 {
        i64::try_from(value).unwrap_or(i64::MAX)
    }

    fn warn_once(error: &ParseError) {
        if !WARNED.swap(true, Ordering::Relaxed) {
            tracing::warn!(%error, "perf process collector skipped some samples; later failures are not logged");
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    use crate::plugin::Samples;

    pub(super) fn unsupported() -> Option<String> {
        Some(format!("process metrics are read from /proc, which {} does not have", std::env::consts::OS))
    }

    pub(super) fn collect(_samples: &mut Samples) {}
}
