//! The functions under measurement: one body, instrumented by each library in turn.
//!
//! Every function is `#[inline(never)]`, so each benchmark pays the same call and the
//! difference against [`bare`] is the instrumentation alone. The body returns `Ok` for every
//! input the benchmarks pass, so the error paths stay cold, as in a healthy service.

use std::time::Instant;

use autometrics::settings::AutometricsSettings;
use metered::{ErrorCount, HitCount, ResponseTime};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Site name of [`disabled`], for `perf::set_site_enabled`.
pub(crate) const DISABLED_SITE: &str = "hot_path::disabled";

/// Site name of [`latency_errors`].
pub(crate) const LATENCY_ERRORS_SITE: &str = "hot_path::latency_errors";

/// Site name of [`calls`].
pub(crate) const CALLS_SITE: &str = "hot_path::calls";

/// The error of the shared body, returned only when the input would overflow.
#[derive(Debug, perf::ErrorKind)]
pub(crate) enum BenchError {
    Overflow,
}

#[inline(always)]
fn body(value: u64) -> Result<u64, BenchError> {
    value.checked_add(1).ok_or(BenchError::Overflow)
}

/// Runs the body with no instrumentation.
#[inline(never)]
pub(crate) fn bare(value: u64) -> Result<u64, BenchError> {
    body(value)
}

/// Runs the body under `#[monitored(calls)]`, which counts calls.
#[perf::monitored(calls, name = "hot_path::calls")]
#[inline(never)]
pub(crate) fn calls(value: u64) -> Result<u64, BenchError> {
    body(value)
}

/// Runs the body under `#[monitored(latency, errors)]`, which times the call and classifies
/// its result.
#[perf::monitored(latency, errors, name = "hot_path::latency_errors")]
#[inline(never)]
pub(crate) fn latency_errors(value: u64) -> Result<u64, BenchError> {
    body(value)
}

/// Runs the body under the same instrumentation as [`latency_errors`], on a site that the
/// benchmark turns off.
#[perf::monitored(latency, errors, name = "hot_path::disabled")]
#[inline(never)]
pub(crate) fn disabled(value: u64) -> Result<u64, BenchError> {
    body(value)
}

/// The body as a `metered` method: a hit count, a response-time histogram and an error count.
#[derive(Debug, Default)]
pub(crate) struct MeteredService {
    pub(crate) metrics: MeteredServiceMetrics,
}

#[metered::metered(registry = MeteredServiceMetrics)]
impl MeteredService {
    #[measure([HitCount, ResponseTime, ErrorCount])]
    #[inline(never)]
    pub(crate) fn call(&self, value: u64) -> Result<u64, BenchError> {
        body(value)
    }
}

/// Runs the body under `#[autometrics]`, which records into its `prometheus-client` registry.
#[autometrics::autometrics]
#[inline(never)]
pub(crate) fn autometrics_call(value: u64) -> Result<u64, BenchError> {
    body(value)
}

/// Runs the body and records a `metrics` counter and a histogram of the duration in seconds,
/// the unit Prometheus uses.
#[inline(never)]
pub(crate) fn metrics_call(value: u64) -> Result<u64, BenchError> {
    let start = Instant::now();
    let output = body(value);
    metrics::counter!("hot_path_calls_total").increment(1);
    metrics::histogram!("hot_path_duration_seconds").record(start.elapsed().as_secs_f64());
    output
}

/// Installs the `metrics-exporter-prometheus` recorder as the global `metrics` recorder.
///
/// Without the HTTP listener feature the exporter starts no upkeep task, so the benchmark
/// calls [`PrometheusHandle::run_upkeep`] between batches, off the timed loop, to drain the
/// histogram samples as the exporter's own task would.
pub(crate) fn install_metrics_recorder() -> PrometheusHandle {
    PrometheusBuilder::new()
        .install_recorder()
        .unwrap_or_else(|error| panic!("failed to install the Prometheus recorder: {error}"))
}

/// Initializes the autometrics settings up front, so no timed call pays for it.
pub(crate) fn init_autometrics() -> &'static AutometricsSettings {
    AutometricsSettings::builder().init()
}

/// Renders the autometrics registry in the Prometheus text format.
pub(crate) fn render_autometrics(settings: &AutometricsSettings) -> String {
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, settings.prometheus_client_registry())
        .unwrap_or_else(|error| panic!("failed to encode the autometrics registry: {error}"));
    text
}
