//! Adaptive thresholds checked against values worked out by hand: EWMA bands, z-scores,
//! rolling percentiles, changes over a window, and their warm-up.

mod alert_support;

use std::time::SystemTime;

use alert_support::{at, snapshot};
use perf::threshold::{EvalSettings, Evaluation, Evaluator};

const METRIC: &str = "adaptive_value";

fn evaluator(expr: &str, min_samples: usize) -> Evaluator {
    let expr = expr.replace("X", &format!(r#"metric{{name="{METRIC}"}}"#));
    Evaluator::new(perf::rule::parse_condition(&expr).unwrap(), EvalSettings { min_samples })
}

fn run(evaluator: &mut Evaluator, time: SystemTime, value: f64) -> Evaluation {
    evaluator.evaluate(&snapshot(&[(METRIC, &[], value)]), time)
}

/// Feeds `values` one per 10 s and returns the last evaluation.
fn feed(evaluator: &mut Evaluator, values: &[f64]) -> Evaluation {
    let mut last = Evaluation::default();
    for (index, value) in values.iter().enumerate() {
        last = run(evaluator, at(index as u64 * 10), *value);
    }
    last
}

fn value(evaluation: &Evaluation) -> f64 {
    assert_eq!(evaluation.series.len(), 1, "{evaluation:?}");
    evaluation.series[0].value.unwrap()
}

fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

#[test]
fn ewma_statistic_by_hand() {
    // λ = 0.5: m = 10; m = 10 + 0.5·(14 − 10) = 12; m = 12 + 0.5·(12 − 12) = 12.
    let mut ewma = evaluator("ewma(X, 0.5) > 0", 1);
    close(value(&feed(&mut ewma, &[10.0])), 10.0);
    close(value(&run(&mut ewma, at(10), 14.0)), 12.0);
    close(value(&run(&mut ewma, at(20), 12.0)), 12.0);
}

#[test]
fn ewma_upper_band_by_hand() {
    // λ = 0.5, k = 2, two earlier samples needed.
    // After 10: m = 10, v = 0. After 14: diff 4, m = 12, v = 0.5·(0 + 0.5·16) = 4.
    // At the third sample the band uses those: 12 + 2·sqrt(4)·sqrt(0.5 / 1.5)
    // = 12 + 4·0.5773502691896258 = 14.309401076758503.
    let mut upper = evaluator("ewma_upper(X, 2, 0.5) > 0", 2);
    close(value(&feed(&mut upper, &[10.0, 14.0, 12.0])), 14.309_401_076_758_503);
}

#[test]
fn ewma_band_follows_new_samples() {
    // After 12 (third sample): diff 0, m = 12, v = 0.5·(4 + 0) = 2. The fourth sample's band
    // is 12 + 2·sqrt(2)·sqrt(1/3) = 12 + 1.632993161855452 = 13.632993161855452.
    let mut upper = evaluator("ewma_upper(X, 2, 0.5) > 0", 2);
    close(value(&feed(&mut upper, &[10.0, 14.0, 12.0, 20.0])), 13.632_993_161_855_452);
}

#[test]
fn ewma_lower_band_by_hand() {
    // 12 − 2.309401076758503 = 9.690598923241497.
    let mut lower = evaluator("ewma_lower(X, 2, 0.5) > 0", 2);
    close(value(&feed(&mut lower, &[10.0, 14.0, 12.0])), 9.690_598_923_241_497);
}

#[test]
fn ewma_band_breach_detected() {
    // 20 is above the fourth band, 13.63; 12 was below the third, 14.31.
    let mut rule = evaluator("X > ewma_upper(X, 2, 0.5)", 2);
    let third = feed(&mut rule, &[10.0, 14.0, 12.0]);
    assert!(!third.series[0].active);
    let fourth = run(&mut rule, at(30), 20.0);
    assert!(fourth.series[0].active);
}

#[test]
fn ewma_band_silent_while_learning() {
    let mut rule = evaluator("X > ewma_upper(X, 2, 0.5)", 2);
    let second = feed(&mut rule, &[10.0, 1000.0]);
    assert!(second.series.is_empty());
    assert!(second.warming_up);
}

#[test]
fn ewma_zero_deviation_band_is_mean() {
    // Constant 7: m = 7, v = 0, so the band collapses to 7 and 7.5 is above it.
    let mut rule = evaluator("X > ewma_upper(X, 3, 0.3)", 3);
    let last = feed(&mut rule, &[7.0, 7.0, 7.0, 7.5]);
    assert!(last.series[0].active);
}

#[test]
fn zscore_by_hand() {
    // History 2, 4, 4, 4, 5, 5, 7, 9: mean 40 / 8 = 5, squared deviations add up to 32,
    // population deviation sqrt(32 / 8) = 2. Then 11 scores (11 − 5) / 2 = 3.
    let mut zscore = evaluator("zscore(X, 10m) > 2.5", 8);
    let last = feed(&mut zscore, &[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, 11.0]);
    close(value(&last), 3.0);
    assert!(last.series[0].active);
}

#[test]
fn zscore_below_threshold_inactive() {
    // Same history; 6 scores (6 − 5) / 2 = 0.5.
    let mut zscore = evaluator("zscore(X, 10m) > 2.5", 8);
    let last = feed(&mut zscore, &[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, 6.0]);
    close(value(&last), 0.5);
    assert!(!last.series[0].active);
}

#[test]
fn zscore_zero_deviation_is_infinite() {
    let mut zscore = evaluator("zscore(X, 10m) > 3", 3);
    let last = feed(&mut zscore, &[5.0, 5.0, 5.0, 6.0]);
    assert_eq!(value(&last), f64::INFINITY);
}

#[test]
fn zscore_zero_deviation_at_mean_is_zero() {
    let mut zscore = evaluator("zscore(X, 10m) > 3", 3);
    let last = feed(&mut zscore, &[5.0, 5.0, 5.0, 5.0]);
    assert_eq!(value(&last), 0.0);
}

#[test]
fn zscore_window_drops_old_samples() {
    // With a 25 s window at 30 s only the samples of 10 s and 20 s count (4 and 6: mean 5,
    // deviation 1), so 8 scores 3; the 100 at 0 s is out of the window.
    let mut zscore = evaluator("zscore(X, 25s) > 0", 2);
    close(value(&feed(&mut zscore, &[100.0, 4.0, 6.0, 8.0])), 3.0);
}

#[test]
fn rolling_percentile_by_hand() {
    // 10, 20, 30, 40, 50: q = 0.9 is rank 0.9·4 = 3.6, so 40 + 0.6·10 = 46.
    let mut percentile = evaluator("rolling_percentile(X, 90%, 10m) > 0", 5);
    close(value(&feed(&mut percentile, &[10.0, 20.0, 30.0, 40.0, 50.0, 0.0])), 46.0);
}

#[test]
fn rolling_percentile_breach() {
    let mut rule = evaluator("X > 1.5 * rolling_percentile(X, 90%, 10m)", 5);
    // 1.5 · 46 = 69: 70 is above.
    let last = feed(&mut rule, &[10.0, 20.0, 30.0, 40.0, 50.0, 70.0]);
    assert!(last.series[0].active);
}

#[test]
fn delta_over_window() {
    // 10 at 0 s, 25 at 10 s: the change over the minute is 15.
    let mut delta = evaluator("delta(X, 1m) > 0", 1);
    close(value(&feed(&mut delta, &[10.0, 25.0])), 15.0);
}

#[test]
fn pct_change_over_window() {
    // (25 − 10) / 10 = 1.5, shown as 150%.
    let mut change = evaluator("pct_change(X, 1m) > 100%", 1);
    let last = feed(&mut change, &[10.0, 25.0]);
    close(value(&last), 1.5);
    assert!(last.series[0].active);
}

#[test]
fn pct_change_from_zero_is_infinite() {
    let mut change = evaluator("pct_change(X, 1m) > 100%", 1);
    assert_eq!(value(&feed(&mut change, &[0.0, 3.0])), f64::INFINITY);
}
