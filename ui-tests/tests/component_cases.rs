#[test]
fn component_cases() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/component_*.rs");
    cases.compile_fail("tests/ui/fail/component_*.rs");
}
