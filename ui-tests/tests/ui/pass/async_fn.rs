//! `#[perf::monitored]` on an `async fn` measures from the first poll until the future
//! completes, including the time spent waiting, and counts a future dropped before it
//! completes as cancelled rather than as a call. A future never polled never started a call.

use std::collections::BTreeMap;
use std::future::Future;
use std::task::{Context, Waker};
use std::time::Duration;

use perf_ui_tests::site;

const NAP: Duration = Duration::from_millis(20);

#[derive(Debug, PartialEq, perf::ErrorKind)]
enum LoadError {
    Empty,
    Invalid(std::num::ParseIntError),
}

impl From<std::num::ParseIntError> for LoadError {
    fn from(error: std::num::ParseIntError) -> Self {
        LoadError::Invalid(error)
    }
}

#[perf::monitored]
async fn nap() {
    tokio::time::sleep(NAP).await;
}

#[perf::monitored]
async fn load(text: &str) -> Result<u32, LoadError> {
    tokio::task::yield_now().await;
    if text.is_empty() {
        return Err(LoadError::Empty);
    }
    Ok(text.parse::<u32>()?)
}

#[perf::monitored(calls, in_flight)]
async fn wait_forever() {
    std::future::pending::<()>().await;
}

struct Reader {
    prefix: String,
}

impl Reader {
    #[perf::monitored]
    async fn read<'a>(&'a self, key: &'a str) -> String {
        tokio::task::yield_now().await;
        format!("{}{key}", self.prefix)
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime builds");
    runtime.block_on(async {
        nap().await;
        assert_eq!(load("7").await, Ok(7));
        assert_eq!(load("").await, Err(LoadError::Empty));
        assert!(matches!(load("seven").await, Err(LoadError::Invalid(_))));
        let reader = Reader { prefix: "user:".to_owned() };
        assert_eq!(reader.read("42").await, "user:42");
    });

    let nap = site(concat!(module_path!(), "::nap"));
    assert_eq!(nap.calls, 1);
    let nap_nanos = nap.latency.expect("latency is recorded").min;
    let floor = NAP.as_nanos() as u64 * 99 / 100;
    assert!(nap_nanos >= floor, "latency {nap_nanos} ns is shorter than the {NAP:?} sleep");

    let load = site(concat!(module_path!(), "::load"));
    assert_eq!(load.calls, 3);
    assert_eq!(load.errors_by_kind, BTreeMap::from([("Empty".to_owned(), 1), ("Invalid".to_owned(), 1)]));
    assert_eq!(load.cancelled, 0);

    assert_eq!(site(concat!(module_path!(), "::read")).calls, 1);

    let mut pending = Box::pin(wait_forever());
    let mut context = Context::from_waker(Waker::noop());
    assert!(pending.as_mut().poll(&mut context).is_pending());
    let waiting = site(concat!(module_path!(), "::wait_forever"));
    assert_eq!(waiting.in_flight, 1);
    assert_eq!(waiting.calls, 0);

    drop(pending);
    let cancelled = site(concat!(module_path!(), "::wait_forever"));
    assert_eq!(cancelled.in_flight, 0);
    assert_eq!(cancelled.cancelled, 1);
    assert_eq!(cancelled.calls, 0);

    let never_polled = wait_forever();
    drop(never_polled);
    assert_eq!(site(concat!(module_path!(), "::wait_forever")).cancelled, 1);
}
