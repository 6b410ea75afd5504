//! Command-line flags of the demo. Every error names the flag, the value and the fix.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Address of perf's endpoint (dashboard, `/metrics`, `/api`) when `--addr` is not given.
pub(crate) const DEFAULT_ADDR: &str = "127.0.0.1:9184";
/// Address the file server listens on when `--files-addr` is not given.
pub(crate) const DEFAULT_FILES_ADDR: &str = "127.0.0.1:9185";
/// Hit rate under which the demo's alert rule fires, when `--alert-hit-rate-below` is not given.
pub(crate) const DEFAULT_ALERT_HIT_RATE: f64 = 0.60;
/// Cache capacity when `--cache-bytes` is not given: 32 MiB.
pub(crate) const DEFAULT_CACHE_BYTES: u64 = 32 * 1024 * 1024;
/// Run time when `--duration` is not given.
pub(crate) const DEFAULT_DURATION: Duration = Duration::from_secs(10);
/// Zipf exponent when `--zipf` is not given.
pub(crate) const DEFAULT_ZIPF: f64 = 1.0;
/// Load-generator connections when `--threads` is not given.
pub(crate) const DEFAULT_THREADS: usize = 4;

pub(crate) const USAGE: &str = "\
Serves a directory tree over HTTP through a monitored, byte-weighted cache, drives it with a
built-in load generator, then prints a summary from perf::snapshot().

Usage: cargo run --release --example demo -- [FLAGS]

Flags:
  --duration SECONDS   how long the load generator runs; 0 runs until Ctrl-C [default: 10]
  --threads N          load-generator connections, and server worker threads [default: 4]
  --addr HOST:PORT     address of the live dashboard, /metrics and /api; port 0 picks a free one
                       [default: 127.0.0.1:9184]
  --files-addr HOST:PORT
                       address of the file server that the load generator requests
                       [default: 127.0.0.1:9185]
  --root DIR           directory to serve [default: the Rust toolchain's HTML documentation,
                       $(rustc --print sysroot)/share/doc/rust/html, else the Cargo registry
                       sources under $CARGO_HOME/registry/src]
  --cache-bytes SIZE   cache capacity in bytes; suffixes K, M, G (powers of 1024) [default: 32M]
  --zipf EXPONENT      skew of file popularity: 0 is uniform, 1 is classic Zipf [default: 1.0]
  --alert-hit-rate-below PERCENT
                       fire the alert DemoCacheHitRateLow when the cache hit rate stays below
                       PERCENT for 5 s, such as 80% [default: 60%]
  --json PATH          write the final perf::snapshot() as JSON to PATH
  --help               print this help
";

/// The command that the arguments select.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Command {
    Run(Options),
    Help,
}

/// The settings of one run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Options {
    /// How long the load runs; `None` runs until Ctrl-C.
    pub(crate) duration: Option<Duration>,
    pub(crate) threads: usize,
    /// Address of perf's endpoint: dashboard, `/metrics` and `/api`.
    pub(crate) addr: String,
    /// Address of the file server.
    pub(crate) files_addr: String,
    /// Hit rate (0 to 1) under which the demo's alert rule fires.
    pub(crate) alert_hit_rate_below: f64,
    /// Directory to serve; `None` picks the default root.
    pub(crate) root: Option<PathBuf>,
    pub(crate) cache_bytes: u64,
    pub(crate) zipf: f64,
    pub(crate) json: Option<PathBuf>,
}

/// A flag the demo cannot use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FlagError(String);

impl Default for Options {
    fn default() -> Self {
        Options {
            duration: Some(DEFAULT_DURATION),
            threads: DEFAULT_THREADS,
            addr: DEFAULT_ADDR.to_owned(),
            files_addr: DEFAULT_FILES_ADDR.to_owned(),
            alert_hit_rate_below: DEFAULT_ALERT_HIT_RATE,
            root: None,
            cache_bytes: DEFAULT_CACHE_BYTES,
            zipf: DEFAULT_ZIPF,
            json: None,
        }
    }
}

/// Parses the arguments after the program name.
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, FlagError> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Ok(Command::Help);
        }

        let mut value = || -> Result<String, FlagError> {
            inline.clone().or_else(|| args.next()).ok_or_else(|| FlagError(format!("{flag} needs a value; see --help")))
        };
        match flag.as_str() {
            "--duration" => options.duration = duration(&value()?)?,
            "--threads" => options.threads = threads(&value()?)?,
            "--addr" => options.addr = addr("--addr", &value()?)?,
            "--files-addr" => options.files_addr = addr("--files-addr", &value()?)?,
            "--alert-hit-rate-below" => options.alert_hit_rate_below = percent(&value()?)?,
            "--root" => options.root = Some(PathBuf::from(value()?)),
            "--cache-bytes" => options.cache_bytes = bytes(&value()?)?,
            "--zipf" => options.zipf = exponent(&value()?)?,
            "--json" => options.json = Some(PathBuf::from(value()?)),
            _ => return Err(FlagError(format!("unknown flag {arg:?}; run with --help for the list of flags"))),
        }
    }
    Ok(Command::Run(options))
}

