//! Feeds arbitrary text to the configuration loader: it must never panic, and every error
//! must point at a real line and column of its source.

#![no_main]

use libfuzzer_sys::fuzz_target;
use perf::config::{self, ConfigErrors, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = LoadOptions::new().without_env();
    if let Err(errors) = config::load_str("fuzz.toml", text, &options) {
        check_positions(text, &errors);
    }
    if let Err(errors) = config::check_str("fuzz.toml", text, &options) {
        check_positions(text, &errors);
    }
});

fn check_positions(text: &str, errors: &ConfigErrors) {
    assert!(!errors.is_empty());
    let lines: Vec<&str> = text.split('\n').collect();
    for error in errors.errors() {
        assert!(error.line >= 1, "{error}");
        assert!(error.column >= 1, "{error}");
        if error.file == "fuzz.toml" {
            assert!(error.line <= lines.len(), "{error}: line past the end");
            assert!(
                error.column <= lines[error.line - 1].chars().count() + 1,
                "{error}: column past the end of the line"
            );
            assert!(error.span.start <= text.len(), "{error}: span past the end");
        }
    }
}
