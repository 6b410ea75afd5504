use crate::collector::{CollectorRef, Registration};
use crate::health::{HealthPolicy, LatencySplit};
use crate::metrics::{CacheLatency, Operation};
use crate::monitored::MonitoredCache;
use crate::stats::CacheStats;

use super::{Backend, CacheBuilder, EntryTracker, Expiring, ExpiringStore, Store, StoreConfig};

/// A cache whose every operation is recorded: the front of a synchronous [`Backend`].
///
/// `get` and `get_or_load` count a hit or a miss and time the lookup; `insert`, `remove` and
/// loads are timed; `peek` and `contains` count nothing. Build one in one line from any
/// adapter alias:
///
/// ```
/// use perf_cache::{HashMapCache, MonitoredCache};
///
/// let sessions = HashMapCache::<u64, String>::new("doc_sessions", 1_000);
/// sessions.insert(7, "ada".to_owned());
/// assert_eq!(sessions.get(&7).as_deref(), Some("ada"));
/// assert_eq!(sessions.get(&8), None);
///
/// let stats = sessions.stats();
/// assert_eq!((stats.hits, stats.misses), (1, 1));
/// ```
pub struct Cache<B: Backend> {
    // Declared first so it drops first: a backend that reports removals while it drops
    // still finds its instance registered.
    backend: B,
    config: StoreConfig<B::Key, B::Value>,
    registration: Registration,
}

impl<B: Backend> Cache<B> {
    /// Builds a cache named `name` that holds at most `capacity` entries, and registers it
    /// with perf under that name.
    pub fn new(name: &str, capacity: u64) -> Self {
        Self::builder(name).capacity(capacity).build()
    }

    /// Starts building a cache named `name`.
    pub fn builder(name: &str) -> CacheBuilder<Self> {
        CacheBuilder::new(CollectorRef::named(name))
    }

    /// Returns the value of `key`, counting a hit or a miss.
    pub fn get(&self, key: &B::Key) -> Option<B::Value> {
        let metrics = &self.registration.shared().metrics;
        let timer = metrics.timer(Operation::Get);
        let value = self.backend.get(key);
        timer.stop();
        match value {
            Some(_) => metrics.record_hit(),
            None => metrics.record_miss(),
        }
        value
    }

    /// Returns the value of `key` without counting a hit or a miss, and without updating the
    /// eviction policy where the backend allows it.
    pub fn peek(&self, key: &B::Key) -> Option<B::Value> {
        self.backend.peek(key)
    }

    /// Returns `true` if `key` has a value, without counting a hit or a miss.
    pub fn contains(&self, key: &B::Key) -> bool {
        self.backend.contains(key)
    }

    /// Inserts or replaces the value of `key`.
    pub fn insert(&self, key: B::Key, value: B::Value) {
        let metrics = &self.registration.shared().metrics;
        let timer = metrics.timer(Operation::Insert);
        self.backend.insert(key, value);
        timer.stop();
        metrics.record_insert();
    }

    /// Removes the value of `key` and returns it. Counts an explicit removal when there was
    /// one, and no hit or miss.
    pub fn remove(&self, key: &B::Key) -> Option<B::Value> {
        let metrics = &self.registration.shared().metrics;
        let timer = metrics.timer(Operation::Remove);
        let value = self.backend.remove(key);
        timer.stop();
        value
    }

    /// Removes every entry; each counts as an explicit removal.
    pub fn clear(&self) {
        self.backend.clear();
    }

    /// Returns the value of `key`, or loads, inserts and returns it on a miss.
    pub fn get_or_load(&self, key: B::Key, load: impl FnOnce(&B::Key) -> B::Value) -> B::Value
    where
        B::Value: Clone,
    {
        let loaded: Result<B::Value, std::convert::Infallible> = self.try_get_or_load(key, |key| Ok(load(key)));
        match loaded {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// Returns the value of `key`, or runs `load` on a miss and inserts its value.
    ///
    /// A hit counts a hit. A miss counts a miss and a load: a load success when `load`
    /// returns `Ok` (then its value is inserted), a load failure when it returns `Err` (then
    /// nothing is inserted and the error is returned). The lookup latency covers the whole
    /// call, load included; the load latency covers `load` alone.
    pub fn try_get_or_load<E>(
        &self,
        key: B::Key,
        load: impl FnOnce(&B::Key) -> Result<B::Value, E>,
    ) -> Result<B::Value, E>
    where
        B::Value: Clone,
    {
        let metrics = &self.registration.shared().metrics;
        let lookup = metrics.timer(Operation::Get);
        if let Some(value) = self.backend.get(&key) {
            lookup.stop();
            metrics.record_hit();
            return Ok(value);
        }
        metrics.record_miss();

        let loading = metrics.timer(Operation::Load);
        let loaded = load(&key);
        metrics.record_load(loaded.is_ok(), loading.stop());

        if let Ok(value) = &loaded {
            let inserting = metrics.timer(Operation::Insert);
            self.backend.insert(key, value.clone());
            inserting.stop();
            metrics.record_insert();
        }
        lookup.stop();
        loaded
    }

    /// Runs the maintenance the backend defers, so that evictions and their counts are
    /// current. Only moka defers work.
    pub fn run_pending_tasks(&self) {
        self.backend.run_pending_tasks();
    }

    /// Returns the backend. Operations called on it directly are not recorded.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Returns the configuration the cache was built with.
    pub fn config(&self) -> StoreConfig<B::Key, B::Value> {
        self.config
    }
}

impl<B: Backend> std::fmt::Debug for Cache<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("name", &self.registration.collector().name())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<B: Backend> MonitoredCache for Cache<B> {
    fn cache_name(&self) -> &str {
        self.registration.collector().name()
    }

    fn stats(&self) -> CacheStats {
        let shared = self.registration.shared();
        shared.metrics.stats(shared.capacity)
    }

    fn latency(&self) -> CacheLatency {
        self.registration.shared().metrics.latency_buckets().distributions()
    }

    fn latency_split(&self) -> LatencySplit {
        let target = self.health_policy().target_latency();
        LatencySplit::from_buckets(&self.registration.shared().metrics.latency_buckets().get, target)
    }

    fn health_policy(&self) -> HealthPolicy {
        self.registration.collector().policy()
    }
}

impl<B: Backend> Store for Cache<B> {
    type Key = B::Key;
    type Value = B::Value;

    fn build(collector: CollectorRef, config: StoreConfig<B::Key, B::Value>) -> Self {
        let registration = Registration::new(collector, config.capacity());
        let backend = B::build(&config, EntryTracker::new(registration.shared().clone()));
        Cache { backend, config, registration }
    }
}

impl<B: Backend + Expiring> ExpiringStore for Cache<B> {}