fn duration(text: &str) -> Result<Option<Duration>, FlagError> {
    let seconds: f64 = text.trim().trim_end_matches('s').parse().map_err(|_| {
        FlagError(format!("invalid --duration {text:?}; give seconds, such as --duration 5 (0 runs until Ctrl-C)"))
    })?;
    if !(0.0..=86_400.0).contains(&seconds) {
        return Err(FlagError(format!("invalid --duration {text:?}; give seconds from 0 to 86400")));
    }
    Ok((seconds > 0.0).then(|| Duration::from_secs_f64(seconds)))
}

fn threads(text: &str) -> Result<usize, FlagError> {
    match text.trim().parse::<usize>() {
        Ok(count @ 1..=256) => Ok(count),
        _ => Err(FlagError(format!(
            "invalid --threads {text:?}; give a whole number from 1 to 256, such as --threads 4"
        ))),
    }
}

fn addr(flag: &str, text: &str) -> Result<String, FlagError> {
    match text.parse::<std::net::SocketAddr>() {
        Ok(_) => Ok(text.to_owned()),
        Err(_) => Err(FlagError(format!(
            "invalid {flag} {text:?}; give an IP address and a port, such as {flag} 127.0.0.1:9184"
        ))),
    }
}

/// Parses `80%` or `80` into `0.8`.
fn percent(text: &str) -> Result<f64, FlagError> {
    let number = text.trim().trim_end_matches('%').trim();
    match number.parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok(value / 100.0),
        _ => Err(FlagError(format!(
            "invalid --alert-hit-rate-below {text:?}; give a percentage from 0 to 100, such as --alert-hit-rate-below 80%"
        ))),
    }
}

/// Parses `1048576`, `512K`, `64M`, `64MiB`, `1G` (powers of 1024).
fn bytes(text: &str) -> Result<u64, FlagError> {
    let invalid = || {
        FlagError(format!(
            "invalid --cache-bytes {text:?}; give bytes with an optional K, M or G suffix, such as --cache-bytes 64M"
        ))
    };
    let trimmed = text.trim();
    let split = trimmed.find(|c: char| !c.is_ascii_digit()).unwrap_or(trimmed.len());
    let (number, suffix) = trimmed.split_at(split);
    let number: u64 = number.parse().map_err(|_| invalid())?;
    let scale: u64 = match suffix.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(invalid()),
    };
    match number.checked_mul(scale) {
        Some(0) => Err(FlagError(format!("invalid --cache-bytes {text:?}; the cache needs at least 1 byte"))),
        Some(total) => Ok(total),
        None => Err(invalid()),
    }
}

fn exponent(text: &str) -> Result<f64, FlagError> {
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() && (0.0..=10.0).contains(&value) => Ok(value),
        _ => Err(FlagError(format!("invalid --zipf {text:?}; give an exponent from 0 to 10, such as --zipf 1.1"))),
    }
}

impl fmt::Display for FlagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FlagError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, FlagError> {
        match parse(args.iter().map(|arg| (*arg).to_owned()))? {
            Command::Run(options) => Ok(options),
            Command::Help => panic!("expected a run for {args:?}"),
        }
    }

    #[test]
    fn flags_defaults() {
        assert_eq!(run(&[]).unwrap(), Options::default());
    }

    #[test]
    fn flags_every_value() {
        let options = run(&[
            "--duration",
            "2.5",
            "--threads",
            "8",
            "--addr",
            "127.0.0.1:0",
            "--files-addr",
            "127.0.0.1:0",
            "--alert-hit-rate-below",
            "80%",
            "--root",
            "/srv",
            "--cache-bytes",
            "64M",
            "--zipf=1.2",
            "--json",
            "out.json",
        ])
        .unwrap();
        assert_eq!(options.duration, Some(Duration::from_millis(2_500)));
        assert_eq!(options.threads, 8);
        assert_eq!(options.addr, "127.0.0.1:0");
        assert_eq!(options.files_addr, "127.0.0.1:0");
        assert_eq!(options.alert_hit_rate_below, 0.8);
        assert_eq!(options.root, Some(PathBuf::from("/srv")));
        assert_eq!(options.cache_bytes, 64 * 1024 * 1024);
        assert_eq!(options.zipf, 1.2);
        assert_eq!(options.json, Some(PathBuf::from("out.json")));
    }

    #[test]
    fn flags_duration_zero_runs_until_interrupted() {
        assert_eq!(run(&["--duration", "0"]).unwrap().duration, None);
    }

    #[test]
    fn flags_help() {
        assert_eq!(parse(["--help".to_owned()]).unwrap(), Command::Help);
    }

    #[test]
    fn flags_errors_name_value() {
        let cases: [(&[&str], &str); 9] = [
            (&["--threads", "zero"], "invalid --threads \"zero\""),
            (&["--duration", "-3"], "invalid --duration \"-3\""),
            (&["--addr", "localhost"], "invalid --addr \"localhost\""),
            (&["--files-addr", ":80"], "invalid --files-addr \":80\""),
            (&["--alert-hit-rate-below", "120%"], "invalid --alert-hit-rate-below \"120%\""),
            (&["--cache-bytes", "12X"], "invalid --cache-bytes \"12X\""),
            (&["--zipf", "nan"], "invalid --zipf \"nan\""),
            (&["--verbose"], "unknown flag \"--verbose\""),
            (&["--root"], "--root needs a value"),
        ];
        for (args, expected) in cases {
            let message = run(args).unwrap_err().to_string();
            assert!(message.starts_with(expected), "{args:?}: {message}");
        }
    }
}
