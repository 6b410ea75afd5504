//! The atomic storage behind one cache instance's statistics.
//!
//! Counts that grow by one per operation (hits, misses, inserts, removals) are
//! [`perf::Counter`]s, sharded by thread so concurrent lookups never share a cache line; their
//! reads saturate. Amounts that grow by a variable step (load nanoseconds, eviction weight) are
//! added with a saturating compare-and-swap, because one large step could otherwise wrap; they
//! change only on loads and evictions, off the lookup path. Latencies go to lock-free
//! [`perf::Histogram`]s, in nanoseconds.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use perf::{Buckets, Counter, Distribution, Histogram, Timer};
use serde::{Deserialize, Serialize};

use crate::stats::{CacheStats, Evictions, RemovalCause};

/// Latency distributions of the cache operations, in nanoseconds; `None` for an operation
/// that never ran.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheLatency {
    /// Lookups: `get`, and the whole of `get_or_load` including the load on a miss.
    pub get: Option<Distribution>,
    /// Inserts into the store.
    pub insert: Option<Distribution>,
    /// Explicit removals.
    pub remove: Option<Distribution>,
    /// Loads alone, successful or not.
    pub load: Option<Distribution>,
}

/// The operations whose latency is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    /// `get`, `get_or_load`.
    Get,
    /// `insert`.
    Insert,
    /// `remove`.
    Remove,
    /// The loader of `get_or_load`.
    Load,
}

/// Latency bucket copies of the four operations, for merging and for the Apdex split.
#[derive(Debug, Clone, Default)]
pub(crate) struct LatencyBuckets {
    pub(crate) get: Buckets,
    pub(crate) insert: Buckets,
    pub(crate) remove: Buckets,
    pub(crate) load: Buckets,
}

/// The live counters of one cache instance.
#[derive(Debug, Default)]
pub(crate) struct CacheMetrics {
    hits: Counter,
    misses: Counter,
    load_successes: Counter,
    load_failures: Counter,
    load_time_ns: SaturatingTotal,
    inserts: Counter,
    size: Counter,
    expired: Counter,
    explicit: Counter,
    replaced: Counter,
    eviction_weight: SaturatingTotal,
    entries: AtomicI64,
    weighted_size: AtomicI64,
    memory_bytes: AtomicI64,
    get: Histogram,
    insert: Histogram,
    remove: Histogram,
    load: Histogram,
}

/// A total that stops at `u64::MAX` instead of wrapping.
#[derive(Debug, Default)]
struct SaturatingTotal(AtomicU64);

impl CacheMetrics {
    pub(crate) fn record_hit(&self) {
        self.hits.increment();
    }

    pub(crate) fn record_miss(&self) {
        self.misses.increment();
    }

    pub(crate) fn record_insert(&self) {
        self.inserts.increment();
    }

    /// Counts a load that took `nanos`. Its latency is recorded by the timer of
    /// [`Operation::Load`].
    pub(crate) fn record_load(&self, succeeded: bool, nanos: u64) {
        if succeeded {
            self.load_successes.increment();
        } else {
            self.load_failures.increment();
        }
        self.load_time_ns.add(nanos);
    }

