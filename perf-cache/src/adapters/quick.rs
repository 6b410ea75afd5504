use std::hash::Hash;
use std::marker::PhantomData;

use quick_cache::sync::Cache as Inner;
use quick_cache::{DefaultHashBuilder, Lifecycle, Weighter};

use crate::stats::RemovalCause;
use crate::store::{Backend, EntryTracker, StoreConfig, Weigher};

/// `quick_cache::sync::Cache`: sharded, with CLOCK-Pro eviction by weight.
///
/// quick_cache reports entries that leave through its `Lifecycle` hook without a cause, and
/// also reports the value an insert replaces there. This backend collects them per insert:
/// an entry under the inserted key is `replaced` when the key had a value before the insert,
/// any other is evicted for `size`.
pub struct QuickCacheBackend<K, V> {
    inner: Inner<K, V, WeightOf<K, V>, DefaultHashBuilder, CollectEvicted<K, V>>,
    config: StoreConfig<K, V>,
    tracker: EntryTracker,
}

/// The weigher of a store, as a quick_cache `Weighter`: 1 per entry without one.
struct WeightOf<K, V>(Option<Weigher<K, V>>);

/// Hands the entries quick_cache drops during one request back to the backend.
struct CollectEvicted<K, V>(PhantomData<fn(K, V)>);

/// Estimated items when a weigher makes the count unknown: quick_cache sizes its shards from
/// it, and a low estimate only costs some rehashing.
const WEIGHTED_ITEMS_ESTIMATE: u64 = 1 << 12;

impl<K, V> Backend for QuickCacheBackend<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    type Key = K;
    type Value = V;

    fn build(config: &StoreConfig<K, V>, tracker: EntryTracker) -> Self {
        // quick_cache needs a bound; "no capacity" becomes one it never reaches.
        let capacity = config.capacity().unwrap_or(u64::MAX / 2);
        let items = match config.weigher() {
            Some(_) => capacity.min(WEIGHTED_ITEMS_ESTIMATE),
            None => capacity.min(1 << 20),
        };
        let inner = Inner::with(
            usize::try_from(items).unwrap_or(usize::MAX),
            capacity,
            WeightOf(config.weigher()),
            DefaultHashBuilder::default(),
            CollectEvicted(PhantomData),
        );
        QuickCacheBackend { inner, config: *config, tracker }
    }

    fn get(&self, key: &K) -> Option<V> {
        self.inner.get(key)
    }

    fn peek(&self, key: &K) -> Option<V> {
        self.inner.peek(key)
    }

    fn contains(&self, key: &K) -> bool {
        self.inner.contains_key(key)
    }

    fn insert(&self, key: K, value: V) {
        // NOTE: another thread writing the same key between this check and the insert can
        // make a replacement count as a size eviction, or the reverse.
        let mut replaced_pending = self.inner.contains_key(&key);
        let size = self.config.entry_size(&key, &value);
        let inserted_key = key.clone();

        let mut dropped = Vec::new();
        self.inner.insert_with_lifecycle(key, value, &mut dropped);
        self.tracker.admitted(size);

        for (key, value) in dropped {
            let cause = if replaced_pending && key == inserted_key {
                replaced_pending = false;
                RemovalCause::Replaced
            } else {
                RemovalCause::Size
            };
            self.tracker.removed(cause, self.config.entry_size(&key, &value));
        }
    }

    fn remove(&self, key: &K) -> Option<V> {
        let (key, value) = self.inner.remove(key)?;
        self.tracker.removed(RemovalCause::Explicit, self.config.entry_size(&key, &value));
        Some(value)
    }

    fn clear(&self) {
        for (key, value) in self.inner.drain() {
            self.tracker.removed(RemovalCause::Explicit, self.config.entry_size(&key, &value));
        }
    }
}

impl<K, V> Weighter<K, V> for WeightOf<K, V> {
    fn weight(&self, key: &K, value: &V) -> u64 {
        self.0.map_or(1, |weigher| weigher(key, value))
    }
}

impl<K, V> Clone for WeightOf<K, V> {
    fn clone(&self) -> Self {
        WeightOf(self.0)
    }
}

impl<K, V> Lifecycle<K, V> for CollectEvicted<K, V> {
    type RequestState = Vec<(K, V)>;

    fn on_evict(&self, state: &mut Self::RequestState, key: K, value: V) {
        state.push((key, value));
    }
}

impl<K, V> Clone for CollectEvicted<K, V> {
    fn clone(&self) -> Self {
        CollectEvicted(PhantomData)
    }
}

impl<K: Hash + Eq, V: Clone> std::fmt::Debug for QuickCacheBackend<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuickCacheBackend")
            .field("entries", &self.inner.len())
            .field("weight", &self.inner.weight())
            .field("config", &self.config)
            .finish()
    }
}
