//! Reloads: on request, on write, on rename-replace, on a burst of writes (one reload), by
//! polling; an invalid file keeps the last good configuration.

mod config_support;

use std::sync::mpsc::Receiver;
use std::time::Duration;

use config_support::{generation_config, wait_for, ConfigDir, DEADLINE};
use perf::config::{ConfigStore, LoadOptions, ReloadEvent, WatchMode, WatchOptions, RELOAD_SUCCESS_GAUGE};

fn open(dir: &ConfigDir) -> ConfigStore {
    ConfigStore::open(&dir.path, LoadOptions::new().without_env()).unwrap_or_else(|errors| panic!("{errors}"))
}

fn interval_ms(store: &ConfigStore) -> u128 {
    store.current().collector.interval.as_millis()
}

fn next_event(events: &Receiver<ReloadEvent>) -> ReloadEvent {
    events.recv_timeout(DEADLINE).expect("a reload event before the deadline")
}

fn applied_interval_ms(event: &ReloadEvent) -> u128 {
    match event {
        ReloadEvent::Applied { settings, .. } => settings.collector.interval.as_millis(),
        ReloadEvent::Failed { errors, .. } => panic!("expected an applied reload, got errors: {errors}"),
    }
}

fn gauge(store: &ConfigStore) -> i64 {
    perf::registry::gauge(RELOAD_SUCCESS_GAUGE, &[("file", &store.path().display().to_string())]).value()
}

fn events_mode() -> WatchOptions {
    WatchOptions {
        debounce: Duration::from_millis(150),
        mode: WatchMode::Events,
        poll_interval: Duration::from_millis(50),
    }
}

#[test]
fn reload_on_request_applies_new_file() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    dir.write(&generation_config(200));
    store.reload().unwrap();
    assert_eq!(interval_ms(&store), 200);
}

#[test]
fn reload_counts_generations() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    store.reload().unwrap();
    assert_eq!(store.generation(), 2);
}

#[test]
fn reload_invalid_keeps_old_config() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    dir.write("[collector]\ninterval = \"-1s\"\n");
    let errors = store.reload().unwrap_err();
    assert_eq!((errors.errors()[0].line, errors.errors()[0].column), (2, 12));
    assert_eq!(interval_ms(&store), 100);
}

#[test]
fn reload_invalid_sets_gauge_to_zero() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    assert_eq!(gauge(&store), 1);
    dir.write("[collector]\ninterval = 5\n");
    let _ = store.reload();
    assert_eq!(gauge(&store), 0);
}

#[test]
fn reload_valid_after_invalid_sets_gauge_to_one() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    dir.write("[collector]\ninterval = 5\n");
    let _ = store.reload();
    dir.write(&generation_config(300));
    store.reload().unwrap();
    assert_eq!(gauge(&store), 1);
    assert_eq!(interval_ms(&store), 300);
}

#[test]
fn reload_invalid_emits_failed_event() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    let events = store.subscribe();
    dir.write("[collector]\ninterval = \"-1s\"\n");
    let _ = store.reload();
    match next_event(&events) {
        ReloadEvent::Failed { errors, file } => {
            assert_eq!(file, dir.path);
            assert_eq!(errors.len(), 1);
        }
        other => panic!("expected a failed reload, got {other:?}"),
    }
}

#[test]
fn reload_invalid_emits_bus_event() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    let bus =
        perf::event::subscribe(perf::event::EventFilter::new().kinds([perf::event::EventKind::ConfigReloaded]), 64);
    dir.write("[collector]\ninterval = \"-1s\"\n");
    let _ = store.reload();

    let file = dir.path.display().to_string();
    let error = wait_for("the failed reload on the event bus", || {
        bus.try_iter().find_map(|event| match event.data {
            perf::event::EventData::ConfigReloaded { applied: false, error: Some(error) } if error.contains(&file) => {
                Some(error)
            }
            _ => None,
        })
    });
    assert!(error.starts_with(&format!("{file}:2:12: collector.interval")), "{error}");
}

