//! Health of a component: healthy, degraded or unhealthy with a reason, and the trait that
//! reports it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The health of a component, or of one of its checks.
///
/// Serialized as `{"status": "healthy"}` or `{"status": "degraded", "reason": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Health {
    /// Works as expected.
    Healthy,
    /// Works, but worse than expected: slow, close to a limit, running on a fallback.
    Degraded {
        /// Description of the problem, for the operator.
        reason: String,
    },
    /// Does not work.
    Unhealthy {
        /// Description of the problem, for the operator.
        reason: String,
    },
}

/// The level of a [`Health`], without its reason. Ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// See [`Health::Healthy`].
    Healthy,
    /// See [`Health::Degraded`].
    Degraded,
    /// See [`Health::Unhealthy`].
    Unhealthy,
}

/// Something that can tell whether a component works: a connection pool, a queue, a disk.
///
/// Register one statically with [`#[perf::health_check]`](crate::health_check) on a function
/// or a `static`, or at run time with [`register_health_check`](super::register_health_check).
/// A closure `Fn() -> Health` is a health check too.
///
/// [`health`](ComponentHealth::health) runs on a worker thread with a time budget
/// ([`plugin::set_time_budget`](crate::plugin::set_time_budget)). A check that panics or runs
/// past its budget makes its component unhealthy, and one still stuck in a call is not started
/// again until that call returns.
///
/// ```
/// use perf::{ComponentHealth, Health};
///
/// struct Queue { depth: usize, limit: usize }
///
/// impl ComponentHealth for Queue {
///     fn health(&self) -> Health {
///         if self.depth >= self.limit {
///             Health::unhealthy(format!("queue is full: {} of {}", self.depth, self.limit))
///         } else if self.depth * 10 >= self.limit * 8 {
///             Health::degraded(format!("queue is {} of {} full", self.depth, self.limit))
///         } else {
///             Health::Healthy
///         }
///     }
/// }
///
/// assert_eq!(Queue { depth: 9, limit: 10 }.health().status(), perf::HealthStatus::Degraded);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a health check: it does not implement `perf::ComponentHealth`",
    label = "implement `perf::ComponentHealth` for `{Self}`"
)]
pub trait ComponentHealth: Send + Sync {
    /// Checks the component and returns its health.
    fn health(&self) -> Health;
}

impl<F: Fn() -> Health + Send + Sync> ComponentHealth for F {
    fn health(&self) -> Health {
        self()
    }
}

impl Health {
    /// Returns a degraded health with this reason.
    pub fn degraded(reason: impl Into<String>) -> Self {
        Health::Degraded { reason: reason.into() }
    }

    /// Returns an unhealthy health with this reason.
    pub fn unhealthy(reason: impl Into<String>) -> Self {
        Health::Unhealthy { reason: reason.into() }
    }

    /// Returns the level of this health.
    pub fn status(&self) -> HealthStatus {
        match self {
            Health::Healthy => HealthStatus::Healthy,
            Health::Degraded { .. } => HealthStatus::Degraded,
            Health::Unhealthy { .. } => HealthStatus::Unhealthy,
        }
    }

    /// Returns the reason, or `None` when healthy.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Health::Healthy => None,
            Health::Degraded { reason } | Health::Unhealthy { reason } => Some(reason),
        }
    }

    /// Returns `true` when healthy.
    pub fn is_healthy(&self) -> bool {
        matches!(self, Health::Healthy)
    }

    /// Combines several findings into one health: the worst level among them, with the
    /// reasons of every finding at that level joined by `"; "`.
    pub fn worst_of<I: IntoIterator<Item = Health>>(findings: I) -> Health {
        let findings: Vec<Health> = findings.into_iter().collect();
        let Some(level) = findings.iter().map(Health::status).max() else {
            return Health::Healthy;
        };
        let reasons: Vec<&str> =
            findings.iter().filter(|finding| finding.status() == level).filter_map(Health::reason).collect();
        match level {
            HealthStatus::Healthy => Health::Healthy,
            HealthStatus::Degraded => Health::degraded(reasons.join("; ")),
            HealthStatus::Unhealthy => Health::unhealthy(reasons.join("; ")),
        }
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Health::Healthy => f.write_str("healthy"),
            Health::Degraded { reason } => write!(f, "degraded: {reason}"),
            Health::Unhealthy { reason } => write!(f, "unhealthy: {reason}"),
        }
    }
}

impl HealthStatus {
    /// Returns the name of the level: `healthy`, `degraded` or `unhealthy`.
    pub fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Healthy => "healthy",
            HealthStatus::Degraded => "degraded",
            HealthStatus::Unhealthy => "unhealthy",
        }
    }
}

impl fmt::Display for HealthStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_of_keeps_reasons_of_worst_level() {
        let health = Health::worst_of([
            Health::degraded("slow disk"),
            Health::unhealthy("no connection"),
            Health::Healthy,
            Health::unhealthy("queue full"),
        ]);
        assert_eq!(health, Health::unhealthy("no connection; queue full"));
    }

    #[test]
    fn worst_of_nothing_is_healthy() {
        assert_eq!(Health::worst_of(Vec::new()), Health::Healthy);
    }

    #[test]
    fn health_serializes_with_status_tag() {
        let json = serde_json::to_string(&Health::degraded("slow")).unwrap();
        assert_eq!(json, r#"{"status":"degraded","reason":"slow"}"#);
    }
}
