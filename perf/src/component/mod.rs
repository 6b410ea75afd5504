//! Components: the parts of an application that monitoring groups by, and their health.
//!
//! Every site, cache and collector belongs to a component: a site through
//! `#[monitored(component = "...")]` (by default its module path), a collector through
//! [`Collector::component`](crate::plugin::Collector::component). A component reports its
//! health through [`ComponentHealth`], registered statically with
//! [`#[perf::health_check]`](crate::health_check) or at run time with
//! [`register_health_check`]. [`snapshot`](crate::snapshot) lists every component with what
//! belongs to it and its health, and [`health`] gives the aggregate that a `/healthz`
//! endpoint serves.
//!
//! ```
//! #[perf::health_check(component = "storage")]
//! fn disk_space() -> perf::Health {
//!     perf::Health::degraded("12% free on /var")
//! }
//!
//! #[perf::monitored(component = "storage")]
//! fn write_block() {}
//!
//! write_block();
//! let snapshot = perf::snapshot();
//! let storage = snapshot.component("storage").unwrap();
//! assert_eq!(storage.sites, [concat!(module_path!(), "::write_block")]);
//! assert_eq!(storage.health, perf::Health::degraded("disk_space: 12% free on /var"));
//! assert_eq!(snapshot.health().status, perf::HealthStatus::Degraded);
//! ```

mod check;
mod health;
mod report;
mod summary;

pub use check::{register_health_check, CheckSnapshot};
#[doc(hidden)]
pub use check::{CheckSource, HealthCheck, HealthCheckRef};
pub use health::{ComponentHealth, Health, HealthStatus};
pub use report::{health, ComponentHealthEntry, HealthReport};
pub use summary::ComponentSnapshot;

pub(crate) use check::run_all as run_checks;
pub(crate) use summary::summarize;
