//! `#[perf::monitored]` on associated functions without a receiver, such as constructors.

use std::collections::BTreeMap;

use perf_ui_tests::site;

#[derive(Debug, PartialEq)]
struct Port(u16);

impl Port {
    #[perf::monitored]
    fn new(number: u16) -> Self {
        Port(number)
    }

    #[perf::monitored(calls, errors)]
    pub fn parse(text: &str) -> Result<Self, std::num::ParseIntError> {
        Ok(Self::new(text.parse()?))
    }
}

fn main() {
    assert_eq!(Port::parse("443"), Ok(Port(443)));
    assert!(Port::parse("https").is_err());
    assert_eq!(Port::new(80), Port(80));

    let new = site(concat!(module_path!(), "::new"));
    assert_eq!(new.calls, 2);
    assert_eq!(new.errors, 0);

    let parse = site(concat!(module_path!(), "::parse"));
    assert_eq!(parse.calls, 2);
    assert_eq!(parse.errors_by_kind, BTreeMap::from([("error".to_owned(), 1)]));
    assert!(parse.latency.is_none());
}
