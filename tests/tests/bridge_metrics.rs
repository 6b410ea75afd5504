//! The `metrics` facade bridge: a crate that uses only the `metrics` macros shows up in the
//! snapshot and in the Prometheus output.

use std::sync::Once;
use std::time::Duration;

use perf::bridge::{self, RecorderAlreadyInstalled};
use perf::export::{Exposition, ExpositionOptions, TextFormat};
use perf::MetricValue;
use perf_fixture_metrics_user as shop;

static INSTALL: Once = Once::new();

fn install() {
    INSTALL.call_once(|| bridge::install_metrics_recorder().expect("no other recorder is installed"));
}

fn prometheus_text() -> String {
    let exposition = Exposition::new(ExpositionOptions::default()).unwrap();
    let mut text = Vec::new();
    exposition.render(&perf::snapshot(), TextFormat::Prometheus, &mut text);
    String::from_utf8(text).unwrap()
}

#[test]
fn metrics_counters_reach_snapshot() {
    install();
    shop::record_checkout("eu", 3, Duration::from_millis(120));
    shop::record_checkout("eu", 2, Duration::from_millis(120));
    shop::record_checkout("us", 1, Duration::from_millis(80));

    let snapshot = perf::snapshot();
    let checkouts = snapshot.metric("shop_checkouts_total", &[("region", "eu")]).unwrap();
    assert_eq!(checkouts.value, MetricValue::Counter(2));
    let items = snapshot.metric("shop_items_sold_total", &[("region", "eu")]).unwrap();
    assert_eq!(items.value, MetricValue::Counter(5));
    let items = snapshot.metric("shop_items_sold_total", &[("region", "us")]).unwrap();
    assert_eq!(items.value, MetricValue::Counter(1));
}

#[test]
fn metrics_time_histogram_in_nanoseconds() {
    install();
    shop::record_checkout("latam", 1, Duration::from_millis(250));

    let snapshot = perf::snapshot();
    assert!(snapshot.metric("shop_checkout_duration_seconds", &[("region", "latam")]).is_none());
    let histogram = snapshot.metric("shop_checkout_duration_nanoseconds", &[("region", "latam")]).unwrap();
    let MetricValue::Histogram(Some(distribution)) = &histogram.value else {
        panic!("expected a histogram with values, got {:?}", histogram.value);
    };
    assert_eq!(distribution.count, 1);
    let expected = 250_000_000f64;
    let p50 = distribution.p50 as f64;
    assert!(p50 >= expected, "p50 {p50} ns for a 250 ms checkout");
    assert!(p50 <= expected * 1.01, "p50 {p50} ns for a 250 ms checkout");
}

#[test]
fn metrics_gauge_and_plain_histogram() {
    install();
    shop::set_open_carts(7.5);
    shop::record_basket_size(4);
    shop::record_basket_size(4);

    let snapshot = perf::snapshot();
    assert_eq!(snapshot.metric("shop_open_carts", &[]).unwrap().value, MetricValue::FloatGauge(7.5));
    let basket = snapshot.metric("shop_basket_items", &[]).unwrap();
    let MetricValue::Histogram(Some(distribution)) = &basket.value else {
        panic!("expected a histogram with values, got {:?}", basket.value);
    };
    assert_eq!((distribution.count, distribution.min, distribution.max), (2, 4, 4));
}

#[test]
fn metrics_appear_in_prometheus_output() {
    install();
    shop::record_checkout("apac", 4, Duration::from_millis(60));
    shop::set_open_carts(7.5);

    let text = prometheus_text();
    assert!(text.contains("# TYPE shop_checkouts_total counter\n"), "{text}");
    assert!(text.contains("shop_checkouts_total{region=\"apac\"} 1\n"), "{text}");
    assert!(text.contains("shop_items_sold_total{region=\"apac\"} 4\n"), "{text}");
    assert!(text.contains("shop_open_carts 7.5\n"), "{text}");
    assert!(text.contains("shop_checkout_duration_nanoseconds_count{region=\"apac\"} 1\n"), "{text}");
}

#[test]
fn second_install_is_rejected() {
    install();
    assert_eq!(bridge::install_metrics_recorder(), Err(RecorderAlreadyInstalled));
}
