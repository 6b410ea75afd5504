//! Isolation of plugin collectors: one that panics, runs past its budget or hangs is disabled
//! and reported, and the snapshot, the collector thread and every other collector go on.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use perf::event::{self, EventData, EventFilter, EventKind};
use perf::plugin::{self, Collector, CollectorSnapshot, Samples};
use perf::{Config, HealthStatus, Retention};

/// What a test collector does when asked for samples or ticked.
#[derive(Clone, Copy, PartialEq)]
enum Behaviour {
    Report,
    Panic,
    Sleep(Duration),
    Hang,
}

struct TestCollector {
    name: &'static str,
    collect: Behaviour,
    tick: Behaviour,
    collects: AtomicUsize,
    ticks: AtomicUsize,
    release: AtomicBool,
}

impl TestCollector {
    fn register(name: &'static str, collect: Behaviour, tick: Behaviour) -> Arc<TestCollector> {
        let collector = Arc::new(TestCollector {
            name,
            collect,
            tick,
            collects: AtomicUsize::new(0),
            ticks: AtomicUsize::new(0),
            release: AtomicBool::new(false),
        });
        plugin::register(Arc::clone(&collector) as Arc<dyn Collector>);
        collector
    }

    fn act(&self, behaviour: Behaviour) {
        match behaviour {
            Behaviour::Report => {}
            Behaviour::Panic => panic!("{} failed on purpose", self.name),
            Behaviour::Sleep(duration) => std::thread::sleep(duration),
            Behaviour::Hang => {
                while !self.release.load(Ordering::Acquire) {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    }
}

impl Collector for TestCollector {
    fn name(&self) -> &str {
        self.name
    }

    fn component(&self) -> &str {
        "isolation"
    }

    fn collect(&self, samples: &mut Samples) {
        self.collects.fetch_add(1, Ordering::SeqCst);
        self.act(self.collect);
        samples.counter("collections", &[], self.collects.load(Ordering::SeqCst) as u64);
    }

    fn tick(&self, _now_ms: u64) {
        self.ticks.fetch_add(1, Ordering::SeqCst);
        self.act(self.tick);
    }

    /// 100 ms for the collectors meant to run past it. The others get 5 s, because a panic
    /// takes a while when the panic hook prints a backtrace.
    fn time_budget(&self) -> Option<Duration> {
        let overruns = |behaviour| matches!(behaviour, Behaviour::Sleep(_) | Behaviour::Hang);
        if overruns(self.collect) || overruns(self.tick) {
            Some(Duration::from_millis(100))
        } else {
            Some(Duration::from_secs(5))
        }
    }
}

fn find<'a>(collectors: &'a [CollectorSnapshot], name: &str) -> &'a CollectorSnapshot {
    collectors.iter().find(|collector| collector.name == name).unwrap_or_else(|| panic!("no collector {name}"))
}

#[test]
fn collect_failures_are_isolated() {
    let good = TestCollector::register("iso_good", Behaviour::Report, Behaviour::Report);
    let panicking = TestCollector::register("iso_panicking", Behaviour::Panic, Behaviour::Report);
    let slow = TestCollector::register("iso_slow", Behaviour::Sleep(Duration::from_secs(5)), Behaviour::Report);
    let hung = TestCollector::register("iso_hung", Behaviour::Hang, Behaviour::Report);

    let started = Instant::now();
    let snapshot = perf::snapshot();
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(3),
        "snapshot took {elapsed:?}: it waited for the slow or the hung collector"
    );

    let report = find(&snapshot.collectors, "iso_good");
    assert!(report.enabled);
    assert_eq!(report.error, None);
    assert_eq!(report.samples.len(), 1);
    let collections_before = good.collects.load(Ordering::SeqCst);

    let report = find(&snapshot.collectors, "iso_panicking");
    assert!(!report.enabled);
    assert!(report.samples.is_empty());
    let error = report.error.as_deref().unwrap();
    assert!(error.contains("panicked"), "{error}");
    assert!(error.contains("iso_panicking failed on purpose"), "{error}");

    for name in ["iso_slow", "iso_hung"] {
        let report = find(&snapshot.collectors, name);
        assert!(!report.enabled, "{name} is still enabled");
        let error = report.error.as_deref().unwrap();
        assert!(error.contains("time budget of 100ms"), "{name}: {error}");
    }

