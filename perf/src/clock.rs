//! The clock of the hot path.
//!
//! Monitored calls read the CPU's time-stamp counter through `quanta` (about 9.5 ns a read on
//! the AMD EPYC machine of docs/BENCHMARKS.md, an x86_64 with an invariant TSC), and fall back
//! to the monotonic clock where the counter is not usable. The clock is calibrated once, on
//! first use; `perf::start` does that up front so the first monitored call does not pay for it.

use once_cell::sync::Lazy;

static CLOCK: Lazy<quanta::Clock> = Lazy::new(quanta::Clock::new);

/// Reads the raw clock: ticks of the fastest source, only meaningful as a difference.
#[inline(always)]
pub(crate) fn raw() -> u64 {
    CLOCK.raw()
}

/// Converts the span between two raw readings into nanoseconds (0 if `end` precedes `start`).
#[inline(always)]
pub(crate) fn nanos_between(start: u64, end: u64) -> u64 {
    CLOCK.delta_as_nanos(start, end)
}

/// Reads the clock and returns the nanoseconds since `start`, a reading of [`raw`]. Going
/// through the lazy clock once for both steps saves a check on the monitored call's exit.
#[inline(always)]
pub(crate) fn nanos_since(start: u64) -> u64 {
    let clock = &*CLOCK;
    clock.delta_as_nanos(start, clock.raw())
}

/// Calibrates the clock now rather than on the first monitored call.
pub(crate) fn warm_up() {
    Lazy::force(&CLOCK);
}

/// Returns a reading and the nanoseconds since `start`, both from the hot-path clock.
#[doc(hidden)]
#[inline(always)]
pub fn elapsed_nanos(start: u64) -> u64 {
    nanos_between(start, raw())
}

/// Returns a raw reading of the hot-path clock, for [`elapsed_nanos`].
#[doc(hidden)]
#[inline(always)]
pub fn now_raw() -> u64 {
    raw()
}
