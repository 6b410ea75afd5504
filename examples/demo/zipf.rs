//! A Zipf sampler: rank `k` (from 0) is drawn with probability proportional to
//! `1 / (k + 1)^s`, the skew of file popularity on real sites.

/// Draws ranks `0..items` with Zipf-skewed probabilities, by inverse transform over the
/// cumulative weights (one binary search per draw).
#[derive(Debug, Clone)]
pub(crate) struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    /// Creates a sampler over `items` ranks (at least 1) with exponent `exponent` (0 draws
    /// uniformly; larger values concentrate the draws on the first ranks).
    pub(crate) fn new(items: usize, exponent: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..items.max(1))
            .map(|rank| {
                total += 1.0 / ((rank + 1) as f64).powf(exponent);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    /// Returns the rank for a uniform draw `uniform` in `[0, 1)`.
    pub(crate) fn sample(&self, uniform: f64) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = uniform.clamp(0.0, 1.0) * total;
        let rank = self.cumulative.partition_point(|&weight| weight <= target);
        rank.min(self.cumulative.len() - 1)
    }

    /// Returns the probability of drawing `rank`.
    #[cfg(test)]
    pub(crate) fn probability(&self, rank: usize) -> f64 {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let below = if rank == 0 { 0.0 } else { self.cumulative[rank - 1] };
        (self.cumulative[rank] - below) / total
    }
}

#[cfg(test)]
mod tests {
    use super::Zipf;

    #[test]
    fn zipf_probabilities_of_three() {
        // Weights 1, 1/2, 1/3 add up to 11/6, so the probabilities are 6/11, 3/11 and 2/11.
        let zipf = Zipf::new(3, 1.0);
        assert!((zipf.probability(0) - 6.0 / 11.0).abs() < 1e-12);
        assert!((zipf.probability(1) - 3.0 / 11.0).abs() < 1e-12);
        assert!((zipf.probability(2) - 2.0 / 11.0).abs() < 1e-12);
    }

    #[test]
    fn zipf_sample_boundaries() {
        let zipf = Zipf::new(3, 1.0);
        // Rank 0 covers [0, 6/11), rank 1 [6/11, 9/11), rank 2 [9/11, 1).
        assert_eq!(zipf.sample(0.0), 0);
        assert_eq!(zipf.sample(0.54), 0);
        assert_eq!(zipf.sample(0.55), 1);
        assert_eq!(zipf.sample(0.81), 1);
        assert_eq!(zipf.sample(0.82), 2);
        assert_eq!(zipf.sample(0.999_999), 2);
    }

    #[test]
    fn zipf_exponent_zero_uniform() {
        let zipf = Zipf::new(4, 0.0);
        for rank in 0..4 {
            assert!((zipf.probability(rank) - 0.25).abs() < 1e-12);
        }
    }

    #[test]
    fn zipf_frequencies_follow_weights() {
        let zipf = Zipf::new(100, 1.2);
        let mut rng = fastrand::Rng::with_seed(7);
        let mut counts = [0u32; 100];
        let draws = 200_000;
        for _ in 0..draws {
            counts[zipf.sample(rng.f64())] += 1;
        }
        for rank in [0, 1, 9] {
            let observed = f64::from(counts[rank]) / f64::from(draws);
            let expected = zipf.probability(rank);
            assert!((observed - expected).abs() < 0.01, "rank {rank}: observed {observed}, expected {expected}");
        }
    }
}
