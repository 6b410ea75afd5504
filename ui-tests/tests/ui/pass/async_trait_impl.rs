//! `#[perf::monitored]` on `async fn` methods of a trait impl (async functions in traits,
//! stable since Rust 1.75), on the whole impl block and on one method.

use std::collections::BTreeMap;

use perf_ui_tests::site;

#[derive(Debug, PartialEq, perf::ErrorKind)]
enum FetchError {
    Missing,
}

trait Fetch {
    async fn fetch(&self, key: u32) -> Result<u32, FetchError>;
    async fn warm(&mut self);
}

struct Memory {
    warmed: bool,
}

#[perf::monitored]
impl Fetch for Memory {
    async fn fetch(&self, key: u32) -> Result<u32, FetchError> {
        tokio::task::yield_now().await;
        if key == 0 {
            Err(FetchError::Missing)
        } else {
            Ok(key * 10)
        }
    }

    async fn warm(&mut self) {
        self.warmed = true;
    }
}

struct Disk;

impl Fetch for Disk {
    #[perf::monitored(latency)]
    async fn fetch(&self, key: u32) -> Result<u32, FetchError> {
        tokio::task::yield_now().await;
        Ok(key)
    }

    async fn warm(&mut self) {}
}

async fn fetch_twice(source: &impl Fetch) -> (Result<u32, FetchError>, Result<u32, FetchError>) {
    (source.fetch(1).await, source.fetch(0).await)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime builds");
    let mut memory = Memory { warmed: false };
    runtime.block_on(async {
        memory.warm().await;
        assert_eq!(fetch_twice(&memory).await, (Ok(10), Err(FetchError::Missing)));
        assert_eq!(fetch_twice(&Disk).await, (Ok(1), Ok(0)));
        Disk.warm().await;
    });
    assert!(memory.warmed);

    let memory_fetch = site(concat!(module_path!(), "::Memory::fetch"));
    assert_eq!(memory_fetch.calls, 2);
    assert_eq!(memory_fetch.errors_by_kind, BTreeMap::from([("Missing".to_owned(), 1)]));
    assert_eq!(memory_fetch.cancelled, 0);
    assert_eq!(site(concat!(module_path!(), "::Memory::warm")).calls, 1);

    let disk_fetch = site(concat!(module_path!(), "::fetch"));
    assert_eq!(disk_fetch.calls, 2);
    assert_eq!(disk_fetch.latency.map(|latency| latency.count), Some(2));
    assert_eq!(perf::sites().len(), 3);
}
