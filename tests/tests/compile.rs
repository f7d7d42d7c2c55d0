//! Compile tests: what must build, and the errors users read when it must not.
//! The `.stderr` snapshots belong to the pinned toolchain (see README).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
