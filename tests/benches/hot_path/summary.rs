//! Reads back the estimates that criterion wrote in this run and checks the ratios against
//! the hot-path targets.
//!
//! A benchmark whose `estimates.json` is older than this process did not run this time (a
//! filter left it out, or `--test` mode skips the analysis), so it is reported as missing
//! rather than mixed in from an earlier run.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Criterion's benchmark ids, in the order the table lists them.
pub(crate) const BARE: &str = "bare";
pub(crate) const CLOCK_FLOOR: &str = "clock_floor";
pub(crate) const CALLS: &str = "monitored_calls";
pub(crate) const LATENCY_ERRORS: &str = "monitored_latency_errors";
pub(crate) const DISABLED: &str = "monitored_disabled";
pub(crate) const TWO_THREADS: &str = "monitored_latency_errors_2_threads";
pub(crate) const METERED: &str = "metered";
pub(crate) const AUTOMETRICS: &str = "autometrics";
pub(crate) const METRICS: &str = "metrics";

const ORDER: [&str; 9] =
    [BARE, CLOCK_FLOOR, CALLS, LATENCY_ERRORS, DISABLED, TWO_THREADS, METERED, AUTOMETRICS, METRICS];

/// Nanoseconds per call of every benchmark of one group that ran in this process.
#[derive(Debug)]
pub(crate) struct Results {
    nanos: Vec<(&'static str, f64)>,
}

/// One target: a measured quantity, its limit, and whether it is met.
#[derive(Debug)]
struct Target {
    description: &'static str,
    measured: f64,
    limit: f64,
    unit: &'static str,
}

impl Results {
    /// Loads the typical estimate (criterion's slope, or the mean where there is no slope) of
    /// each benchmark in `group_dir` written after `since`.
    pub(crate) fn load(group_dir: &Path, since: SystemTime) -> Results {
        let nanos = ORDER
            .iter()
            .filter_map(|id| typical_estimate(&group_dir.join(id).join("new/estimates.json"), since).map(|n| (*id, n)))
            .collect();
        Results { nanos }
    }

    fn get(&self, id: &str) -> Option<f64> {
        self.nanos.iter().find(|(name, _)| *name == id).map(|(_, nanos)| *nanos)
    }

    fn over_bare(&self, id: &str) -> Option<f64> {
        Some(self.get(id)? - self.get(BARE)?)
    }

    fn targets(&self) -> Vec<Option<Target>> {
        let overhead = self.over_bare(LATENCY_ERRORS);
        vec![
            overhead.zip(self.get(CLOCK_FLOOR)).map(|(overhead, floor)| Target {
                description: "latency+errors overhead / clock floor",
                measured: overhead / floor,
                limit: 1.5,
                unit: "x",
            }),
            overhead.zip(self.over_bare(METERED)).map(|(overhead, metered)| Target {
                description: "latency+errors overhead / metered overhead",
                measured: overhead / metered,
                limit: 0.4,
                unit: "x",
            }),
            overhead.zip(self.over_bare(AUTOMETRICS)).map(|(overhead, autometrics)| Target {
                description: "latency+errors overhead / autometrics overhead",
                measured: overhead / autometrics,
                limit: 0.05,
                unit: "x",
            }),
            self.over_bare(DISABLED).map(|over| Target {
                description: "disabled site over bare",
                measured: over,
                limit: 2.0,
                unit: "ns",
            }),
            self.get(TWO_THREADS).zip(self.get(LATENCY_ERRORS)).map(|(two, one)| Target {
                description: "2 threads on one site / 1 thread, per call",
                measured: two / one,
                limit: 1.5,
                unit: "x",
            }),
        ]
    }
}

impl fmt::Display for Results {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<36} {:>10} {:>12}", "benchmark", "ns/call", "over bare")?;
        for (id, nanos) in &self.nanos {
            let over = self.over_bare(id).map_or_else(|| "-".to_owned(), |over| format!("{over:.2}"));
            writeln!(f, "{id:<36} {nanos:>10.2} {over:>12}")?;
        }

        writeln!(f)?;
        writeln!(f, "{:<48} {:>9} {:>9}  result", "target", "measured", "limit")?;
        for target in self.targets().into_iter().flatten() {
            let verdict = if target.measured <= target.limit { "met" } else { "missed" };
            let (measured, limit, unit) = (target.measured, target.limit, target.unit);
            writeln!(f, "{:<48} {measured:>8.3}{unit} {limit:>8.2}{unit}  {verdict}", target.description)?;
        }
        Ok(())
    }
}

/// Returns the directory for criterion's output: `$CRITERION_HOME` when set, otherwise
/// `criterion` in the target directory that contains this bench binary.
pub(crate) fn default_output_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let exe = std::env::current_exe().expect("the bench binary knows its own path");
    // target/<profile>/deps/hot_path-<hash>: three levels up is the target directory.
    let target = exe.ancestors().nth(3).expect("the bench binary lives in target/<profile>/deps");
    target.join("criterion")
}

fn typical_estimate(path: &Path, since: SystemTime) -> Option<f64> {
    let modified = std::fs::metadata(path).and_then(|meta| meta.modified()).ok()?;
    if modified < since {
        return None;
    }

    let text = std::fs::read_to_string(path).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    let typical = match &estimates["slope"] {
        serde_json::Value::Null => &estimates["mean"],
        slope => slope,
    };
    typical["point_estimate"].as_f64()
}
