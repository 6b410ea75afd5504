//! Time series of every site, kept in retention tiers of fixed capacity.
//!
//! Each tier (by default 1 s points for 15 minutes and 1 min points for 24 hours) keeps a ring
//! of [`Point`]s and the cumulative counts at its last boundary. When a tier's resolution has
//! passed, the difference between the current counts and that baseline becomes a new point,
//! with exact counts and quantiles of that interval alone. A ring never grows past its
//! capacity, so memory depends on the number of active sites and the retention, never on run
//! time: a point is [`Point::SIZE`] bytes, and a site gets its rings on its first call.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::metric::{Buckets, Distribution};
use crate::site::SiteCounts;

/// How long one tier keeps points of what resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Interval covered by one point, a whole multiple of the collector interval.
    pub resolution: Duration,
    /// How far back the tier reaches: it keeps `keep / resolution` points.
    pub keep: Duration,
}

/// One interval of a site's activity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// End of the interval, in milliseconds since the Unix epoch.
    pub end_ms: u64,
    /// Length of the interval in milliseconds, as measured.
    pub duration_ms: u32,
    /// Calls completed in the interval.
    pub calls: u64,
    /// Errors in the interval.
    pub errors: u64,
    /// Calls cancelled in the interval.
    pub cancelled: u32,
    /// Calls in flight at the end of the interval.
    pub in_flight: i32,
    /// Latency quantiles of the interval, in nanoseconds (0 when there were no calls).
    pub latency: CompactLatency,
}

/// Latency quantiles of one interval, stored as `f32` nanoseconds to keep points small.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CompactLatency {
    /// Median.
    pub p50: f32,
    /// 90th percentile.
    pub p90: f32,
    /// 99th percentile.
    pub p99: f32,
    /// 99.9th percentile.
    pub p999: f32,
    /// Maximum.
    pub max: f32,
    /// Mean.
    pub mean: f32,
}

#[derive(Debug)]
pub(crate) struct SeriesStore {
    tiers: Vec<TierSpec>,
    series: HashMap<usize, SiteSeries>,
}

#[derive(Debug, Clone, Copy)]
struct TierSpec {
    ticks_per_point: u64,
    capacity: usize,
}

#[derive(Debug)]
struct SiteSeries {
    tiers: Vec<TierRing>,
}

#[derive(Debug)]
struct TierRing {
    points: VecDeque<Point>,
    baseline: Baseline,
}

#[derive(Debug, Clone, Default)]
struct Baseline {
    at_ms: u64,
    calls: u64,
    errors: u64,
    cancelled: u64,
    latency: Buckets,
}

impl Point {
    /// Size of one point in memory, in bytes.
    pub const SIZE: usize = std::mem::size_of::<Point>();

    /// Returns calls per second over the interval.
    pub fn rate_per_sec(&self) -> f64 {
        if self.duration_ms == 0 {
            return 0.0;
        }
        self.calls as f64 * 1000.0 / f64::from(self.duration_ms)
    }
}

impl CompactLatency {
    fn from_distribution(distribution: Option<Distribution>) -> Self {
        let Some(distribution) = distribution else {
            return CompactLatency::default();
        };
        CompactLatency {
            p50: distribution.p50 as f32,
            p90: distribution.p90 as f32,
            p99: distribution.p99 as f32,
            p999: distribution.p999 as f32,
            max: distribution.max as f32,
            mean: distribution.mean as f32,
        }
    }
}

impl SeriesStore {
    /// Creates a store for tiers of the given retentions, sampled every `interval`.
    pub(crate) fn new(interval: Duration, retentions: &[Retention]) -> Self {
        let tiers = retentions
            .iter()
            .map(|retention| {
                let ticks = (retention.resolution.as_nanos() / interval.as_nanos().max(1)).max(1);
                let capacity = (retention.keep.as_nanos() / retention.resolution.as_nanos().max(1)).max(1);
                TierSpec { ticks_per_point: ticks as u64, capacity: capacity as usize }
            })
            .collect();
        SeriesStore { tiers, series: HashMap::new() }
    }

    /// Folds one tick: `tick` counts from 1, `now_ms` is the wall clock, and `counts` has the
    /// cumulative counts of each site by its index in the registry.
    pub(crate) fn record_tick(&mut self, tick: u64, now_ms: u64, counts: &[(usize, SiteCounts)]) {
        for (site, current) in counts {
            if !self.series.contains_key(site) && current.calls == 0 && current.in_flight == 0 && current.cancelled == 0
            {
                continue;
            }

            let tiers = &self.tiers;
            let series = self.series.entry(*site).or_insert_with(|| SiteSeries::new(tiers, now_ms));
            for (spec, ring) in tiers.iter().zip(series.tiers.iter_mut()) {
                if tick.is_multiple_of(spec.ticks_per_point) {
                    ring.push(spec.capacity, now_ms, current);
                }
            }
        }
    }

    /// Returns the points of a site in one tier, oldest first.
    pub(crate) fn points(&self, site: usize, tier: usize) -> Vec<Point> {
        let Some(series) = self.series.get(&site) else {
            return Vec::new();
        };
        series.tiers.get(tier).map(|ring| ring.points.iter().copied().collect()).unwrap_or_default()
    }

    /// Returns the newest point of a site in the finest tier.
    pub(crate) fn latest(&self, site: usize) -> Option<Point> {
        self.series.get(&site)?.tiers.first()?.points.back().copied()
    }

