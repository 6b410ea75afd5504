//! The time source of the alert manager, replaceable so that every timing rule can be tested
//! to the millisecond.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// A source of wall-clock time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Returns the current time.
    fn now(&self) -> SystemTime;

    /// Returns how long a thread waiting for `deadline` may sleep in real time before it must
    /// read [`now`](Clock::now) again.
    fn wait_hint(&self, deadline: SystemTime) -> Duration;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

/// A clock that moves only when told, for tests.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use perf::alert::{Clock, ManualClock};
///
/// let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000));
/// clock.advance(Duration::from_secs(30));
/// assert_eq!(clock.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(1_030));
/// ```
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
}

/// How often a thread waiting on a [`ManualClock`] looks at it again.
const MANUAL_POLL: Duration = Duration::from_millis(2);

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn wait_hint(&self, deadline: SystemTime) -> Duration {
        deadline.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO)
    }
}

impl ManualClock {
    /// Creates a clock that reads `start` until moved.
    pub fn new(start: SystemTime) -> Self {
        ManualClock { now: Mutex::new(start) }
    }

    /// Moves the clock forward by `step`.
    pub fn advance(&self, step: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += step;
    }

    /// Sets the clock to `time`, which may be earlier than the current reading.
    pub fn set(&self, time: SystemTime) {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = time;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn wait_hint(&self, _deadline: SystemTime) -> Duration {
        MANUAL_POLL
    }
}
