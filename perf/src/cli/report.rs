//! `perfctl report`: writes a self-contained HTML report from JSON exports or from a running
//! process.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use super::{Args, Command, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::report::{self, ReportInput, ReportOptions};

/// Environment variable with the bearer token for `--url`, kept off the command line.
const TOKEN_VAR: &str = "PERF_TOKEN";
const DEFAULT_PERIOD: Duration = Duration::from_secs(15 * 60);

pub(super) const COMMAND: Command = Command {
    name: "report",
    usage: "(SNAPSHOT.json... | --url http://HOST:PORT [--period 15m]) [-o report.html] [--title TEXT]",
    summary: "Writes an HTML report (latency over time, rates, slowest sites, caches, alerts) from JSON exports, one snapshot per file (.gz allowed), or from a running process's HTTP endpoint over the last --period. The bearer token for --url is read from $PERF_TOKEN. Without -o the HTML goes to standard output.",
    options: &["o", "output", "url", "period", "title"],
    run,
};

fn run(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let usage = |err: &mut dyn Write, message: &str| {
        let _ = writeln!(err, "perfctl report: {message}; usage: perfctl report {}", COMMAND.usage);
        EXIT_USAGE
    };
    let output = match (args.option("o"), args.option("output")) {
        (Some(_), Some(_)) => return usage(err, "give the output file once, with -o or --output"),
        (one, other) => one.or(other).map(PathBuf::from),
    };
    let period = match args.option("period").map(humantime::parse_duration) {
        None => DEFAULT_PERIOD,
        Some(Ok(period)) if !period.is_zero() => period,
        Some(_) => {
            return usage(
                err,
                &format!(
                    "invalid --period {:?}: use a duration such as 15m or 2h",
                    args.option("period").unwrap_or_default()
                ),
            )
        }
    };

    let input: Result<ReportInput, String> = match (args.option("url"), args.positional.as_slice()) {
        (Some(_), [_, ..]) => return usage(err, "give either SNAPSHOT files or --url, not both"),
        (None, []) => return usage(err, "expected SNAPSHOT files or --url"),
        (Some(url), []) => {
            let token = std::env::var(TOKEN_VAR).ok().filter(|token| !token.is_empty());
            report::fetch(url, token.as_deref(), period).map_err(|error| error.to_string())
        }
        (None, files) => {
            let paths: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
            report::load_exports(&paths).map_err(|error| error.to_string())
        }
    };
    let input = match input {
        Ok(input) => input,
        Err(message) => {
            let _ = writeln!(err, "perfctl report: {message}");
            return EXIT_INVALID;
        }
    };

    let mut options = ReportOptions::default();
    if let Some(title) = args.option("title") {
        options.title = title.to_owned();
    }
    let html = report::render(&input, &options);
    match output {
        None => match out.write_all(html.as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(error) => {
                let _ = writeln!(err, "perfctl report: failed to write the report: {error}");
                EXIT_INVALID
            }
        },
        Some(path) => match std::fs::write(&path, html.as_bytes()) {
            Ok(()) => {
                let _ = writeln!(out, "wrote {} ({} bytes) from {}", path.display(), html.len(), input.source);
                EXIT_OK
            }
            Err(error) => {
                let _ = writeln!(err, "perfctl report: failed to write {}: {error}", path.display());
                EXIT_INVALID
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_report(arguments: &[&str]) -> (i32, String, String) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let mut all = vec!["report".into()];
        all.extend(arguments.iter().map(|argument| (*argument).into()));
        let status = crate::cli::run(all, &mut out, &mut err);
        (status, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    #[test]
    fn report_from_export_writes_html() {
        let folder = tempfile::tempdir().unwrap();
        let snapshot = folder.path().join("snapshot.json");
        std::fs::write(&snapshot, serde_json::to_vec(&crate::snapshot()).unwrap()).unwrap();
        let output = folder.path().join("report.html");

        let (status, out, err) =
            run_report(&[snapshot.to_str().unwrap(), "-o", output.to_str().unwrap(), "--title", "nightly"]);
        assert_eq!(status, EXIT_OK, "{err}");
        assert!(out.starts_with("wrote "), "{out}");
        let html = std::fs::read_to_string(&output).unwrap();
        assert!(html.contains("<title>nightly</title>"), "title missing");
    }

    #[test]
    fn report_without_input_is_usage_error() {
        let (status, _, err) = run_report(&[]);
        assert_eq!(status, EXIT_USAGE);
        assert!(err.contains("expected SNAPSHOT files or --url"), "{err}");
    }

    #[test]
    fn report_missing_file_is_invalid() {
        let (status, _, err) = run_report(&["/nonexistent/perf-snapshot.json"]);
        assert_eq!(status, EXIT_INVALID);
        assert!(err.contains("failed to read /nonexistent/perf-snapshot.json"), "{err}");
    }

    #[test]
    fn report_bad_period_is_usage_error() {
        let (status, _, err) = run_report(&["--url", "http://127.0.0.1:9", "--period", "soon"]);
        assert_eq!(status, EXIT_USAGE);
        assert!(err.contains("invalid --period \"soon\""), "{err}");
    }
}
