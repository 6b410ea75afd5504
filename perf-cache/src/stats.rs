//! [`CacheStats`]: the counters that Caffeine's `CacheStats` and Micrometer's cache metrics made
//! standard, as a plain snapshot.
//!
//! The method names follow Caffeine's (`hit_count`, `miss_rate`, `average_load_penalty`,
//! `minus`, ...) with the same meanings, so a cache that kept its own statistics keeps its
//! callers when it moves onto this layer. Counters saturate at `u64::MAX` instead of wrapping,
//! and [`CacheStats::minus`] never goes below zero, so a window computed from two snapshots is
//! never negative.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Why an entry left the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalCause {
    /// Evicted because the cache was over its capacity (entries or weight).
    Size,
    /// Evicted because its time to live had passed.
    Expired,
    /// Removed by the user: `remove`, `invalidate` or `clear`.
    Explicit,
    /// Its value was replaced by an insert with the same key.
    Replaced,
}

/// Removals counted by cause.
///
/// Caffeine counts only [`size`](Evictions::size) and [`expired`](Evictions::expired) as
/// evictions: the cache chose to drop those entries. [`CacheStats::eviction_count`] follows it,
/// and [`Evictions::total`] adds the removals the user caused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evictions {
    /// Entries evicted because the cache was over its capacity.
    pub size: u64,
    /// Entries evicted because their time to live had passed.
    pub expired: u64,
    /// Entries removed explicitly.
    pub explicit: u64,
    /// Values replaced by an insert with the same key.
    pub replaced: u64,
}

/// A snapshot of one cache's statistics.
///
/// Requests are lookups that count a hit or a miss: `get` and `get_or_load`. `peek`,
/// `contains` and `remove` count neither. A load that fails still counts the miss that caused
/// it.
///
/// ```
/// use perf_cache::CacheStats;
///
/// let stats = CacheStats { hits: 3, misses: 1, ..CacheStats::ZERO };
/// assert_eq!(stats.request_count(), 4);
/// assert_eq!(stats.hit_rate(), 0.75);
///
/// // A cache that had no requests has a hit rate of 1 and a miss rate of 0, as in Caffeine.
/// assert_eq!(CacheStats::ZERO.hit_rate(), 1.0);
/// assert_eq!(CacheStats::ZERO.miss_rate(), 0.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheStats {
    /// Lookups that found a value ([`hit_count`](CacheStats::hit_count)).
    pub hits: u64,
    /// Lookups that found no value ([`miss_count`](CacheStats::miss_count)).
    pub misses: u64,
    /// Loads that returned a value.
    pub load_successes: u64,
    /// Loads that returned an error.
    pub load_failures: u64,
    /// Time spent in loads, successful or not, in nanoseconds.
    pub total_load_time_ns: u64,
    /// Values written: inserts and successful loads.
    pub inserts: u64,
    /// Removals by cause.
    pub evictions: Evictions,
    /// Total weight of the entries evicted for size or expiry.
    pub eviction_weight: u64,
    /// Entries held now.
    pub entries: u64,
    /// Total weight of the entries held now: bytes with a byte weigher, entries without one.
    pub weighted_size: u64,
    /// Maximum weighted size, `None` when no capacity was set.
    pub capacity: Option<u64>,
    /// Estimated memory held by the entries, in bytes: the inline size of each key and value,
    /// plus the entry's weight when a weigher is set (a weigher is taken to count heap bytes).
    pub memory_bytes: u64,
}

impl Evictions {
    /// All zero.
    pub const ZERO: Evictions = Evictions { size: 0, expired: 0, explicit: 0, replaced: 0 };

    /// Returns the count for one cause.
    pub fn get(&self, cause: RemovalCause) -> u64 {
        match cause {
            RemovalCause::Size => self.size,
            RemovalCause::Expired => self.expired,
            RemovalCause::Explicit => self.explicit,
            RemovalCause::Replaced => self.replaced,
        }
    }

    /// Returns all removals, whatever their cause (saturating).
    pub fn total(&self) -> u64 {
        self.size.saturating_add(self.expired).saturating_add(self.explicit).saturating_add(self.replaced)
    }

    fn minus(&self, earlier: &Evictions) -> Evictions {
        Evictions {
            size: self.size.saturating_sub(earlier.size),
            expired: self.expired.saturating_sub(earlier.expired),
            explicit: self.explicit.saturating_sub(earlier.explicit),
            replaced: self.replaced.saturating_sub(earlier.replaced),
        }
    }

    fn plus(&self, other: &Evictions) -> Evictions {
        Evictions {
            size: self.size.saturating_add(other.size),
            expired: self.expired.saturating_add(other.expired),
            explicit: self.explicit.saturating_add(other.explicit),
            replaced: self.replaced.saturating_add(other.replaced),
        }
    }
}

