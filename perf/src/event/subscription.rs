//! A subscription: the receiving end of a bounded queue, read as a blocking iterator or as an
//! async stream.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use super::bus;
use super::queue::Queue;
use super::Event;

/// The events that passed a subscriber's filter, in the order they were emitted.
///
/// Dropping the subscription unsubscribes. As an [`Iterator`] it blocks until the next event;
/// as a [`futures_core::Stream`] it wakes the task instead. Neither ends on its own.
///
/// ```
/// use perf::event::{self, Event, EventData, EventFilter, EventKind, Severity};
///
/// let events = event::subscribe(EventFilter::new().kinds([EventKind::ConfigReloaded]), 16);
/// event::emit(Event::new(std::time::SystemTime::now(), Severity::Info, EventData::ConfigReloaded { applied: true, error: None }));
/// let received = events.try_recv().unwrap();
/// assert_eq!(received.kind(), EventKind::ConfigReloaded);
/// ```
#[derive(Debug)]
pub struct Subscription {
    queue: Arc<Queue>,
}

impl Subscription {
    pub(crate) fn new(queue: Arc<Queue>) -> Self {
        Subscription { queue }
    }

    /// Returns the next event if one is waiting.
    pub fn try_recv(&self) -> Option<Event> {
        self.queue.try_pop()
    }

    /// Waits up to `timeout` for the next event.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Event> {
        self.queue.pop_until(Some(Instant::now() + timeout))
    }

    /// Waits for the next event.
    pub fn recv(&self) -> Event {
        loop {
            if let Some(event) = self.queue.pop_until(None) {
                return event;
            }
        }
    }

    /// Returns an iterator over the events already waiting, without blocking.
    pub fn try_iter(&self) -> impl Iterator<Item = Event> + '_ {
        std::iter::from_fn(|| self.try_recv())
    }

    /// Returns the number of events waiting.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Returns `true` when no event is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the number of events dropped because the queue was full when they arrived.
    pub fn dropped(&self) -> u64 {
        self.queue.dropped()
    }

    /// Returns the number of events that passed the filter, dropped ones included.
    pub fn received(&self) -> u64 {
        self.queue.received()
    }
}

impl Iterator for Subscription {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        Some(self.recv())
    }
}

impl futures_core::Stream for Subscription {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        match self.queue.pop_or_register(cx.waker()) {
            Some(event) => Poll::Ready(Some(event)),
            None => Poll::Pending,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        bus::unsubscribe(&self.queue);
    }
}
