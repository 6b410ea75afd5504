//! The data of a report: the last snapshot of the period and the intervals before it, taken
//! either from the time series of a running process or from consecutive snapshots (JSON
//! exports).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::alert::HistoryEvent;
use crate::dashboard::CACHE_KIND;
use crate::series::Point;
use crate::snapshot::{MetricValue, Snapshot};

/// The data of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    /// The last snapshot of the period: totals, slowest sites, caches.
    pub snapshot: Snapshot,
    /// Activity of each site over the period, oldest interval first.
    pub sites: BTreeMap<String, Vec<Interval>>,
    /// Hit rate of each cache over the period, per interval: `(end in ms, hit rate)`, `None`
    /// for an interval without requests.
    pub cache_hit_rates: BTreeMap<String, Vec<(u64, Option<f64>)>>,
    /// State changes of alerts during the period, oldest first.
    pub alerts: Vec<AlertChange>,
    /// Start of the period, in milliseconds since the Unix epoch.
    pub from_ms: u64,
    /// End of the period, in milliseconds since the Unix epoch.
    pub to_ms: u64,
    /// Where the data comes from, shown in the report: file names or the process address.
    pub source: String,
}

/// The activity of one site during one interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// End of the interval, in milliseconds since the Unix epoch.
    pub end_ms: u64,
    /// Length of the interval in seconds.
    pub seconds: f64,
    /// Calls completed in the interval.
    pub calls: u64,
    /// Errors in the interval.
    pub errors: u64,
    /// Median latency of the interval's calls, in nanoseconds.
    pub p50: Option<f64>,
    /// 99th percentile latency of the interval's calls, in nanoseconds.
    pub p99: Option<f64>,
}

/// A state change of an alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertChange {
    /// When the alert changed state, in milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// Name of the alert rule.
    pub rule: String,
    /// State before the change (`inactive`, `pending`, `firing`, `resolved`).
    pub from: String,
    /// State after the change.
    pub to: String,
    /// Severity of the rule, when it has one.
    pub severity: Option<String>,
    /// Value of the rule's expression at the change.
    pub value: Option<f64>,
}

/// Error returned when report input cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ReportInputError {
    /// No snapshot was given.
    #[error("no snapshot to report on: give at least one JSON export")]
    NoSnapshot,
}

