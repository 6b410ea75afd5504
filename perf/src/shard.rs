//! Thread shards: each thread writes its own copy of a metric, so two threads calling one site
//! never fight over a cache line.
//!
//! A thread takes the next shard index, round robin, on its first monitored call. Readers add
//! the shards together off the hot path. With more threads than shards, threads share shards,
//! which stays correct (the writes are atomic) and only costs some contention.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Number of shards per metric. A power of two, so the index is a mask.
pub(crate) const SHARDS: usize = 8;

const UNASSIGNED: usize = usize::MAX;

static NEXT_SHARD: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static THREAD_SHARD: Cell<usize> = const { Cell::new(UNASSIGNED) };
}

/// Returns the shard of the calling thread.
#[inline(always)]
pub(crate) fn current() -> usize {
    let shard = THREAD_SHARD.with(Cell::get);
    if shard != UNASSIGNED {
        return shard;
    }
    assign()
}

#[cold]
#[inline(never)]
fn assign() -> usize {
    let shard = NEXT_SHARD.fetch_add(1, Ordering::Relaxed) & (SHARDS - 1);
    THREAD_SHARD.with(|cell| cell.set(shard));
    shard
}
