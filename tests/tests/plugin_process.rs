//! The built-in `process` collector against /proc read independently by the test. One test,
//! so that no other test changes the threads or descriptors between the two readings.

#![cfg(target_os = "linux")]

use std::fs::File;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use perf::plugin::{CollectorSnapshot, Sample};
use perf::MetricValue;

/// The /proc values the collector reports, read by the test on its own.
#[derive(Debug, PartialEq)]
struct Reading {
    resident_bytes: i64,
    virtual_bytes: i64,
    threads: i64,
    open_fds: i64,
    user_us: u64,
    system_us: u64,
}

fn status_field(name: &str) -> i64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with(&format!("{name}:"))).unwrap();
    let value = line.split_whitespace().nth(1).unwrap();
    value.parse().unwrap()
}

fn cpu_micros() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // SAFETY: sysconf reads a constant of the system and has no preconditions.
    let ticks_per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
    let micros = |field: &str| field.parse::<u64>().unwrap() * 1_000_000 / ticks_per_second;
    // utime and stime are fields 14 and 15; `fields` starts at field 3.
    (micros(fields[11]), micros(fields[12]))
}

fn read_proc() -> Reading {
    // Listing the directory opens one descriptor of its own, which is not counted.
    let open_fds = std::fs::read_dir("/proc/self/fd").unwrap().count() as i64 - 1;
    let (user_us, system_us) = cpu_micros();
    Reading {
        resident_bytes: status_field("VmRSS") * 1024,
        virtual_bytes: status_field("VmSize") * 1024,
        threads: status_field("Threads"),
        open_fds,
        user_us,
        system_us,
    }
}

fn sample<'a>(collector: &'a CollectorSnapshot, name: &str, labels: &[(&str, &str)]) -> &'a Sample {
    collector
        .samples
        .iter()
        .find(|sample| {
            sample.name == name
                && sample.labels.len() == labels.len()
                && labels.iter().all(|(key, value)| sample.labels.get(*key).map(String::as_str) == Some(*value))
        })
        .unwrap_or_else(|| panic!("the process collector has no {name} {labels:?}: {:?}", collector.samples))
}

fn gauge(collector: &CollectorSnapshot, name: &str) -> i64 {
    match sample(collector, name, &[]).value {
        MetricValue::Gauge(value) => value,
        ref other => panic!("{name} is {other:?}, not a gauge"),
    }
}

fn cpu(collector: &CollectorSnapshot, mode: &str) -> u64 {
    match sample(collector, "process_cpu_us", &[("mode", mode)]).value {
        MetricValue::Counter(value) => value,
        ref other => panic!("process_cpu_us is {other:?}, not a counter"),
    }
}

fn process_collector() -> CollectorSnapshot {
    let snapshot = perf::snapshot();
    snapshot.collectors.into_iter().find(|collector| collector.name == "process").expect("process collector")
}

/// Spins until this process has used `micros` more of user CPU time, as /proc counts it, and
/// returns that new total. Wall time would not do: on a loaded machine the loop gets a share.
fn burn_cpu(micros: u64) -> u64 {
    let target = cpu_micros().0 + micros;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut state = 1u64;
    loop {
        for _ in 0..100_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        }
        std::hint::black_box(state);
        let used = cpu_micros().0;
        if used >= target {
            return used;
        }
        assert!(Instant::now() < deadline, "60 s of spinning used only {used} of {target} µs of user CPU");
    }
}

#[test]
fn process_collector_matches_proc() {
    // The first snapshot starts perf's worker threads, which then stay.
    let warm_up = process_collector();
    assert!(warm_up.supported);
    assert_eq!(warm_up.kind, "process");
    assert_eq!(warm_up.component, "process");

    let (release, parked) = mpsc::channel::<()>();
    let parked = std::sync::Arc::new(std::sync::Mutex::new(parked));
    let workers: Vec<_> = (0..5)
        .map(|_| {
            let parked = std::sync::Arc::clone(&parked);
            std::thread::spawn(move || {
                let _ = parked.lock().unwrap().recv();
            })
        })
        .collect();
    let files: Vec<File> = (0..7).map(|_| File::open("/proc/self/status").unwrap()).collect();
    let burnt = burn_cpu(200_000);

    let before = read_proc();
    let collector = process_collector();
    let after = read_proc();

    assert_eq!(before.threads, after.threads, "threads changed while the collector ran");
    assert_eq!(gauge(&collector, "process_threads"), after.threads);
    assert!(after.threads >= warm_up_threads(&warm_up) + 5, "the 5 parked threads are counted");

    assert_eq!(before.open_fds, after.open_fds, "descriptors changed while the collector ran");
    assert_eq!(gauge(&collector, "process_open_fds"), after.open_fds);

    let resident = gauge(&collector, "process_resident_memory_bytes");
    let (low, high) =
        (before.resident_bytes.min(after.resident_bytes), before.resident_bytes.max(after.resident_bytes));
    let tolerance = 4 * 1024 * 1024;
    assert_between("resident bytes", resident, low - tolerance, high + tolerance);

    let virtual_size = gauge(&collector, "process_virtual_memory_bytes");
    let (low, high) = (before.virtual_bytes.min(after.virtual_bytes), before.virtual_bytes.max(after.virtual_bytes));
    let tolerance = 64 * 1024 * 1024;
    assert_between("virtual bytes", virtual_size, low - tolerance, high + tolerance);

    let user = cpu(&collector, "user");
    assert_between("user CPU µs", user, before.user_us, after.user_us);
    assert!(user >= burnt, "user CPU {user} µs is below the {burnt} µs read after the busy loop");
    let system = cpu(&collector, "system");
    assert_between("system CPU µs", system, before.system_us, after.system_us);

    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let soft =
        limits.lines().find(|line| line.starts_with("Max open files")).unwrap().split_whitespace().nth(3).unwrap();
    if soft != "unlimited" {
        assert_eq!(gauge(&collector, "process_max_fds"), soft.parse::<i64>().unwrap());
    }

    drop(files);
    drop(release);
    for worker in workers {
        worker.join().unwrap();
    }
}

/// Asserts `low <= value <= high`, each bound on its own.
fn assert_between<T: PartialOrd + std::fmt::Display>(what: &str, value: T, low: T, high: T) {
    assert!(value >= low, "{what}: {value} is below {low}");
    assert!(value <= high, "{what}: {value} is above {high}");
}

fn warm_up_threads(collector: &CollectorSnapshot) -> i64 {
    gauge(collector, "process_threads")
}
