//! Compile-fail and compile-pass cases of the macros. Each `tests/ui/fail/*.rs` must fail to
//! compile with exactly the errors in its `.stderr` (regenerate with `TRYBUILD=overwrite` and
//! read the result); each `tests/ui/pass/*.rs` must compile and run.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
