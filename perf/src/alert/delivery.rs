//! Delivery: a thread that sends notifications to receivers and retries failures.
//!
//! The alert manager hands notifications over through a bounded queue and never waits for a
//! receiver. Each failed attempt is retried after an exponential backoff with jitter, up to
//! [`RetryPolicy::max_attempts`]; a notification that still fails, or that finds the queue
//! full, is recorded as failed with its error (in [`DeliveryRecord`]s, the history, the log and
//! a [`NotificationFailed`](crate::event::EventData::NotificationFailed) event). Nothing is
//! dropped silently.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::history::{History, HistoryEntry, HistoryEvent};
use super::notification::Notification;
use super::receiver::{DeliveryError, Receiver};
use crate::event::{self, Event, EventData, Severity};

/// Delivery records kept for [`AlertManager::deliveries`](super::AlertManager::deliveries).
const RECORD_CAPACITY: usize = 1000;

/// When and how often a failed delivery is tried again.
///
/// The wait after the `n`th failed attempt is `initial_backoff · multiplier^(n−1)`, capped at
/// `max_backoff`, then shortened by a random fraction of up to `jitter` of itself (so that
/// many senders do not retry in step).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    /// Wait after the first failure.
    pub initial_backoff: Duration,
    /// Longest wait.
    pub max_backoff: Duration,
    /// Growth of the wait per failure.
    pub multiplier: f64,
    /// Largest fraction of a wait removed at random, from 0 (none) to 1.
    pub jitter: f64,
}

/// The state of one notification's delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryRecord {
    /// Sequence number.
    pub id: u64,
    /// Name of the receiver.
    pub receiver: String,
    /// Key of the group.
    pub group_key: String,
    /// Fingerprints of the alerts in the notification.
    pub fingerprints: Vec<String>,
    /// Progress of the delivery.
    pub status: DeliveryStatus,
    /// Every attempt so far.
    pub attempts: Vec<Attempt>,
    /// When the next attempt is due, while retrying.
    pub next_attempt_at: Option<SystemTime>,
}

/// Progress of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its first attempt.
    Pending,
    /// Failed at least once, another attempt is due.
    Retrying,
    /// Delivered.
    Delivered,
    /// Given up: see the last attempt's error.
    Failed,
}

/// One attempt to deliver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// When it started.
    pub at: SystemTime,
    /// Error of a failed attempt; `None` when it succeeded.
    pub error: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Delivery {
    shared: Arc<Shared>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    clock: Arc<dyn Clock>,
    retry: RetryPolicy,
    capacity: usize,
    history: Arc<Mutex<History>>,
}

#[derive(Debug, Default)]
struct State {
    jobs: VecDeque<Job>,
    records: VecDeque<DeliveryRecord>,
    in_flight: usize,
    next_id: u64,
    stopping: bool,
}

#[derive(Debug)]
struct Job {
    id: u64,
    notification: Notification,
    receiver: Arc<dyn Receiver>,
    next_at: SystemTime,
    attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            multiplier: 2.0,
            jitter: 0.2,
        }
    }
}

impl RetryPolicy {
    /// Returns the wait after `failures` failed attempts (1 or more), with `random` in [0, 1)
    /// choosing the jitter.
    pub fn backoff(&self, failures: u32, random: f64) -> Duration {
        let exponent = failures.saturating_sub(1).min(64) as i32;
        let base = self.initial_backoff.as_secs_f64() * self.multiplier.max(1.0).powi(exponent);
        let capped = base.min(self.max_backoff.as_secs_f64());
        let jittered = capped * (1.0 - self.jitter.clamp(0.0, 1.0) * random.clamp(0.0, 1.0));
        Duration::try_from_secs_f64(jittered).unwrap_or(self.max_backoff)
    }
}

