//! Metric types: [`Counter`], [`Gauge`], [`FloatGauge`] and [`Histogram`].
//!
//! Every write is a relaxed atomic operation on memory the writing thread rarely shares, so a
//! metric can sit on the hottest path. Reads add the thread shards together and are meant for
//! the collector, snapshots and exports.

pub(crate) mod buckets;
mod counter;
mod gauge;
mod histogram;
pub(crate) mod padded;
mod sparse;

pub use counter::Counter;
pub use gauge::{FloatGauge, Gauge};
pub use histogram::{Histogram, Timer};
pub use sparse::{Buckets, Distribution};
