use serde::{Deserialize, Serialize};

use super::buckets::{self, MAX_TRACKABLE};

/// A sparse, read-only copy of a histogram's bucket counts, taken off the hot path.
///
/// Two copies of the same histogram subtract into the counts of the interval between them,
/// which is how the collector derives windowed quantiles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Buckets {
    /// `(flat bucket index, count)`, sorted by index, with no zero counts.
    counts: Vec<(u16, u64)>,
}

/// Latency (or any value) distribution of a histogram, in the histogram's unit: nanoseconds
/// for call latencies.
///
/// Quantiles are the upper bound of the bucket that holds them, within 0.78% of the exact
/// value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Number of recorded values.
    pub count: u64,
    /// Smallest recorded value.
    pub min: u64,
    /// Largest recorded value.
    pub max: u64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// 99.9th percentile.
    pub p999: u64,
}

impl Buckets {
    pub(crate) fn from_sorted(counts: Vec<(u16, u64)>) -> Self {
        debug_assert!(counts.windows(2).all(|pair| pair[0].0 < pair[1].0));
        Buckets { counts }
    }

    /// Returns the number of recorded values.
    pub fn count(&self) -> u64 {
        self.counts.iter().fold(0u64, |sum, (_, count)| sum.saturating_add(*count))
    }

    /// Returns `true` when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Returns the counts recorded since `earlier`, a copy of the same histogram taken before.
    ///
    /// A bucket that reads lower than in `earlier` (which only a reset could cause) counts 0.
    pub fn since(&self, earlier: &Buckets) -> Buckets {
        let mut counts = Vec::with_capacity(self.counts.len());
        let mut old = earlier.counts.iter().peekable();
        for &(index, count) in &self.counts {
            while old.next_if(|(old_index, _)| *old_index < index).is_some() {}
            let before = old.next_if(|(old_index, _)| *old_index == index).map_or(0, |(_, c)| *c);
            let delta = count.saturating_sub(before);
            if delta > 0 {
                counts.push((index, delta));
            }
        }
        Buckets { counts }
    }

    /// Adds the counts of `other` into this copy.
    pub fn merge(&mut self, other: &Buckets) {
        let (left, right) = (&self.counts, &other.counts);
        let mut merged = Vec::with_capacity(left.len() + right.len());
        let (mut i, mut j) = (0, 0);
        while i < left.len() && j < right.len() {
            let (a, b) = (left[i], right[j]);
            if a.0 == b.0 {
                merged.push((a.0, a.1.saturating_add(b.1)));
                i += 1;
                j += 1;
            } else if a.0 < b.0 {
                merged.push(a);
                i += 1;
            } else {
                merged.push(b);
                j += 1;
            }
        }
        merged.extend_from_slice(&left[i..]);
        merged.extend_from_slice(&right[j..]);
        self.counts = merged;
    }

    /// Returns the heap bytes this copy holds.
    pub fn heap_bytes(&self) -> usize {
        self.counts.capacity() * std::mem::size_of::<(u16, u64)>()
    }

    /// Folds the counts into an HdrHistogram with two significant digits, whose buckets are
    /// the same as ours, for quantiles, merging with other processes and serialization.
    pub fn to_hdr(&self) -> hdrhistogram::Histogram<u64> {
        let mut hdr = hdrhistogram::Histogram::new_with_bounds(1, MAX_TRACKABLE, 2)
            .expect("1..2^45 with 2 significant digits is a valid HdrHistogram range");
        for &(index, count) in &self.counts {
            let (block, slot) = buckets::split_index(index);
            hdr.saturating_record_n(buckets::lowest_value(block, slot), count);
        }
        hdr
    }

    /// Summarizes the distribution, or returns `None` when nothing was recorded.
    pub fn distribution(&self) -> Option<Distribution> {
        if self.is_empty() {
            return None;
        }

        let hdr = self.to_hdr();
        Some(Distribution {
            count: hdr.len(),
            min: hdr.min(),
            max: hdr.max(),
            mean: hdr.mean(),
            p50: hdr.value_at_quantile(0.50),
            p90: hdr.value_at_quantile(0.90),
            p99: hdr.value_at_quantile(0.99),
            p999: hdr.value_at_quantile(0.999),
        })
    }
}