impl RemovalCause {
    /// Every cause, in the order the snapshot lists them.
    pub const ALL: [RemovalCause; 4] =
        [RemovalCause::Size, RemovalCause::Expired, RemovalCause::Explicit, RemovalCause::Replaced];

    /// Returns `true` for the causes the cache chose itself (size and expiry), which Caffeine
    /// counts as evictions.
    pub fn was_evicted(&self) -> bool {
        matches!(self, RemovalCause::Size | RemovalCause::Expired)
    }

    /// Returns the label value of this cause: `size`, `expired`, `explicit` or `replaced`.
    pub fn as_str(&self) -> &'static str {
        match self {
            RemovalCause::Size => "size",
            RemovalCause::Expired => "expired",
            RemovalCause::Explicit => "explicit",
            RemovalCause::Replaced => "replaced",
        }
    }
}

impl CacheStats {
    /// All counters zero and no capacity.
    pub const ZERO: CacheStats = CacheStats {
        hits: 0,
        misses: 0,
        load_successes: 0,
        load_failures: 0,
        total_load_time_ns: 0,
        inserts: 0,
        evictions: Evictions::ZERO,
        eviction_weight: 0,
        entries: 0,
        weighted_size: 0,
        capacity: None,
        memory_bytes: 0,
    };

    /// Returns the number of lookups that found a value.
    pub fn hit_count(&self) -> u64 {
        self.hits
    }

    /// Returns the number of lookups that found no value.
    pub fn miss_count(&self) -> u64 {
        self.misses
    }

    /// Returns hits plus misses (saturating).
    pub fn request_count(&self) -> u64 {
        self.hits.saturating_add(self.misses)
    }

    /// Returns `hits / requests`, or 1.0 when there were no requests (as Caffeine does: no
    /// request has missed).
    pub fn hit_rate(&self) -> f64 {
        match self.request_count() {
            0 => 1.0,
            requests => self.hits as f64 / requests as f64,
        }
    }

    /// Returns `misses / requests`, or 0.0 when there were no requests.
    pub fn miss_rate(&self) -> f64 {
        match self.request_count() {
            0 => 0.0,
            requests => self.misses as f64 / requests as f64,
        }
    }

    /// Returns the number of loads, successful or not (saturating).
    pub fn load_count(&self) -> u64 {
        self.load_successes.saturating_add(self.load_failures)
    }

    /// Returns the number of loads that returned a value.
    pub fn load_success_count(&self) -> u64 {
        self.load_successes
    }

    /// Returns the number of loads that returned an error.
    pub fn load_failure_count(&self) -> u64 {
        self.load_failures
    }

    /// Returns `load_failures / loads`, or 0.0 when there were no loads.
    pub fn load_failure_rate(&self) -> f64 {
        match self.load_count() {
            0 => 0.0,
            loads => self.load_failures as f64 / loads as f64,
        }
    }

    /// Returns the time spent in loads.
    pub fn total_load_time(&self) -> Duration {
        Duration::from_nanos(self.total_load_time_ns)
    }

    /// Returns the mean time of a load, successful or not, or zero without loads.
    pub fn average_load_penalty(&self) -> Duration {
        match self.load_count() {
            0 => Duration::ZERO,
            loads => Duration::from_nanos(self.total_load_time_ns / loads),
        }
    }

    /// Returns the entries evicted for size or expiry (not explicit removals or replacements,
    /// as in Caffeine).
    pub fn eviction_count(&self) -> u64 {
        self.evictions.size.saturating_add(self.evictions.expired)
    }

    /// Returns the total weight of the entries evicted for size or expiry.
    pub fn eviction_weight(&self) -> u64 {
        self.eviction_weight
    }

    /// Returns evictions per insert, or 0.0 without inserts. Above 1 when one insert evicted
    /// several lighter entries.
    pub fn eviction_churn(&self) -> f64 {
        match self.inserts {
            0 => 0.0,
            inserts => self.eviction_count() as f64 / inserts as f64,
        }
    }

    /// Returns `weighted_size / capacity`, or `None` without a capacity (or a capacity of 0).
    pub fn memory_pressure(&self) -> Option<f64> {
        match self.capacity {
            Some(capacity) if capacity > 0 => Some(self.weighted_size as f64 / capacity as f64),
            _ => None,
        }
    }

    /// Returns the activity between `earlier` and this snapshot: each counter is the
    /// difference, never below zero. The gauges (entries, weighted size, capacity, memory)
    /// are this snapshot's values.
    pub fn minus(&self, earlier: &CacheStats) -> CacheStats {
        CacheStats {
            hits: self.hits.saturating_sub(earlier.hits),
            misses: self.misses.saturating_sub(earlier.misses),
            load_successes: self.load_successes.saturating_sub(earlier.load_successes),
            load_failures: self.load_failures.saturating_sub(earlier.load_failures),
            total_load_time_ns: self.total_load_time_ns.saturating_sub(earlier.total_load_time_ns),
            inserts: self.inserts.saturating_sub(earlier.inserts),
            evictions: self.evictions.minus(&earlier.evictions),
            eviction_weight: self.eviction_weight.saturating_sub(earlier.eviction_weight),
            ..*self
        }
    }

