//! `async fn` sites: latency until completion, and futures dropped before they complete.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

#[perf::monitored(latency, errors, in_flight)]
async fn wait_then_answer(millis: u64) -> Result<u64, String> {
    tokio::time::sleep(Duration::from_millis(millis)).await;
    if millis == 0 {
        return Err("zero wait".to_owned());
    }
    Ok(millis)
}

#[perf::monitored(latency, errors, in_flight)]
async fn never_ready() -> u32 {
    std::future::pending::<()>().await;
    0
}

struct Client {
    base: u64,
}

impl Client {
    #[perf::monitored]
    async fn get(&self, offset: u64) -> Result<u64, std::io::Error> {
        tokio::task::yield_now().await;
        Ok(self.base + offset)
    }
}

#[tokio::test]
async fn latency_covers_whole_future() {
    assert_eq!(wait_then_answer(20).await, Ok(20));
    assert!(wait_then_answer(0).await.is_err());

    let site = perf::site("core_async::wait_then_answer").unwrap();
    assert_eq!(site.calls, 2);
    assert_eq!(site.errors, 1);
    assert_eq!(site.cancelled, 0);
    assert!(site.latency.unwrap().max >= 20_000_000, "max {:?}", site.latency);
}

#[test]
fn dropped_future_counts_as_cancelled() {
    let mut context = Context::from_waker(Waker::noop());
    {
        let mut future = pin!(never_ready());
        assert!(future.as_mut().poll(&mut context).is_pending());
        let site = perf::site("core_async::never_ready").unwrap();
        assert_eq!(site.in_flight, 1);
    }

    let site = perf::site("core_async::never_ready").unwrap();
    assert_eq!(site.cancelled, 1);
    assert_eq!(site.calls, 0);
    assert_eq!(site.errors, 0);
    assert_eq!(site.in_flight, 0);
}

#[tokio::test]
async fn async_method_counts_calls() {
    let client = Client { base: 100 };
    assert_eq!(client.get(1).await.unwrap(), 101);
    assert_eq!(client.get(2).await.unwrap(), 102);

    let site = perf::site("core_async::get").unwrap();
    assert_eq!(site.calls, 2);
    assert_eq!(site.cancelled, 0);
}

#[test]
fn future_polled_to_end_is_not_cancelled() {
    let mut context = Context::from_waker(Waker::noop());
    let client = Client { base: 1 };
    let mut future = pin!(client.get(5));
    let output = loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            break output;
        }
    };
    assert_eq!(output.unwrap(), 6);
}
