use std::fmt;
use std::time::Duration;

use crate::collector::CollectorRef;
use crate::health::HealthPolicy;

use super::{ExpiringStore, Store, StoreConfig, Weigher};

/// Builds a store: capacity, weigher, time to live and health policy.
///
/// ```
/// use std::time::Duration;
/// use perf_cache::{HashMapCache, HealthPolicy, MonitoredCache};
///
/// fn weigh(_path: &String, body: &Vec<u8>) -> u64 {
///     body.len() as u64
/// }
///
/// let pages = HashMapCache::<String, Vec<u8>>::builder("doc_pages")
///     .capacity(64 * 1024)
///     .weigher(weigh)
///     .health_policy(HealthPolicy::new(0.9, Duration::from_micros(50)).unwrap())
///     .build();
/// pages.insert("/".to_owned(), vec![0; 1_000]);
/// assert_eq!(pages.stats().weighted_size, 1_000);
/// ```
pub struct CacheBuilder<S: Store> {
    collector: CollectorRef,
    config: StoreConfig<S::Key, S::Value>,
    policy: Option<HealthPolicy>,
}

impl<S: Store> CacheBuilder<S> {
    /// Starts a builder for a store that reports to `collector`, with no capacity.
    pub fn new(collector: CollectorRef) -> Self {
        Self::with_config(collector, StoreConfig::new())
    }

    /// Starts a builder for a store that reports to `collector`, from `config`.
    pub fn with_config(collector: CollectorRef, config: StoreConfig<S::Key, S::Value>) -> Self {
        CacheBuilder { collector, config, policy: None }
    }

    /// Sets the maximum weighted size: entries without a weigher, the weigher's unit with one.
    pub fn capacity(mut self, capacity: u64) -> Self {
        self.config = self.config.with_capacity(capacity);
        self
    }

    /// Sets the weigher, which gives each entry its weight in units of the capacity.
    pub fn weigher(mut self, weigher: Weigher<S::Key, S::Value>) -> Self {
        self.config = self.config.with_weigher(weigher);
        self
    }

    /// Sets the health policy of every cache with this name.
    pub fn health_policy(mut self, policy: HealthPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Builds the store and registers it with its collector.
    pub fn build(self) -> S {
        if let Some(policy) = self.policy {
            self.collector.set_policy(policy);
        }
        S::build(self.collector, self.config)
    }
}

impl<S: ExpiringStore> CacheBuilder<S> {
    /// Sets how long an entry lives after its insert; an entry past it is evicted with the
    /// cause `expired`.
    pub fn time_to_live(mut self, time_to_live: Duration) -> Self {
        self.config = self.config.with_time_to_live(time_to_live);
        self
    }
}

impl<S: Store> fmt::Debug for CacheBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CacheBuilder")
            .field("name", &self.collector.name())
            .field("capacity", &self.config.capacity())
            .field("weighted", &self.config.weigher().is_some())
            .field("time_to_live", &self.config.time_to_live())
            .field("policy", &self.policy)
            .finish()
    }
}
