//! Bridges from other instrumentation crates into perf, so that code instrumented with them
//! shows up in snapshots, exports, alerts and the dashboard next to `#[monitored]` sites.
//!
//! Each bridge sits behind a cargo feature of perf, so programs that do not use it do not
//! build it:
//!
//! | feature | bridge |
//! |---|---|
//! | `metrics` | [`MetricsRecorder`]: a recorder of the `metrics` facade (0.24) that stores every `counter!`, `gauge!` and `histogram!` in perf's registry |
//! | `tracing-layer` | [`TracingLayer`]: a `tracing-subscriber` layer that records the duration and errors of chosen spans as sites |

#[cfg(feature = "metrics")]
mod metrics_recorder;
#[cfg(feature = "tracing-layer")]
mod tracing_layer;

#[cfg(feature = "metrics")]
pub use metrics_recorder::{install_metrics_recorder, MetricsRecorder, RecorderAlreadyInstalled};
#[cfg(feature = "tracing-layer")]
pub use tracing_layer::TracingLayer;
