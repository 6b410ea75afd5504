//! The bounded queue of one subscriber.
//!
//! The emitter never waits for the subscriber to read: when the queue is full the oldest event
//! is dropped to make room, and the loss is counted. It only takes the queue's mutex for the
//! push, which readers hold for one pop. A blocking reader waits on a condition
//! variable, an async reader leaves its waker.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::task::Waker;
use std::time::{Duration, Instant};

use super::{Event, EventFilter};

#[derive(Debug)]
pub(crate) struct Queue {
    pub(crate) filter: EventFilter,
    capacity: usize,
    inner: Mutex<Inner>,
    ready: Condvar,
    received: AtomicU64,
    dropped: AtomicU64,
}

#[derive(Debug, Default)]
struct Inner {
    events: VecDeque<Event>,
    waker: Option<Waker>,
}

impl Queue {
    pub(crate) fn new(filter: EventFilter, capacity: usize) -> Self {
        Queue {
            filter,
            capacity: capacity.max(1),
            inner: Mutex::new(Inner::default()),
            ready: Condvar::new(),
            received: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
        }
    }

    /// Adds an event, dropping the oldest one when the queue is full. Returns `false` when an
    /// event was dropped.
    pub(crate) fn push(&self, event: Event) -> bool {
        let mut inner = self.lock();
        let mut kept = true;
        if inner.events.len() >= self.capacity {
            inner.events.pop_front();
            self.dropped.fetch_add(1, Ordering::Relaxed);
            kept = false;
        }
        inner.events.push_back(event);
        self.received.fetch_add(1, Ordering::Relaxed);
        let waker = inner.waker.take();
        drop(inner);

        self.ready.notify_one();
        if let Some(waker) = waker {
            waker.wake();
        }
        kept
    }

    pub(crate) fn try_pop(&self) -> Option<Event> {
        self.lock().events.pop_front()
    }

    /// Waits for an event until `deadline` (forever when `None`).
    pub(crate) fn pop_until(&self, deadline: Option<Instant>) -> Option<Event> {
        let mut inner = self.lock();
        loop {
            if let Some(event) = inner.events.pop_front() {
                return Some(event);
            }
            inner = match deadline {
                None => self.ready.wait(inner).unwrap_or_else(|poisoned| poisoned.into_inner()),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left == Duration::ZERO {
                        return None;
                    }
                    self.ready.wait_timeout(inner, left).unwrap_or_else(|poisoned| poisoned.into_inner()).0
                }
            };
        }
    }

    /// Pops an event, or registers `waker` to be woken by the next push.
    pub(crate) fn pop_or_register(&self, waker: &Waker) -> Option<Event> {
        let mut inner = self.lock();
        if let Some(event) = inner.events.pop_front() {
            return Some(event);
        }
        match &inner.waker {
            Some(existing) if existing.will_wake(waker) => {}
            _ => inner.waker = Some(waker.clone()),
        }
        None
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().events.len()
    }

    pub(crate) fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