    /// Returns the heap bytes held by all rings and baselines (an estimate for the maps).
    pub(crate) fn heap_bytes(&self) -> usize {
        let per_entry = std::mem::size_of::<(usize, SiteSeries)>() + std::mem::size_of::<u64>();
        let rings: usize = self
            .series
            .values()
            .flat_map(|series| &series.tiers)
            .map(|ring| ring.points.capacity() * Point::SIZE + ring.baseline.latency.heap_bytes())
            .sum();
        rings + self.series.capacity() * per_entry
    }

    /// Returns the number of sites that have series.
    pub(crate) fn len(&self) -> usize {
        self.series.len()
    }
}

impl SiteSeries {
    fn new(tiers: &[TierSpec], now_ms: u64) -> Self {
        let baseline = Baseline { at_ms: now_ms, ..Baseline::default() };
        let tiers = tiers.iter().map(|_| TierRing { points: VecDeque::new(), baseline: baseline.clone() }).collect();
        SiteSeries { tiers }
    }
}

impl TierRing {
    fn push(&mut self, capacity: usize, now_ms: u64, current: &SiteCounts) {
        let interval = current.latency.since(&self.baseline.latency);
        let point = Point {
            end_ms: now_ms,
            duration_ms: now_ms.saturating_sub(self.baseline.at_ms).min(u64::from(u32::MAX)) as u32,
            calls: current.calls.saturating_sub(self.baseline.calls),
            errors: current.errors.saturating_sub(self.baseline.errors),
            cancelled: current.cancelled.saturating_sub(self.baseline.cancelled).min(u64::from(u32::MAX)) as u32,
            in_flight: current.in_flight.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
            latency: CompactLatency::from_distribution(interval.distribution()),
        };

        if self.points.len() == capacity {
            self.points.pop_front();
        } else if self.points.capacity() == self.points.len() {
            self.points.reserve_exact((self.points.len().max(16)).min(capacity - self.points.len()));
        }
        self.points.push_back(point);

        self.baseline = Baseline {
            at_ms: now_ms,
            calls: current.calls,
            errors: current.errors,
            cancelled: current.cancelled,
            latency: current.latency.clone(),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::Histogram;

    fn counts(calls: u64, errors: u64, latency: &Histogram) -> SiteCounts {
        SiteCounts { calls, errors, latency: latency.buckets(), ..SiteCounts::default() }
    }

    fn tiers() -> Vec<Retention> {
        vec![
            Retention { resolution: Duration::from_secs(1), keep: Duration::from_secs(10) },
            Retention { resolution: Duration::from_secs(5), keep: Duration::from_secs(60) },
        ]
    }

    #[test]
    fn point_holds_interval_delta() {
        let mut store = SeriesStore::new(Duration::from_secs(1), &tiers());
        let latency = Histogram::new();
        latency.record_n(1_000, 10);
        store.record_tick(1, 1_000, &[(0, counts(10, 1, &latency))]);
        latency.record_n(2_000_000, 5);
        store.record_tick(2, 2_000, &[(0, counts(15, 3, &latency))]);

        let points = store.points(0, 0);
        assert_eq!(points.len(), 2);
        assert_eq!(points[1].calls, 5);
        assert_eq!(points[1].errors, 2);
        assert_eq!(points[1].duration_ms, 1_000);
        assert!((points[1].latency.p50 - 2_000_000.0).abs() / 2_000_000.0 <= 0.01);
        assert!((points[1].rate_per_sec() - 5.0).abs() < 1e-9);
    }

    #[test]
    fn coarse_tier_sums_fine_ticks() {
        let mut store = SeriesStore::new(Duration::from_secs(1), &tiers());
        let latency = Histogram::new();
        for tick in 1..=10u64 {
            latency.record_n(500, 3);
            store.record_tick(tick, tick * 1_000, &[(0, counts(tick * 3, 0, &latency))]);
        }

        let coarse = store.points(0, 1);
        assert_eq!(coarse.len(), 2);
        assert_eq!(coarse[0].calls, 15);
        assert_eq!(coarse[1].calls, 15);
        assert_eq!(coarse[1].duration_ms, 5_000);
    }

    #[test]
    fn idle_site_gets_no_series() {
        let mut store = SeriesStore::new(Duration::from_secs(1), &tiers());
        let latency = Histogram::new();
        store.record_tick(1, 1_000, &[(0, counts(0, 0, &latency))]);

        assert_eq!(store.len(), 0);
        assert!(store.latest(0).is_none());
    }

    #[test]
    fn memory_bounded_after_many_ticks() {
        const SITES: usize = 8;
        let mut store = SeriesStore::new(Duration::from_secs(1), &tiers());
        let latencies: Vec<Histogram> = (0..SITES).map(|_| Histogram::new()).collect();
        let mut bytes_after_fill = 0;
        for tick in 1..=3_000u64 {
            let counts: Vec<(usize, SiteCounts)> = latencies
                .iter()
                .enumerate()
                .map(|(site, latency)| {
                    latency.record(1_000 + (tick % 97) * 1_000);
                    (site, counts(tick, tick / 10, latency))
                })
                .collect();
            store.record_tick(tick, tick * 1_000, &counts);
            if tick == 200 {
                bytes_after_fill = store.heap_bytes();
            }
        }

        // 10 points in the fine tier and 12 in the coarse one, per site.
        assert_eq!(store.points(3, 0).len(), 10);
        assert_eq!(store.points(3, 1).len(), 12);
        assert_eq!(store.heap_bytes(), bytes_after_fill, "memory grew after the rings were full");
        // Rings: at most 16 spare slots each; baselines: at most 97 buckets of 10 bytes.
        let bound = SITES * ((10 + 16 + 12 + 16) * Point::SIZE + 2 * 97 * 16) + SITES * 64 * 4;
        assert!(store.heap_bytes() <= bound, "{} bytes > bound {bound}", store.heap_bytes());
    }
}
