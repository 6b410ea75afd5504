//! Stores: the recorded front a program calls ([`Cache`], [`AsyncCache`]) over a backend
//! that keeps the entries (a `HashMap`, `lru`, `quick_cache` or `moka`).
//!
//! The front records hits, misses, loads and latencies. The backend reports every entry that
//! enters or leaves it, with the cause, through its [`EntryTracker`], which keeps the entry
//! count, weighted size and removals by cause. A new backend implements [`Backend`] (or
//! [`AsyncBackend`]) and gets all of that from the front.

mod async_cache;
mod builder;
mod cache;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

pub use async_cache::AsyncCache;
pub use builder::CacheBuilder;
pub use cache::Cache;

use crate::collector::{CollectorRef, InstanceShared};
use crate::stats::RemovalCause;

/// Computes the weight of an entry, in units of the capacity: bytes for a byte-weighted cache.
pub type Weigher<K, V> = fn(&K, &V) -> u64;

/// The settings a store is built with: capacity, weigher and time to live.
pub struct StoreConfig<K, V> {
    capacity: Option<u64>,
    weigher: Option<Weigher<K, V>>,
    time_to_live: Option<Duration>,
}

/// The size of one entry, as the tracker counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntrySize {
    /// Weight from the weigher, or 1 without one.
    pub weight: u64,
    /// Estimated bytes: inline size of key and value, plus the weight when a weigher is set.
    pub bytes: u64,
}

/// Receives the entries that enter and leave one store instance.
///
/// A backend calls [`admitted`](EntryTracker::admitted) for every entry it takes (including
/// one that replaces another under the same key) and [`removed`](EntryTracker::removed) for
/// every entry that leaves, with the cause. Lookups are recorded by the front, not here.
#[derive(Debug, Clone)]
pub struct EntryTracker {
    shared: Arc<InstanceShared>,
}

/// The entry store behind a [`Cache`]: a map with an eviction policy, shared between threads.
///
/// Its methods record nothing themselves, except entries entering and leaving through the
/// [`EntryTracker`] given to [`build`](Backend::build).
pub trait Backend: Send + Sync + 'static {
    /// Key type.
    type Key;
    /// Value type, cloned out of the store on lookups.
    type Value;

    /// Builds an empty store for `config`, reporting entries to `tracker`.
    fn build(config: &StoreConfig<Self::Key, Self::Value>, tracker: EntryTracker) -> Self
    where
        Self: Sized;

    /// Returns the value of `key`, updating the eviction policy's view of its use.
    fn get(&self, key: &Self::Key) -> Option<Self::Value>;

    /// Returns the value of `key`, without updating the eviction policy where the backend
    /// allows it.
    fn peek(&self, key: &Self::Key) -> Option<Self::Value>;

    /// Returns `true` if `key` has a value.
    fn contains(&self, key: &Self::Key) -> bool;

    /// Inserts or replaces the value of `key`, evicting entries as the capacity requires.
    fn insert(&self, key: Self::Key, value: Self::Value);

    /// Removes the value of `key` and returns it.
    fn remove(&self, key: &Self::Key) -> Option<Self::Value>;

    /// Removes every entry.
    fn clear(&self);

    /// Runs maintenance the backend defers (evictions, notifications). The default does
    /// nothing.
    fn run_pending_tasks(&self) {}
}

/// The entry store behind an [`AsyncCache`], whose writes and lookups are `async`.
pub trait AsyncBackend: Send + Sync + 'static {
    /// Key type.
    type Key;
    /// Value type, cloned out of the store on lookups.
    type Value;

    /// Builds an empty store for `config`, reporting entries to `tracker`.
    fn build(config: &StoreConfig<Self::Key, Self::Value>, tracker: EntryTracker) -> Self
    where
        Self: Sized;

    /// Returns the value of `key`, updating the eviction policy's view of its use.
    fn get(&self, key: &Self::Key) -> impl Future<Output = Option<Self::Value>> + Send;

    /// Returns `true` if `key` has a value.
    fn contains(&self, key: &Self::Key) -> bool;

    /// Inserts or replaces the value of `key`.
    fn insert(&self, key: Self::Key, value: Self::Value) -> impl Future<Output = ()> + Send;

    /// Removes the value of `key` and returns it.
    fn remove(&self, key: &Self::Key) -> impl Future<Output = Option<Self::Value>> + Send;

    /// Removes every entry.
    fn clear(&self);

    /// Runs maintenance the backend defers (evictions, notifications).
    fn run_pending_tasks(&self) -> impl Future<Output = ()> + Send;
}

