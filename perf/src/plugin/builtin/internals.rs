//! The `perf` collector: the memory and time that the monitoring itself uses.

use crate::plugin::{registry, runner, Collector, Samples};
use crate::registry::{self as metrics_registry, MetricRef};
use crate::site::Site;
use std::time::Duration;

use crate::{collector, event};

/// Reports the footprint of perf itself: sites, registered metrics, time series, the memory
/// they hold, the collector's ticks and their duration, the plugin collectors by state,
/// worker threads stuck in hung collectors, and events dropped. Registered statically by perf as the collector
/// `perf` of the component `perf`, with kind `runtime`.
///
/// | sample | kind | unit |
/// |---|---|---|
/// | `sites`, `sites_enabled` | gauge | sites |
/// | `metrics` | gauge | registered metrics |
/// | `series` | gauge | sites with time series |
/// | `memory_bytes{part="sites" or "metrics" or "series"}` | gauge | bytes |
/// | `collector_ticks` | counter | ticks |
/// | `collector_last_tick_us` | gauge | microseconds |
/// | `collectors{state="enabled" or "disabled"}` | gauge | collectors |
/// | `stuck_worker_threads` | gauge | threads |
/// | `events_dropped` | counter | events lost by subscribers that fell behind |
/// | `slow_calls_dropped` | counter | slow calls lost before they became events |
///
/// Memory counts the sites' static storage and the heap that their histograms, the metrics and
/// the time series have allocated. The allocator's own overhead is not included.
#[derive(Debug, Clone, Copy, Default)]
pub struct InternalsCollector;

static INTERNALS: InternalsCollector = InternalsCollector;
crate::register_collector!(INTERNALS);

impl Collector for InternalsCollector {
    fn name(&self) -> &str {
        "perf"
    }

    fn kind(&self) -> &str {
        "runtime"
    }

    fn component(&self) -> &str {
        "perf"
    }

    /// Reading the collector's status waits for a tick in progress, and a tick may itself wait
    /// for a collector's `tick` up to that collector's budget, so this one gets more time.
    fn time_budget(&self) -> Option<Duration> {
        Some(Duration::from_secs(2))
    }

    fn collect(&self, samples: &mut Samples) {
        let sites = metrics_registry::all_sites();
        let enabled_sites = sites.iter().filter(|site| site.is_enabled()).count();
        let site_bytes: usize = sites.iter().map(|site| std::mem::size_of::<Site>() + site.allocated_bytes()).sum();
        samples.gauge("sites", &[], count(sites.len()));
        samples.gauge("sites_enabled", &[], count(enabled_sites));

        // Read in place: copying every name and label would cost a scrape of 10,000 series
        // tens of thousands of allocations.
        let (metric_count, metric_bytes) = {
            let metrics = metrics_registry::read_metrics();
            (metrics.len(), metrics.values().map(metric_bytes).sum::<usize>())
        };
        samples.gauge("metrics", &[], count(metric_count));

        let status = collector::state().status();
        samples.gauge("series", &[], count(status.series));
        samples.gauge("memory_bytes", &[("part", "sites")], count(site_bytes));
        samples.gauge("memory_bytes", &[("part", "metrics")], count(metric_bytes));
        samples.gauge("memory_bytes", &[("part", "series")], count(status.series_bytes));
        samples.counter("collector_ticks", &[], status.ticks);
        samples.gauge("collector_last_tick_us", &[], i64::try_from(status.last_tick_us).unwrap_or(i64::MAX));

        let entries = registry::entries();
        let enabled = entries.iter().filter(|entry| entry.is_enabled()).count();
        samples.gauge("collectors", &[("state", "enabled")], count(enabled));
        samples.gauge("collectors", &[("state", "disabled")], count(entries.len() - enabled));
        samples.gauge("stuck_worker_threads", &[], count(runner::stuck_workers()));

        let events = event::stats();
        samples.counter("events_dropped", &[], events.dropped);
        samples.counter("slow_calls_dropped", &[], events.slow_calls_dropped);
    }
}

fn metric_bytes(metric: &MetricRef) -> usize {
    match metric {
        MetricRef::Counter(counter) => std::mem::size_of_val(*counter),
        MetricRef::Gauge(gauge) => std::mem::size_of_val(*gauge),
        MetricRef::FloatGauge(gauge) => std::mem::size_of_val(*gauge),
        MetricRef::Histogram(histogram) => std::mem::size_of_val(*histogram) + histogram.allocated_bytes(),
    }
}

fn count(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
