//! Static registration: every site and literal metric is known before its first use.

/// Line of the `fn` below, written down independently of the macro.
const NEVER_CALLED_LINE: u32 = line!() + 3;

#[perf::monitored(name = "registry::never_called", component = "billing", labels(region = "eu", tier = "gold"))]
fn never_called() {}

#[perf::monitored]
fn toggled() {}

#[perf::monitored(component = "switchable")]
fn in_component_a() {}

#[perf::monitored(component = "switchable")]
fn in_component_b() {}

fn touch_metrics() {
    perf::counter!("registry_jobs_total", "queue" => "email").add(3);
    perf::gauge!("registry_queue_depth").set(-4);
    perf::float_gauge!("registry_load").set(0.25);
    perf::histogram!("registry_payload_bytes").record(512);
}

#[test]
fn site_listed_before_any_call() {
    let site = perf::sites().into_iter().find(|site| site.name == "registry::never_called").unwrap();

    assert_eq!(site.component, "billing");
    assert_eq!(site.module, "core_registry");
    assert_eq!(site.function, "never_called");
    assert_eq!(site.labels, &[("region", "eu"), ("tier", "gold")]);
    assert_eq!(site.file, "tests/tests/core_registry.rs");
    assert_eq!(site.line, NEVER_CALLED_LINE);
    assert_eq!(perf::site("registry::never_called").unwrap().calls, 0);
}

#[test]
fn literal_metrics_listed_before_use() {
    let snapshot = perf::snapshot();
    let counter = snapshot.metric("registry_jobs_total", &[("queue", "email")]);
    let gauge = snapshot.metric("registry_queue_depth", &[]);
    let histogram = snapshot.metric("registry_payload_bytes", &[]);

    assert!(counter.is_some(), "counter missing from {:?}", snapshot.metrics);
    assert!(gauge.is_some());
    assert!(histogram.is_some());
}

#[test]
fn metric_macros_share_one_metric() {
    touch_metrics();
    touch_metrics();
    let dynamic_queue = String::from("email");
    perf::counter!("registry_jobs_total", "queue" => dynamic_queue).increment();

    let snapshot = perf::snapshot();
    let counter = snapshot.metric("registry_jobs_total", &[("queue", "email")]).unwrap();
    assert_eq!(counter.value, perf::MetricValue::Counter(7));
    let gauge = snapshot.metric("registry_queue_depth", &[]).unwrap();
    assert_eq!(gauge.value, perf::MetricValue::Gauge(-4));
    let load = snapshot.metric("registry_load", &[]).unwrap();
    assert_eq!(load.value, perf::MetricValue::FloatGauge(0.25));
}

#[test]
fn measure_records_into_histogram() {
    let value = perf::measure!("registry_measure_ns", (1..=100u64).sum::<u64>());
    {
        let _timer = perf::timer!("registry_measure_ns");
    }

    assert_eq!(value, 5050);
    let snapshot = perf::snapshot();
    let metric = snapshot.metric("registry_measure_ns", &[]).unwrap();
    let perf::MetricValue::Histogram(Some(distribution)) = &metric.value else {
        panic!("expected a histogram with values, found {:?}", metric.value);
    };
    assert_eq!(distribution.count, 2);
}

#[test]
fn disabled_site_counts_nothing() {
    toggled();
    perf::set_site_enabled("core_registry::toggled", false).unwrap();
    toggled();
    toggled();
    perf::set_site_enabled("core_registry::toggled", true).unwrap();
    toggled();

    let site = perf::site("core_registry::toggled").unwrap();
    assert_eq!(site.calls, 2);
}

#[test]
fn unknown_site_toggle_is_an_error() {
    let error = perf::set_site_enabled("no::such::site", false).unwrap_err();

    assert!(error.to_string().contains("no::such::site"), "{error}");
}

#[test]
fn component_toggle_switches_its_sites() {
    let changed = perf::set_component_enabled("switchable", false);
    in_component_a();
    in_component_b();
    perf::set_component_enabled("switchable", true);
    in_component_a();

    assert_eq!(changed, 2);
    assert_eq!(perf::site("core_registry::in_component_a").unwrap().calls, 1);
    assert_eq!(perf::site("core_registry::in_component_b").unwrap().calls, 0);
}
