//! `#[derive(perf::ErrorKind)]` names an enum error by its variant and a struct error by its
//! type, unless `#[error_kind(name = "...")]` says otherwise, and `#[monitored]` counts
//! errors under those names.

use std::collections::BTreeMap;

use perf::ErrorKind;
use perf_ui_tests::site;

#[derive(Debug, perf::ErrorKind)]
enum StorageError {
    Timeout,
    NotFound(#[allow(dead_code)] String),
    Corrupt {
        #[allow(dead_code)]
        offset: u64,
    },
    #[error_kind(name = "disk_full")]
    DiskFull,
}

#[derive(Debug, perf::ErrorKind)]
struct ParseError {
    #[allow(dead_code)]
    line: u32,
}

#[derive(Debug, perf::ErrorKind)]
#[error_kind(name = "quota")]
struct QuotaExceeded;

#[derive(Debug, perf::ErrorKind)]
enum Wrapped<E> {
    Inner(#[allow(dead_code)] E),
    Closed,
}

#[perf::monitored]
fn store(request: u32) -> Result<(), StorageError> {
    match request {
        0 => Err(StorageError::Timeout),
        1 => Err(StorageError::NotFound("a.txt".to_owned())),
        2 => Err(StorageError::Corrupt { offset: 512 }),
        3 => Err(StorageError::DiskFull),
        _ => Ok(()),
    }
}

#[perf::monitored]
fn parse(line: u32) -> Result<(), ParseError> {
    Err(ParseError { line })
}

#[perf::monitored]
fn spend() -> Result<(), QuotaExceeded> {
    Err(QuotaExceeded)
}

fn main() {
    assert_eq!(StorageError::Timeout.error_kind(), "Timeout");
    assert_eq!(StorageError::NotFound("b".to_owned()).error_kind(), "NotFound");
    assert_eq!(StorageError::Corrupt { offset: 0 }.error_kind(), "Corrupt");
    assert_eq!(StorageError::DiskFull.error_kind(), "disk_full");
    assert_eq!(ParseError { line: 1 }.error_kind(), "ParseError");
    assert_eq!(QuotaExceeded.error_kind(), "quota");
    assert_eq!(Wrapped::Inner(QuotaExceeded).error_kind(), "Inner");
    assert_eq!(Wrapped::<u8>::Closed.error_kind(), "Closed");

    for request in [0, 1, 2, 3, 3, 4] {
        let _ = store(request);
    }
    let store_site = site(concat!(module_path!(), "::store"));
    assert_eq!(store_site.calls, 6);
    assert_eq!(store_site.errors, 5);
    let kinds = BTreeMap::from([
        ("Corrupt".to_owned(), 1),
        ("NotFound".to_owned(), 1),
        ("Timeout".to_owned(), 1),
        ("disk_full".to_owned(), 2),
    ]);
    assert_eq!(store_site.errors_by_kind, kinds);

    let _ = parse(7);
    let _ = spend();
    let parse_kinds = site(concat!(module_path!(), "::parse")).errors_by_kind;
    assert_eq!(parse_kinds, BTreeMap::from([("ParseError".to_owned(), 1)]));
    let spend_kinds = site(concat!(module_path!(), "::spend")).errors_by_kind;
    assert_eq!(spend_kinds, BTreeMap::from([("quota".to_owned(), 1)]));
}
