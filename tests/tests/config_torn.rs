//! Readers never see a configuration made of two reloads, however many reloads run at once.

mod config_support;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use config_support::{generation_config, ConfigDir};
use perf::config::{ConfigStore, LoadOptions};

const READERS: usize = 8;
const RELOADS_PER_WRITER: u64 = 150;

#[test]
fn concurrent_reloads_never_tear_reads() {
    let dir = Arc::new(ConfigDir::new(&generation_config(1)));
    let store = ConfigStore::open(&dir.path, LoadOptions::new().without_env()).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicU64::new(0));

    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (store, done, reads) = (store.clone(), done.clone(), reads.clone());
            std::thread::spawn(move || {
                let mut torn = 0u64;
                while !done.load(Ordering::Relaxed) {
                    let settings = store.current();
                    let interval = settings.collector.interval;
                    let resolution = settings.collector.retention[0].resolution;
                    let port = u128::from(settings.http.listen.port());
                    if interval != resolution || port != 10_000 + interval.as_millis() {
                        torn += 1;
                    }
                    reads.fetch_add(1, Ordering::Relaxed);
                }
                torn
            })
        })
        .collect();

    // Two writers race: each replaces the file atomically and reloads it.
    let writers: Vec<_> = (0..2u64)
        .map(|writer| {
            let (store, dir) = (store.clone(), dir.clone());
            std::thread::spawn(move || {
                let temporary = dir.folder().join(format!(".writer-{writer}.tmp"));
                for step in 0..RELOADS_PER_WRITER {
                    let interval_ms = 2 + writer * 1_000 + step;
                    std::fs::write(&temporary, generation_config(interval_ms)).unwrap();
                    std::fs::rename(&temporary, &dir.path).unwrap();
                    store.reload().unwrap();
                }
            })
        })
        .collect();

    for writer in writers {
        writer.join().unwrap();
    }
    done.store(true, Ordering::Relaxed);
    let torn: u64 = readers.into_iter().map(|reader| reader.join().unwrap()).sum();

    assert_eq!(torn, 0, "readers saw fields of two configurations");
    assert_eq!(store.generation(), 1 + 2 * RELOADS_PER_WRITER);
    assert!(reads.load(Ordering::Relaxed) > 0);
    assert!(store.current().collector.interval >= Duration::from_millis(2));
}
