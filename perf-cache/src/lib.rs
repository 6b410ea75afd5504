//! # perf-cache
//!
//! The interface between caches and the perf monitoring system. A cache does not keep its own
//! statistics: it reports through this layer into perf, where every cache appears in
//! `perf::snapshot().collectors` (kind `cache`) next to the monitored functions.
//!
//! ```
//! use perf_cache::{CacheDefinition, HashMapCache, MonitoredCache};
//!
//! fn weigh(_key: &String, body: &Vec<u8>) -> u64 {
//!     body.len() as u64
//! }
//!
//! #[derive(MonitoredCache)]
//! #[cache(name = "doc_pages", capacity = 4096, weigher = weigh, target_hit_rate = 0.9, target_latency = "250us")]
//! struct Pages {
//!     #[cache(store)]
//!     bodies: HashMapCache<String, Vec<u8>>,
//! }
//!
//! let pages = Pages { bodies: Pages::new_store() };
//! let body = pages.bodies.get_or_load("/".to_owned(), |_path| vec![b'x'; 100]);
//! assert_eq!(body.len(), 100);
//! pages.bodies.get(&"/".to_owned());
//!
//! let stats = pages.stats();
//! assert_eq!((stats.hits, stats.misses, stats.weighted_size), (1, 1, 100));
//! assert_eq!(stats.hit_rate(), 0.5);
//! ```
//!
//! ## Parts
//!
//! - [`CacheStats`]: hits, misses, requests, hit and miss rate, load successes and failures,
//!   total load time, average load penalty, evictions by cause with their weight, entries,
//!   weighted size, capacity and estimated memory. Method names and meanings are those of
//!   Caffeine's `CacheStats`. Counters saturate, and [`CacheStats::minus`] (a window) never
//!   goes negative. A cache with no requests has a hit rate of 1.0 and a miss rate of 0.0.
//! - [`Cache`] and [`AsyncCache`]: a recorded front over a [`Backend`] or [`AsyncBackend`].
//!   `get` and `get_or_load` count hits and misses; `peek`, `contains` and `remove` count
//!   neither; a failed load counts its miss and a load failure. Latency histograms
//!   ([`perf::Histogram`]) cover get, insert, remove and load.
//! - Adapters, one cargo feature each, usable in one line such as
//!   `MokaCache::<u64, String>::new("users", 10_000)`: [`HashMapCache`] (`hashmap`, on by
//!   default), `LruCache` (`lru`), `QuickCache` (`quick_cache`), `MokaCache` (`moka`) and
//!   `MokaFutureCache` (`moka-future`). moka's removals are counted by cause through its
//!   eviction listener.
//! - `#[derive(MonitoredCache)]`: on a struct with one `#[cache(store)]` field, it implements
//!   [`MonitoredCache`] and [`CacheDefinition`] and registers the type's collector statically,
//!   so the cache is in `perf::snapshot()` from start-up, before any instance exists. The
//!   store records every operation, so the type needs no attribute per operation and no
//!   recording call.
//! - Windows: on each tick of perf's collector, each cache closes a window, the difference of
//!   its statistics since the previous tick; the last one is in the snapshot as
//!   `cache_window_hit_rate` and the others in [`CacheCollector::windows`].
//!
//! ## Derive attributes
//!
//! On the type, `#[cache(...)]` with any of:
//!
//! | attribute | value | default |
//! |---|---|---|
//! | `name` | string | `module::Type` |
//! | `capacity` | integer expression: the maximum weighted size | none (unbounded) |
//! | `weigher` | path of a `fn(&K, &V) -> u64` | 1 per entry |
//! | `target_hit_rate` | number in `(0, 1]` | 0.8 |
//! | `target_latency` | string with a unit: `"500ns"`, `"250us"`, `"2ms"`, `"1s"` | `"1ms"` |
//! | `crate` | path of `perf_cache`, when used through a re-export | `::perf_cache` |
//!
//! On exactly one field, `#[cache(store)]`; its type is a [`Store`]: [`Cache`] or
//! [`AsyncCache`] over any backend. Build it with [`CacheDefinition::new_store`], or with
//! [`CacheDefinition::store_builder`] to change the capacity at run time. All instances of a
//! type report under its name, and so does every generic instantiation.
//!
//! ## Health score
//!
//! Each cache gets a score from 0 to 100 and a state. No standard cache health score exists;
//! this is the formula, with Apdex as the model of the latency part:
//!
//! ```text
//! score = 100 × (0.40·H + 0.25·L + 0.20·F + 0.10·C + 0.05·M)
//!
//! H  hit rate         min(1, hit_rate / target_hit_rate)                    1 without requests
//! L  latency (Apdex)  (satisfied + tolerating / 2) / lookups                1 without lookups
//!                     satisfied: lookup ≤ T, tolerating: T < lookup ≤ 4T, T = target latency
//! F  load failures    1 − min(1, failure_rate / 0.1)                        1 without loads
//! C  eviction churn   1 − min(1, evictions / inserts)                       1 without inserts
//! M  memory pressure  1 − clamp((weighted_size / capacity − 0.9) / 0.1, 0, 1)   1 without capacity
//! ```
//!
//! Lookups are `get` and the whole of `get_or_load`, so a slow load on a miss counts against
//! the latency part; evictions are those for size and expiry. A cache filled to its capacity
//! loses the memory part (5 points) but no more, so a full cache that serves well stays
//! healthy. The state is healthy from 80, degraded from 50 and critical below; set other
//! bounds with [`HealthBounds`] in the cache's [`HealthPolicy`]. The snapshot's score is over
//! the cache's whole life; [`Health::evaluate`] scores any [`CacheStats`], such as a window.

