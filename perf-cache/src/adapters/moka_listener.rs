//! The eviction listener shared by the sync and the future moka backends.

use std::sync::Arc;

use moka::notification::RemovalCause as MokaCause;

use crate::stats::RemovalCause;
use crate::store::{EntryTracker, StoreConfig};

/// Returns a moka eviction listener that reports each removal, with its cause, to `tracker`.
pub(super) fn listener<K, V>(
    config: StoreConfig<K, V>,
    tracker: EntryTracker,
) -> impl Fn(Arc<K>, V, MokaCause) + Send + Sync + 'static
where
    K: 'static,
    V: 'static,
{
    move |key, value, cause| tracker.removed(cause_of(cause), config.entry_size(&key, &value))
}

/// Returns moka's weight of an entry: moka weights are `u32`, so heavier entries count as
/// `u32::MAX`.
pub(super) fn moka_weight<K, V>(config: &StoreConfig<K, V>, key: &K, value: &V) -> u32 {
    u32::try_from(config.entry_size(key, value).weight).unwrap_or(u32::MAX)
}

fn cause_of(cause: MokaCause) -> RemovalCause {
    match cause {
        MokaCause::Size => RemovalCause::Size,
        MokaCause::Expired => RemovalCause::Expired,
        MokaCause::Explicit => RemovalCause::Explicit,
        MokaCause::Replaced => RemovalCause::Replaced,
    }
}
