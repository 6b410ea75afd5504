//! Reading a sparse bucket copy as Prometheus reads a histogram: cumulative counts at `le`
//! bounds, an estimated sum, and quantiles.
//!
//! Our buckets are at most 1/128 of their lower bound wide (0.78%). A bucket counts towards
//! an `le` bound when its lowest value is at or below the bound, so every value at or below a
//! bound is counted, and a value up to 0.78% above it may be counted too. The hot path keeps
//! no sum, so `_sum` is estimated from the middle of each bucket, the way HdrHistogram computes
//! its mean.

use crate::metric::buckets;
use crate::metric::Buckets;

/// One `le` bound of a histogram family, precomputed once per exposition.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    /// The canonical text of the bound, for the `le` label.
    pub(crate) label: String,
    /// The largest recorded value (in the histogram's own unit) that the bound covers.
    pub(crate) threshold: u64,
}

/// Returns the lowest and highest values counted by the bucket at a flat index.
pub(crate) fn bucket_range(index: u16) -> (u64, u64) {
    let (block, slot) = buckets::split_index(index);
    (buckets::lowest_value(block, slot), buckets::highest_value(block, slot))
}

/// Calls `each` with the cumulative count at every bound, in the order of `bounds` (which is
/// ascending), then returns the total count (the `+Inf` bucket).
pub(crate) fn cumulative_counts(buckets: &Buckets, bounds: &[Bound], mut each: impl FnMut(&Bound, u64)) -> u64 {
    let entries = buckets.entries();
    let mut next = 0;
    let mut cumulative = 0u64;
    for bound in bounds {
        while let Some(&(index, count)) = entries.get(next) {
            if bucket_range(index).0 > bound.threshold {
                break;
            }
            cumulative = cumulative.saturating_add(count);
            next += 1;
        }
        each(bound, cumulative);
    }
    entries[next..].iter().fold(cumulative, |total, (_, count)| total.saturating_add(*count))
}

/// Returns the estimated sum of the recorded values: each bucket's count times its middle
/// value (the low end plus half the width, as HdrHistogram's mean does).
pub(crate) fn estimated_sum(buckets: &Buckets) -> f64 {
    buckets
        .entries()
        .iter()
        .map(|&(index, count)| {
            let (low, high) = bucket_range(index);
            let width = high - low + 1;
            let middle = low + width / 2;
            middle as f64 * count as f64
        })
        .sum()
}

/// Returns the value at `quantile` (0 to 1): the highest value of the bucket holding that rank
/// (the lowest for quantile 0), the same rule as HdrHistogram's `value_at_quantile`.
pub(crate) fn quantile(buckets: &Buckets, quantile: f64) -> u64 {
    let total = buckets.count();
    let quantile = quantile.clamp(0.0, 1.0);
    let rank = ((quantile * total as f64).ceil() as u64).max(1);

    let mut seen = 0u64;
    for &(index, count) in buckets.entries() {
        seen = seen.saturating_add(count);
        if seen >= rank {
            let (low, high) = bucket_range(index);
            return if quantile == 0.0 { low } else { high };
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::Histogram;

    fn bound(threshold: u64) -> Bound {
        Bound { label: threshold.to_string(), threshold }
    }

    #[test]
    fn bucket_ranges_tile_the_values() {
        let mut expected_low = 0;
        for index in 0..(buckets::BLOCKS * buckets::BLOCK_LEN) as u16 {
            let (low, high) = bucket_range(index);
            assert_eq!(low, expected_low, "bucket {index} starts where the previous one ended");
            assert!(high >= low);
            expected_low = high + 1;
        }
        assert_eq!(expected_low, 1 << 45);
    }

    #[test]
    fn cumulative_counts_at_exact_bounds() {
        let histogram = Histogram::new();
        histogram.record_n(10, 2);
        histogram.record_n(100, 3);
        // 5_100 is in the bucket [5_088, 5_119], above the last bound.
        histogram.record_n(5_100, 4);
        let bounds = [bound(10), bound(99), bound(100), bound(4_999)];
        let mut seen = Vec::new();
        let total =
            cumulative_counts(&histogram.buckets(), &bounds, |bound, count| seen.push((bound.threshold, count)));
        assert_eq!(seen, vec![(10, 2), (99, 2), (100, 5), (4_999, 5)]);
        assert_eq!(total, 9);
    }

    #[test]
    fn value_at_bound_is_counted_in_it() {
        // 5 ms in nanoseconds sits inside a bucket of [4_980_736, 5_013_503].
        let histogram = Histogram::new();
        histogram.record(5_000_000);
        let bounds = [bound(4_999_999), bound(5_000_000)];
        let mut seen = Vec::new();
        cumulative_counts(&histogram.buckets(), &bounds, |_, count| seen.push(count));
        assert_eq!(seen, vec![1, 1], "the bucket starts below both bounds");
    }

    #[test]
    fn sum_and_quantiles_match_hdrhistogram() {
        let histogram = Histogram::new();
        for value in [3, 700, 1_234, 99_999, 2_500_000, 7_777_777_777] {
            histogram.record_n(value, value % 5 + 1);
        }
        let copy = histogram.buckets();
        let hdr = copy.to_hdr();
        let mean = estimated_sum(&copy) / copy.count() as f64;
        assert!((mean - hdr.mean()).abs() / hdr.mean() < 1e-9, "mean {mean} vs {}", hdr.mean());
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0] {
            assert_eq!(quantile(&copy, q), hdr.value_at_quantile(q), "quantile {q}");
        }
    }

    #[test]
    fn empty_buckets_give_zero() {
        let empty = Buckets::default();
        assert_eq!(quantile(&empty, 0.5), 0);
        assert_eq!(estimated_sum(&empty), 0.0);
        assert_eq!(cumulative_counts(&empty, &[bound(1)], |_, count| assert_eq!(count, 0)), 0);
    }
}
