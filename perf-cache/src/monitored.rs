//! The interface between a cache and the performance system: [`MonitoredCache`], and
//! [`CacheDefinition`] for the types that `#[derive(MonitoredCache)]` registers statically.

use crate::collector::{CacheCollector, CollectorRef};
use crate::health::{Health, HealthPolicy, LatencySplit};
use crate::metrics::CacheLatency;
use crate::stats::CacheStats;
use crate::store::{CacheBuilder, Store, StoreConfig};

/// A cache that reports its statistics, latencies and health.
///
/// The stores of this crate ([`Cache`](crate::Cache), [`AsyncCache`](crate::AsyncCache))
/// implement it, and `#[derive(MonitoredCache)]` implements it for a type that contains one, by
/// delegating to that field.
pub trait MonitoredCache {
    /// Returns the name the cache reports under.
    fn cache_name(&self) -> &str;

    /// Returns the statistics of this instance.
    fn stats(&self) -> CacheStats;

    /// Returns the latency distributions of this instance's operations.
    fn latency(&self) -> CacheLatency;

    /// Returns this instance's lookups split against the target latency.
    fn latency_split(&self) -> LatencySplit;

    /// Returns the health policy (targets and bounds) of the cache's name.
    fn health_policy(&self) -> HealthPolicy;

    /// Computes the health of this instance with [`Health::evaluate`].
    fn health(&self) -> Health {
        Health::evaluate(&self.stats(), &self.latency_split(), &self.health_policy())
    }
}

/// The facts `#[derive(MonitoredCache)]` records about a cache type: its `static` collector and
/// the configuration of its store.
///
/// ```
/// use perf_cache::{CacheDefinition, HashMapCache, MonitoredCache};
///
/// #[derive(MonitoredCache)]
/// #[cache(name = "doc_thumbnails", capacity = 100)]
/// struct Thumbnails {
///     #[cache(store)]
///     images: HashMapCache<u32, Vec<u8>>,
/// }
///
/// // Listed in the snapshot before any instance exists.
/// assert!(perf::snapshot().collectors.iter().any(|collector| collector.name == "doc_thumbnails"));
///
/// let thumbnails = Thumbnails { images: Thumbnails::new_store() };
/// thumbnails.images.insert(1, vec![0; 16]);
/// assert_eq!(thumbnails.stats().inserts, 1);
/// assert_eq!(thumbnails.stats().capacity, Some(100));
/// ```
pub trait CacheDefinition: MonitoredCache {
    /// The type of the `#[cache(store)]` field.
    type Store: Store;

    /// Returns the `static` collector of this type.
    fn collector() -> &'static CacheCollector;

    /// Returns the store configuration given by the derive's attributes.
    fn store_config() -> StoreConfig<<Self::Store as Store>::Key, <Self::Store as Store>::Value>;

    /// Starts a builder for a store that reports under this type, from its configuration:
    /// change the capacity or the weigher here when they are known only at run time.
    fn store_builder() -> CacheBuilder<Self::Store> {
        CacheBuilder::with_config(CollectorRef::Static(Self::collector()), Self::store_config())
    }

    /// Builds a store that reports under this type, with the configuration of its attributes.
    fn new_store() -> Self::Store {
        Self::store_builder().build()
    }
}