    /// Returns the sum of two snapshots, saturating: counters and gauges add up, and the
    /// capacities add up when both are set (the one that is set otherwise).
    pub fn plus(&self, other: &CacheStats) -> CacheStats {
        let capacity = match (self.capacity, other.capacity) {
            (Some(left), Some(right)) => Some(left.saturating_add(right)),
            (left, right) => left.or(right),
        };
        CacheStats {
            hits: self.hits.saturating_add(other.hits),
            misses: self.misses.saturating_add(other.misses),
            load_successes: self.load_successes.saturating_add(other.load_successes),
            load_failures: self.load_failures.saturating_add(other.load_failures),
            total_load_time_ns: self.total_load_time_ns.saturating_add(other.total_load_time_ns),
            inserts: self.inserts.saturating_add(other.inserts),
            evictions: self.evictions.plus(&other.evictions),
            eviction_weight: self.eviction_weight.saturating_add(other.eviction_weight),
            entries: self.entries.saturating_add(other.entries),
            weighted_size: self.weighted_size.saturating_add(other.weighted_size),
            capacity,
            memory_bytes: self.memory_bytes.saturating_add(other.memory_bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CacheStats {
        CacheStats {
            hits: 30,
            misses: 10,
            load_successes: 8,
            load_failures: 2,
            total_load_time_ns: 5_000,
            inserts: 12,
            evictions: Evictions { size: 4, expired: 1, explicit: 2, replaced: 3 },
            eviction_weight: 500,
            entries: 7,
            weighted_size: 700,
            capacity: Some(1_000),
            memory_bytes: 900,
        }
    }

    #[test]
    fn rates_of_sample() {
        let stats = sample();
        assert_eq!(stats.request_count(), 40);
        assert_eq!(stats.hit_rate(), 0.75);
        assert_eq!(stats.miss_rate(), 0.25);
        assert_eq!(stats.load_count(), 10);
        assert_eq!(stats.load_failure_rate(), 0.2);
        // 5000 ns over 10 loads.
        assert_eq!(stats.average_load_penalty(), Duration::from_nanos(500));
        // Size 4 + expired 1; explicit and replaced are not evictions.
        assert_eq!(stats.eviction_count(), 5);
        assert_eq!(stats.evictions.total(), 10);
        // 5 evictions over 12 inserts.
        assert_eq!(stats.eviction_churn(), 5.0 / 12.0);
        assert_eq!(stats.memory_pressure(), Some(0.7));
    }

    #[test]
    fn empty_stats_rates() {
        let stats = CacheStats::ZERO;
        assert_eq!(stats.hit_rate(), 1.0);
        assert_eq!(stats.miss_rate(), 0.0);
        assert_eq!(stats.load_failure_rate(), 0.0);
        assert_eq!(stats.average_load_penalty(), Duration::ZERO);
        assert_eq!(stats.eviction_churn(), 0.0);
        assert_eq!(stats.memory_pressure(), None);
    }

    #[test]
    fn minus_never_negative() {
        let later = CacheStats { hits: 5, evictions: Evictions { size: 1, ..Evictions::ZERO }, ..CacheStats::ZERO };
        let window = later.minus(&sample());
        assert_eq!(window.hits, 0);
        assert_eq!(window.misses, 0);
        assert_eq!(window.evictions, Evictions::ZERO);
        assert_eq!(window.total_load_time_ns, 0);
    }

    #[test]
    fn minus_keeps_later_gauges() {
        let earlier = sample();
        let later = CacheStats { hits: 45, entries: 9, weighted_size: 800, ..sample() };
        let window = later.minus(&earlier);
        assert_eq!(window.hits, 15);
        assert_eq!(window.misses, 0);
        assert_eq!(window.entries, 9);
        assert_eq!(window.weighted_size, 800);
        assert_eq!(window.capacity, Some(1_000));
    }

    #[test]
    fn plus_saturates() {
        let full = CacheStats { hits: u64::MAX - 1, eviction_weight: u64::MAX, ..CacheStats::ZERO };
        let sum = full.plus(&sample());
        assert_eq!(sum.hits, u64::MAX);
        assert_eq!(sum.eviction_weight, u64::MAX);
        assert_eq!(sum.request_count(), u64::MAX);
    }

    #[test]
    fn plus_adds_capacities() {
        let unbounded = CacheStats::ZERO;
        assert_eq!(unbounded.plus(&sample()).capacity, Some(1_000));
        assert_eq!(sample().plus(&sample()).capacity, Some(2_000));
        assert_eq!(unbounded.plus(&unbounded).capacity, None);
    }
}
