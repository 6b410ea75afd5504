//! Memory of one `#[monitored]` site: the static storage, and the heap that its latency
//! histogram allocates as threads and octaves are touched.
//!
//! The bounds are worked out from the documented layout rather than read from the code: a
//! histogram shard is a table of 39 block pointers, and each block holds the 128 `u64`
//! buckets of one octave. A thread writes to one shard, so two threads allocate at most two
//! shard tables and 39 blocks in each.

use std::time::{Duration, Instant};

const BLOCKS_PER_SHARD: usize = 39;
const BUCKETS_PER_BLOCK: usize = 128;
const BLOCK_BYTES: usize = BUCKETS_PER_BLOCK * 8;
const SHARD_TABLE_BYTES: usize = BLOCKS_PER_SHARD * 8;
const SHARD_BYTES_MAX: usize = SHARD_TABLE_BYTES + BLOCKS_PER_SHARD * BLOCK_BYTES;

const THREADS: usize = 2;
const ROUNDS: usize = 100;
const FAST_CALLS_PER_ROUND: usize = 1_000;

/// Waits spread from sub-microsecond to milliseconds, as a service's calls are.
const SLOW_WAITS: [Duration; 5] = [
    Duration::from_nanos(500),
    Duration::from_micros(5),
    Duration::from_micros(50),
    Duration::from_micros(500),
    Duration::from_millis(2),
];

const SITE: &str = "memory::wait";

#[perf::monitored(latency, errors, name = "memory::wait")]
fn wait(duration: Duration) -> Result<(), String> {
    if duration >= Duration::from_millis(1) {
        std::thread::sleep(duration);
        return Ok(());
    }

    let start = Instant::now();
    while start.elapsed() < duration {
        std::hint::spin_loop();
    }
    Ok(())
}

/// Returns the histogram block that counts `nanos`: values below 128 share block 0, 128..256
/// is block 1, and each octave `[2^e, 2^(e+1))` from 256 up is block `e - 6`.
fn block_of(nanos: u64) -> usize {
    if nanos < 128 {
        return 0;
    }
    let exponent = 63 - nanos.leading_zeros() as usize;
    exponent - 6
}

fn call_from_two_threads() {
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for _ in 0..ROUNDS {
                    for _ in 0..FAST_CALLS_PER_ROUND {
                        wait(Duration::ZERO).expect("a wait never fails");
                    }
                    for duration in SLOW_WAITS {
                        wait(duration).expect("a wait never fails");
                    }
                }
            });
        }
    });
}

#[test]
fn site_heap_within_layout_bounds() {
    call_from_two_threads();

    let site = perf::find_site(SITE).expect("the site of `wait` is registered");
    let snapshot = perf::site(SITE).expect("the site of `wait` has a snapshot");
    let latency = snapshot.latency.expect("the site recorded latencies");
    let allocated = site.allocated_bytes();

    let calls = (THREADS * ROUNDS * (FAST_CALLS_PER_ROUND + SLOW_WAITS.len())) as u64;
    assert_eq!(snapshot.calls, calls, "calls recorded by the site");

    let layout_bound = THREADS * SHARD_BYTES_MAX;
    assert!(allocated <= layout_bound, "{allocated} heap bytes exceed {layout_bound}, the most two shards can hold");

    // Every block a thread touched lies between the blocks of the smallest and the largest
    // latency, so the octaves actually used bound the heap more tightly.
    let blocks_spanned = block_of(latency.max) - block_of(latency.min) + 1;
    let used_bound = THREADS * (SHARD_TABLE_BYTES + blocks_spanned * BLOCK_BYTES);
    assert!(
        allocated <= used_bound,
        "{allocated} heap bytes exceed {used_bound} for {blocks_spanned} octaves from {} ns to {} ns",
        latency.min,
        latency.max
    );

    // Each thread allocated its own shard table and at least one block of it.
    let least = THREADS * (SHARD_TABLE_BYTES + BLOCK_BYTES);
    assert!(allocated >= least, "{allocated} heap bytes, expected at least {least} for two touched shards");
}

#[test]
fn site_static_size_within_layout() {
    // The parts: 8 thread shards of counters padded to 128 bytes each (1 KiB), the histogram's
    // 8 shard pointers (64 bytes), 8 error-kind slots of 32 bytes and an overflow counter
    // (264 bytes), and the site's identity with its enabled flag (about 110 bytes). The sum is
    // rounded up to the 128-byte alignment of the padded counters.
    let layout_max = 1_536;
    let size = std::mem::size_of::<perf::Site>();
    assert!(size <= layout_max, "a Site takes {size} bytes, over {layout_max}; update docs/BENCHMARKS.md");
}
