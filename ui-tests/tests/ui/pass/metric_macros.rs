//! `counter!`, `gauge!`, `float_gauge!`, `histogram!`, `timer!` and `measure!`, with literal
//! names and labels (registered before first use) and with names and label values known only
//! at run time (the same metric when name and labels match).

use std::time::Duration;

use perf::{MetricKind, MetricValue, Snapshot};

fn metric_value<'a>(snapshot: &'a Snapshot, name: &str, labels: &[(&str, &str)]) -> &'a MetricValue {
    match snapshot.metric(name, labels) {
        Some(metric) => &metric.value,
        None => panic!("no metric {name} with labels {labels:?}"),
    }
}

fn record_everything() {
    for _ in 0..3 {
        perf::counter!("jobs_done", "queue" => "email").increment();
    }
    let queue = String::from("email");
    perf::counter!("jobs_done", "queue" => queue).add(2);
    let other_queue = String::from("sms");
    perf::counter!("jobs_done", "queue" => other_queue.as_str()).add(5);
    let name = format!("{}_total", "retries");
    perf::counter!(name).increment();

    let gauge = perf::gauge!("queue_length", "queue" => "email");
    gauge.set(12);
    gauge.decrement();
    perf::float_gauge!("load_average").set(0.75);
    perf::float_gauge!(String::from("load_average")).add(0.5);

    perf::histogram!("payload_bytes", "route" => "/upload").record(4096);
    let route = "/upload".to_owned();
    perf::histogram!("payload_bytes", "route" => route).record(100);

    {
        let _timer = perf::timer!("flush_duration", "target" => "disk");
        std::thread::sleep(Duration::from_millis(2));
    }
    let sum = perf::measure!("sum_duration", (1..=100u64).sum::<u64>());
    assert_eq!(sum, 5050);
    let product = perf::measure!("sum_duration", "stage" => "warm", (1..=5u64).product::<u64>());
    assert_eq!(product, 120);
    let stage = String::from("cold");
    let quotient = perf::measure!("sum_duration", "stage" => stage, 100u64 / 4);
    assert_eq!(quotient, 25);
    let measured_name = String::from("sort_duration");
    let sorted = perf::measure!(measured_name.as_str(), {
        let mut values = vec![3, 1, 2];
        values.sort_unstable();
        values
    });
    assert_eq!(sorted, [1, 2, 3]);
}

fn main() {
    let before = perf::snapshot();
    assert_eq!(metric_value(&before, "jobs_done", &[("queue", "email")]), &MetricValue::Counter(0));
    assert_eq!(metric_value(&before, "queue_length", &[("queue", "email")]), &MetricValue::Gauge(0));
    assert_eq!(metric_value(&before, "payload_bytes", &[("route", "/upload")]), &MetricValue::Histogram(None));
    assert_eq!(metric_value(&before, "sum_duration", &[("stage", "warm")]), &MetricValue::Histogram(None));
    assert!(before.metric("jobs_done", &[("queue", "sms")]).is_none());
    assert!(before.metric("sum_duration", &[("stage", "cold")]).is_none());
    assert!(before.metric("retries_total", &[]).is_none());

    record_everything();
    let after = perf::snapshot();

    assert_eq!(metric_value(&after, "jobs_done", &[("queue", "email")]), &MetricValue::Counter(5));
    assert_eq!(metric_value(&after, "jobs_done", &[("queue", "sms")]), &MetricValue::Counter(5));
    assert_eq!(metric_value(&after, "retries_total", &[]), &MetricValue::Counter(1));
    assert_eq!(metric_value(&after, "queue_length", &[("queue", "email")]), &MetricValue::Gauge(11));
    assert_eq!(metric_value(&after, "load_average", &[]), &MetricValue::FloatGauge(1.25));
    let kind = after.metric("load_average", &[]).map(|metric| metric.kind);
    assert_eq!(kind, Some(MetricKind::FloatGauge));

    let MetricValue::Histogram(Some(payload)) = metric_value(&after, "payload_bytes", &[("route", "/upload")]) else {
        panic!("payload_bytes has no values");
    };
    assert_eq!(payload.count, 2);
    assert!(payload.min.abs_diff(100) <= 1, "min {} is not about 100", payload.min);
    assert!(payload.max.abs_diff(4096) <= 4096 / 100, "max {} is not about 4096", payload.max);

    let MetricValue::Histogram(Some(flush)) = metric_value(&after, "flush_duration", &[("target", "disk")]) else {
        panic!("flush_duration has no values");
    };
    assert_eq!(flush.count, 1);
    assert!(flush.min >= 1_900_000, "timer recorded {} ns for a 2 ms sleep", flush.min);

    let measured: [(&str, &[(&str, &str)]); 4] = [
        ("sum_duration", &[]),
        ("sum_duration", &[("stage", "warm")]),
        ("sum_duration", &[("stage", "cold")]),
        ("sort_duration", &[]),
    ];
    for (name, labels) in measured {
        let MetricValue::Histogram(Some(measured)) = metric_value(&after, name, labels) else {
            panic!("{name} {labels:?} has no values");
        };
        assert_eq!(measured.count, 1, "count of {name} {labels:?}");
    }
}
