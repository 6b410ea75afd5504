//! The guard that a monitored call holds from entry to exit.
//!
//! `#[monitored]` wraps the body between [`Site::enter`] and [`CallGuard::finish`]. If the guard
//! is dropped without `finish`, the call did not return: the thread is unwinding from a panic
//! (counted as an error of kind `panic`), or the future of an `async fn` was dropped before it
//! completed (counted as cancelled).

use std::sync::atomic::Ordering;

use super::{Outcome, Site, PANIC_ERROR_KIND};
use crate::{clock, shard};

pub(crate) const CALLS: u8 = 1;
pub(crate) const ERRORS: u8 = 2;
pub(crate) const LATENCY: u8 = 4;
pub(crate) const IN_FLIGHT: u8 = 8;

/// An entered call of a site. `FEATURES` contains the site's feature bits, so every branch on
/// them is folded away at compile time. `SLOW_NANOS`, when not 0, is the latency above which
/// the call is reported as slow (`#[monitored(slow = "...")]`).
#[derive(Debug)]
#[must_use = "dropping the guard at once counts the call as cancelled"]
pub struct CallGuard<const FEATURES: u8, const SLOW_NANOS: u64 = 0> {
    site: &'static Site,
    start: u64,
    active: bool,
}

impl Site {
    /// Starts a call: reads the clock and counts the call in flight, as `FEATURES` requests.
    #[doc(hidden)]
    #[inline(always)]
    pub fn enter<const FEATURES: u8>(&'static self) -> CallGuard<FEATURES> {
        self.enter_slow::<FEATURES, 0>()
    }

    /// Starts a call like [`Site::enter`], for a site that reports calls slower than
    /// `SLOW_NANOS` nanoseconds.
    #[doc(hidden)]
    #[inline(always)]
    pub fn enter_slow<const FEATURES: u8, const SLOW_NANOS: u64>(&'static self) -> CallGuard<FEATURES, SLOW_NANOS> {
        if !self.is_enabled() {
            return CallGuard { site: self, start: 0, active: false };
        }

        if FEATURES & IN_FLIGHT != 0 {
            self.counters[shard::current()].in_flight.fetch_add(1, Ordering::Relaxed);
        }
        let start = if FEATURES & LATENCY != 0 { clock::raw() } else { 0 };
        CallGuard { site: self, start, active: true }
    }

    #[inline(always)]
    fn complete<const FEATURES: u8, const SLOW_NANOS: u64>(&'static self, start: u64, error: Option<&'static str>) {
        let nanos = if FEATURES & LATENCY != 0 { clock::nanos_since(start) } else { 0 };
        // One thread-local read serves the histogram and the counters alike.
        let shard = shard::current();

        if FEATURES & LATENCY != 0 {
            self.latency.record_in_shard(shard, nanos, 1);
            // One comparison with a constant; a slow call goes into a lock-free queue that the
            // collector drains, so the call never waits on an event.
            if SLOW_NANOS != 0 && nanos > SLOW_NANOS {
                crate::event::slow::record(self, nanos, SLOW_NANOS);
            }
        } else if FEATURES & (CALLS | ERRORS) != 0 {
            self.counters[shard].calls.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(kind) = error {
            self.record_error(shard, kind);
        }
        if FEATURES & IN_FLIGHT != 0 {
            self.counters[shard].in_flight.fetch_sub(1, Ordering::Relaxed);
        }
    }

    #[cold]
    fn record_error(&self, shard: usize, kind: &'static str) {
        self.kinds.count(kind);
        self.counters[shard].errors.fetch_add(1, Ordering::Release);
    }

    #[cold]
    fn abandon<const FEATURES: u8, const SLOW_NANOS: u64>(&'static self, start: u64) {
        if std::thread::panicking() {
            let error = (FEATURES & ERRORS != 0).then_some(PANIC_ERROR_KIND);
            self.complete::<FEATURES, SLOW_NANOS>(start, error);
            return;
        }

        let counters = &self.counters[shard::current()];
        counters.cancelled.fetch_add(1, Ordering::Relaxed);
        if FEATURES & IN_FLIGHT != 0 {
            counters.in_flight.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl<const FEATURES: u8, const SLOW_NANOS: u64> CallGuard<FEATURES, SLOW_NANOS> {
    /// Ends a call that returned; `outcome` classifies the return value when errors are counted.
    #[doc(hidden)]
    #[inline(always)]
    pub fn finish(mut self, outcome: impl FnOnce() -> Outcome) {
        if !self.active {
            return;
        }

        self.active = false;
        let error = if FEATURES & ERRORS != 0 {
            match outcome() {
                Outcome::Success => None,
                Outcome::Error(kind) => Some(kind),
            }
        } else {
            None
        };
        self.site.complete::<FEATURES, SLOW_NANOS>(self.start, error);
    }
}

impl<const FEATURES: u8, const SLOW_NANOS: u64> Drop for CallGuard<FEATURES, SLOW_NANOS> {
    #[inline(always)]
    fn drop(&mut self) {
        if self.active {
            self.site.abandon::<FEATURES, SLOW_NANOS>(self.start);
        }
    }
}
