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
/// A quantile is the upper bound of the bucket that contains it, within 0.78% of the exact
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

    /// Returns the `(flat bucket index, count)` pairs, sorted by index, with no zero counts.
    pub(crate) fn entries(&self) -> &[(u16, u64)] {
        &self.counts
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

    /// Returns the heap bytes of this copy.
    pub fn heap_bytes(&self) -> usize {
        self.counts.capacity() * std::mem::size_of::<(u16, u64)>()
    }

    /// Folds the counts into an HdrHistogram with two significant digits, whose buckets are
    /// the same as ours, for merging with other processes and for serialization.
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
    ///
    /// The values are those HdrHistogram reports for the same counts (a quantile is the upper
    /// bound of the bucket holding rank `ceil(q * count)`, the mean weighs each bucket by its
    /// middle), computed in one pass over the non-empty buckets.
    pub fn distribution(&self) -> Option<Distribution> {
        let (&(first, _), &(last, _)) = (self.counts.first()?, self.counts.last()?);
        let count = self.count();
        let quantiles = [0.50, 0.90, 0.99, 0.999];
        let ranks = quantiles.map(|quantile| ((quantile * count as f64).ceil() as u64).max(1));

        let mut values = [0u64; 4];
        let mut next = 0;
        let mut seen = 0u64;
        let mut weighted_sum = 0f64;
        for &(index, bucket_count) in &self.counts {
            let (block, slot) = buckets::split_index(index);
            let (low, high) = (buckets::lowest_value(block, slot), buckets::highest_value(block, slot));
            weighted_sum += (low + (high - low).div_ceil(2)) as f64 * bucket_count as f64;

            seen = seen.saturating_add(bucket_count);
            while next < ranks.len() && seen >= ranks[next] {
                values[next] = high;
                next += 1;
            }
        }

        let (first_block, first_slot) = buckets::split_index(first);
        let (last_block, last_slot) = buckets::split_index(last);
        Some(Distribution {
            count,
            min: buckets::lowest_value(first_block, first_slot),
            max: buckets::highest_value(last_block, last_slot),
            mean: weighted_sum / count as f64,
            p50: values[0],
            p90: values[1],
            p99: values[2],
            p999: values[3],
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::metric::Histogram;

    #[test]
    fn distribution_matches_hdrhistogram() {
        let histogram = Histogram::new();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            histogram.record(state % 50_000_000 + 1);
        }

        let buckets = histogram.buckets();
        let ours = buckets.distribution().unwrap();
        let hdr = buckets.to_hdr();
        assert_eq!(ours.count, hdr.len());
        assert_eq!(ours.min, hdr.min());
        assert_eq!(ours.max, hdr.max());
        assert_eq!(ours.p50, hdr.value_at_quantile(0.50));
        assert_eq!(ours.p90, hdr.value_at_quantile(0.90));
        assert_eq!(ours.p99, hdr.value_at_quantile(0.99));
        assert_eq!(ours.p999, hdr.value_at_quantile(0.999));
        assert!((ours.mean - hdr.mean()).abs() / hdr.mean() < 1e-9, "{} != {}", ours.mean, hdr.mean());
    }

    #[test]
    fn merge_adds_counts() {
        let (a, b) = (Histogram::new(), Histogram::new());
        a.record_n(10, 2);
        a.record_n(5_000, 1);
        b.record_n(10, 3);
        b.record_n(90_000, 4);

        let mut merged = a.buckets();
        merged.merge(&b.buckets());
        assert_eq!(merged.count(), 10);
        assert_eq!(merged.since(&a.buckets()).count(), 7);
    }

    #[test]
    fn empty_has_no_distribution() {
        assert_eq!(Histogram::new().buckets().distribution(), None);
    }
}
