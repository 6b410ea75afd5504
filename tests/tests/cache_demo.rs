//! Runs the demo's service (file index, cache, HTTP server, load generator) for a few seconds
//! over a generated directory tree, then reads the results back from `perf::snapshot()`.

// The demo's modules, as the example compiles them; the command-line parts are unused here.
#[allow(dead_code)]
#[path = "../../examples/demo/mod.rs"]
mod demo;
mod prometheus;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use demo::flags::Options;
use demo::report::{BYTES_COUNTER, CACHE_NAME, HANDLER_SITE};
use demo::Demo;
use perf::MetricValue;

/// Files in the generated tree, and the bytes of the largest.
const FILES: usize = 300;
const MAX_FILE_BYTES: usize = 16 * 1024;

/// Creates `FILES` files of 1 to 16 KiB in four directories: about 2.4 MiB in all.
fn generate_tree() -> PathBuf {
    let root = std::env::temp_dir().join(format!("perf-demo-test-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    for index in 0..FILES {
        let directory = root.join(format!("section{}", index % 4));
        fs::create_dir_all(&directory).unwrap();
        let size = 1024 + (index * 7919) % (MAX_FILE_BYTES - 1024);
        fs::write(directory.join(format!("page{index}.html")), vec![b'a' + (index % 26) as u8; size]).unwrap();
    }
    root
}

fn sample(snapshot: &perf::Snapshot, metric: &str, label: Option<(&str, &str)>) -> Option<MetricValue> {
    let collector = snapshot.collectors.iter().find(|collector| collector.name == CACHE_NAME)?;
    let found = collector.samples.iter().find(|sample| {
        sample.name == metric
            && label.is_none_or(|(key, value)| sample.labels.get(key).map(String::as_str) == Some(value))
    })?;
    Some(found.value.clone())
}

fn counter(value: Option<MetricValue>) -> u64 {
    match value {
        Some(MetricValue::Counter(total)) => total,
        other => panic!("expected a counter, found {other:?}"),
    }
}

/// Runs the demo for 3 s and returns its snapshot and the body of its `/metrics`.
fn run_demo(root: &Path) -> (perf::Snapshot, String) {
    // A 256 KiB cache over 2.4 MiB of files: the popular files hit, the tail evicts.
    let options = Options {
        duration: None,
        threads: 2,
        addr: "127.0.0.1:0".to_owned(),
        files_addr: "127.0.0.1:0".to_owned(),
        alert_hit_rate_below: 0.6,
        root: Some(root.to_owned()),
        cache_bytes: 256 * 1024,
        zipf: 1.0,
        json: None,
    };
    let mut demo = Demo::start(&options).unwrap();
    assert_eq!(demo.file_counts(), (FILES, 0));
    std::thread::sleep(Duration::from_secs(3));
    let endpoint = demo.addr().expect("the demo serves perf's endpoint");
    let mut response = prometheus::http_client().get(&format!("http://{endpoint}/metrics")).call().unwrap();
    assert_eq!(response.status(), 200);
    let metrics = response.body_mut().read_to_string().unwrap();
    demo.stop();
    let snapshot = perf::snapshot();
    drop(demo);
    (snapshot, metrics)
}

#[test]
fn demo_serves_cached_files() {
    let root = generate_tree();
    let (snapshot, metrics) = run_demo(&root);

    let check = prometheus::promtool(&["check", "metrics"], metrics.as_bytes());
    let report = format!("{}{}", String::from_utf8_lossy(&check.stdout), String::from_utf8_lossy(&check.stderr));
    assert_eq!(check.status.code(), Some(0), "promtool check metrics on the demo's /metrics: {report}");
    assert_eq!(report.trim(), "", "promtool lint output on the demo's /metrics");
    assert!(metrics.contains("perf_cache_gets_total{"), "the demo's /metrics has the cache");

    let handler = snapshot.site(HANDLER_SITE).unwrap();
    assert!(handler.calls > 100, "requests served: {}", handler.calls);
    // One request in 100 is for a missing file.
    assert!(
        handler.errors_by_kind.get("NotFound").copied().unwrap_or(0) > 0,
        "errors: {:?} of {} calls, fetch {:?}",
        handler.errors_by_kind,
        handler.calls,
        snapshot.site("demo::fetch")
    );

    let hits = counter(sample(&snapshot, "cache_hits", None));
    let misses = counter(sample(&snapshot, "cache_misses", None));
    let size_evictions = counter(sample(&snapshot, "cache_evictions", Some(("cause", "size"))));
    assert!(hits > 0, "cache hits: {hits}");
    assert!(misses > 0, "cache misses: {misses}");
    assert!(size_evictions > 0, "size evictions: {size_evictions}");

    let bytes = snapshot.metric(BYTES_COUNTER, &[]).map(|metric| metric.value.clone());
    assert!(matches!(bytes, Some(MetricValue::Counter(total)) if total > 0), "bytes served: {bytes:?}");

    let loads = snapshot.site("demo::read_from_disk").unwrap();
    // Every miss of a known file loads it from the disk.
    assert_eq!(loads.calls, misses);

    let json = std::env::temp_dir().join(format!("perf-demo-test-{}.json", std::process::id()));
    demo::report::write_json(&snapshot, &json).unwrap();
    let written: serde_json::Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
    let cache = written["collectors"].as_array().unwrap().iter().find(|collector| collector["name"] == CACHE_NAME);
    assert!(cache.is_some(), "the JSON snapshot lists the cache");

    let _ = fs::remove_file(json);
    let _ = fs::remove_dir_all(root);
}

#[test]
fn demo_missing_root_is_usage_error() {
    let options = Options { root: Some(PathBuf::from("/nonexistent/perf-demo-root")), ..Options::default() };
    let error = Demo::start(&options).unwrap_err();
    assert_eq!(error.exit_code(), 2);
    assert!(error.to_string().contains("/nonexistent/perf-demo-root"), "{error}");
}
