//! The health score of a cache: one number from 0 to 100 and a state, from the statistics.
//!
//! No standard cache health score exists, so the formula is this crate's own, documented in
//! the crate root and computed by [`Health::evaluate`]. Apdex is the model of its latency part.

use std::fmt;
use std::time::Duration;

use perf::Buckets;
use serde::{Deserialize, Serialize};

use crate::stats::CacheStats;

/// Weight of the hit-rate component in the score.
pub const HIT_RATE_WEIGHT: f64 = 0.40;
/// Weight of the latency (Apdex) component.
pub const LATENCY_WEIGHT: f64 = 0.25;
/// Weight of the load-failure component.
pub const LOAD_FAILURE_WEIGHT: f64 = 0.20;
/// Weight of the eviction-churn component.
pub const CHURN_WEIGHT: f64 = 0.10;
/// Weight of the memory-pressure component.
pub const MEMORY_WEIGHT: f64 = 0.05;

/// Memory pressure (weighted size over capacity) up to which the memory component is 1.
pub const MEMORY_PRESSURE_KNEE: f64 = 0.9;
/// A load-failure rate at or above this makes the load-failure component 0.
pub const LOAD_FAILURE_LIMIT: f64 = 0.1;
/// Latencies up to this many times the target count as tolerating, as in Apdex.
pub const TOLERATING_FACTOR: u64 = 4;

/// Targets and state bounds of one cache's health score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HealthPolicy {
    target_hit_rate: f64,
    target_latency_ns: u64,
    bounds: HealthBounds,
}

/// Score bounds between the states: healthy from `healthy_from` up, degraded from
/// `degraded_from` up, critical below.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HealthBounds {
    healthy_from: f64,
    degraded_from: f64,
}

/// The state of a cache, from its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthState {
    /// Score at or above the healthy bound.
    Healthy,
    /// Score at or above the degraded bound, below the healthy one.
    Degraded,
    /// Score below the degraded bound.
    Critical,
}

/// The health of a cache: score, state and the components behind them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// Weighted sum of the components, from 0 to 100.
    pub score: f64,
    /// State from the score and the policy's bounds.
    pub state: HealthState,
    /// Each component, from 0 (worst) to 1 (best).
    pub components: HealthComponents,
}

/// The components of a health score, each from 0 (worst) to 1 (best).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HealthComponents {
    /// Hit rate against its target.
    pub hit_rate: f64,
    /// Apdex of lookup latency against the target latency.
    pub latency: f64,
    /// One minus evictions per insert.
    pub churn: f64,
    /// Headroom of weighted size under the capacity.
    pub memory: f64,
    /// Share of loads that did not fail, scaled so 10% failures reach 0.
    pub load_failures: f64,
}

/// Lookups split by latency against a target `T`, as in Apdex: satisfied up to `T`,
/// tolerating up to `4T`, frustrated above.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencySplit {
    /// Lookups that took at most `T`.
    pub satisfied: u64,
    /// Lookups that took more than `T` and at most `4T`.
    pub tolerating: u64,
    /// Lookups that took more than `4T`.
    pub frustrated: u64,
}

/// An invalid health target or bound.
#[derive(Debug, Clone, PartialEq)]
pub enum HealthConfigError {
    /// The target hit rate is not in `(0, 1]`.
    TargetHitRate(f64),
    /// The target latency is zero.
    TargetLatency(Duration),
    /// A bound is outside `0..=100`, or the degraded bound is above the healthy one.
    Bounds {
        /// The healthy bound given.
        healthy_from: f64,
        /// The degraded bound given.
        degraded_from: f64,
    },
}

impl HealthPolicy {
    /// Target hit rate when none is set: 0.8.
    pub const DEFAULT_TARGET_HIT_RATE: f64 = 0.8;
    /// Target lookup latency when none is set: 1 ms.
    pub const DEFAULT_TARGET_LATENCY: Duration = Duration::from_millis(1);

    /// Creates a policy with these targets and the default bounds (healthy from 80, degraded
    /// from 50).
    pub fn new(target_hit_rate: f64, target_latency: Duration) -> Result<HealthPolicy, HealthConfigError> {
        if !(target_hit_rate > 0.0 && target_hit_rate <= 1.0) {
            return Err(HealthConfigError::TargetHitRate(target_hit_rate));
        }
        if target_latency.is_zero() {
            return Err(HealthConfigError::TargetLatency(target_latency));
        }
        let target_latency_ns = u64::try_from(target_latency.as_nanos()).unwrap_or(u64::MAX);
        Ok(HealthPolicy { target_hit_rate, target_latency_ns, bounds: HealthBounds::DEFAULT })
    }

