//! Feeds arbitrary text to the rule expression parser: it must never panic, and every error
//! span must lie within the expression, on character boundaries.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(errors) = perf::rule::parse_condition(text) {
        assert!(!errors.0.is_empty());
        for error in &errors.0 {
            assert!(error.span.start <= error.span.end, "{error:?}");
            assert!(error.span.end <= text.len(), "{error:?}");
            assert!(text.is_char_boundary(error.span.start), "{error:?}");
            assert!(text.is_char_boundary(error.span.end), "{error:?}");
        }
    }
});
