//! Exponentially weighted moving average and deviation, and the EWMA control band.
//!
//! With smoothing factor `λ` in (0, 1], each observation `x` updates
//!
//! ```text
//! diff     = x - mean
//! mean     = mean + λ·diff
//! variance = (1 - λ)·(variance + λ·diff²)
//! ```
//!
//! starting from the first observation (`mean = x`, `variance = 0`). `mean` is the EWMA
//! statistic of a control chart, and `sqrt(variance)` the exponentially weighted standard
//! deviation of the observations. The band of width `k` is
//! `mean ± k·deviation·sqrt(λ / (2 - λ))`: `sqrt(λ / (2 - λ))` is the ratio of the EWMA
//! statistic's standard deviation to that of single observations, in the long run.

/// Running EWMA mean and variance of one series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ewma {
    lambda: f64,
    count: u64,
    mean: f64,
    variance: f64,
}

impl Ewma {
    /// Creates an empty average with smoothing factor `lambda`, clamped into (0, 1].
    pub fn new(lambda: f64) -> Self {
        let lambda = if lambda > 0.0 { lambda.min(1.0) } else { f64::MIN_POSITIVE };
        Ewma { lambda, count: 0, mean: 0.0, variance: 0.0 }
    }

    /// Folds in one observation.
    pub fn observe(&mut self, value: f64) {
        self.count += 1;
        if self.count == 1 {
            self.mean = value;
            self.variance = 0.0;
            return;
        }

        let diff = value - self.mean;
        self.mean += self.lambda * diff;
        self.variance = (1.0 - self.lambda) * (self.variance + self.lambda * diff * diff);
    }

    /// Returns the number of observations folded in.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Returns the EWMA statistic, `None` before the first observation.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then_some(self.mean)
    }

    /// Returns the exponentially weighted standard deviation.
    pub fn deviation(&self) -> f64 {
        self.variance.max(0.0).sqrt()
    }

    /// Returns the half-width of the band of width `k`: `k·deviation·sqrt(λ / (2 - λ))`.
    /// It is 0 when the deviation is 0, so the band collapses onto the mean.
    pub fn half_width(&self, k: f64) -> f64 {
        k * self.deviation() * (self.lambda / (2.0 - self.lambda)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ewma_first_observation_is_mean() {
        let mut ewma = Ewma::new(0.5);
        ewma.observe(10.0);
        assert_eq!((ewma.mean(), ewma.deviation()), (Some(10.0), 0.0));
    }

    #[test]
    fn ewma_second_observation() {
        // λ = 0.5 after 10 then 14: diff = 4, mean = 10 + 0.5·4 = 12,
        // variance = 0.5·(0 + 0.5·16) = 4, deviation = 2.
        let mut ewma = Ewma::new(0.5);
        ewma.observe(10.0);
        ewma.observe(14.0);
        assert_eq!(ewma.mean(), Some(12.0));
        assert_eq!(ewma.deviation(), 2.0);
    }

    #[test]
    fn ewma_half_width_formula() {
        // k = 3, deviation 2, λ = 0.5: 3·2·sqrt(0.5 / 1.5) = 6·0.57735… = 3.4641…
        let mut ewma = Ewma::new(0.5);
        ewma.observe(10.0);
        ewma.observe(14.0);
        assert!((ewma.half_width(3.0) - 3.464_101_615_137_754_6).abs() < 1e-12);
    }

    #[test]
    fn ewma_zero_deviation_band_collapses() {
        let mut ewma = Ewma::new(0.3);
        for _ in 0..5 {
            ewma.observe(7.0);
        }
        assert_eq!(ewma.half_width(3.0), 0.0);
    }
}
