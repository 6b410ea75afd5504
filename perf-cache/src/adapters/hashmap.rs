use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::stats::RemovalCause;
use crate::store::{Backend, EntrySize, EntryTracker, StoreConfig};

/// A `HashMap` behind one mutex that evicts the oldest inserted entries when its weighted
/// size passes the capacity. Without a capacity it never evicts.
///
/// The simplest backend, with no dependency: every operation takes the lock, so it suits
/// caches with little contention.
pub struct HashMapBackend<K, V> {
    state: Mutex<State<K, V>>,
    config: StoreConfig<K, V>,
    tracker: EntryTracker,
}

struct State<K, V> {
    entries: HashMap<K, Slot<V>>,
    /// Keys by insertion sequence number, oldest first.
    order: BTreeMap<u64, K>,
    next_sequence: u64,
    weighted_size: u64,
}

struct Slot<V> {
    value: V,
    sequence: u64,
    size: EntrySize,
}

impl<K, V> Backend for HashMapBackend<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    type Key = K;
    type Value = V;

    fn build(config: &StoreConfig<K, V>, tracker: EntryTracker) -> Self {
        let state = State { entries: HashMap::new(), order: BTreeMap::new(), next_sequence: 0, weighted_size: 0 };
        HashMapBackend { state: Mutex::new(state), config: *config, tracker }
    }

    fn get(&self, key: &K) -> Option<V> {
        self.lock().entries.get(key).map(|slot| slot.value.clone())
    }

    fn peek(&self, key: &K) -> Option<V> {
        self.get(key)
    }

    fn contains(&self, key: &K) -> bool {
        self.lock().entries.contains_key(key)
    }

    fn insert(&self, key: K, value: V) {
        let size = self.config.entry_size(&key, &value);
        if self.config.capacity().is_some_and(|capacity| size.weight > capacity) {
            // Heavier than the whole cache: rejected, as if evicted at once. An older value
            // under the same key stays.
            self.tracker.admitted(size);
            self.tracker.removed(RemovalCause::Size, size);
            return;
        }

        let mut state = self.lock();
        let sequence = state.next_sequence;
        state.next_sequence += 1;
        state.order.insert(sequence, key.clone());
        state.weighted_size = state.weighted_size.saturating_add(size.weight);
        if let Some(old) = state.entries.insert(key, Slot { value, sequence, size }) {
            state.order.remove(&old.sequence);
            state.weighted_size = state.weighted_size.saturating_sub(old.size.weight);
            self.tracker.removed(RemovalCause::Replaced, old.size);
        }
        self.tracker.admitted(size);

        let Some(capacity) = self.config.capacity() else {
            return;
        };
        while state.weighted_size > capacity {
            let Some((_, oldest)) = state.order.pop_first() else {
                break;
            };
            if let Some(evicted) = state.entries.remove(&oldest) {
                state.weighted_size = state.weighted_size.saturating_sub(evicted.size.weight);
                self.tracker.removed(RemovalCause::Size, evicted.size);
            }
        }
    }

    fn remove(&self, key: &K) -> Option<V> {
        let mut state = self.lock();
        let removed = state.entries.remove(key)?;
        state.order.remove(&removed.sequence);
        state.weighted_size = state.weighted_size.saturating_sub(removed.size.weight);
        self.tracker.removed(RemovalCause::Explicit, removed.size);
        Some(removed.value)
    }

    fn clear(&self) {
        let mut state = self.lock();
        for (_, removed) in state.entries.drain() {
            self.tracker.removed(RemovalCause::Explicit, removed.size);
        }
        state.order.clear();
        state.weighted_size = 0;
    }
}

impl<K, V> HashMapBackend<K, V> {
    fn lock(&self) -> MutexGuard<'_, State<K, V>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K, V> std::fmt::Debug for HashMapBackend<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("HashMapBackend")
            .field("entries", &state.entries.len())
            .field("weighted_size", &state.weighted_size)
            .field("config", &self.config)
            .finish()
    }
}
