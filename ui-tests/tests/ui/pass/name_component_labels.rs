//! `name`, `component` and `labels(...)` set the identity of a site, and `component` groups
//! sites so that they can be turned off together.

use std::collections::BTreeMap;

use perf_ui_tests::site;

const PAY_LINE: u32 = line!() + 7;
#[perf::monitored(
    name = "checkout.pay",
    component = "billing",
    labels(tier = "gold", region = "eu-west", r#type = "card")
)]
#[allow(clippy::unnecessary_wraps)]
fn pay(cents: u64) -> Result<u64, String> {
    Ok(cents)
}

#[perf::monitored(component = "billing")]
fn refund(cents: u64) -> u64 {
    cents
}

#[perf::monitored(name = "checkout.cart")]
fn cart() {}

fn main() {
    assert_eq!(pay(250), Ok(250));

    let pay_site = site("checkout.pay");
    assert_eq!(pay_site.name, "checkout.pay");
    assert_eq!(pay_site.function, "pay");
    assert_eq!(pay_site.module, module_path!());
    assert_eq!(pay_site.component, "billing");
    assert_eq!(pay_site.line, PAY_LINE);
    let labels = BTreeMap::from([
        ("region".to_owned(), "eu-west".to_owned()),
        ("tier".to_owned(), "gold".to_owned()),
        ("type".to_owned(), "card".to_owned()),
    ]);
    assert_eq!(pay_site.labels, labels);
    assert_eq!(pay_site.calls, 1);

    let snapshot = perf::snapshot();
    let cart_site = snapshot.site("checkout.cart").expect("checkout.cart is in the snapshot");
    assert_eq!(cart_site.component, module_path!());
    assert!(cart_site.labels.is_empty());

    assert_eq!(perf::set_component_enabled("billing", false), 2);
    assert_eq!(pay(100), Ok(100));
    assert_eq!(refund(100), 100);
    assert_eq!(site("checkout.pay").calls, 1);
    assert_eq!(site(concat!(module_path!(), "::refund")).calls, 0);

    assert_eq!(perf::set_component_enabled("billing", true), 2);
    assert_eq!(refund(100), 100);
    let refund_site = site(concat!(module_path!(), "::refund"));
    assert_eq!(refund_site.calls, 1);
    assert_eq!(refund_site.component, "billing");
}
