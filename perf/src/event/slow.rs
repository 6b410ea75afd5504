//! Slow calls: recorded by the monitored call, turned into events by the collector.
//!
//! A site with `#[monitored(slow = "250ms")]` compares each call's latency with a constant
//! on the hot path. Only a call over the bound goes further: it pushes a small record into a
//! bounded lock-free queue (`crossbeam_queue::ArrayQueue`, one compare-and-swap, no lock, no
//! allocation) and returns. When the queue is full the record is dropped and counted, so a
//! monitored call never waits. The collector drains the queue after each tick and emits one
//! [`EventData::SlowCall`](super::EventData::SlowCall) per record.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use crossbeam_queue::ArrayQueue;
use once_cell::sync::Lazy;

use super::{Event, EventData, Severity};
use crate::site::Site;

/// Slow calls kept between two collector ticks before new ones are dropped.
pub const SLOW_CALL_QUEUE_CAPACITY: usize = 4096;

struct SlowCall {
    site: &'static Site,
    nanos: u64,
    threshold_nanos: u64,
    at: SystemTime,
}

static QUEUE: Lazy<ArrayQueue<SlowCall>> = Lazy::new(|| ArrayQueue::new(SLOW_CALL_QUEUE_CAPACITY));
static DROPPED: AtomicU64 = AtomicU64::new(0);

/// Records a call of `site` that took `nanos`, over its bound `threshold_nanos`.
#[cold]
#[inline(never)]
pub(crate) fn record(site: &'static Site, nanos: u64, threshold_nanos: u64) {
    let call = SlowCall { site, nanos, threshold_nanos, at: SystemTime::now() };
    if QUEUE.push(call).is_err() {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// Emits an event for every recorded slow call.
pub(crate) fn drain() {
    while let Some(call) = QUEUE.pop() {
        let info = call.site.info();
        let data = EventData::SlowCall { nanos: call.nanos, threshold_nanos: call.threshold_nanos };
        super::emit(Event::new(call.at, Severity::Warning, data).with_component(info.component).with_site(info.name));
    }
}

/// Returns the number of slow calls dropped because the queue was full.
pub(crate) fn dropped() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}
