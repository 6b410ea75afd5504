use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::stats::RemovalCause;
use crate::store::{Backend, EntrySize, EntryTracker, StoreConfig};

/// `lru::LruCache` behind one mutex, evicting the least recently used entries while the
/// weighted size is over the capacity.
///
/// The `lru` crate bounds the number of entries; this backend keeps it unbounded and evicts by
/// weight itself, so a byte weigher works. `get` takes the lock to move the entry to the
/// front; `peek` and `contains` leave the order alone.
pub struct LruBackend<K, V> {
    state: Mutex<State<K, V>>,
    config: StoreConfig<K, V>,
    tracker: EntryTracker,
}

struct State<K, V> {
    entries: lru::LruCache<K, (V, EntrySize)>,
    weighted_size: u64,
}

impl<K, V> Backend for LruBackend<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    type Key = K;
    type Value = V;

    fn build(config: &StoreConfig<K, V>, tracker: EntryTracker) -> Self {
        let state = State { entries: lru::LruCache::unbounded(), weighted_size: 0 };
        LruBackend { state: Mutex::new(state), config: *config, tracker }
    }

    fn get(&self, key: &K) -> Option<V> {
        self.lock().entries.get(key).map(|(value, _)| value.clone())
    }

    fn peek(&self, key: &K) -> Option<V> {
        self.lock().entries.peek(key).map(|(value, _)| value.clone())
    }

    fn contains(&self, key: &K) -> bool {
        self.lock().entries.contains(key)
    }

    fn insert(&self, key: K, value: V) {
        let size = self.config.entry_size(&key, &value);
        if self.config.capacity().is_some_and(|capacity| size.weight > capacity) {
            // Heavier than the whole cache: rejected, as if evicted at once.
            self.tracker.admitted(size);
            self.tracker.removed(RemovalCause::Size, size);
            return;
        }

        let mut state = self.lock();
        state.weighted_size = state.weighted_size.saturating_add(size.weight);
        // Unbounded, so `push` returns only the value it replaced under the same key.
        if let Some((_, (_, old))) = state.entries.push(key, (value, size)) {
            state.weighted_size = state.weighted_size.saturating_sub(old.weight);
            self.tracker.removed(RemovalCause::Replaced, old);
        }
        self.tracker.admitted(size);

        let Some(capacity) = self.config.capacity() else {
            return;
        };
        while state.weighted_size > capacity {
            let Some((_, (_, evicted))) = state.entries.pop_lru() else {
                break;
            };
            state.weighted_size = state.weighted_size.saturating_sub(evicted.weight);
            self.tracker.removed(RemovalCause::Size, evicted);
        }
    }

    fn remove(&self, key: &K) -> Option<V> {
        let mut state = self.lock();
        let (value, size) = state.entries.pop(key)?;
        state.weighted_size = state.weighted_size.saturating_sub(size.weight);
        self.tracker.removed(RemovalCause::Explicit, size);
        Some(value)
    }

    fn clear(&self) {
        let mut state = self.lock();
        while let Some((_, (_, size))) = state.entries.pop_lru() {
            self.tracker.removed(RemovalCause::Explicit, size);
        }
        state.weighted_size = 0;
    }
}

impl<K, V> LruBackend<K, V> {
    fn lock(&self) -> MutexGuard<'_, State<K, V>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K: Hash + Eq, V> std::fmt::Debug for LruBackend<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("LruBackend")
            .field("entries", &state.entries.len())
            .field("weighted_size", &state.weighted_size)
            .field("config", &self.config)
            .finish()
    }
}