    /// Creates a policy from targets the derive macro has already checked.
    #[doc(hidden)]
    pub const fn from_checked(target_hit_rate: f64, target_latency_ns: u64) -> HealthPolicy {
        HealthPolicy { target_hit_rate, target_latency_ns, bounds: HealthBounds::DEFAULT }
    }

    /// Returns this policy with other state bounds.
    pub fn with_bounds(self, bounds: HealthBounds) -> HealthPolicy {
        HealthPolicy { bounds, ..self }
    }

    /// Returns the target hit rate.
    pub fn target_hit_rate(&self) -> f64 {
        self.target_hit_rate
    }

    /// Returns the target lookup latency.
    pub fn target_latency(&self) -> Duration {
        Duration::from_nanos(self.target_latency_ns)
    }

    /// Returns the state bounds.
    pub fn bounds(&self) -> HealthBounds {
        self.bounds
    }
}

impl Default for HealthPolicy {
    fn default() -> Self {
        HealthPolicy::DEFAULT
    }
}

impl HealthPolicy {
    /// Target hit rate 0.8, target latency 1 ms, healthy from 80, degraded from 50.
    pub const DEFAULT: HealthPolicy = HealthPolicy::from_checked(0.8, 1_000_000);
}

impl HealthBounds {
    /// Healthy from 80, degraded from 50.
    pub const DEFAULT: HealthBounds = HealthBounds { healthy_from: 80.0, degraded_from: 50.0 };

    /// Creates bounds: healthy from `healthy_from`, degraded from `degraded_from`, both in
    /// `0..=100` with `degraded_from <= healthy_from`.
    pub fn new(healthy_from: f64, degraded_from: f64) -> Result<HealthBounds, HealthConfigError> {
        let in_range = |bound: f64| (0.0..=100.0).contains(&bound);
        if !in_range(healthy_from) || !in_range(degraded_from) || degraded_from > healthy_from {
            return Err(HealthConfigError::Bounds { healthy_from, degraded_from });
        }
        Ok(HealthBounds { healthy_from, degraded_from })
    }

    /// Returns the lowest score that is healthy.
    pub fn healthy_from(&self) -> f64 {
        self.healthy_from
    }

    /// Returns the lowest score that is degraded rather than critical.
    pub fn degraded_from(&self) -> f64 {
        self.degraded_from
    }

    /// Returns the state of a score.
    pub fn state(&self, score: f64) -> HealthState {
        if score >= self.healthy_from {
            HealthState::Healthy
        } else if score >= self.degraded_from {
            HealthState::Degraded
        } else {
            HealthState::Critical
        }
    }
}

impl Default for HealthBounds {
    fn default() -> Self {
        HealthBounds::DEFAULT
    }
}

impl HealthState {
    /// Returns `healthy`, `degraded` or `critical`.
    pub fn as_str(&self) -> &'static str {
        match self {
            HealthState::Healthy => "healthy",
            HealthState::Degraded => "degraded",
            HealthState::Critical => "critical",
        }
    }
}

impl fmt::Display for HealthState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl LatencySplit {
    /// Splits the lookups recorded in `buckets` (nanoseconds) against `target`. Each bucket
    /// counts on the side of its upper bound, so the split is exact to the histogram's 0.78%
    /// bucket width.
    pub fn from_buckets(buckets: &Buckets, target: Duration) -> LatencySplit {
        let total = buckets.count();
        if total == 0 {
            return LatencySplit::default();
        }

        let target_ns = u64::try_from(target.as_nanos()).unwrap_or(u64::MAX);
        let histogram = buckets.to_hdr();
        let satisfied = histogram.count_between(0, target_ns);
        let tolerating_limit = target_ns.saturating_mul(TOLERATING_FACTOR);
        let within_tolerance = histogram.count_between(0, tolerating_limit);
        LatencySplit {
            satisfied,
            tolerating: within_tolerance.saturating_sub(satisfied),
            frustrated: total.saturating_sub(within_tolerance),
        }
    }

    /// Returns all lookups counted.
    pub fn total(&self) -> u64 {
        self.satisfied.saturating_add(self.tolerating).saturating_add(self.frustrated)
    }

    /// Returns `(satisfied + tolerating / 2) / total`, or 1.0 without lookups.
    pub fn apdex(&self) -> f64 {
        match self.total() {
            0 => 1.0,
            total => (self.satisfied as f64 + self.tolerating as f64 / 2.0) / total as f64,
        }
    }
}

