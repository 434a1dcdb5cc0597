//! Compile-fail and compile-pass cases of the typed API and the derive: each failing case must
//! fail with one short message that says what to do.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
