//! A collector plugin and a health check, end to end: `cargo run --example collector_plugin`.
//!
//! A small job queue is worked by a few threads. A collector registered statically reports
//! its depth and its counts, a second collector registered at run time reports per-worker
//! state, and a health check turns the queue's backlog into a health level. The program then
//! prints what `perf::snapshot()` shows for them, for the built-in `process` collector, and
//! the health of every component. docs/PLUGINS.md walks through the same code.

#![allow(clippy::print_stdout)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use perf::plugin::{self, Collector, Samples};
use perf::{Health, MetricValue};

/// Jobs waiting above this count make the queue degraded; at the limit it is unhealthy.
const BACKLOG_WARNING: usize = 50;
const BACKLOG_LIMIT: usize = 200;

/// A job queue shared by the producer and the workers.
struct JobQueue {
    jobs: Mutex<VecDeque<u64>>,
    enqueued: AtomicU64,
    completed: AtomicU64,
}

static QUEUE: JobQueue =
    JobQueue { jobs: Mutex::new(VecDeque::new()), enqueued: AtomicU64::new(0), completed: AtomicU64::new(0) };

impl JobQueue {
    fn push(&self, job: u64) {
        self.jobs.lock().unwrap().push_back(job);
        self.enqueued.fetch_add(1, Ordering::Relaxed);
    }

    fn pop(&self) -> Option<u64> {
        self.jobs.lock().unwrap().pop_front()
    }

    fn depth(&self) -> usize {
        self.jobs.lock().unwrap().len()
    }
}

/// The collector of the queue: registered statically, so it is in every snapshot from the
/// start of `main`, with no set-up code.
impl Collector for JobQueue {
    fn name(&self) -> &str {
        "job_queue"
    }

    fn kind(&self) -> &str {
        "queue"
    }

    fn component(&self) -> &str {
        "jobs"
    }

    fn collect(&self, samples: &mut Samples) {
        samples.gauge("queue_depth", &[("queue", "thumbnails")], self.depth() as i64);
        samples.counter("queue_enqueued", &[("queue", "thumbnails")], self.enqueued.load(Ordering::Relaxed));
        samples.counter("queue_completed", &[("queue", "thumbnails")], self.completed.load(Ordering::Relaxed));
    }
}

perf::register_collector!(QUEUE);

/// Returns the queue's health, from its backlog.
#[perf::health_check(component = "jobs")]
fn queue_backlog() -> Health {
    let depth = QUEUE.depth();
    if depth >= BACKLOG_LIMIT {
        Health::unhealthy(format!("{depth} jobs waiting, the limit is {BACKLOG_LIMIT}"))
    } else if depth >= BACKLOG_WARNING {
        Health::degraded(format!("{depth} jobs waiting"))
    } else {
        Health::Healthy
    }
}

/// Per-worker state, known only at run time: registered with `perf::plugin::register`.
struct Workers {
    done_by_worker: Vec<AtomicU64>,
}

impl Collector for Workers {
    fn name(&self) -> &str {
        "job_workers"
    }

    fn component(&self) -> &str {
        "jobs"
    }

    fn collect(&self, samples: &mut Samples) {
        for (index, done) in self.done_by_worker.iter().enumerate() {
            let worker = index.to_string();
            samples.counter("worker_jobs_done", &[("worker", &worker)], done.load(Ordering::Relaxed));
        }
    }
}

/// Makes a thumbnail, and is itself a monitored site of the `jobs` component.
#[perf::monitored(component = "jobs")]
fn make_thumbnail(job: u64) -> u64 {
    thread::sleep(Duration::from_micros(200 + job % 300));
    job * 2
}

fn main() {
    let workers = Arc::new(Workers { done_by_worker: (0..3).map(|_| AtomicU64::new(0)).collect() });
    plugin::register(Arc::clone(&workers) as Arc<dyn Collector>);

    for job in 0..400 {
        QUEUE.push(job);
    }
    let handles: Vec<_> = (0..3)
        .map(|index| {
            let workers = Arc::clone(&workers);
            thread::spawn(move || {
                while let Some(job) = QUEUE.pop() {
                    make_thumbnail(job);
                    QUEUE.completed.fetch_add(1, Ordering::Relaxed);
                    workers.done_by_worker[index].fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    thread::sleep(Duration::from_millis(20));
    println!("while the backlog is long:");
    print_jobs(&perf::snapshot());

    for handle in handles {
        handle.join().unwrap();
    }
    println!("\nonce the workers are done:");
    let snapshot = perf::snapshot();
    print_jobs(&snapshot);
    print_process(&snapshot);

    println!("\nhealth of every component ({}):", snapshot.health().status);
    for component in &snapshot.components {
        println!("  {:<24} {}", component.name, component.health);
    }
}

fn print_jobs(snapshot: &perf::Snapshot) {
    let jobs = snapshot.component("jobs").expect("the jobs component");
    println!("  component `jobs`: {}", jobs.health);
    println!("    sites: {:?}, collectors: {:?}", jobs.sites, jobs.collectors);
    for name in &jobs.collectors {
        let collector = snapshot.collectors.iter().find(|collector| &collector.name == name).unwrap();
        for sample in &collector.samples {
            println!("    {:<18} {:<26} {}", sample.name, format_labels(&sample.labels), format_value(&sample.value));
        }
    }
}

fn print_process(snapshot: &perf::Snapshot) {
    let process = snapshot.collectors.iter().find(|collector| collector.name == "process").unwrap();
    if let Some(reason) = &process.error {
        println!("\nprocess collector: {reason}");
        return;
    }
    println!("\nprocess collector (built in, registered by perf):");
    for sample in &process.samples {
        println!("    {:<30} {:<16} {}", sample.name, format_labels(&sample.labels), format_value(&sample.value));
    }
}

fn format_labels(labels: &std::collections::BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = labels.iter().map(|(key, value)| format!("{key}={value}")).collect();
    pairs.join(",")
}

fn format_value(value: &MetricValue) -> String {
    match value {
        MetricValue::Counter(total) => total.to_string(),
        MetricValue::Gauge(value) => value.to_string(),
        MetricValue::FloatGauge(value) => format!("{value:.3}"),
        MetricValue::Histogram(Some(distribution)) => format!("count={} p99={}", distribution.count, distribution.p99),
        MetricValue::Histogram(None) => "empty".to_owned(),
    }
}
