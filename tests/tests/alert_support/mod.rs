//! What the alert, threshold and event tests share: a manual clock at a fixed start, snapshots
//! whose metric values the test sets, a receiver that records what it gets, and a tiny HTTP
//! responder on 127.0.0.1.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use perf::alert::{AlertManager, AlertManagerBuilder, AlertState, CallbackReceiver, ManualClock, Notification};
use perf::{MetricSnapshot, Snapshot};

/// Start of every test clock: 2023-11-14T22:13:20Z.
pub(crate) const START_SECONDS: u64 = 1_700_000_000;

/// Real time allowed for the delivery thread to catch up.
pub(crate) const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn start() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(START_SECONDS)
}

/// The time `seconds` after [`start`].
pub(crate) fn at(seconds: u64) -> SystemTime {
    start() + Duration::from_secs(seconds)
}

/// A float gauge to put in a snapshot: name, labels, value.
pub(crate) type Gauge<'a> = (&'a str, &'a [(&'a str, &'a str)], f64);

/// A snapshot with no site and no collector, whose only metrics are the float gauges given.
pub(crate) fn snapshot(gauges: &[Gauge<'_>]) -> Snapshot {
    let mut snapshot = perf::snapshot();
    snapshot.sites.clear();
    snapshot.collectors.clear();
    snapshot.metrics = gauges.iter().map(|(name, labels, value)| gauge(name, labels, *value)).collect();
    snapshot
}

/// Builds a snapshot with one series of `metric` per entry of `series`, each with its own
/// value of the label `label`.
pub(crate) fn snapshot_by_label(metric: &str, label: &str, series: &[(&str, f64)]) -> Snapshot {
    let mut snapshot = snapshot(&[]);
    snapshot.metrics =
        series.iter().map(|(value_label, value)| gauge(metric, &[(label, value_label)], *value)).collect();
    snapshot
}

/// A float gauge as a snapshot lists it.
pub(crate) fn gauge(name: &str, labels: &[(&str, &str)], value: f64) -> MetricSnapshot {
    let labels: serde_json::Map<String, serde_json::Value> =
        labels.iter().map(|(key, value)| ((*key).to_owned(), serde_json::Value::from(*value))).collect();
    serde_json::from_value(serde_json::json!({
        "name": name,
        "labels": labels,
        "kind": "float_gauge",
        "value": { "float_gauge": value },
    }))
    .expect("a float gauge deserializes")
}

/// Notifications received, in order.
pub(crate) type Inbox = Arc<Mutex<Vec<Notification>>>;

/// A receiver named `name` that records every notification.
pub(crate) fn recorder(name: &str) -> (CallbackReceiver, Inbox) {
    let inbox: Inbox = Arc::default();
    let sink = Arc::clone(&inbox);
    let receiver = CallbackReceiver::new(name, move |notification| {
        sink.lock().unwrap().push(notification.clone());
        Ok(())
    });
    (receiver, inbox)
}

/// A manager on a manual clock, fed one metric named `metric`.
pub(crate) struct Harness {
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) manager: AlertManager,
    pub(crate) metric: String,
}

impl Harness {
    /// Builds the manager from `builder` with a manual clock at [`start`].
    pub(crate) fn new(metric: &str, builder: AlertManagerBuilder) -> Harness {
        let clock = Arc::new(ManualClock::new(start()));
        let manager = builder.clock(clock.clone()).build().expect("valid alerting set-up");
        Harness { clock, manager, metric: metric.to_owned() }
    }

    /// Moves the clock to `seconds` after the start.
    pub(crate) fn set(&self, seconds: u64) {
        self.clock.set(at(seconds));
    }

    /// Evaluates at `seconds` after the start with the metric at `value` (absent for `None`),
    /// then waits for the deliveries due.
    pub(crate) fn eval_at(&self, seconds: u64, value: Option<f64>) {
        self.set(seconds);
        let snapshot = match value {
            Some(value) => snapshot(&[(&self.metric, &[], value)]),
            None => snapshot(&[]),
        };
        self.manager.evaluate(&snapshot);
        assert!(self.manager.wait_for_deliveries(DELIVERY_TIMEOUT), "deliveries did not finish");
    }

    /// Returns the state of the only alert, or `None` when there is none.
    pub(crate) fn state(&self) -> Option<AlertState> {
        let alerts = self.manager.alerts();
        assert!(alerts.len() <= 1, "expected at most one alert, found {alerts:#?}");
        alerts.first().map(|status| status.alert.state)
    }
}

/// Takes what an inbox holds.
pub(crate) fn take(inbox: &Inbox) -> Vec<Notification> {
    std::mem::take(&mut *inbox.lock().unwrap())
}

/// A request the responder received.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) body: String,
}

/// An HTTP responder on 127.0.0.1 that responds to each request with the next status of a
/// list (the last one repeats) and records the requests.
pub(crate) struct Responder {
    pub(crate) url: String,
    pub(crate) requests: Arc<Mutex<Vec<Request>>>,
    _thread: JoinHandle<()>,
}

impl Responder {
    pub(crate) fn start(statuses: Vec<u16>) -> Responder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let seen = Arc::clone(&requests);
        let thread = std::thread::spawn(move || {
            for (index, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { continue };
                let status = statuses.get(index).or(statuses.last()).copied().unwrap_or(200);
                if let Some(request) = answer(stream, status) {
                    seen.lock().unwrap().push(request);
                }
            }
        });
        Responder { url, requests, _thread: thread }
    }

    pub(crate) fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn answer(stream: TcpStream, status: u16) -> Option<Request> {
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();

    let mut length = 0usize;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;

    let reason = if status < 300 { "OK" } else { "Error" };
    let text = format!("status {status}");
    let response =
        format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}", text.len());
    let mut stream = stream;
    stream.write_all(response.as_bytes()).ok()?;
    Some(Request { method, path, body: String::from_utf8_lossy(&body).into_owned() })
}
