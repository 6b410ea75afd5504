//! Static registration across crates: a collector and a health check registered in another
//! crate of the workspace, and perf's built-in collectors, are found with no set-up code.

use perf::{Health, MetricValue};
// Linking the crate is all it takes; nothing of it is called.
use perf_fixture_collector_plugin as _;

#[test]
fn collector_from_other_crate_is_found() {
    let snapshot = perf::snapshot();
    let stock = snapshot.collectors.iter().find(|collector| collector.name == "warehouse_stock");
    let stock = stock.expect("the collector of perf-fixture-collector-plugin is registered");
    assert_eq!(stock.component, "warehouse");
    assert_eq!(stock.samples.len(), 1);
    assert_eq!(stock.samples[0].name, "stock_items");
    assert_eq!(stock.samples[0].labels.get("site").map(String::as_str), Some("north"));
    assert_eq!(stock.samples[0].value, MetricValue::Gauge(42));
}

#[test]
fn health_check_from_other_crate_is_found() {
    let snapshot = perf::snapshot();
    let warehouse = snapshot.component("warehouse").expect("component of the fixture crate");
    assert_eq!(warehouse.collectors, ["warehouse_stock"]);
    assert_eq!(warehouse.checks.len(), 1);
    assert_eq!(warehouse.checks[0].name, "stock_available");
    assert_eq!(warehouse.health, Health::Healthy);
}

#[test]
fn builtin_collectors_need_no_setup() {
    let snapshot = perf::snapshot();
    let names: Vec<&str> = snapshot.collectors.iter().map(|collector| collector.name.as_str()).collect();
    assert!(names.contains(&"process"), "{names:?}");
    assert!(names.contains(&"perf"), "{names:?}");
}
