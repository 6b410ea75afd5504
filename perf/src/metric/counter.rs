use std::sync::atomic::{AtomicU64, Ordering};

use super::padded::Padded;
use crate::shard::{self, SHARDS};

/// A monotonically increasing count, sharded by thread so concurrent increments never contend.
///
/// ```
/// let counter = perf::Counter::new();
/// counter.increment();
/// counter.add(2);
/// assert_eq!(counter.value(), 3);
/// ```
#[derive(Debug)]
pub struct Counter {
    shards: [Padded<AtomicU64>; SHARDS],
}

impl Counter {
    /// Creates a counter at zero.
    pub const fn new() -> Self {
        Counter { shards: [const { Padded(AtomicU64::new(0)) }; SHARDS] }
    }

    /// Adds one.
    #[inline]
    pub fn increment(&self) {
        self.add(1);
    }

    /// Adds `amount`.
    #[inline]
    pub fn add(&self, amount: u64) {
        self.shards[shard::current()].fetch_add(amount, Ordering::Relaxed);
    }

    /// Returns the current total, saturating at `u64::MAX`.
    pub fn value(&self) -> u64 {
        self.shards.iter().fold(0u64, |sum, cell| sum.saturating_add(cell.load(Ordering::Relaxed)))
    }
}

impl Default for Counter {
    fn default() -> Self {
        Self::new()
    }
}
