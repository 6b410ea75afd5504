use std::future::Future;
use std::hash::Hash;

use super::moka_listener::{listener, moka_weight};
use crate::store::{AsyncBackend, EntryTracker, Expiring, StoreConfig};

/// `moka::future::Cache`, for `async` code: concurrent, TinyLFU admission and eviction,
/// optional time to live.
///
/// Removals are counted by cause from moka's eviction listener, which moka calls in its
/// maintenance; await [`AsyncCache::run_pending_tasks`](crate::AsyncCache::run_pending_tasks)
/// before reading exact counts. Weights above `u32::MAX` count as `u32::MAX`.
pub struct MokaFutureBackend<K, V> {
    inner: moka::future::Cache<K, V>,
    config: StoreConfig<K, V>,
    tracker: EntryTracker,
}

impl<K, V> AsyncBackend for MokaFutureBackend<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    type Key = K;
    type Value = V;

    fn build(config: &StoreConfig<K, V>, tracker: EntryTracker) -> Self {
        let config = *config;
        let mut builder = moka::future::Cache::builder().eviction_listener(listener(config, tracker.clone()));
        if let Some(capacity) = config.capacity() {
            builder = builder.max_capacity(capacity);
        }
        if config.weigher().is_some() {
            builder = builder.weigher(move |key, value| moka_weight(&config, key, value));
        }
        if let Some(time_to_live) = config.time_to_live() {
            builder = builder.time_to_live(time_to_live);
        }
        MokaFutureBackend { inner: builder.build(), config, tracker }
    }

    fn get(&self, key: &K) -> impl Future<Output = Option<V>> + Send {
        self.inner.get(key)
    }

    fn contains(&self, key: &K) -> bool {
        self.inner.contains_key(key)
    }

    fn insert(&self, key: K, value: V) -> impl Future<Output = ()> + Send {
        let size = self.config.entry_size(&key, &value);
        async move {
            self.inner.insert(key, value).await;
            self.tracker.admitted(size);
        }
    }

    fn remove(&self, key: &K) -> impl Future<Output = Option<V>> + Send {
        self.inner.remove(key)
    }

    fn clear(&self) {
        self.inner.invalidate_all();
    }

    fn run_pending_tasks(&self) -> impl Future<Output = ()> + Send {
        self.inner.run_pending_tasks()
    }
}

impl<K, V> Expiring for MokaFutureBackend<K, V> {}

impl<K, V> MokaFutureBackend<K, V> {
    /// Returns the moka cache. Operations called on it directly are not recorded, but its
    /// removals still reach the listener.
    pub fn inner(&self) -> &moka::future::Cache<K, V> {
        &self.inner
    }
}

impl<K, V> std::fmt::Debug for MokaFutureBackend<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MokaFutureBackend")
            .field("entries", &self.inner.entry_count())
            .field("weighted_size", &self.inner.weighted_size())
            .field("config", &self.config)
            .finish()
    }
}
