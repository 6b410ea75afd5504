//! Ready backends for real cache crates, each behind a cargo feature of its own, and an alias
//! per backend for the recorded front.
//!
//! | feature | alias | backend | eviction |
//! |---|---|---|---|
//! | `hashmap` (default) | [`HashMapCache`] | `std::collections::HashMap` behind a mutex | insertion order (FIFO) |
//! | `lru` | `LruCache` | `lru::LruCache` behind a mutex | least recently used |
//! | `quick_cache` | `QuickCache` | `quick_cache::sync::Cache` | CLOCK-Pro |
//! | `moka` | `MokaCache` | `moka::sync::Cache` | TinyLFU, time to live |
//! | `moka-future` | `MokaFutureCache` | `moka::future::Cache` | TinyLFU, time to live |

#[cfg(feature = "hashmap")]
mod hashmap;
#[cfg(feature = "lru")]
mod lru;
#[cfg(feature = "moka-future")]
mod moka_future;
#[cfg(any(feature = "moka", feature = "moka-future"))]
mod moka_listener;
#[cfg(feature = "moka")]
mod moka_sync;
#[cfg(feature = "quick_cache")]
mod quick;

#[cfg(feature = "hashmap")]
pub use hashmap::HashMapBackend;
#[cfg(feature = "lru")]
pub use lru::LruBackend;
#[cfg(feature = "moka-future")]
pub use moka_future::MokaFutureBackend;
#[cfg(feature = "moka")]
pub use moka_sync::MokaBackend;
#[cfg(feature = "quick_cache")]
pub use quick::QuickCacheBackend;

/// A recorded cache over a `HashMap` that evicts in insertion order.
#[cfg(feature = "hashmap")]
pub type HashMapCache<K, V> = crate::Cache<HashMapBackend<K, V>>;

/// A recorded cache over `lru::LruCache`.
#[cfg(feature = "lru")]
pub type LruCache<K, V> = crate::Cache<LruBackend<K, V>>;

/// A recorded cache over `quick_cache::sync::Cache`.
#[cfg(feature = "quick_cache")]
pub type QuickCache<K, V> = crate::Cache<QuickCacheBackend<K, V>>;

/// A recorded cache over `moka::sync::Cache`.
#[cfg(feature = "moka")]
pub type MokaCache<K, V> = crate::Cache<MokaBackend<K, V>>;

/// A recorded `async` cache over `moka::future::Cache`.
#[cfg(feature = "moka-future")]
pub type MokaFutureCache<K, V> = crate::AsyncCache<MokaFutureBackend<K, V>>;