impl Health {
    /// Computes the score of `stats` and lookup latencies `latency` under `policy`, with the
    /// formula of the crate documentation.
    pub fn evaluate(stats: &CacheStats, latency: &LatencySplit, policy: &HealthPolicy) -> Health {
        let components = HealthComponents {
            hit_rate: (stats.hit_rate() / policy.target_hit_rate).min(1.0),
            latency: latency.apdex(),
            churn: 1.0 - stats.eviction_churn().min(1.0),
            memory: match stats.memory_pressure() {
                Some(pressure) => {
                    1.0 - ((pressure - MEMORY_PRESSURE_KNEE) / (1.0 - MEMORY_PRESSURE_KNEE)).clamp(0.0, 1.0)
                }
                None => 1.0,
            },
            load_failures: 1.0 - (stats.load_failure_rate() / LOAD_FAILURE_LIMIT).min(1.0),
        };
        let weighted = HIT_RATE_WEIGHT * components.hit_rate
            + LATENCY_WEIGHT * components.latency
            + CHURN_WEIGHT * components.churn
            + MEMORY_WEIGHT * components.memory
            + LOAD_FAILURE_WEIGHT * components.load_failures;
        let score = (100.0 * weighted).clamp(0.0, 100.0);
        Health { score, state: policy.bounds.state(score), components }
    }
}

impl fmt::Display for HealthConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HealthConfigError::TargetHitRate(rate) => {
                write!(f, "target hit rate {rate} is invalid; use a fraction above 0 and at most 1, such as 0.9")
            }
            HealthConfigError::TargetLatency(latency) => {
                write!(f, "target latency {latency:?} is invalid; use a duration above zero, such as 1 ms")
            }
            HealthConfigError::Bounds { healthy_from, degraded_from } => write!(
                f,
                "health bounds healthy_from={healthy_from}, degraded_from={degraded_from} are invalid; \
                 use scores in 0..=100 with degraded_from <= healthy_from, such as 80 and 50"
            ),
        }
    }
}

impl std::error::Error for HealthConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_pick_states() {
        let bounds = HealthBounds::new(90.0, 60.0).unwrap();
        assert_eq!(bounds.state(90.0), HealthState::Healthy);
        assert_eq!(bounds.state(89.9), HealthState::Degraded);
        assert_eq!(bounds.state(60.0), HealthState::Degraded);
        assert_eq!(bounds.state(59.9), HealthState::Critical);
    }

    #[test]
    fn bounds_reject_inverted_order() {
        let error = HealthBounds::new(50.0, 80.0).unwrap_err();
        assert_eq!(error, HealthConfigError::Bounds { healthy_from: 50.0, degraded_from: 80.0 });
    }

    #[test]
    fn policy_rejects_hit_rate_above_one() {
        assert_eq!(
            HealthPolicy::new(1.5, Duration::from_millis(1)).unwrap_err(),
            HealthConfigError::TargetHitRate(1.5)
        );
    }

    #[test]
    fn policy_rejects_zero_latency() {
        assert_eq!(
            HealthPolicy::new(0.9, Duration::ZERO).unwrap_err(),
            HealthConfigError::TargetLatency(Duration::ZERO)
        );
    }

    #[test]
    fn apdex_of_split() {
        // (6 + 2 / 2) / 10 = 0.7
        let split = LatencySplit { satisfied: 6, tolerating: 2, frustrated: 2 };
        assert_eq!(split.apdex(), 0.7);
        assert_eq!(LatencySplit::default().apdex(), 1.0);
    }

    #[test]
    fn split_from_buckets() {
        let histogram = perf::Histogram::new();
        // Target 1000 ns: 500 and 1000 are satisfied, 3000 and 4000 tolerating, 9000 frustrated.
        for nanos in [500, 1_000, 3_000, 4_000, 9_000] {
            histogram.record(nanos);
        }
        let split = LatencySplit::from_buckets(&histogram.buckets(), Duration::from_nanos(1_000));
        assert_eq!(split, LatencySplit { satisfied: 2, tolerating: 2, frustrated: 1 });
    }

    #[test]
    fn weights_add_to_one() {
        let sum = HIT_RATE_WEIGHT + LATENCY_WEIGHT + CHURN_WEIGHT + MEMORY_WEIGHT + LOAD_FAILURE_WEIGHT;
        assert!((sum - 1.0).abs() < 1e-12, "weights add to {sum}");
    }
}
