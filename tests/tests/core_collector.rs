//! The collector thread: windows, retention tiers and start/stop. One test, because the
//! collector is a process-wide singleton.

use std::time::{Duration, Instant};

use perf::{Config, Retention, StartError};

#[perf::monitored]
fn work(step: u64) -> Result<u64, String> {
    if step.is_multiple_of(5) {
        return Err(format!("step {step} fails"));
    }
    Ok(step)
}

fn config() -> Config {
    Config {
        interval: Duration::from_millis(10),
        retention: vec![
            Retention { resolution: Duration::from_millis(10), keep: Duration::from_millis(200) },
            Retention { resolution: Duration::from_millis(50), keep: Duration::from_millis(1_000) },
        ],
    }
}

#[test]
fn collector_lifecycle() {
    let invalid = Config { interval: Duration::from_millis(30), ..config() };
    let Err(StartError::InvalidConfig(message)) = perf::start(invalid) else {
        panic!("a tier of 10ms with a 30ms interval must be rejected");
    };
    assert!(message.contains("10ms"), "{message}");

    perf::start(config()).unwrap();
    assert_eq!(perf::start(config()), Err(StartError::AlreadyRunning));

    let deadline = Instant::now() + Duration::from_secs(20);
    let mut step = 0;
    while perf::snapshot().collector.ticks < 150 {
        assert!(Instant::now() < deadline, "collector did not tick 150 times in 20 s");
        step += 1;
        let _ = work(step);
        std::thread::sleep(Duration::from_micros(200));
    }

    let snapshot = perf::snapshot();
    assert!(snapshot.collector.running);
    let site = snapshot.site("core_collector::work").unwrap();
    let window = site.window.as_ref().expect("a window once the collector ticked");
    assert!(window.seconds > 0.0 && window.seconds < 1.0, "window of {} s", window.seconds);
    assert!(window.calls <= site.calls);

    let fine = perf::series("core_collector::work", 0);
    let coarse = perf::series("core_collector::work", 1);
    assert_eq!(fine.len(), 20, "fine tier keeps 200ms / 10ms points");
    assert!(!coarse.is_empty() && coarse.len() <= 20, "coarse tier has {} points", coarse.len());
    let windowed_calls: u64 = coarse.iter().map(|point| point.calls).sum();
    assert!(windowed_calls <= site.calls);

    perf::shutdown();
    assert!(!perf::snapshot().collector.running);
    perf::start(config()).unwrap();
    perf::shutdown();
}
