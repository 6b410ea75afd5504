//! Compiles every case under `tests/ui`: the `pass` cases must build and run (their `main`
//! asserts what the macros recorded), the `fail` cases must fail with the errors in their
//! `.stderr` snapshots. `TRYBUILD=overwrite cargo test -p perf-ui-tests` rewrites the snapshots.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
