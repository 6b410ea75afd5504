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

mod clock;
mod collector;
mod macros;
pub mod metric;
pub mod plugin;
pub mod registry;
mod series;
mod shard;
pub mod site;
mod snapshot;

pub use collector::{collect_now, init, series, shutdown, start, CollectorStatus, Config, StartError};
pub use metric::{Buckets, Counter, Distribution, FloatGauge, Gauge, Histogram, Timer};
pub use registry::{find_site, set_component_enabled, set_site_enabled, sites, MetricKind, SiteNotFound};
pub use series::{CompactLatency, Point, Retention};
pub use site::{Classify, ErrorKind, Features, Outcome, Site, SiteInfo};
pub use snapshot::{site, snapshot, MetricSnapshot, MetricValue, SiteSnapshot, Snapshot, Window, WindowLatency};

/// Instruments a function, a method or every method of an `impl` block.
///
/// Arguments, any subset: `calls`, `errors`, `latency`, `in_flight` (a bare `#[monitored]`
/// means `calls, errors, latency`); `name = "..."`, `component = "..."`,
/// `labels(key = "value", ...)`, `crate = path`; `skip` on a method of a monitored `impl`.
pub use perf_macros::monitored;

/// Derives [`ErrorKind`] from the variant names of an enum, or the name of a struct.
pub use perf_macros::ErrorKind;

#[doc(hidden)]
pub mod __private {
    pub use inventory;

    pub use crate::clock::{elapsed_nanos, now_raw};
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