impl Delivery {
    pub(crate) fn start(
        clock: Arc<dyn Clock>,
        retry: RetryPolicy,
        capacity: usize,
        history: Arc<Mutex<History>>,
    ) -> Result<Delivery, std::io::Error> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            clock,
            retry,
            capacity: capacity.max(1),
            history,
        });
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new().name("perf-alert-delivery".into()).spawn(move || worker.run())?;
        Ok(Delivery { shared, thread: Mutex::new(Some(thread)) })
    }

    /// Queues `notification` for `receiver`; a full queue fails it at once, visibly.
    pub(crate) fn enqueue(&self, notification: Notification, receiver: Arc<dyn Receiver>) {
        let now = self.shared.clock.now();
        let mut state = self.shared.lock();
        state.next_id += 1;
        let id = state.next_id;
        let record = DeliveryRecord {
            id,
            receiver: receiver.name().to_owned(),
            group_key: notification.group_key.clone(),
            fingerprints: notification.alerts.iter().map(|alert| alert.fingerprint.clone()).collect(),
            status: DeliveryStatus::Pending,
            attempts: Vec::new(),
            next_attempt_at: Some(now),
        };

        if state.jobs.len() >= self.shared.capacity {
            let error = format!(
                "the delivery queue is full ({} notifications waiting); the receiver is too slow or unreachable",
                state.jobs.len()
            );
            let record = DeliveryRecord { status: DeliveryStatus::Failed, next_attempt_at: None, ..record };
            push_record(&mut state, record.clone());
            drop(state);
            self.shared.report_failure(&record, now, &error);
            return;
        }

        push_record(&mut state, record);
        state.jobs.push_back(Job { id, notification, receiver, next_at: now, attempts: 0 });
        drop(state);
        self.shared.wake.notify_all();
    }

    pub(crate) fn records(&self) -> Vec<DeliveryRecord> {
        self.shared.lock().records.iter().cloned().collect()
    }

    /// Waits until no delivery is due or under way, up to `timeout` of real time. Returns
    /// `false` on timeout. Retries scheduled later do not count as due.
    pub(crate) fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            {
                let state = self.shared.lock();
                let now = self.shared.clock.now();
                if state.in_flight == 0 && state.jobs.iter().all(|job| job.next_at > now) {
                    return true;
                }
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    pub(crate) fn stop(&self) {
        self.shared.lock().stopping = true;
        self.shared.wake.notify_all();
        let thread = self.thread.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        if let Some(thread) = thread {
            if thread.join().is_err() {
                tracing::error!("perf alert delivery thread panicked");
            }
        }

        let abandoned = self.shared.lock().jobs.len();
        if abandoned > 0 {
            tracing::warn!(abandoned, "alert manager stopped with notifications still waiting for delivery");
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn run(&self) {
        let mut rng = fastrand::Rng::new();
        while let Some(mut job) = self.next_due() {
            let started = self.clock.now();
            let result = catch_unwind(AssertUnwindSafe(|| job.receiver.send(&job.notification)))
                .unwrap_or_else(|_| Err(DeliveryError::retryable("the receiver panicked")));
            job.attempts += 1;
            self.finish(job, started, result, rng.f64());
        }
    }

    /// Waits for the next due job; `None` when stopping.
    fn next_due(&self) -> Option<Job> {
        let mut state = self.lock();
        loop {
            if state.stopping {
                return None;
            }
            let now = self.clock.now();
            if let Some(index) = state.jobs.iter().position(|job| job.next_at <= now) {
                let job = state.jobs.remove(index)?;
                state.in_flight += 1;
                return Some(job);
            }

            let wait = match state.jobs.iter().map(|job| job.next_at).min() {
                Some(deadline) => self.clock.wait_hint(deadline).max(Duration::from_millis(1)),
                None => Duration::from_secs(60),
            };
            state = self.wake.wait_timeout(state, wait).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
        }
    }

    fn finish(&self, mut job: Job, started: SystemTime, result: Result<(), DeliveryError>, random: f64) {
        let mut state = self.lock();
        state.in_flight -= 1;
        let error = result.as_ref().err().map(|error| error.message.clone());
        let retry = match &result {
            Err(error) if error.retryable && job.attempts < self.retry.max_attempts => {
                Some(started + self.retry.backoff(job.attempts, random))
            }
            _ => None,
        };

        let Some(record) = state.records.iter_mut().find(|record| record.id == job.id) else {
            return;
        };
        record.attempts.push(Attempt { at: started, error: error.clone() });
        record.next_attempt_at = retry;
        record.status = match (&result, retry) {
            (Ok(()), _) => DeliveryStatus::Delivered,
            (Err(_), Some(_)) => DeliveryStatus::Retrying,
            (Err(_), None) => DeliveryStatus::Failed,
        };
        let record = record.clone();

        if let Some(next_at) = retry {
            tracing::warn!(
                receiver = %record.receiver, attempt = job.attempts, error = error.as_deref().unwrap_or(""),
                retry_in = ?next_at.duration_since(started).unwrap_or_default(), "alert notification failed; retrying"
            );
            job.next_at = next_at;
            state.jobs.push_back(job);
            return;
        }
        drop(state);

        match error {
            None => {
                let event = HistoryEvent::Delivered {
                    receiver: record.receiver.clone(),
                    group_key: record.group_key.clone(),
                    fingerprints: record.fingerprints.clone(),
                    attempts: job.attempts,
                };
                self.history().push(HistoryEntry { at: started, event });
            }
            Some(error) => self.report_failure(&record, started, &error),
        }
    }

    fn report_failure(&self, record: &DeliveryRecord, at: SystemTime, error: &str) {
        let attempts = record.attempts.len() as u32;
        tracing::error!(receiver = %record.receiver, group = %record.group_key, attempts, %error, "alert notification could not be delivered");
        let event = HistoryEvent::DeliveryFailed {
            receiver: record.receiver.clone(),
            group_key: record.group_key.clone(),
            fingerprints: record.fingerprints.clone(),
            attempts,
            error: error.to_owned(),
        };
        self.history().push(HistoryEntry { at, event });
        let data =
            EventData::NotificationFailed { receiver: record.receiver.clone(), error: error.to_owned(), attempts };
        event::emit(Event::new(at, Severity::Warning, data));
    }

    fn history(&self) -> MutexGuard<'_, History> {
        self.history.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn push_record(state: &mut State, record: DeliveryRecord) {
    if state.records.len() == RECORD_CAPACITY {
        // Drop the oldest finished record; unfinished ones are still needed.
        let finished = state
            .records
            .iter()
            .position(|record| matches!(record.status, DeliveryStatus::Delivered | DeliveryStatus::Failed));
        if let Some(index) = finished {
            state.records.remove(index);
        } else {
            state.records.pop_front();
        }
    }
    state.records.push_back(record);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(jitter: f64) -> RetryPolicy {
        RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(10),
            multiplier: 2.0,
            jitter,
        }
    }

    #[test]
    fn backoff_doubles() {
        // 1 s, 2 s, 4 s after the first, second and third failures.
        assert_eq!(policy(0.0).backoff(3, 0.5), Duration::from_secs(4));
    }

    #[test]
    fn backoff_capped_at_max() {
        // 1·2^4 = 16 s, capped at 10 s.
        assert_eq!(policy(0.0).backoff(5, 0.0), Duration::from_secs(10));
    }

    #[test]
    fn backoff_jitter_shortens() {
        // 4 s less 0.5·0.5 of itself: 4·(1 − 0.25) = 3 s.
        assert_eq!(policy(0.5).backoff(3, 0.5), Duration::from_secs(3));
    }
}
