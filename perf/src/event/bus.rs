//! The process-wide list of subscribers, and the counts behind [`super::stats`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use super::queue::Queue;
use super::{Event, EventFilter};

static SUBSCRIBERS: RwLock<Vec<Arc<Queue>>> = RwLock::new(Vec::new());
static EMITTED: AtomicU64 = AtomicU64::new(0);
static DROPPED: AtomicU64 = AtomicU64::new(0);

pub(crate) fn subscribe(filter: EventFilter, capacity: usize) -> Arc<Queue> {
    let queue = Arc::new(Queue::new(filter, capacity));
    SUBSCRIBERS.write().unwrap_or_else(|poisoned| poisoned.into_inner()).push(Arc::clone(&queue));
    queue
}

pub(crate) fn unsubscribe(queue: &Arc<Queue>) {
    SUBSCRIBERS.write().unwrap_or_else(|poisoned| poisoned.into_inner()).retain(|other| !Arc::ptr_eq(other, queue));
}

/// Hands `event` to every subscriber whose filter accepts it. Never waits for a subscriber.
pub(crate) fn emit(event: Event) {
    EMITTED.fetch_add(1, Ordering::Relaxed);
    let subscribers = SUBSCRIBERS.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    for queue in subscribers.iter().filter(|queue| queue.filter.matches(&event)) {
        if !queue.push(event.clone()) {
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
    }
}

pub(crate) fn has_subscribers() -> bool {
    !SUBSCRIBERS.read().unwrap_or_else(|poisoned| poisoned.into_inner()).is_empty()
}

pub(crate) fn subscriber_count() -> usize {
    SUBSCRIBERS.read().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
}

pub(crate) fn emitted() -> u64 {
    EMITTED.load(Ordering::Relaxed)
}

pub(crate) fn dropped() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}
