//! Windows: the activity of a cache between two collector ticks, kept in a bounded ring.
//!
//! On each tick of perf's collector (every second by default), the cache's collector takes
//! its statistics and subtracts those of the previous tick with [`CacheStats::minus`], which
//! never goes below zero. The ring keeps the last [`WINDOW_CAPACITY`] windows, so its memory
//! does not grow with run time.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::stats::CacheStats;

/// Windows kept per cache: 15 minutes at the collector's default 1 s interval.
pub const WINDOW_CAPACITY: usize = 900;

/// The activity of a cache during one collector interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheWindow {
    /// End of the window, in milliseconds since the Unix epoch.
    pub end_ms: u64,
    /// Length of the window, in milliseconds.
    pub duration_ms: u64,
    /// Counters of the window alone; gauges as at its end.
    pub stats: CacheStats,
}

impl CacheWindow {
    /// Returns the hit rate of the window (1.0 when it had no requests).
    pub fn hit_rate(&self) -> f64 {
        self.stats.hit_rate()
    }

    /// Returns requests per second over the window, or 0.0 for an empty window.
    pub fn requests_per_sec(&self) -> f64 {
        if self.duration_ms == 0 {
            return 0.0;
        }
        self.stats.request_count() as f64 * 1000.0 / self.duration_ms as f64
    }
}

/// The ring of windows and the statistics at the last tick.
#[derive(Debug)]
pub(crate) struct Windows {
    baseline: Option<(u64, CacheStats)>,
    ring: VecDeque<CacheWindow>,
}

impl Windows {
    pub(crate) const fn new() -> Self {
        Windows { baseline: None, ring: VecDeque::new() }
    }

    /// Closes the window that ends at `now_ms` with cumulative statistics `current`. The first
    /// call only sets the baseline.
    pub(crate) fn roll(&mut self, now_ms: u64, current: CacheStats) {
        if let Some((start_ms, earlier)) = self.baseline {
            if self.ring.len() == WINDOW_CAPACITY {
                self.ring.pop_front();
            }
            self.ring.push_back(CacheWindow {
                end_ms: now_ms,
                duration_ms: now_ms.saturating_sub(start_ms),
                stats: current.minus(&earlier),
            });
        }
        self.baseline = Some((now_ms, current));
    }

    pub(crate) fn latest(&self) -> Option<CacheWindow> {
        self.ring.back().copied()
    }

    pub(crate) fn all(&self) -> Vec<CacheWindow> {
        self.ring.iter().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_roll_sets_baseline() {
        let mut windows = Windows::new();
        windows.roll(1_000, CacheStats { hits: 5, ..CacheStats::ZERO });
        assert_eq!(windows.latest(), None);
    }

    #[test]
    fn roll_subtracts_previous_tick() {
        let mut windows = Windows::new();
        windows.roll(1_000, CacheStats { hits: 5, misses: 5, ..CacheStats::ZERO });
        windows.roll(2_000, CacheStats { hits: 14, misses: 6, ..CacheStats::ZERO });
        let window = windows.latest().unwrap();
        // 9 hits and 1 miss in the second window.
        assert_eq!(window.stats.hits, 9);
        assert_eq!(window.stats.misses, 1);
        assert_eq!(window.hit_rate(), 0.9);
        assert_eq!(window.duration_ms, 1_000);
        assert_eq!(window.requests_per_sec(), 10.0);
    }

    #[test]
    fn roll_after_reset_is_zero() {
        let mut windows = Windows::new();
        windows.roll(1_000, CacheStats { hits: 50, ..CacheStats::ZERO });
        windows.roll(2_000, CacheStats { hits: 10, ..CacheStats::ZERO });
        assert_eq!(windows.latest().unwrap().stats.hits, 0);
    }

    #[test]
    fn ring_stays_bounded() {
        let mut windows = Windows::new();
        for tick in 0..(WINDOW_CAPACITY as u64 + 10) {
            windows.roll(tick * 1_000, CacheStats { hits: tick, ..CacheStats::ZERO });
        }
        let all = windows.all();
        assert_eq!(all.len(), WINDOW_CAPACITY);
        assert_eq!(all.last().unwrap().end_ms, (WINDOW_CAPACITY as u64 + 9) * 1_000);
    }
}
