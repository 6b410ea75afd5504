//! The tracing layer: chosen spans become sites, with calls, latency, errors and in-flight
//! calls, next to the static sites.

use std::sync::Once;

use perf::bridge::TracingLayer;
use tracing_subscriber::layer::SubscriberExt;

static INSTALL: Once = Once::new();

/// Installs one global subscriber for every test: spans under `bridge_tracing::orders` and
/// spans named `load_profile` are recorded.
fn install() {
    INSTALL.call_once(|| {
        let layer = TracingLayer::new().target("bridge_tracing::orders").span("load_profile");
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer)).unwrap();
    });
}

mod orders {
    use std::time::Duration;

    #[tracing::instrument]
    pub(crate) fn place(id: u32) -> u32 {
        std::thread::sleep(Duration::from_millis(20));
        id
    }

    #[tracing::instrument(err)]
    pub(crate) fn refund(amount: u32) -> Result<u32, String> {
        if amount == 0 {
            return Err("nothing to refund".to_owned());
        }
        Ok(amount)
    }

    #[tracing::instrument]
    pub(crate) async fn ship(id: u32) -> u32 {
        tokio::time::sleep(Duration::from_millis(30)).await;
        id
    }

    #[tracing::instrument]
    pub(crate) fn inspect() -> i64 {
        perf::site("bridge_tracing::orders::inspect").unwrap().in_flight
    }

    #[perf::monitored]
    #[tracing::instrument]
    pub(crate) fn both() {}

    #[tracing::instrument]
    pub(crate) fn list() {}

    #[perf::monitored]
    pub(crate) fn tally() {}
}

mod accounts {
    #[tracing::instrument]
    pub(crate) fn load_profile(user: u32) -> u32 {
        user
    }
}

mod audit {
    #[tracing::instrument]
    pub(crate) fn record(entry: u32) -> u32 {
        entry
    }
}

#[test]
fn span_becomes_site_with_latency() {
    install();
    for id in 0..3 {
        orders::place(id);
    }

    let site = perf::site("bridge_tracing::orders::place").expect("a site for the span");
    assert_eq!(site.calls, 3);
    assert_eq!(site.errors, 0);
    assert_eq!(site.component, "bridge_tracing::orders");
    assert_eq!(site.function, "place");
    let latency = site.latency.unwrap();
    assert!(latency.min >= 20_000_000, "min latency {} ns for a 20 ms span", latency.min);
}

#[test]
fn span_error_event_counts_error() {
    install();
    orders::refund(5).unwrap();
    orders::refund(0).unwrap_err();

    let site = perf::site("bridge_tracing::orders::refund").unwrap();
    assert_eq!(site.calls, 2);
    assert_eq!(site.errors, 1);
    assert_eq!(site.errors_by_kind.get("error"), Some(&1));
}

#[test]
fn async_span_spans_awaits() {
    install();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    runtime.block_on(orders::ship(7));

    let site = perf::site("bridge_tracing::orders::ship").unwrap();
    assert_eq!(site.calls, 1);
    let latency = site.latency.unwrap();
    assert!(latency.min >= 30_000_000, "latency {} ns for an async span that slept 30 ms", latency.min);
}

#[test]
fn span_in_flight_while_open() {
    install();
    assert_eq!(orders::inspect(), 1);
    assert_eq!(perf::site("bridge_tracing::orders::inspect").unwrap().in_flight, 0);
}

#[test]
fn span_chosen_by_name() {
    install();
    accounts::load_profile(1);
    assert_eq!(perf::site("bridge_tracing::accounts::load_profile").unwrap().calls, 1);
}

#[test]
fn span_not_chosen_is_ignored() {
    install();
    audit::record(1);
    assert!(perf::site("bridge_tracing::audit::record").is_none());
    assert!(!perf::sites().iter().any(|site| site.name == "bridge_tracing::audit::record"));
}

#[test]
fn monitored_function_not_counted_twice() {
    install();
    orders::both();
    assert_eq!(perf::site("bridge_tracing::orders::both").unwrap().calls, 1);
}

#[test]
fn span_sites_listed_with_static_sites() {
    install();
    orders::list();
    orders::tally();

    let snapshot = perf::snapshot();
    let names: Vec<&str> = snapshot.sites.iter().map(|site| site.name.as_str()).collect();
    assert!(names.contains(&"bridge_tracing::orders::list"), "{names:?}");
    assert!(names.contains(&"bridge_tracing::orders::tally"), "{names:?}");
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "sites are sorted by name");

    let component = snapshot.component("bridge_tracing::orders").unwrap();
    assert!(component.sites.iter().any(|site| site == "bridge_tracing::orders::list"));
}
