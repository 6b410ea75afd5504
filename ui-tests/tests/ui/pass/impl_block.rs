//! `#[perf::monitored]` on a whole impl block instruments every method and associated
//! function as `module::Type::method`, except one marked `#[monitored(skip)]`. A method with
//! its own `#[monitored(...)]` uses its own features and name, and keeps the block's
//! component, labels and crate path except those it sets itself.

use std::collections::BTreeMap;
use std::sync::Arc;

use perf::Features;
use perf_ui_tests::{site, site_names};

mod warehouse {
    pub(crate) struct Stock {
        pub(crate) items: Vec<String>,
    }

    #[perf::monitored(component = "warehouse", labels(site = "north"))]
    impl Stock {
        pub(crate) const LIMIT: usize = 3;

        pub(crate) fn new() -> Self {
            Stock { items: Vec::new() }
        }

        pub(crate) fn add(&mut self, item: &str) -> Result<usize, String> {
            if self.items.len() == Self::LIMIT {
                return Err(format!("stock is full, cannot add {item}"));
            }
            self.items.push(item.to_owned());
            Ok(self.items.len())
        }

        pub(crate) fn count(&self) -> usize {
            self.items.len()
        }

        pub(crate) fn into_items(self) -> Vec<String> {
            self.items
        }

        pub(crate) fn shared_count(self: std::sync::Arc<Self>) -> usize {
            self.items.len()
        }

        #[monitored(skip)]
        pub(crate) fn dump(&self) -> String {
            self.items.join(",")
        }

        #[perf::monitored(calls, name = "stock.remove")]
        pub(crate) fn remove(&mut self, item: &str) -> Result<(), String> {
            let index = self.items.iter().position(|existing| existing == item);
            let index = index.ok_or_else(|| format!("{item} is not in stock"))?;
            self.items.remove(index);
            Ok(())
        }

        #[monitored(in_flight, component = "audit", labels(level = "debug", site = "south"))]
        pub(crate) fn audit(&self) -> usize {
            self.items.len()
        }
    }
}

use warehouse::Stock;

fn main() {
    let mut stock = Stock::new();
    assert_eq!(stock.add("bolt"), Ok(1));
    assert_eq!(stock.add("nut"), Ok(2));
    assert_eq!(stock.add("gear"), Ok(3));
    assert!(stock.add("spring").is_err());
    assert_eq!(stock.remove("nut"), Ok(()));
    assert!(stock.remove("nut").is_err());
    assert_eq!(stock.count(), 2);
    assert_eq!(stock.dump(), "bolt,gear");
    assert_eq!(stock.audit(), 2);
    assert_eq!(Arc::new(Stock::new()).shared_count(), 0);
    assert_eq!(stock.into_items(), ["bolt", "gear"]);

    let prefix = concat!(module_path!(), "::warehouse::Stock::");
    let block_labels = BTreeMap::from([("site".to_owned(), "north".to_owned())]);
    for (method, calls, errors) in
        [("new", 2, 0), ("add", 4, 1), ("count", 1, 0), ("into_items", 1, 0), ("shared_count", 1, 0)]
    {
        let method_site = site(&format!("{prefix}{method}"));
        assert_eq!(method_site.calls, calls, "calls of {method}");
        assert_eq!(method_site.errors, errors, "errors of {method}");
        assert_eq!(method_site.function, method);
        assert_eq!(method_site.module, concat!(module_path!(), "::warehouse"));
        assert_eq!(method_site.component, "warehouse", "component of {method}");
        assert_eq!(method_site.labels, block_labels, "labels of {method}");
        assert_eq!(method_site.features, Features::DEFAULT, "features of {method}");
    }

    let remove = site("stock.remove");
    assert_eq!(remove.function, "remove");
    assert_eq!(remove.calls, 2);
    assert_eq!(remove.errors, 0);
    assert_eq!(remove.features, Features { calls: true, errors: false, latency: false, in_flight: false });
    assert_eq!(remove.component, "warehouse");
    assert_eq!(remove.labels, block_labels);

    let audit = site(&format!("{prefix}audit"));
    assert_eq!(audit.features, Features { calls: false, errors: false, latency: false, in_flight: true });
    assert_eq!(audit.component, "audit");
    let audit_labels =
        BTreeMap::from([("level".to_owned(), "debug".to_owned()), ("site".to_owned(), "south".to_owned())]);
    assert_eq!(audit.labels, audit_labels);

    let mut expected = [
        concat!(module_path!(), "::warehouse::Stock::add"),
        concat!(module_path!(), "::warehouse::Stock::audit"),
        concat!(module_path!(), "::warehouse::Stock::count"),
        concat!(module_path!(), "::warehouse::Stock::into_items"),
        concat!(module_path!(), "::warehouse::Stock::new"),
        concat!(module_path!(), "::warehouse::Stock::shared_count"),
        "stock.remove",
    ];
    expected.sort_unstable();
    assert_eq!(site_names(), expected);
}
