//! The collector reports each site once, at the first tick that finds it while a subscriber
//! listens. This binary has one test, so no other test can see the site first.

use perf::event::{self, EventData, EventFilter, EventKind};

#[perf::monitored(calls)]
fn registered() {}

#[test]
fn site_registration_reported_once() {
    let site = format!("{}::registered", module_path!());
    let events = event::subscribe(EventFilter::new().kinds([EventKind::SiteRegistered]).site(site.clone()), 16);
    registered();
    perf::collect_now();
    perf::collect_now();

    let received: Vec<_> = events.try_iter().collect();
    assert_eq!(received.len(), 1, "{received:?}");
    assert!(matches!(received[0].data, EventData::SiteRegistered));
    assert_eq!(received[0].component.as_deref(), Some(module_path!()));
}
