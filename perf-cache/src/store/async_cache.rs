use std::future::Future;

use crate::collector::{CollectorRef, Registration};
use crate::health::{HealthPolicy, LatencySplit};
use crate::metrics::{CacheLatency, Operation};
use crate::monitored::MonitoredCache;
use crate::stats::CacheStats;

use super::{AsyncBackend, CacheBuilder, EntryTracker, Expiring, ExpiringStore, Store, StoreConfig};

/// A cache for `async` code whose every operation is recorded: the front of an
/// [`AsyncBackend`], such as moka's `future::Cache`.
///
/// It counts and times the same operations as [`Cache`](super::Cache). Timers run across
/// `.await` points, so a latency includes the time the task waited to be polled again.
pub struct AsyncCache<B: AsyncBackend> {
    // Declared first so it drops first, while its instance is still registered.
    backend: B,
    config: StoreConfig<B::Key, B::Value>,
    registration: Registration,
}

impl<B: AsyncBackend> AsyncCache<B> {
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
    pub async fn get(&self, key: &B::Key) -> Option<B::Value> {
        let metrics = &self.registration.shared().metrics;
        let timer = metrics.timer(Operation::Get);
        let value = self.backend.get(key).await;
        timer.stop();
        match value {
            Some(_) => metrics.record_hit(),
            None => metrics.record_miss(),
        }
        value
    }

    /// Returns `true` if `key` has a value, without counting a hit or a miss.
    pub fn contains(&self, key: &B::Key) -> bool {
        self.backend.contains(key)
    }

    /// Inserts or replaces the value of `key`.
    pub async fn insert(&self, key: B::Key, value: B::Value) {
        let metrics = &self.registration.shared().metrics;
        let timer = metrics.timer(Operation::Insert);
        self.backend.insert(key, value).await;
        timer.stop();
        metrics.record_insert();
    }

    /// Removes the value of `key` and returns it, counting an explicit removal when there was
    /// one.
    pub async fn remove(&self, key: &B::Key) -> Option<B::Value> {
        let timer = self.registration.shared().metrics.timer(Operation::Remove);
        let value = self.backend.remove(key).await;
        timer.stop();
        value
    }

    /// Removes every entry; each counts as an explicit removal once the backend has run its
    /// pending tasks.
    pub fn clear(&self) {
        self.backend.clear();
    }

    /// Returns the value of `key`, or awaits `load` on a miss and inserts its value. `load` is
    /// only polled on a miss. Counts as [`Cache::try_get_or_load`](super::Cache::try_get_or_load)
    /// does.
    pub async fn try_get_or_load<E>(
        &self,
        key: B::Key,
        load: impl Future<Output = Result<B::Value, E>>,
    ) -> Result<B::Value, E>
    where
        B::Value: Clone,
    {
        let metrics = &self.registration.shared().metrics;
        let lookup = metrics.timer(Operation::Get);
        if let Some(value) = self.backend.get(&key).await {
            lookup.stop();
            metrics.record_hit();
            return Ok(value);
        }
        metrics.record_miss();

        let loading = metrics.timer(Operation::Load);
        let loaded = load.await;
        metrics.record_load(loaded.is_ok(), loading.stop());

        if let Ok(value) = &loaded {
            let inserting = metrics.timer(Operation::Insert);
            self.backend.insert(key, value.clone()).await;
            inserting.stop();
            metrics.record_insert();
        }
        lookup.stop();
        loaded
    }

    /// Returns the value of `key`, or awaits `load` on a miss and inserts its value.
    pub async fn get_or_load(&self, key: B::Key, load: impl Future<Output = B::Value>) -> B::Value
    where
        B::Value: Clone,
    {
        let loaded: Result<B::Value, std::convert::Infallible> =
            self.try_get_or_load(key, async move { Ok(load.await) }).await;
        match loaded {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// Runs the maintenance the backend defers, so that evictions and their counts are
    /// current.
    pub async fn run_pending_tasks(&self) {
        self.backend.run_pending_tasks().await;
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

impl<B: AsyncBackend> std::fmt::Debug for AsyncCache<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncCache")
            .field("name", &self.registration.collector().name())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<B: AsyncBackend> MonitoredCache for AsyncCache<B> {
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

impl<B: AsyncBackend> Store for AsyncCache<B> {
    type Key = B::Key;
    type Value = B::Value;

    fn build(collector: CollectorRef, config: StoreConfig<B::Key, B::Value>) -> Self {
        let registration = Registration::new(collector, config.capacity());
        let backend = B::build(&config, EntryTracker::new(registration.shared().clone()));
        AsyncCache { backend, config, registration }
    }
}

impl<B: AsyncBackend + Expiring> ExpiringStore for AsyncCache<B> {}
