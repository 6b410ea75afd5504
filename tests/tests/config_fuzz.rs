//! A bounded, seeded property test of the configuration and rule parsers, run by `cargo test`:
//! mutated versions of the example file and random rule expressions never make the parsers
//! panic, and every error points at a real position. The libFuzzer targets in `perf/fuzz`
//! explore the same properties without bounds.

use perf::config::{self, ConfigErrors, LoadOptions};

const SEED: u64 = 0x5eed_c0f1;
const FILE_CASES: usize = 1_500;
const CHECK_CASES: usize = 150;
const RULE_CASES: usize = 5_000;

const EXAMPLE: &str = include_str!("../../examples/perf.toml");

/// Fragments that make mutations likely to reach deep into the parsers.
const FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    "\"",
    "'",
    "'''",
    "\n",
    ".",
    ",",
    "#",
    "-",
    "%",
    "/s",
    "ms",
    "MiB",
    "µs",
    "\\",
    "\\u00e9",
    "é",
    "🦀",
    "true",
    "1e309",
    "-0",
    "nan",
    "inf",
    "extends = \"production\"",
    "[profiles.x]",
    "p99(latency) > ",
    "rate(",
    "{site=~\"(\"}",
    "2026-01-01T00:00:00Z",
    "9223372036854775808",
    "0x7f",
];

const RULE_TOKENS: &[&str] = &[
    "p99",
    "p50",
    "rate",
    "increase",
    "ewma_upper",
    "absent",
    "quantile",
    "calls",
    "errors",
    "latency",
    "hit_rate",
    "metric",
    "(",
    ")",
    "{",
    "}",
    ",",
    "site",
    "=",
    "!=",
    "=~",
    "!~",
    "\"shop::checkout\"",
    "'x'",
    "\"(\"",
    ">",
    ">=",
    "<",
    "==",
    "and",
    "or",
    "not",
    "+",
    "-",
    "*",
    "/",
    "250ms",
    "10/s",
    "99.9%",
    "64MiB",
    "3",
    ".5",
    "1e3",
    "5m",
    "0.3",
    " ",
    "é",
    "\"unclosed",
    "&&",
    "name=\"q\"",
    "250xs",
];

fn check_positions(name: &str, text: &str, errors: &ConfigErrors) {
    assert!(!errors.is_empty(), "an error list is never empty");
    let lines: Vec<&str> = text.split('\n').collect();
    for error in errors.errors() {
        assert!(error.line >= 1, "{error}\n--- input ---\n{text}");
        assert!(error.column >= 1, "{error}\n--- input ---\n{text}");
        if error.file != name {
            continue;
        }
        assert!(error.line <= lines.len(), "line past the end: {error}\n--- input ---\n{text}");
        let width = lines[error.line - 1].chars().count();
        assert!(error.column <= width + 1, "column past the end of the line: {error}\n--- input ---\n{text}");
        assert!(error.span.start <= text.len(), "span past the end: {error}");
    }
}

fn mutate(rng: &mut fastrand::Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.usize(1..=4) {
        let at = rng.usize(0..=chars.len());
        match rng.u8(0..5) {
            0 if !chars.is_empty() => {
                let end = (at + rng.usize(1..=8)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => {
                let fragment = FRAGMENTS[rng.usize(0..FRAGMENTS.len())];
                chars.splice(at..at, fragment.chars());
            }
            2 if !chars.is_empty() => {
                let index = at.min(chars.len() - 1);
                chars[index] = char::from(rng.u8(0x20..0x7f));
            }
            3 => {
                let start = rng.usize(0..=chars.len());
                let end = (start + rng.usize(0..40)).min(chars.len());
                let copy: Vec<char> = chars[start..end].to_vec();
                chars.splice(at..at, copy);
            }
            _ => chars.insert(at, '\n'),
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_files_never_panic_and_errors_have_positions() {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let options = LoadOptions::new().without_env();
    let mut invalid = 0;
    for _ in 0..FILE_CASES {
        let text = mutate(&mut rng, EXAMPLE);
        if let Err(errors) = config::load_str("fuzz.toml", &text, &options) {
            check_positions("fuzz.toml", &text, &errors);
            invalid += 1;
        }
    }
    // The mutations must reach the error paths, or the test proves nothing.
    assert!(invalid > FILE_CASES / 4, "only {invalid} of {FILE_CASES} mutated files were invalid");
}

#[test]
fn mutated_files_checked_with_every_profile() {
    let mut rng = fastrand::Rng::with_seed(SEED ^ 1);
    let options = LoadOptions::new().without_env();
    for _ in 0..CHECK_CASES {
        let text = mutate(&mut rng, EXAMPLE);
        if let Err(errors) = config::check_str("fuzz.toml", &text, &options) {
            check_positions("fuzz.toml", &text, &errors);
        }
    }
}

#[test]
fn random_rules_never_panic_and_spans_fit() {
    let mut rng = fastrand::Rng::with_seed(SEED ^ 2);
    let mut valid = 0;
    for _ in 0..RULE_CASES {
        let text: String = (0..rng.usize(1..12)).map(|_| RULE_TOKENS[rng.usize(0..RULE_TOKENS.len())]).collect();
        match perf::rule::parse_condition(&text) {
            Ok(_) => valid += 1,
            Err(errors) => {
                assert!(!errors.0.is_empty());
                for error in &errors.0 {
                    assert!(error.span.start <= error.span.end, "{text:?}: {error:?}");
                    assert!(error.span.end <= text.len(), "{text:?}: {error:?}");
                    assert!(text.is_char_boundary(error.span.start), "{text:?}: {error:?}");
                    assert!(text.is_char_boundary(error.span.end), "{text:?}: {error:?}");
                }
            }
        }
    }
    assert!(valid > 0, "no random rule was valid: the generator misses the grammar");
}