impl Interval {
    /// Returns calls per second.
    pub fn rate_per_sec(&self) -> f64 {
        if self.seconds > 0.0 {
            self.calls as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// Returns `errors / calls`, `None` without calls.
    pub fn error_rate(&self) -> Option<f64> {
        (self.calls > 0).then(|| self.errors as f64 / self.calls as f64)
    }

    fn from_point(point: &Point) -> Interval {
        let has_calls = point.calls > 0;
        Interval {
            end_ms: point.end_ms,
            seconds: f64::from(point.duration_ms) / 1000.0,
            calls: point.calls,
            errors: point.errors,
            p50: has_calls.then_some(f64::from(point.latency.p50)),
            p99: has_calls.then_some(f64::from(point.latency.p99)),
        }
    }
}

impl ReportInput {
    /// Builds a report over consecutive snapshots, such as the files of a scheduled JSON
    /// export. The intervals lie between each snapshot and the next; a single snapshot gives
    /// totals and its last collector window only.
    pub fn from_snapshots(mut snapshots: Vec<Snapshot>, source: impl Into<String>) -> Result<Self, ReportInputError> {
        snapshots.sort_by_key(|snapshot| snapshot.taken_at_ms);
        let last = snapshots.last().ok_or(ReportInputError::NoSnapshot)?.clone();

        let mut sites: BTreeMap<String, Vec<Interval>> = BTreeMap::new();
        let mut cache_hit_rates: BTreeMap<String, Vec<(u64, Option<f64>)>> = BTreeMap::new();
        if snapshots.len() == 1 {
            for site in &last.sites {
                if let Some(window) = &site.window {
                    let interval = Interval {
                        end_ms: window.end_ms,
                        seconds: window.seconds,
                        calls: window.calls,
                        errors: window.errors,
                        p50: window.latency.map(|latency| latency.p50),
                        p99: window.latency.map(|latency| latency.p99),
                    };
                    sites.entry(site.name.clone()).or_default().push(interval);
                }
            }
        }
        for pair in snapshots.windows(2) {
            add_site_intervals(&pair[0], &pair[1], &mut sites);
            add_cache_intervals(&pair[0], &pair[1], &mut cache_hit_rates);
        }

        let from_ms = snapshots.first().map_or(last.taken_at_ms, |first| first.taken_at_ms);
        let from_ms = sites
            .values()
            .flatten()
            .map(|interval| interval.end_ms.saturating_sub((interval.seconds * 1000.0) as u64))
            .min()
            .map_or(from_ms, |start| start.min(from_ms));
        let to_ms = last.taken_at_ms;
        Ok(ReportInput {
            snapshot: last,
            sites,
            cache_hit_rates,
            alerts: Vec::new(),
            from_ms,
            to_ms,
            source: source.into(),
        })
    }

    /// Builds a report from a snapshot and the time series of its sites, as a running process
    /// has them (`perf::series`, or `GET /api/series`).
    pub fn from_series(snapshot: Snapshot, series: BTreeMap<String, Vec<Point>>, source: impl Into<String>) -> Self {
        let sites: BTreeMap<String, Vec<Interval>> = series
            .into_iter()
            .map(|(site, points)| (site, points.iter().map(Interval::from_point).collect()))
            .collect();
        let from_ms = sites
            .values()
            .flatten()
            .map(|interval| interval.end_ms.saturating_sub((interval.seconds * 1000.0) as u64))
            .min()
            .unwrap_or(snapshot.taken_at_ms);
        ReportInput {
            to_ms: snapshot.taken_at_ms,
            snapshot,
            sites,
            cache_hit_rates: BTreeMap::new(),
            alerts: Vec::new(),
            from_ms,
            source: source.into(),
        }
    }

    /// Builds a report of this process over the last `period`, from its snapshot and the
    /// finest time series that reach back that far.
    pub fn from_this_process(period: Duration) -> Self {
        let snapshot = crate::snapshot();
        let since_ms = snapshot.taken_at_ms.saturating_sub(period.as_millis() as u64);
        let tier = crate::dashboard::tier_for_window(period.as_millis() as u64);
        let series = snapshot
            .sites
            .iter()
            .map(|site| {
                let points: Vec<Point> =
                    crate::series(&site.name, tier).into_iter().filter(|point| point.end_ms > since_ms).collect();
                (site.name.clone(), points)
            })
            .filter(|(_, points)| !points.is_empty())
            .collect();
        let mut input = ReportInput::from_series(snapshot, series, "this process");
        input.from_ms = input.from_ms.max(since_ms);
        input.alerts = alert_changes(since_ms);
        input
    }
}

/// Returns the state changes of the installed alert manager since `since_ms`, oldest first.
fn alert_changes(since_ms: u64) -> Vec<AlertChange> {
    let Some(manager) = crate::alert::installed() else {
        return Vec::new();
    };
    let severities: BTreeMap<String, String> = manager
        .alerts()
        .into_iter()
        .map(|status| (status.alert.rule, status.alert.severity.as_str().to_owned()))
        .collect();
    manager
        .history()
        .into_iter()
        .filter_map(|entry| {
            let at_ms = entry.at.duration_since(std::time::UNIX_EPOCH).map_or(0, |since| since.as_millis() as u64);
            match entry.event {
                HistoryEvent::StateChanged { rule, from, to, value, .. } if at_ms >= since_ms => Some(AlertChange {
                    at_ms,
                    severity: severities.get(&rule).cloned(),
                    rule,
                    from: from.as_str().to_owned(),
                    to: to.as_str().to_owned(),
                    value,
                }),
                _ => None,
            }
        })
        .collect()
}

fn add_site_intervals(before: &Snapshot, after: &Snapshot, sites: &mut BTreeMap<String, Vec<Interval>>) {
    let seconds = after.taken_at_ms.saturating_sub(before.taken_at_ms) as f64 / 1000.0;
    for site in &after.sites {
        let earlier = before.site(&site.name);
        // A count lower than before means the process restarted: the whole count is new.
        let restarted = earlier.is_some_and(|earlier| site.calls < earlier.calls);
        let (calls, errors) = match earlier {
            Some(earlier) if !restarted => (site.calls - earlier.calls, site.errors.saturating_sub(earlier.errors)),
            _ => (site.calls, site.errors),
        };

        let latency = match (&site.latency_histogram, earlier.and_then(|earlier| earlier.latency_histogram.as_ref())) {
            (Some(now), Some(then)) if !restarted => now.since(then).distribution(),
            (Some(now), _) => now.distribution(),
            // NOTE: without lossless histograms in the export, the latency of an interval is
            // that of the collector's last window before the later snapshot.
            (None, _) => None,
        };
        let window_latency = site.window.as_ref().and_then(|window| window.latency);
        let (p50, p99) = match (latency, window_latency) {
            (Some(distribution), _) => (Some(distribution.p50 as f64), Some(distribution.p99 as f64)),
            (None, Some(window)) if calls > 0 => (Some(window.p50), Some(window.p99)),
            _ => (None, None),
        };

        let interval = Interval { end_ms: after.taken_at_ms, seconds, calls, errors, p50, p99 };
        sites.entry(site.name.clone()).or_default().push(interval);
    }
}

fn add_cache_intervals(before: &Snapshot, after: &Snapshot, rates: &mut BTreeMap<String, Vec<(u64, Option<f64>)>>) {
    for collector in after.collectors.iter().filter(|collector| collector.kind == CACHE_KIND) {
        let (hits, misses) = hits_and_misses(after, &collector.name);
        let (hits_before, misses_before) = hits_and_misses(before, &collector.name);
        let (Some(hits), Some(misses)) = (hits, misses) else {
            continue;
        };
        let restarted = hits < hits_before.unwrap_or(0) || misses < misses_before.unwrap_or(0);
        let (hits, misses) = if restarted {
            (hits, misses)
        } else {
            (hits - hits_before.unwrap_or(0), misses - misses_before.unwrap_or(0))
        };
        let rate = (hits + misses > 0).then(|| hits as f64 / (hits + misses) as f64);
        rates.entry(collector.name.clone()).or_default().push((after.taken_at_ms, rate));
    }
}

fn hits_and_misses(snapshot: &Snapshot, cache: &str) -> (Option<u64>, Option<u64>) {
    let Some(collector) = snapshot.collectors.iter().find(|collector| collector.name == cache) else {
        return (None, None);
    };
    let counter = |name: &str| {
        collector.samples.iter().find(|sample| sample.name == name).and_then(|sample| match sample.value {
            MetricValue::Counter(total) => Some(total),
            _ => None,
        })
    };
    (counter("cache_hits"), counter("cache_misses"))
}
