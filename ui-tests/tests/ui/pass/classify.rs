//! A return type that implements `perf::Classify` decides which calls are errors and under
//! which kind they are counted, in sync and async functions.

use std::collections::BTreeMap;

use perf::{Classify, Outcome};
use perf_ui_tests::site;

struct HttpStatus(u16);

impl Classify for HttpStatus {
    fn classify(&self) -> Outcome {
        match self.0 {
            500.. => Outcome::Error("server"),
            400..=499 => Outcome::Error("client"),
            _ => Outcome::Success,
        }
    }
}

#[perf::monitored]
fn handle(status: u16) -> HttpStatus {
    HttpStatus(status)
}

#[perf::monitored(errors)]
async fn handle_later(status: u16) -> HttpStatus {
    HttpStatus(status)
}

fn main() {
    for status in [200, 204, 404, 410, 503] {
        assert_eq!(handle(status).0, status);
    }
    let handle_site = site(concat!(module_path!(), "::handle"));
    assert_eq!(handle_site.calls, 5);
    assert_eq!(handle_site.errors, 3);
    let kinds = BTreeMap::from([("client".to_owned(), 2), ("server".to_owned(), 1)]);
    assert_eq!(handle_site.errors_by_kind, kinds);

    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime builds");
    runtime.block_on(async {
        assert_eq!(handle_later(500).await.0, 500);
        assert_eq!(handle_later(301).await.0, 301);
    });
    let later_site = site(concat!(module_path!(), "::handle_later"));
    assert_eq!(later_site.calls, 2);
    assert_eq!(later_site.errors_by_kind, BTreeMap::from([("server".to_owned(), 1)]));
}