    let process = find(&snapshot.collectors, "process");
    assert!(!process.samples.is_empty(), "the process collector stopped reporting");

    let isolation = snapshot.component("isolation").unwrap();
    assert_eq!(isolation.health.status(), HealthStatus::Degraded);
    let reason = isolation.health.reason().unwrap();
    assert!(reason.contains("collector `iso_panicking` is disabled"), "{reason}");

    let second = perf::snapshot();
    assert_eq!(find(&second.collectors, "iso_good").samples.len(), 1);
    assert!(good.collects.load(Ordering::SeqCst) > collections_before, "the good collector stopped running");
    assert_eq!(panicking.collects.load(Ordering::SeqCst), 1, "a disabled collector ran again");
    assert_eq!(slow.collects.load(Ordering::SeqCst), 1, "a disabled collector ran again");
    assert_eq!(hung.collects.load(Ordering::SeqCst), 1, "a disabled collector ran again");
    assert!(!find(&second.collectors, "iso_hung").enabled);

    hung.release.store(true, Ordering::Release);
}

#[test]
fn enable_turns_collector_back_on() {
    let flaky = TestCollector::register("iso_flaky", Behaviour::Panic, Behaviour::Report);
    let first = perf::snapshot();
    assert!(!find(&first.collectors, "iso_flaky").enabled);

    plugin::enable("iso_flaky").unwrap();
    let second = perf::snapshot();
    assert_eq!(flaky.collects.load(Ordering::SeqCst), 2);
    assert!(!find(&second.collectors, "iso_flaky").enabled, "it panicked again, so it is disabled again");
}

#[test]
fn enable_unknown_collector_fails() {
    let error = plugin::enable("iso_no_such_collector").unwrap_err();
    assert_eq!(error.name, "iso_no_such_collector");
}

#[test]
fn tick_failures_keep_collector_thread_running() {
    let ticking = TestCollector::register("iso_ticking", Behaviour::Report, Behaviour::Report);
    let tick_panics = TestCollector::register("iso_tick_panics", Behaviour::Report, Behaviour::Panic);
    let tick_hangs = TestCollector::register("iso_tick_hangs", Behaviour::Report, Behaviour::Hang);

    let interval = Duration::from_millis(20);
    let config = Config { interval, retention: vec![Retention { resolution: interval, keep: Duration::from_secs(2) }] };
    perf::start(config).unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    while ticking.ticks.load(Ordering::SeqCst) < 20 {
        assert!(Instant::now() < deadline, "the good collector was ticked {:?} times", ticking.ticks);
        std::thread::sleep(Duration::from_millis(10));
    }
    let snapshot = perf::snapshot();
    perf::shutdown();

    assert!(snapshot.collector.ticks >= 20, "collector thread ticked {} times", snapshot.collector.ticks);
    assert_eq!(tick_panics.ticks.load(Ordering::SeqCst), 1, "a collector whose tick panicked was ticked again");
    assert_eq!(tick_hangs.ticks.load(Ordering::SeqCst), 1, "a collector whose tick hung was ticked again");

    let report = find(&snapshot.collectors, "iso_tick_panics");
    assert!(!report.enabled);
    assert!(report.error.as_deref().unwrap().contains("its tick panicked"));
    let report = find(&snapshot.collectors, "iso_tick_hangs");
    assert!(!report.enabled);
    assert!(report.error.as_deref().unwrap().contains("its tick ran past its time budget"));

    tick_hangs.release.store(true, Ordering::Release);
}

#[test]
fn disabled_collector_emits_event() {
    let events = event::subscribe(EventFilter::new().kinds([EventKind::CollectorDisabled]).component("isolation"), 64);
    let _broken = TestCollector::register("iso_event_source", Behaviour::Panic, Behaviour::Report);
    perf::snapshot();

    let disabled = events
        .try_iter()
        .find_map(|event| match event.data {
            EventData::CollectorDisabled { collector, reason } if collector == "iso_event_source" => Some(reason),
            _ => None,
        })
        .expect("a CollectorDisabled event for iso_event_source");
    assert!(disabled.contains("iso_event_source failed on purpose"), "{disabled}");
}
