//! A bare `#[perf::monitored]` on a free function counts calls, errors by kind, panics and
//! latency, under the name `module::function`.

use std::collections::BTreeMap;
use std::num::ParseIntError;

use perf_ui_tests::site;

const PARSE_PORT_LINE: u32 = line!() + 2;
#[perf::monitored]
fn parse_port(text: &str) -> Result<u16, ParseIntError> {
    text.parse()
}

#[perf::monitored]
fn checked_half(value: u32) -> u32 {
    assert!(value % 2 == 0, "{value} is odd");
    value / 2
}

#[perf::monitored]
pub(crate) fn touch() {}

fn main() {
    assert_eq!(parse_port("8080"), Ok(8080));
    assert!(parse_port("http").is_err());
    assert!(parse_port("99999").is_err());

    let parse = site(concat!(module_path!(), "::parse_port"));
    assert_eq!(parse.calls, 3);
    assert_eq!(parse.errors, 2);
    assert_eq!(parse.errors_by_kind, BTreeMap::from([("error".to_owned(), 2)]));
    assert_eq!(parse.cancelled, 0);
    assert_eq!(parse.in_flight, 0);
    assert_eq!(parse.function, "parse_port");
    assert_eq!(parse.module, module_path!());
    assert_eq!(parse.component, module_path!());
    assert!(parse.labels.is_empty());
    assert_eq!(parse.line, PARSE_PORT_LINE);
    assert_eq!(parse.file, file!());
    assert_eq!(parse.features, perf::Features { calls: true, errors: true, latency: true, in_flight: false });
    assert_eq!(parse.latency.map(|latency| latency.count), Some(3));

    std::panic::set_hook(Box::new(|_| {}));
    assert_eq!(checked_half(4), 2);
    assert!(std::panic::catch_unwind(|| checked_half(3)).is_err());
    let _ = std::panic::take_hook();

    let half = site(concat!(module_path!(), "::checked_half"));
    assert_eq!(half.calls, 2);
    assert_eq!(half.errors, 1);
    assert_eq!(half.errors_by_kind, BTreeMap::from([("panic".to_owned(), 1)]));

    touch();
    touch();
    let touched = site(concat!(module_path!(), "::touch"));
    assert_eq!(touched.calls, 2);
    assert_eq!(touched.errors, 0);

    assert_eq!(perf::sites().len(), 3);
}
