//! Instrumented call sites: the static storage that `#[monitored]` creates for each function.
//!
//! Each site is a `static` inside the function it measures, registered with `inventory` before
//! `main` runs, so [`sites`](crate::sites) lists every site in the binary whether it was called
//! or not. A call touches only this static: a relaxed flag load, the clock, and relaxed atomic
//! adds on the calling thread's shard.

mod guard;
pub(crate) mod kinds;
mod outcome;

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

pub use guard::CallGuard;
pub use kinds::OVERFLOW_ERROR_KIND;
pub use outcome::{Classify, ErrorKind, Outcome, DEFAULT_ERROR_KIND, PANIC_ERROR_KIND};
#[doc(hidden)]
pub use outcome::{ClassifyAny, ClassifyByTrait, ClassifyKindedResult, ClassifyResult, Probe};

use crate::metric::padded::Padded;
use crate::metric::Histogram;
use crate::shard::SHARDS;
use kinds::ErrorKinds;

/// The measurements of a site, from the arguments of `#[monitored(...)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Features {
    /// Counts calls.
    pub calls: bool,
    /// Classifies outcomes and counts errors (and calls, the denominator of the error rate).
    pub errors: bool,
    /// Records a latency histogram (which also counts calls).
    pub latency: bool,
    /// Tracks the number of calls in progress.
    pub in_flight: bool,
}

/// The static identity of an instrumented site.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SiteInfo {
    /// Full name, `module::Type::method` unless set with `name = "..."`.
    pub name: &'static str,
    /// Group of the site, the module path unless set with `component = "..."`.
    pub component: &'static str,
    /// Module path of the function.
    pub module: &'static str,
    /// Name of the function itself.
    pub function: &'static str,
    /// Static labels from `labels(key = "value", ...)`.
    pub labels: &'static [(&'static str, &'static str)],
    /// Source file of the function.
    pub file: &'static str,
    /// Line of the function's name in `file`.
    pub line: u32,
    /// Measurements the site takes.
    pub features: Features,
}

/// The storage of one instrumented function. Created by `#[monitored]`; not built by hand.
#[derive(Debug)]
pub struct Site {
    info: SiteInfo,
    enabled: AtomicBool,
    counters: [Padded<ShardCounters>; SHARDS],
    latency: Histogram,
    kinds: ErrorKinds,
}

#[derive(Debug)]
struct ShardCounters {
    calls: AtomicU64,
    errors: AtomicU64,
    cancelled: AtomicU64,
    in_flight: AtomicI64,
}

/// Cumulative counts of a site, read off the hot path.
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteCounts {
    pub(crate) calls: u64,
    pub(crate) errors: u64,
    pub(crate) cancelled: u64,
    pub(crate) in_flight: i64,
    pub(crate) errors_by_kind: std::collections::BTreeMap<String, u64>,
    pub(crate) latency: crate::metric::Buckets,
}

#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct SiteRef(pub &'static Site);

inventory::collect!(SiteRef);

impl Features {
    /// `calls`, `errors` and `latency`: what a bare `#[monitored]` measures.
    pub const DEFAULT: Features = Features { calls: true, errors: true, latency: true, in_flight: false };

    #[doc(hidden)]
    pub const fn from_bits(bits: u8) -> Features {
        Features {
            calls: bits & guard::CALLS != 0,
            errors: bits & guard::ERRORS != 0,
            latency: bits & guard::LATENCY != 0,
            in_flight: bits & guard::IN_FLIGHT != 0,
        }
    }
}

impl Site {
    #[doc(hidden)]
    pub const fn new(info: SiteInfo) -> Self {
        Site {
            info,
            enabled: AtomicBool::new(true),
            counters: [const { Padded(ShardCounters::new()) }; SHARDS],
            latency: Histogram::new(),
            kinds: ErrorKinds::new(),
        }
    }

    /// Returns the static identity of this site.
    pub fn info(&self) -> &SiteInfo {
        &self.info
    }

    /// Returns `true` unless monitoring of this site was turned off.
    #[inline(always)]
    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// Turns monitoring of this site on or off. A disabled site costs one relaxed load.
    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    /// Returns the heap bytes this site has allocated for its latency histogram so far.
    pub fn allocated_bytes(&self) -> usize {
        self.latency.allocated_bytes()
    }

    pub(crate) fn counts(&self) -> SiteCounts {
        // Errors are read before calls, so a concurrent call never shows an error without
        // its call.
        let mut counts = SiteCounts { errors_by_kind: self.kinds.read(), ..SiteCounts::default() };
        for shard in &self.counters {
            counts.errors = counts.errors.saturating_add(shard.errors.load(Ordering::Acquire));
            counts.cancelled = counts.cancelled.saturating_add(shard.cancelled.load(Ordering::Relaxed));
            counts.in_flight = counts.in_flight.wrapping_add(shard.in_flight.load(Ordering::Relaxed));
        }

        counts.latency = self.latency.buckets();
        counts.calls = if self.info.features.latency {
            counts.latency.count()
        } else {
            self.counters.iter().fold(0u64, |sum, shard| sum.saturating_add(shard.calls.load(Ordering::Relaxed)))
        };
        counts
    }
}

impl ShardCounters {
    const fn new() -> Self {
        ShardCounters {
            calls: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            cancelled: AtomicU64::new(0),
            in_flight: AtomicI64::new(0),
        }
    }
}
