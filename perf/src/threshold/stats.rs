//! Statistics of a window of samples: mean and standard deviation, z-score and percentiles.

/// Mean and population standard deviation of `values`; `None` when there are none.
pub fn mean_deviation(values: impl ExactSizeIterator<Item = f64> + Clone) -> Option<(f64, f64)> {
    let count = values.len();
    if count == 0 {
        return None;
    }

    let mean = values.clone().sum::<f64>() / count as f64;
    let variance = values.map(|value| (value - mean).powi(2)).sum::<f64>() / count as f64;
    Some((mean, variance.sqrt()))
}

/// Returns how many standard deviations `value` lies from `mean`.
///
/// A zero deviation is defined rather than divided by: the score is 0 when `value` equals the
/// mean, and positive or negative infinity when it differs, because any change from a
/// perfectly flat history is infinitely unusual. A comparison such as `zscore(x, 10m) > 3`
/// then holds as soon as a flat series moves up.
pub fn zscore(value: f64, mean: f64, deviation: f64) -> f64 {
    if deviation > 0.0 {
        return (value - mean) / deviation;
    }
    if value == mean {
        0.0
    } else if value > mean {
        f64::INFINITY
    } else {
        f64::NEG_INFINITY
    }
}

/// Returns the `quantile` (in [0, 1]) of `values`, interpolating linearly between the two
/// closest ranks (Hyndman and Fan's definition 7, the default of R and NumPy); `None` when
/// there are no values.
pub fn percentile(values: impl Iterator<Item = f64>, quantile: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);

    let rank = quantile.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lower = rank.floor() as usize;
    let upper = rank.ceil() as usize;
    let fraction = rank - lower as f64;
    Some(sorted[lower] + (sorted[upper] - sorted[lower]) * fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_deviation_population() {
        // Mean of 2, 4, 4, 4, 5, 5, 7, 9 is 40 / 8 = 5; squared deviations add up to
        // 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, so the deviation is sqrt(32 / 8) = 2.
        let values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean_deviation(values.iter().copied()), Some((5.0, 2.0)));
    }

    #[test]
    fn mean_deviation_empty_is_none() {
        assert_eq!(mean_deviation([].iter().copied()), None);
    }

    #[test]
    fn zscore_zero_deviation_equal_is_zero() {
        assert_eq!(zscore(3.0, 3.0, 0.0), 0.0);
    }

    #[test]
    fn zscore_zero_deviation_above_is_infinite() {
        assert_eq!(zscore(3.5, 3.0, 0.0), f64::INFINITY);
    }

    #[test]
    fn zscore_zero_deviation_below_is_negative_infinite() {
        assert_eq!(zscore(2.5, 3.0, 0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn percentile_interpolates_between_ranks() {
        // Ranks 0..=4 of 10, 20, 30, 40, 50; q = 0.9 is rank 3.6: 40 + 0.6 * 10 = 46.
        let values = [50.0, 10.0, 40.0, 20.0, 30.0];
        assert!((percentile(values.iter().copied(), 0.9).unwrap() - 46.0).abs() < 1e-12);
    }

    #[test]
    fn percentile_single_value() {
        assert_eq!(percentile([7.0].iter().copied(), 0.99), Some(7.0));
    }
}
