//! Runs every enabled collector in isolation and disables the ones that fail.
//!
//! Collections and ticks go through their own [`Runner`]s, so a collection never queues behind
//! a tick on the same worker thread, and the other way round. A collector that panics or runs
//! past its time budget is disabled on the spot, logged once and emitted as an event. It is
//! listed in snapshots with the reason, and the others run as usual.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::registry::{self, Entry};
use super::runner::{self, Outcome, Runner};
use super::{Sample, Samples};
use crate::event::{self, Event, EventData, Severity};

/// The samples and state of one collector in a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectorSnapshot {
    /// Collector name.
    pub name: String,
    /// Kind of collector: `process`, `cache`, `custom`, ...
    pub kind: String,
    /// Component it belongs to.
    pub component: String,
    /// Samples written by the collector.
    pub samples: Vec<Sample>,
    /// Why the collector produced no samples: it panicked, ran past its time budget, is
    /// disabled or does not work on this platform. `None` when it ran.
    pub error: Option<String>,
    /// Whether the collector runs. It is disabled after a panic or a time-out, until
    /// [`plugin::enable`](crate::plugin::enable) turns it back on.
    #[serde(default = "enabled_default")]
    pub enabled: bool,
    /// Whether the collector works on this platform.
    #[serde(default = "enabled_default")]
    pub supported: bool,
    /// How long its last collection took, in microseconds.
    #[serde(default)]
    pub duration_us: u64,
}

static COLLECT: Runner = Runner::new("collect");
static TICK: Runner = Runner::new("tick");

/// The result of one run of `collect`.
enum Collected {
    Samples(Vec<Sample>),
    Unsupported(String),
    /// Another snapshot disabled the collector while this one waited for the worker.
    Disabled,
    /// The collector's previous call timed out and has not returned.
    Stuck,
}

/// Runs every enabled collector and returns the state of all of them, sorted by name.
pub(crate) fn collect_all() -> Vec<CollectorSnapshot> {
    let entries = registry::entries();
    let (runnable, skipped): (Vec<Arc<Entry>>, Vec<Arc<Entry>>) =
        entries.into_iter().partition(|entry| entry.is_enabled());
    let budgets: Vec<Duration> = runnable.iter().map(|entry| budget(entry)).collect();
    let collect = |entry: &Arc<Entry>| {
        if !entry.is_enabled() {
            return Collected::Disabled;
        }
        // Jobs of one runner run one at a time, so a call still running here is one that timed
        // out on an abandoned worker.
        if entry.collecting.is_running() {
            return Collected::Stuck;
        }
        let _running = entry.collecting.enter();
        let collector = entry.collector();
        if let Some(reason) = collector.unsupported() {
            return Collected::Unsupported(reason);
        }
        let mut samples = Samples::default();
        collector.collect(&mut samples);
        Collected::Samples(samples.into_vec())
    };
    let outcomes = COLLECT.run_all(runnable.clone(), &budgets, collect, |entry, outcome| match outcome {
        Outcome::Panicked(message) => fail(entry, format!("collector panicked: {message}")),
        Outcome::TimedOut(budget) => fail(entry, format!("collector ran past its time budget of {budget:?}")),
        Outcome::Done(..) | Outcome::NotRun(_) => {}
    });

    let mut snapshots: Vec<CollectorSnapshot> = skipped.iter().map(|entry| idle_snapshot(entry)).collect();
    for (entry, outcome) in runnable.iter().zip(outcomes) {
        snapshots.push(collected_snapshot(entry, outcome));
    }
    snapshots.sort_by(|a, b| a.name.cmp(&b.name));
    snapshots
}

/// Runs the [`Collector::tick`](super::Collector::tick) of every enabled collector.
pub(crate) fn tick_all(now_ms: u64) {
    let runnable: Vec<Arc<Entry>> = registry::entries().into_iter().filter(|entry| entry.is_enabled()).collect();
    let budgets: Vec<Duration> = runnable.iter().map(|entry| budget(entry)).collect();
    let tick = move |entry: &Arc<Entry>| {
        // A tick still running here timed out on an abandoned worker; skip it until it returns.
        if !entry.is_enabled() || entry.ticking.is_running() {
            return;
        }
        let _running = entry.ticking.enter();
        let collector = entry.collector();
        if collector.unsupported().is_none() {
            collector.tick(now_ms);
        }
    };
    TICK.run_all(runnable, &budgets, tick, |entry, outcome| match outcome {
        Outcome::Done((), _) => {}
        Outcome::Panicked(message) => fail(entry, format!("its tick panicked: {message}")),
        Outcome::TimedOut(budget) => fail(entry, format!("its tick ran past its time budget of {budget:?}")),
        Outcome::NotRun(reason) => {
            tracing::warn!(collector = entry.collector().name(), %reason, "perf collector tick skipped");
        }
    });
}

fn collected_snapshot(entry: &Entry, outcome: Outcome<Collected>) -> CollectorSnapshot {
    let mut snapshot = idle_snapshot(entry);
    match outcome {
        Outcome::Done(Collected::Samples(samples), duration) => {
            entry.set_last_duration(duration);
            snapshot.samples = samples;
            snapshot.duration_us = entry.last_duration_us();
        }
        Outcome::Done(Collected::Unsupported(reason), _) => {
            snapshot.supported = false;
            snapshot.error = Some(reason);
        }
        Outcome::Done(Collected::Disabled, _) => {}
        Outcome::Done(Collected::Stuck, _) => {
            snapshot.error = Some("collector not run: its previous call, which timed out, has not returned".to_owned());
        }
        Outcome::Panicked(_) | Outcome::TimedOut(_) => {
            // `fail` has disabled it, with the reason that `idle_snapshot` reads back.
        }
        Outcome::NotRun(reason) => snapshot.error = Some(format!("collector not run: {reason}")),
    }
    snapshot
}

/// Returns the snapshot of a collector that was not run: no samples, and why.
fn idle_snapshot(entry: &Entry) -> CollectorSnapshot {
    let collector = entry.collector();
    CollectorSnapshot {
        name: collector.name().to_owned(),
        kind: collector.kind().to_owned(),
        component: collector.component().to_owned(),
        samples: Vec::new(),
        error: entry.disabled_reason(),
        enabled: entry.is_enabled(),
        supported: true,
        duration_us: entry.last_duration_us(),
    }
}

/// Disables a collector that failed, and reports it once: in the log and as an event.
fn fail(entry: &Entry, reason: String) {
    let collector = entry.collector();
    if !entry.disable(reason.clone()) {
        return;
    }

    tracing::error!(collector = collector.name(), %reason, "perf collector disabled; the other collectors keep running");
    let data = EventData::CollectorDisabled { collector: collector.name().to_owned(), reason };
    event::emit(Event::new(SystemTime::now(), Severity::Warning, data).with_component(collector.component()));
}

fn budget(entry: &Entry) -> Duration {
    entry.collector().time_budget().unwrap_or_else(runner::time_budget)
}

fn enabled_default() -> bool {
    true
}
