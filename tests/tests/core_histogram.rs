//! Quantile accuracy of the lock-free histogram against exact sorted values.

/// A small xorshift generator, so the test needs no extra crate and is repeatable.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Returns a value spread evenly over the decades from 1 ns to `max`.
    fn log_uniform(&mut self, max: f64) -> u64 {
        let fraction = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        max.powf(fraction).round() as u64
    }
}

/// The value of rank `ceil(q * n)` (1-based) in sorted order: the usual definition of the
/// q-quantile of a sample, which HdrHistogram follows.
fn exact_quantile(sorted: &[u64], quantile: f64) -> u64 {
    let rank = ((quantile * sorted.len() as f64).ceil() as usize).max(1);
    sorted[rank - 1]
}

fn relative_error(measured: u64, exact: u64) -> f64 {
    (measured as f64 - exact as f64).abs() / (exact as f64).max(1.0)
}

#[test]
fn quantiles_within_one_percent() {
    const ONE_HOUR_NS: f64 = 3_600e9;
    let histogram = perf::Histogram::new();
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut values: Vec<u64> = (0..200_000).map(|_| random.log_uniform(ONE_HOUR_NS)).collect();
    for value in &values {
        histogram.record(*value);
    }
    values.sort_unstable();

    let distribution = histogram.buckets().distribution().unwrap();
    assert_eq!(distribution.count, values.len() as u64);
    let checks = [
        ("p50", distribution.p50, exact_quantile(&values, 0.50)),
        ("p90", distribution.p90, exact_quantile(&values, 0.90)),
        ("p99", distribution.p99, exact_quantile(&values, 0.99)),
        ("p99.9", distribution.p999, exact_quantile(&values, 0.999)),
        ("max", distribution.max, *values.last().unwrap()),
    ];
    for (label, measured, exact) in checks {
        let error = relative_error(measured, exact);
        assert!(error <= 0.01, "{label}: measured {measured}, exact {exact}, error {:.4}%", error * 100.0);
    }
}

#[test]
fn one_hour_is_within_range() {
    let histogram = perf::Histogram::new();
    let one_hour = 3_600_000_000_000u64;
    histogram.record(one_hour);

    let distribution = histogram.buckets().distribution().unwrap();
    assert!(relative_error(distribution.max, one_hour) <= 0.01, "max {}", distribution.max);
}

#[test]
fn single_nanoseconds_are_exact() {
    let histogram = perf::Histogram::new();
    for value in [1, 2, 3, 100, 255] {
        histogram.record(value);
    }

    let distribution = histogram.buckets().distribution().unwrap();
    assert_eq!(distribution.min, 1);
    assert_eq!(distribution.max, 255);
    assert_eq!(distribution.p50, 3);
}

#[test]
fn mean_within_one_percent() {
    let histogram = perf::Histogram::new();
    let values: Vec<u64> = (1..=10_000).map(|index| index * 1_000).collect();
    for value in &values {
        histogram.record(*value);
    }

    let exact_mean = values.iter().sum::<u64>() as f64 / values.len() as f64;
    let mean = histogram.buckets().distribution().unwrap().mean;
    assert!((mean - exact_mean).abs() / exact_mean <= 0.01, "mean {mean}, exact {exact_mean}");
}

#[test]
fn window_difference_holds_only_new_values() {
    let histogram = perf::Histogram::new();
    for _ in 0..100 {
        histogram.record(1_000);
    }
    let before = histogram.buckets();
    for _ in 0..10 {
        histogram.record(1_000_000);
    }

    let window = histogram.buckets().since(&before);
    assert_eq!(window.count(), 10);
    let distribution = window.distribution().unwrap();
    assert!(relative_error(distribution.p50, 1_000_000) <= 0.01);
}
