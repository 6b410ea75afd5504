//! A lock-free histogram of `u64` values (nanoseconds for latencies).
//!
//! Recording is a thread-local shard look-up, two pointer loads and one relaxed `fetch_add`. The
//! 1 KiB block of an octave is allocated the first time a value lands in it on a shard. So a
//! histogram costs memory only for the octaves and threads that use it: at most 39 KiB plus
//! 312 bytes per shard, and a few KiB for a latency that spans a few octaves. Readers fold the shards into a [`Buckets`] copy
//! off the hot path, which yields quantiles directly and folds into an `hdrhistogram::Histogram`
//! for merging and serialization.

use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};

use super::buckets::{self, BLOCKS, BLOCK_LEN};
use super::Buckets;
use crate::clock;
use crate::shard::{self, SHARDS};

type Block = [AtomicU64; BLOCK_LEN];

/// A histogram that records `u64` values from any number of threads without locking.
///
/// ```
/// let histogram = perf::Histogram::new();
/// histogram.record(1_500);
/// histogram.record(2_500);
/// let buckets = histogram.buckets();
/// assert_eq!(buckets.count(), 2);
/// ```
#[derive(Debug)]
pub struct Histogram {
    shards: [AtomicPtr<HistogramShard>; SHARDS],
}

#[derive(Debug)]
struct HistogramShard {
    blocks: [AtomicPtr<Block>; BLOCKS],
}

/// Records the time from its creation to its drop into a histogram, in nanoseconds.
#[derive(Debug)]
#[must_use = "a timer records when it is dropped; bind it with `let _timer = ...`"]
pub struct Timer<'a> {
    histogram: &'a Histogram,
    start: u64,
}

impl Histogram {
    /// Creates an empty histogram. It allocates nothing until the first value is recorded.
    pub const fn new() -> Self {
        Histogram { shards: [const { AtomicPtr::new(ptr::null_mut()) }; SHARDS] }
    }

    /// Records one value. Values from 2^45 up are counted in the top bucket.
    #[inline]
    pub fn record(&self, value: u64) {
        self.record_n(value, 1);
    }

    /// Records `count` occurrences of `value`.
    #[inline]
    pub fn record_n(&self, value: u64, count: u64) {
        self.record_in_shard(shard::current(), value, count);
    }

    /// Records `count` occurrences of `value` into `shard`, the calling thread's shard, which
    /// the caller has already looked up with `shard::current()`.
    #[inline(always)]
    pub(crate) fn record_in_shard(&self, shard: usize, value: u64, count: u64) {
        let (block, slot) = buckets::locate(value);
        self.shard(shard).block(block)[slot].fetch_add(count, Ordering::Relaxed);
    }

    /// Starts a timer that records the elapsed nanoseconds into this histogram when dropped.
    #[inline]
    pub fn start_timer(&self) -> Timer<'_> {
        Timer { histogram: self, start: clock::raw() }
    }

    /// Adds the shards together into a sparse copy of the bucket counts.
    pub fn buckets(&self) -> Buckets {
        let mut sum = [0u64; BLOCK_LEN];
        let mut counts = Vec::new();
        for block in 0..BLOCKS {
            let mut used = false;
            for shard in self.loaded_shards() {
                let pointer = shard.blocks[block].load(Ordering::Acquire);
                if pointer.is_null() {
                    continue;
                }

                // SAFETY: a non-null block pointer comes from `Box::into_raw` in `block` and
                // stays valid until `drop`, which takes `&mut self`.
                let cells = unsafe { &*pointer };
                for (total, cell) in sum.iter_mut().zip(cells.iter()) {
                    *total += cell.load(Ordering::Relaxed);
                }
                used = true;
            }
            if !used {
                continue;
            }

            for (slot, total) in sum.iter_mut().enumerate() {
                if *total > 0 {
                    counts.push((buckets::flat_index(block, slot), *total));
                    *total = 0;
                }
            }
        }
        Buckets::from_sorted(counts)
    }

    /// Returns the heap bytes this histogram has allocated so far.
    pub fn allocated_bytes(&self) -> usize {
        let mut bytes = 0;
        for shard in self.loaded_shards() {
            bytes += std::mem::size_of::<HistogramShard>();
            let blocks = shard.blocks.iter().filter(|block| !block.load(Ordering::Acquire).is_null());
            bytes += blocks.count() * std::mem::size_of::<Block>();
        }
        bytes
    }

    fn loaded_shards(&self) -> impl Iterator<Item = &HistogramShard> {
        self.shards.iter().filter_map(|slot| {
            let pointer = slot.load(Ordering::Acquire);
            // SAFETY: a non-null shard pointer comes from `Box::into_raw` in `shard` and stays
            // valid until `drop`, which takes `&mut self`.
            (!pointer.is_null()).then(|| unsafe { &*pointer })
        })
    }

    #[inline(always)]
    fn shard(&self, index: usize) -> &HistogramShard {
        let pointer = self.shards[index].load(Ordering::Acquire);
        if pointer.is_null() {
            return install(&self.shards[index], || HistogramShard {
                blocks: [const { AtomicPtr::new(ptr::null_mut()) }; BLOCKS],
            });
        }
        // SAFETY: see `loaded_shards`.
        unsafe { &*pointer }
    }
}

impl HistogramShard {
    #[inline(always)]
    fn block(&self, index: usize) -> &Block {
        let pointer = self.blocks[index].load(Ordering::Acquire);
        if pointer.is_null() {
            return install(&self.blocks[index], || [const { AtomicU64::new(0) }; BLOCK_LEN]);
        }
        // SAFETY: a non-null block pointer comes from `Box::into_raw` in `install` and stays
        // valid until the owning histogram is dropped.
        unsafe { &*pointer }
    }
}

/// Allocates the value of an empty slot, or returns the one another thread installed first.
#[cold]
#[inline(never)]
fn install<T>(slot: &AtomicPtr<T>, make: impl FnOnce() -> T) -> &T {
    let fresh = Box::into_raw(Box::new(make()));
    match slot.compare_exchange(ptr::null_mut(), fresh, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: `fresh` was just published and lives as long as the slot's owner.
        Ok(_) => unsafe { &*fresh },
        Err(existing) => {
            // SAFETY: `fresh` was never published, so this thread owns it alone.
            drop(unsafe { Box::from_raw(fresh) });
            // SAFETY: `existing` was published by the thread that won the race.
            unsafe { &*existing }
        }
    }
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Histogram {
    fn drop(&mut self) {
        for slot in &mut self.shards {
            let shard = *slot.get_mut();
            if shard.is_null() {
                continue;
            }

            // SAFETY: `&mut self` proves no other reference exists, and the pointer came from
            // `Box::into_raw`.
            let mut shard = unsafe { Box::from_raw(shard) };
            for block in &mut shard.blocks {
                let block = *block.get_mut();
                if !block.is_null() {
                    // SAFETY: as above, for the block pointers of this shard.
                    drop(unsafe { Box::from_raw(block) });
                }
            }
        }
    }
}

impl Timer<'_> {
    /// Stops the timer now and returns the nanoseconds it recorded.
    pub fn stop(self) -> u64 {
        let nanos = clock::nanos_between(self.start, clock::raw());
        self.histogram.record(nanos);
        std::mem::forget(self);
        nanos
    }
}

impl Drop for Timer<'_> {
    fn drop(&mut self) {
        self.histogram.record(clock::nanos_between(self.start, clock::raw()));
    }
}
