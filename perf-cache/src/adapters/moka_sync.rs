use std::hash::Hash;

use super::moka_listener::{listener, moka_weight};
use crate::store::{Backend, EntryTracker, Expiring, StoreConfig};

/// `moka::sync::Cache`: concurrent, TinyLFU admission and eviction, optional time to live.
///
/// Removals are counted by cause from moka's eviction listener. moka applies evictions and
/// calls the listener in its maintenance, which runs during later operations; call
/// [`Cache::run_pending_tasks`](crate::Cache::run_pending_tasks) before reading exact counts.
/// moka may also reject a new entry when the cache is full and the entry is less popular than
/// the one it would evict: that counts as a size eviction. Weights above `u32::MAX` count as
/// `u32::MAX`, moka's largest.
pub struct MokaBackend<K, V> {
    inner: moka::sync::Cache<K, V>,
    config: StoreConfig<K, V>,
    tracker: EntryTracker,
}

impl<K, V> Backend for MokaBackend<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    type Key = K;
    type Value = V;

    fn build(config: &StoreConfig<K, V>, tracker: EntryTracker) -> Self {
        let config = *config;
        let mut builder = moka::sync::Cache::builder().eviction_listener(listener(config, tracker.clone()));
        if let Some(capacity) = config.capacity() {
            builder = builder.max_capacity(capacity);
        }
        if config.weigher().is_some() {
            builder = builder.weigher(move |key, value| moka_weight(&config, key, value));
        }
        if let Some(time_to_live) = config.time_to_live() {
            builder = builder.time_to_live(time_to_live);
        }
        MokaBackend { inner: builder.build(), config, tracker }
    }

    fn get(&self, key: &K) -> Option<V> {
        self.inner.get(key)
    }

    /// NOTE: moka has no lookup that leaves its access order alone, so this is `get`.
    fn peek(&self, key: &K) -> Option<V> {
        self.inner.get(key)
    }

    fn contains(&self, key: &K) -> bool {
        self.inner.contains_key(key)
    }

    fn insert(&self, key: K, value: V) {
        let size = self.config.entry_size(&key, &value);
        self.inner.insert(key, value);
        self.tracker.admitted(size);
    }

    fn remove(&self, key: &K) -> Option<V> {
        self.inner.remove(key)
    }

    fn clear(&self) {
        self.inner.invalidate_all();
    }

    fn run_pending_tasks(&self) {
        self.inner.run_pending_tasks();
    }
}

impl<K, V> Expiring for MokaBackend<K, V> {}

impl<K, V> MokaBackend<K, V> {
    /// Returns the moka cache. Operations called on it directly are not recorded, but its
    /// removals still reach the listener.
    pub fn inner(&self) -> &moka::sync::Cache<K, V> {
        &self.inner
    }
}

impl<K, V> std::fmt::Debug for MokaBackend<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MokaBackend")
            .field("entries", &self.inner.entry_count())
            .field("weighted_size", &self.inner.weighted_size())
            .field("config", &self.config)
            .finish()
    }
}