    /// Starts a timer that records into the latency histogram of `operation` when stopped or
    /// dropped.
    pub(crate) fn timer(&self, operation: Operation) -> Timer<'_> {
        self.histogram(operation).start_timer()
    }

    /// Counts an entry that entered the store.
    pub(crate) fn record_admitted(&self, weight: u64, bytes: u64) {
        self.entries.fetch_add(1, Ordering::Relaxed);
        self.weighted_size.fetch_add(clamp_i64(weight), Ordering::Relaxed);
        self.memory_bytes.fetch_add(clamp_i64(bytes), Ordering::Relaxed);
    }

    /// Counts an entry that left the store.
    pub(crate) fn record_removed(&self, cause: RemovalCause, weight: u64, bytes: u64) {
        self.entries.fetch_sub(1, Ordering::Relaxed);
        self.weighted_size.fetch_sub(clamp_i64(weight), Ordering::Relaxed);
        self.memory_bytes.fetch_sub(clamp_i64(bytes), Ordering::Relaxed);

        let counter = match cause {
            RemovalCause::Size => &self.size,
            RemovalCause::Expired => &self.expired,
            RemovalCause::Explicit => &self.explicit,
            RemovalCause::Replaced => &self.replaced,
        };
        counter.increment();
        if cause.was_evicted() {
            self.eviction_weight.add(weight);
        }
    }

    /// Reads the counters. Gauges that a race drove below zero read as zero.
    pub(crate) fn stats(&self, capacity: Option<u64>) -> CacheStats {
        // Misses are read before hits and removals before admissions' gauges, so a reader
        // racing with writers sees at worst a slightly older state, never an impossible one.
        let misses = self.misses.value();
        CacheStats {
            hits: self.hits.value(),
            misses,
            load_successes: self.load_successes.value(),
            load_failures: self.load_failures.value(),
            total_load_time_ns: self.load_time_ns.value(),
            inserts: self.inserts.value(),
            evictions: Evictions {
                size: self.size.value(),
                expired: self.expired.value(),
                explicit: self.explicit.value(),
                replaced: self.replaced.value(),
            },
            eviction_weight: self.eviction_weight.value(),
            entries: non_negative(self.entries.load(Ordering::Relaxed)),
            weighted_size: non_negative(self.weighted_size.load(Ordering::Relaxed)),
            capacity,
            memory_bytes: non_negative(self.memory_bytes.load(Ordering::Relaxed)),
        }
    }

    pub(crate) fn latency_buckets(&self) -> LatencyBuckets {
        LatencyBuckets {
            get: self.get.buckets(),
            insert: self.insert.buckets(),
            remove: self.remove.buckets(),
            load: self.load.buckets(),
        }
    }

    fn histogram(&self, operation: Operation) -> &Histogram {
        match operation {
            Operation::Get => &self.get,
            Operation::Insert => &self.insert,
            Operation::Remove => &self.remove,
            Operation::Load => &self.load,
        }
    }
}

impl LatencyBuckets {
    pub(crate) fn merge(&mut self, other: &LatencyBuckets) {
        self.get.merge(&other.get);
        self.insert.merge(&other.insert);
        self.remove.merge(&other.remove);
        self.load.merge(&other.load);
    }

    pub(crate) fn distributions(&self) -> CacheLatency {
        CacheLatency {
            get: self.get.distribution(),
            insert: self.insert.distribution(),
            remove: self.remove.distribution(),
            load: self.load.distribution(),
        }
    }
}

impl SaturatingTotal {
    fn add(&self, amount: u64) {
        let _ = self.0.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |total| Some(total.saturating_add(amount)));
    }

    fn value(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

fn clamp_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn non_negative(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_time_saturates() {
        let metrics = CacheMetrics::default();
        metrics.record_load(true, u64::MAX - 10);
        metrics.record_load(false, 100);
        let stats = metrics.stats(None);
        assert_eq!(stats.total_load_time_ns, u64::MAX);
        assert_eq!(stats.load_successes, 1);
        assert_eq!(stats.load_failures, 1);
    }

    #[test]
    fn eviction_weight_counts_evictions_only() {
        let metrics = CacheMetrics::default();
        for weight in [10, 20, 30, 40] {
            metrics.record_admitted(weight, weight);
        }
        metrics.record_removed(RemovalCause::Size, 10, 10);
        metrics.record_removed(RemovalCause::Expired, 20, 20);
        metrics.record_removed(RemovalCause::Explicit, 30, 30);
        let stats = metrics.stats(Some(100));
        // Size 10 + expired 20; the explicit removal of 30 is no eviction.
        assert_eq!(stats.eviction_weight, 30);
        assert_eq!(stats.entries, 1);
        assert_eq!(stats.weighted_size, 40);
    }

    #[test]
    fn gauges_never_read_negative() {
        let metrics = CacheMetrics::default();
        metrics.record_removed(RemovalCause::Explicit, 5, 5);
        let stats = metrics.stats(None);
        assert_eq!(stats.entries, 0);
        assert_eq!(stats.weighted_size, 0);
        assert_eq!(stats.memory_bytes, 0);
    }
}
