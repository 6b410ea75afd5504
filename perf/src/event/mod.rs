//! Events: typed notices of what happens in the runtime, delivered to subscribers.
//!
//! Alert state changes, threshold breaches, slow calls, site and component registration,
//! configuration reloads, export results, cache health changes and failed notifications are
//! all [`Event`]s. A subscriber picks what it wants with an [`EventFilter`] and reads a
//! [`Subscription`] as a blocking iterator or an async stream.
//!
//! Every subscription has a bounded queue. [`emit`] never waits: when a subscriber falls
//! behind, its oldest events are dropped and counted ([`Subscription::dropped`], [`stats`]).
//! A monitored call does not emit at all: a slow call is queued without a lock and turned into
//! an event by the collector thread (see `slow`).
//!
//! ```
//! use perf::event::{self, EventFilter, EventKind};
//!
//! let slow_calls = event::subscribe(EventFilter::new().kinds([EventKind::SlowCall]), 1024);
//! // ... later, on another thread: `for event in slow_calls { ... }`
//! # drop(slow_calls);
//! ```

mod bus;
mod filter;
mod queue;
pub(crate) mod slow;
mod subscription;
mod types;
mod watch;

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

pub use filter::EventFilter;
pub use slow::SLOW_CALL_QUEUE_CAPACITY;
pub use subscription::Subscription;
pub use types::{Event, EventData, EventKind, Severity};

/// Counts of the event system since the start of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventStats {
    /// Events emitted.
    pub emitted: u64,
    /// Events dropped from full subscriber queues, over all subscribers.
    pub dropped: u64,
    /// Slow calls dropped because the queue between monitored calls and the collector was full.
    pub slow_calls_dropped: u64,
    /// Current subscriptions.
    pub subscribers: usize,
}

/// Subscribes to the events that pass `filter`, keeping at most `capacity` unread events.
pub fn subscribe(filter: EventFilter, capacity: usize) -> Subscription {
    Subscription::new(bus::subscribe(filter, capacity))
}

/// Delivers `event` to every subscriber whose filter accepts it, without waiting for any.
pub fn emit(event: Event) {
    bus::emit(event);
}

/// Returns the counts of the event system.
pub fn stats() -> EventStats {
    EventStats {
        emitted: bus::emitted(),
        dropped: bus::dropped(),
        slow_calls_dropped: slow::dropped(),
        subscribers: bus::subscriber_count(),
    }
}

/// Runs after every collector tick, once the collector's lock is released: emits the slow
/// calls recorded since the last tick, then, when someone listens, the registration and cache
/// health events, and evaluates the installed alert manager.
pub(crate) fn after_collector_tick() {
    slow::drain();
    let listening = bus::has_subscribers();
    let alerting = crate::alert::is_installed();
    if !listening && !alerting {
        return;
    }

    let snapshot = crate::snapshot();
    if listening {
        watch::compare(&snapshot, SystemTime::now());
    }
    if alerting {
        crate::alert::evaluate_installed(&snapshot);
    }
}