/// A backend that honors [`StoreConfig::with_time_to_live`]; only these accept
/// [`CacheBuilder::time_to_live`].
pub trait Expiring {}

impl<K, V> StoreConfig<K, V> {
    /// Returns a configuration with no capacity, no weigher and no time to live.
    pub const fn new() -> Self {
        StoreConfig { capacity: None, weigher: None, time_to_live: None }
    }

    /// Sets the maximum weighted size: entries without a weigher, its unit with one.
    pub const fn with_capacity(mut self, capacity: u64) -> Self {
        self.capacity = Some(capacity);
        self
    }

    /// Sets the weigher.
    pub const fn with_weigher(mut self, weigher: Weigher<K, V>) -> Self {
        self.weigher = Some(weigher);
        self
    }

    /// Sets how long an entry lives after its insert. Honored by [`Expiring`] backends.
    pub const fn with_time_to_live(mut self, time_to_live: Duration) -> Self {
        self.time_to_live = Some(time_to_live);
        self
    }

    /// Returns the capacity.
    pub fn capacity(&self) -> Option<u64> {
        self.capacity
    }

    /// Returns the weigher.
    pub fn weigher(&self) -> Option<Weigher<K, V>> {
        self.weigher
    }

    /// Returns the time to live.
    pub fn time_to_live(&self) -> Option<Duration> {
        self.time_to_live
    }

    /// Returns the size of an entry: its weight and estimated bytes.
    pub fn entry_size(&self, key: &K, value: &V) -> EntrySize {
        let inline = (std::mem::size_of::<K>() + std::mem::size_of::<V>()) as u64;
        match self.weigher {
            Some(weigher) => {
                let weight = weigher(key, value);
                EntrySize { weight, bytes: inline.saturating_add(weight) }
            }
            None => EntrySize { weight: 1, bytes: inline },
        }
    }
}

impl<K, V> Clone for StoreConfig<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K, V> Copy for StoreConfig<K, V> {}

impl<K, V> std::fmt::Debug for StoreConfig<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreConfig")
            .field("capacity", &self.capacity)
            .field("weighted", &self.weigher.is_some())
            .field("time_to_live", &self.time_to_live)
            .finish()
    }
}

impl<K, V> Default for StoreConfig<K, V> {
    fn default() -> Self {
        StoreConfig::new()
    }
}

impl EntryTracker {
    pub(crate) fn new(shared: Arc<InstanceShared>) -> EntryTracker {
        EntryTracker { shared }
    }

    /// Counts an entry that entered the store.
    pub fn admitted(&self, size: EntrySize) {
        self.shared.metrics.record_admitted(size.weight, size.bytes);
    }

    /// Counts an entry that left the store, and why.
    pub fn removed(&self, cause: RemovalCause, size: EntrySize) {
        self.shared.metrics.record_removed(cause, size.weight, size.bytes);
    }
}

/// A front that a `#[derive(MonitoredCache)]` type can hold in its `#[cache(store)]` field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a perf-cache store",
    label = "the `#[cache(store)]` field must hold a perf-cache store",
    note = "use `perf_cache::Cache<B>` or `perf_cache::AsyncCache<B>`, such as `HashMapCache<K, V>` or `MokaCache<K, V>`"
)]
pub trait Store: crate::MonitoredCache + Sized {
    /// Key type.
    type Key;
    /// Value type.
    type Value;

    /// Builds a store that reports to `collector`.
    fn build(collector: CollectorRef, config: StoreConfig<Self::Key, Self::Value>) -> Self;
}

/// A store whose backend honors a time to live.
pub trait ExpiringStore: Store {}
