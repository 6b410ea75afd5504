//! # perf
//!
//! Instrumentation with a hot path close to the cost of reading the clock. Put
//! `#[perf::monitored]` on a function (or a whole `impl` block) and read its calls, errors,
//! latency quantiles and in-flight count from [`snapshot`], with no other code:
//!
//! ```
//! #[perf::monitored(latency, errors)]
//! fn checkout(cart: &[u32]) -> Result<u32, String> {
//!     if cart.is_empty() { return Err("empty cart".into()); }
//!     Ok(cart.iter().sum())
//! }
//!
//! checkout(&[3, 4]).unwrap();
//! checkout(&[]).unwrap_err();
//!
//! let site = perf::site(concat!(module_path!(), "::checkout")).unwrap();
//! assert_eq!((site.calls, site.errors), (2, 1));
//! assert!(site.latency.unwrap().p99 > 0);
//! ```
//!
//! ## How it works
//!
//! Every instrumented function owns a `static` [`Site`] registered with `inventory` before
//! `main`, so [`sites`] lists all of them at start-up. A call reads the clock twice and adds
//! to a few relaxed atomics in the calling thread's shard: no lock, no allocation after the
//! first call, no lookup, no formatting. The collector thread ([`start`], [`init`]) folds the
//! sites into time series with bounded retention, off the hot path.
//!
//! For code that is not a whole function there are [`counter!`], [`gauge!`],
//! [`float_gauge!`], [`histogram!`], [`timer!`] and [`measure!`].

#![deny(missing_docs)]

pub mod alert;
pub mod bridge;
pub mod cli;
mod clock;
mod collector;
pub mod component;
pub mod config;
pub mod dashboard;
pub mod event;
pub mod export;
pub mod http;
mod macros;
pub mod metric;
pub mod plugin;
pub mod registry;
pub mod report;
pub mod rule;
mod series;
mod shard;
pub mod site;
mod snapshot;
pub mod threshold;

pub use collector::{collect_now, init, series, shutdown, start, CollectorStatus, Config, StartError};
pub use component::{ComponentHealth, Health, HealthStatus};
pub use config::start_with_config_file;
#[cfg(feature = "server")]
pub use http::serve;
pub use metric::{Buckets, Counter, Distribution, FloatGauge, Gauge, Histogram, Timer};
pub use registry::{find_site, set_component_enabled, set_site_enabled, sites, MetricKind, SiteNotFound};
pub use series::{CompactLatency, Point, Retention};
pub use site::{Classify, ErrorKind, Features, Outcome, Site, SiteInfo};
pub use snapshot::{site, snapshot, MetricSnapshot, MetricValue, SiteSnapshot, Snapshot, Window, WindowLatency};

/// Instruments a function, a method or every method of an `impl` block.
///
/// Arguments, any subset: `calls`, `errors`, `latency`, `in_flight` (a bare `#[monitored]`
/// means `calls, errors, latency`); `name = "..."`, `component = "..."`,
/// `labels(key = "value", ...)`, `crate = path`, `slow = "250ms"` (emit a
/// [`SlowCall`](event::EventData::SlowCall) event for each call slower than that); `skip` on a
/// method of a monitored `impl`.
///
/// The site is named `module::Type::method` when the attribute is on the `impl` block. On a
/// single method the macro cannot see the type of its `impl`, so the default name is
/// `module::method`; give `name = "..."` or annotate the block for the longer form.
///
/// ```
/// struct Cart(Vec<u32>);
///
/// #[perf::monitored]
/// impl Cart {
///     fn total(&self) -> u32 { self.0.iter().sum() }
///
///     #[monitored(skip)]
///     fn len(&self) -> usize { self.0.len() }
/// }
///
/// assert_eq!(Cart(vec![1, 2]).total(), 3);
/// let names: Vec<_> = perf::sites().iter().map(|site| site.name).collect();
/// assert!(names.contains(&concat!(module_path!(), "::Cart::total")));
/// assert!(!names.contains(&concat!(module_path!(), "::Cart::len")));
/// ```
pub use perf_macros::monitored;

/// Registers a health check of a component statically, on a function returning [`Health`] or
/// on a `static` whose type implements [`ComponentHealth`].
///
/// Arguments, all optional: `component = "..."` (default: the module path), `name = "..."`
/// (default: the function's or static's name), `crate = path`.
///
/// ```
/// #[perf::health_check(component = "payments")]
/// fn gateway_reachable() -> perf::Health {
///     perf::Health::Healthy
/// }
///
/// struct Pool;
/// impl perf::ComponentHealth for Pool {
///     fn health(&self) -> perf::Health { perf::Health::degraded("2 of 10 connections left") }
/// }
///
/// #[perf::health_check(component = "payments", name = "db_pool")]
/// static POOL: Pool = Pool;
///
/// let payments = perf::snapshot().component("payments").cloned().unwrap();
/// assert_eq!(payments.checks.len(), 2);
/// assert_eq!(payments.health, perf::Health::degraded("db_pool: 2 of 10 connections left"));
/// ```
pub use perf_macros::health_check;

/// Derives [`ErrorKind`] from the variant names of an enum, or the name of a struct.
pub use perf_macros::ErrorKind;

#[doc(hidden)]
pub mod __private {
    pub use inventory;

    pub use crate::clock::{elapsed_nanos, now_raw};
    pub use crate::component::{CheckSource, HealthCheck, HealthCheckRef};
    pub use crate::plugin::StaticCollector;
    pub use crate::registry::{CallSite, MetricDescriptor};
    pub use crate::site::{
        CallGuard, ClassifyAny, ClassifyByTrait, ClassifyKindedResult, ClassifyResult, Features, Outcome, Probe, Site,
        SiteInfo, SiteRef,
    };

    /// Calls a sync function's body once. Passing the closure as `FnOnce` lets the body return
    /// borrows of its captured arguments.
    #[inline(always)]
    pub fn call_once<R>(body: impl FnOnce() -> R) -> R {
        body()
    }

    /// Pins the output type of an `async fn` body, so that `?` inside it can infer its
    /// conversions.
    #[inline(always)]
    pub fn typed_future<R, F: core::future::Future<Output = R>>(future: F) -> F {
        future
    }

    /// Borrows a label name or value given as any string type.
    #[inline]
    pub fn label_str<T: AsRef<str> + ?Sized>(value: &T) -> &str {
        value.as_ref()
    }
}
