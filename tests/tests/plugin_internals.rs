//! The built-in `perf` collector: the footprint of the monitoring itself.

use perf::plugin::CollectorSnapshot;
use perf::MetricValue;

#[perf::monitored]
fn parse(input: &str) -> Result<u32, std::num::ParseIntError> {
    input.parse()
}

#[perf::monitored(component = "internals_test")]
fn render() {}

fn value(collector: &CollectorSnapshot, name: &str, labels: &[(&str, &str)]) -> MetricValue {
    let sample = collector.samples.iter().find(|sample| {
        sample.name == name
            && sample.labels.len() == labels.len()
            && labels.iter().all(|(key, value)| sample.labels.get(*key).map(String::as_str) == Some(*value))
    });
    sample.unwrap_or_else(|| panic!("no sample {name} {labels:?} in {:?}", collector.samples)).value.clone()
}

fn internals() -> CollectorSnapshot {
    let snapshot = perf::snapshot();
    snapshot.collectors.into_iter().find(|collector| collector.name == "perf").expect("the perf collector")
}

#[test]
fn internals_counts_sites_and_metrics() {
    parse("12").unwrap();
    render();
    perf::counter!("internals_test_events").increment();

    let snapshot = perf::snapshot();
    let collector = snapshot.collectors.iter().find(|collector| collector.name == "perf").unwrap();
    assert_eq!(collector.kind, "runtime");
    assert_eq!(collector.component, "perf");

    let site_names: Vec<&str> = perf::sites().iter().map(|site| site.name).collect();
    assert!(site_names.contains(&"plugin_internals::parse"), "{site_names:?}");
    assert!(site_names.contains(&"plugin_internals::render"), "{site_names:?}");
    assert_eq!(value(collector, "sites", &[]), MetricValue::Gauge(site_names.len() as i64));
    assert!(snapshot.metric("internals_test_events", &[]).is_some());
    assert_eq!(value(collector, "metrics", &[]), MetricValue::Gauge(snapshot.metrics.len() as i64));
}

#[test]
fn internals_reports_memory_of_called_sites() {
    parse("7").unwrap();
    let collector = internals();
    let MetricValue::Gauge(site_bytes) = value(&collector, "memory_bytes", &[("part", "sites")]) else {
        panic!("memory_bytes is not a gauge");
    };
    let histogram_bytes: usize = ["plugin_internals::parse", "plugin_internals::render"]
        .iter()
        .map(|name| perf::find_site(name).unwrap().allocated_bytes())
        .sum();
    assert!(histogram_bytes > 0, "a called site with latency allocates its histogram");
    assert!(site_bytes as usize >= histogram_bytes, "{site_bytes} bytes reported for {histogram_bytes} allocated");
}

#[test]
fn internals_reports_collector_ticks() {
    perf::collect_now();
    perf::collect_now();
    let collector = internals();
    let MetricValue::Counter(ticks) = value(&collector, "collector_ticks", &[]) else {
        panic!("collector_ticks is not a counter");
    };
    assert!(ticks >= 2, "two ticks ran, {ticks} reported");
    assert_eq!(value(&collector, "stuck_worker_threads", &[]), MetricValue::Gauge(0));
}