#![deny(missing_docs)]

mod adapters;
mod collector;
mod health;
mod metrics;
mod monitored;
mod stats;
mod store;
mod window;

#[cfg(feature = "hashmap")]
pub use adapters::{HashMapBackend, HashMapCache};
#[cfg(feature = "lru")]
pub use adapters::{LruBackend, LruCache};
#[cfg(feature = "moka")]
pub use adapters::{MokaBackend, MokaCache};
#[cfg(feature = "moka-future")]
pub use adapters::{MokaFutureBackend, MokaFutureCache};
#[cfg(feature = "quick_cache")]
pub use adapters::{QuickCache, QuickCacheBackend};
pub use collector::{cache, caches, CacheCollector, CacheReport, CollectorRef};
pub use health::{
    Health, HealthBounds, HealthComponents, HealthConfigError, HealthPolicy, HealthState, LatencySplit, CHURN_WEIGHT,
    HIT_RATE_WEIGHT, LATENCY_WEIGHT, LOAD_FAILURE_LIMIT, LOAD_FAILURE_WEIGHT, MEMORY_PRESSURE_KNEE, MEMORY_WEIGHT,
    TOLERATING_FACTOR,
};
pub use metrics::CacheLatency;
pub use monitored::{CacheDefinition, MonitoredCache};
pub use stats::{CacheStats, Evictions, RemovalCause};
pub use store::{
    AsyncBackend, AsyncCache, Backend, Cache, CacheBuilder, EntrySize, EntryTracker, Expiring, ExpiringStore, Store,
    StoreConfig, Weigher,
};
pub use window::{CacheWindow, WINDOW_CAPACITY};

/// Derives [`MonitoredCache`] and [`CacheDefinition`] for a struct with one `#[cache(store)]`
/// field, and registers the type's collector statically. See the crate documentation for the
/// attributes.
pub use perf_macros::MonitoredCache;

#[doc(hidden)]
pub mod __private {
    pub use inventory;
    pub use perf;

    pub use crate::collector::{CacheCollector, CollectorRef, StaticCache};
    pub use crate::health::{HealthPolicy, LatencySplit};
    pub use crate::metrics::CacheLatency;
    pub use crate::monitored::{CacheDefinition, MonitoredCache};
    pub use crate::stats::CacheStats;
    pub use crate::store::{Store, StoreConfig};
}