#[test]
fn set_override_validated_and_applied() {
    let dir = ConfigDir::new("[thresholds.p99]\nmetric = 'p99(latency)'\nabove = \"250ms\"\n");
    let store = open(&dir);
    store.set("thresholds.p99.above", "\"300ms\"").unwrap();
    let threshold = &store.current().thresholds["p99"];
    assert_eq!(
        threshold.rule,
        perf::config::ThresholdRule::Static {
            bound: perf::config::Bound::Above(perf::config::units::parse_quantity("300ms").unwrap()),
            recovery: None,
        }
    );
}

#[test]
fn set_override_invalid_changes_nothing() {
    let dir = ConfigDir::new("[thresholds.p99]\nmetric = 'p99(latency)'\nabove = \"250ms\"\n");
    let store = open(&dir);
    let errors = store.set("thresholds.p99.above", "\"95%\"").unwrap_err();
    assert_eq!(errors.errors()[0].file, "<api>");
    assert_eq!(store.generation(), 1);
}

#[test]
fn set_override_survives_reload() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    store.set("http.enabled", "true").unwrap();
    dir.write(&generation_config(200));
    store.reload().unwrap();
    assert!(store.current().http.enabled);
}

#[test]
fn watch_reloads_on_write() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    let events = store.subscribe();
    let _watcher = store.watch_with(events_mode()).unwrap();
    dir.write(&generation_config(200));
    assert_eq!(applied_interval_ms(&next_event(&events)), 200);
    assert_eq!(interval_ms(&store), 200);
}

#[test]
fn watch_reloads_on_rename_replace() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    let events = store.subscribe();
    let _watcher = store.watch_with(events_mode()).unwrap();
    dir.replace_by_rename(&generation_config(250));
    assert_eq!(applied_interval_ms(&next_event(&events)), 250);
}

#[test]
fn watch_debounces_burst_into_one_reload() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    let events = store.subscribe();
    let _watcher = store.watch_with(WatchOptions { debounce: Duration::from_millis(400), ..events_mode() }).unwrap();

    for interval in 101..=130 {
        dir.write(&generation_config(interval));
    }
    // Without debouncing the first reload would read an early write of the burst.
    assert_eq!(applied_interval_ms(&next_event(&events)), 130);

    // A later write is the next reload: nothing else came from the burst in between.
    dir.write(&generation_config(500));
    assert_eq!(applied_interval_ms(&next_event(&events)), 500);
    assert_eq!(store.generation(), 3);
}

#[test]
fn watch_ignores_other_files_in_folder() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    let events = store.subscribe();
    let _watcher = store.watch_with(events_mode()).unwrap();
    std::fs::write(dir.folder().join("other.toml"), "not = [valid").unwrap();
    dir.write(&generation_config(200));
    assert_eq!(applied_interval_ms(&next_event(&events)), 200);
    assert_eq!(store.generation(), 2);
}

#[test]
fn watch_invalid_change_keeps_old_then_valid_applies() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    let events = store.subscribe();
    let _watcher = store.watch_with(events_mode()).unwrap();

    dir.write("[collector]\ninterval = \"soon\"\n");
    assert!(matches!(next_event(&events), ReloadEvent::Failed { .. }));
    assert_eq!(interval_ms(&store), 100);
    assert_eq!(gauge(&store), 0);

    dir.write(&generation_config(300));
    assert_eq!(applied_interval_ms(&next_event(&events)), 300);
    assert_eq!(gauge(&store), 1);
}

#[test]
fn watch_by_polling() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    let events = store.subscribe();
    let options = WatchOptions {
        debounce: Duration::from_millis(50),
        mode: WatchMode::Poll,
        poll_interval: Duration::from_millis(50),
    };
    let watcher = store.watch_with(options).unwrap();
    assert_eq!(watcher.mode(), WatchMode::Poll);
    dir.write(&generation_config(700));
    assert_eq!(applied_interval_ms(&next_event(&events)), 700);
}

#[test]
fn watch_stops_when_dropped() {
    let dir = ConfigDir::new(&generation_config(100));
    let store = open(&dir);
    let watcher = store.watch_with(events_mode()).unwrap();
    drop(watcher);
    dir.write(&generation_config(200));
    // With no watcher, only a reload on request applies the change.
    store.reload().unwrap();
    wait_for("the requested reload", || (interval_ms(&store) == 200).then_some(()));
    assert_eq!(store.generation(), 2);
}
