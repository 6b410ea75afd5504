//! A rolling window of timestamped samples, the history behind the adaptive thresholds.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

/// Most samples one window keeps, whatever its duration: at one evaluation a second this is
/// a little under three hours. Older samples are dropped first.
pub const MAX_SAMPLES: usize = 10_000;

/// Samples of one series over the last `span` of time, oldest first.
#[derive(Debug, Clone)]
pub struct SampleWindow {
    span: Duration,
    samples: VecDeque<(SystemTime, f64)>,
}

impl SampleWindow {
    /// Creates an empty window that keeps samples for `span`.
    pub fn new(span: Duration) -> Self {
        SampleWindow { span, samples: VecDeque::new() }
    }

    /// Drops the samples taken `span` or longer before `now`.
    pub fn expire(&mut self, now: SystemTime) {
        while let Some((at, _)) = self.samples.front() {
            let age = now.duration_since(*at).unwrap_or(Duration::ZERO);
            if age < self.span {
                break;
            }
            self.samples.pop_front();
        }
    }

    /// Appends a sample taken at `at`, dropping the oldest one past [`MAX_SAMPLES`].
    pub fn push(&mut self, at: SystemTime, value: f64) {
        if self.samples.len() == MAX_SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back((at, value));
    }

    /// Returns the values, oldest first.
    pub fn values(&self) -> impl ExactSizeIterator<Item = f64> + Clone + '_ {
        self.samples.iter().map(|(_, value)| *value)
    }

    /// Returns the oldest sample.
    pub fn oldest(&self) -> Option<(SystemTime, f64)> {
        self.samples.front().copied()
    }

    /// Returns the number of samples.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Returns `true` when the window holds no sample.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn expire_drops_samples_at_span() {
        let mut window = SampleWindow::new(Duration::from_secs(10));
        window.push(at(100), 1.0);
        window.push(at(105), 2.0);
        window.expire(at(110));
        assert_eq!(window.values().collect::<Vec<_>>(), vec![2.0]);
    }

    #[test]
    fn push_caps_sample_count() {
        let mut window = SampleWindow::new(Duration::from_secs(1_000_000));
        for index in 0..MAX_SAMPLES + 5 {
            window.push(at(index as u64), index as f64);
        }
        assert_eq!(window.len(), MAX_SAMPLES);
        assert_eq!(window.oldest().map(|(_, value)| value), Some(5.0));
    }
}
