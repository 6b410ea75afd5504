//! The collector: a background thread that folds every site into the time series.
//!
//! It wakes every interval (1 s by default), reads the cumulative counts of each site, and
//! appends one point per tier that is due. All of that happens off the hot path: the collector
//! only reads the sites' atomics, and a monitored call takes no lock that the collector holds.

use std::fmt;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

use crate::registry;
use crate::series::{Point, Retention, SeriesStore};

/// Settings of the collector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// Time between two ticks.
    pub interval: Duration,
    /// Retention tiers, finest first. Each resolution is a whole multiple of `interval`.
    pub retention: Vec<Retention>,
}

/// Error returned by [`start`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// The collector is already running; call [`shutdown`] first to restart it.
    AlreadyRunning,
    /// The configuration cannot work; the message names the value and the fix.
    InvalidConfig(String),
    /// The operating system refused to start the thread.
    Spawn(String),
}

/// State of the collector, as reported in snapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectorStatus {
    /// Whether the background thread is running.
    pub running: bool,
    /// Interval between ticks, in milliseconds.
    pub interval_ms: u64,
    /// Ticks done since the collector started.
    pub ticks: u64,
    /// Duration of the last tick, in microseconds.
    pub last_tick_us: u64,
    /// Sites that have time series.
    pub series: usize,
    /// Heap bytes held by the time series.
    pub series_bytes: usize,
}

pub(crate) struct State {
    pub(crate) config: Config,
    pub(crate) store: SeriesStore,
    ticks: u64,
    last_tick_us: u64,
    thread: Option<JoinHandle<()>>,
    stopping: bool,
}

static STATE: Lazy<Mutex<State>> = Lazy::new(|| Mutex::new(State::new(Config::default())));
static WAKE: Condvar = Condvar::new();

impl Default for Config {
    fn default() -> Self {
        Config {
            interval: Duration::from_secs(1),
            retention: vec![
                Retention { resolution: Duration::from_secs(1), keep: Duration::from_secs(15 * 60) },
                Retention { resolution: Duration::from_secs(60), keep: Duration::from_secs(24 * 60 * 60) },
            ],
        }
    }
}

impl Config {
    /// Checks that every value can work, and names the one that cannot and the fix.
    pub fn validate(&self) -> Result<(), String> {
        if self.interval < Duration::from_millis(1) {
            return Err(format!("collector interval {:?} is too short; use 1ms or more", self.interval));
        }
        for (index, tier) in self.retention.iter().enumerate() {
            let resolution = tier.resolution.as_nanos();
            if resolution == 0 || resolution % self.interval.as_nanos() != 0 {
                return Err(format!(
                    "retention tier {index}: resolution {:?} is not a whole multiple of the interval {:?}",
                    tier.resolution, self.interval
                ));
            }
            if tier.keep < tier.resolution {
                return Err(format!(
                    "retention tier {index}: keep {:?} is shorter than its resolution {:?}; keep at least one point",
                    tier.keep, tier.resolution
                ));
            }
        }
        Ok(())
    }
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::AlreadyRunning => {
                f.write_str("the collector is already running; call perf::shutdown() before starting it again")
            }
            StartError::InvalidConfig(message) => write!(f, "invalid collector configuration: {message}"),
            StartError::Spawn(message) => write!(f, "failed to start the collector thread: {message}"),
        }
    }
}

impl std::error::Error for StartError {}

impl State {
    fn new(config: Config) -> Self {
        let store = SeriesStore::new(config.interval, &config.retention);
        State { config, store, ticks: 0, last_tick_us: 0, thread: None, stopping: false }
    }

    /// Reads every site and appends the points that are due.
    fn tick(&mut self) {
        let started = Instant::now();
        self.ticks += 1;

        let sites = registry::all_sites();
        let counts: Vec<_> = sites.iter().enumerate().map(|(index, site)| (index, site.counts())).collect();
        let now_ms = unix_ms();
        self.store.record_tick(self.ticks, now_ms, &counts);
        crate::plugin::tick_all(now_ms);

        self.last_tick_us = started.elapsed().as_micros().min(u128::from(u64::MAX)) as u64;
    }

    pub(crate) fn status(&self) -> CollectorStatus {
        CollectorStatus {
            running: self.thread.is_some(),
            interval_ms: self.config.interval.as_millis() as u64,
            ticks: self.ticks,
            last_tick_us: self.last_tick_us,
            series: self.store.len(),
            series_bytes: self.store.heap_bytes(),
        }
    }
}

pub(crate) fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the collector thread with `config`.
///
/// ```
/// use std::time::Duration;
///
/// let config = perf::Config { interval: Duration::from_millis(100), ..perf::Config::default() };
/// # let config = perf::Config { retention: vec![perf::Retention { resolution: Duration::from_millis(100), keep: Duration::from_secs(60) }], ..config };
/// perf::start(config).unwrap();
/// perf::shutdown();
/// ```
pub fn start(config: Config) -> Result<(), StartError> {
    config.validate().map_err(StartError::InvalidConfig)?;
    crate::clock::warm_up();

    let mut state = state();
    if state.thread.is_some() {
        return Err(StartError::AlreadyRunning);
    }

    *state = State::new(config);
    let thread = std::thread::Builder::new()
        .name("perf-collector".into())
        .spawn(run)
        .map_err(|error| StartError::Spawn(error.to_string()))?;
    state.thread = Some(thread);
    tracing::debug!(interval = ?state.config.interval, "perf collector started");
    Ok(())
}

/// Starts the collector with the default configuration: a tick every second, 1 s points for
/// 15 minutes and 1 min points for 24 hours.
pub fn init() -> Result<(), StartError> {
    start(Config::default())
}

/// Stops the collector thread and waits for it to end. The time series stay readable.
pub fn shutdown() {
    let thread = {
        let mut state = state();
        state.stopping = true;
        state.thread.take()
    };
    WAKE.notify_all();

    if let Some(thread) = thread {
        if thread.join().is_err() {
            tracing::error!("perf collector thread panicked before shutdown");
        }
    }
    state().stopping = false;
}

/// Runs one collector tick now, on the calling thread, whether or not the collector runs, then
/// emits the pending events and evaluates the installed alert manager.
pub fn collect_now() {
    state().tick();
    crate::event::after_collector_tick();
}

/// Returns the points of a site in a retention tier (0 is the finest), oldest first.
pub fn series(site_name: &str, tier: usize) -> Vec<Point> {
    let Some(index) = site_index(site_name) else {
        return Vec::new();
    };
    state().store.points(index, tier)
}

pub(crate) fn site_index(name: &str) -> Option<usize> {
    registry::all_sites().iter().position(|site| site.info().name == name)
}

fn run() {
    let mut state = state();
    let interval = state.config.interval;
    let mut next = Instant::now() + interval;
    loop {
        while !state.stopping {
            let now = Instant::now();
            if now >= next {
                break;
            }
            state = WAKE.wait_timeout(state, next - now).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
        }
        if state.stopping {
            return;
        }

        state.tick();
        // Events and alert rules read snapshots, which take this lock: run them without it.
        drop(state);
        crate::event::after_collector_tick();
        state = self::state();
        next += interval;
        let now = Instant::now();
        if next < now {
            // Ticks that fell behind (a suspended process) are skipped, not replayed.
            next = now + interval;
        }
    }
}

pub(crate) fn unix_ms() -> u64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    since_epoch.as_millis().min(u128::from(u64::MAX)) as u64
}
