//! Compile-fail and compile-pass cases of the typed API and the derive: each failing case must
//! fail with one short message that says what to do.

use std::io::Write;

#[test]
fn ui() {
    // trybuild compiles the cases in a project of its own, with its own target directory
    // (`target/tests/trybuild`, so that it never waits on the lock of the build running it):
    // the first run builds the dependencies a second time. Say so, past the test harness's
    // output capture, so a first run does not look stuck.
    let _ = writeln!(
        std::io::stderr(),
        "compile-fail suite: trybuild builds its own copy of the dependencies on the first run \
         (about 45 seconds on 2 cores), then about 1 second per case"
    );
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
