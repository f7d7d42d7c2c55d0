//! Under `panic = "abort"` no panic can be caught: every `#[proxy_handler]` says so when it is
//! compiled. Checks a small crate with that profile (tests/fixtures/panic-abort), offline, with
//! the workspace's lock file, in a target directory of its own under `target/`.

use std::path::Path;
use std::process::Command;

#[test]
fn panic_abort_is_a_compile_time_warning() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let fixture = root.join("tests/fixtures/panic-abort");
    let dir = root.join("target/panic-abort-fixture");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = std::fs::read_to_string(fixture.join("Cargo.toml.in"))
        .unwrap()
        .replace("RUNTIME", &root.join("runtime").display().to_string());
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(fixture.join("src/main.rs"), dir.join("src/main.rs")).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--offline", "--quiet", "--message-format", "short"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("this crate is built with `panic = \"abort\"`: a panic in a `#[proxy_handler]` ends the process"),
        "{stderr}"
    );
}
