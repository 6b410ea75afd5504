//! An installed alert manager is evaluated by the collector after each tick, on real sites.

use std::sync::Arc;

use perf::alert::{self, AlertManager, AlertRule, AlertState, Route};
use perf::event::{self, EventData, EventFilter, EventKind};

#[perf::monitored(calls)]
fn work() {}

#[test]
fn collector_tick_evaluates_installed_manager() {
    let site = format!("{}::work", module_path!());
    let changes = event::subscribe(EventFilter::new().kinds([EventKind::AlertStateChanged]), 16);
    let manager = AlertManager::builder()
        .rule(AlertRule::new("WorkDone", format!(r#"calls{{site="{site}"}} > 2"#)))
        .route(Route::new("log"))
        .build()
        .unwrap();
    let manager: Arc<AlertManager> = alert::install(manager);

    for _ in 0..3 {
        work();
    }
    perf::collect_now();

    let alerts = manager.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].alert.state, AlertState::Firing);
    assert_eq!(alerts[0].alert.labels.get("site"), Some(&site));
    let event = changes.try_recv().expect("an AlertStateChanged event");
    assert!(matches!(event.data, EventData::AlertStateChanged { to: AlertState::Firing, .. }));
    assert_eq!(event.site.as_deref(), Some(site.as_str()));
    alert::uninstall();
}
