//! The binary as a separate process: how tests start it and read what it printed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The built `reachability-conformance` binary.
pub const BINARY: &str = env!("CARGO_BIN_EXE_reachability-conformance");

/// The repository's root folder (`features/`, `targets/`, `examples/`, `target/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The binary with `args`, run from the repository's root folder with plain output (`CI`, `NO_COLOR`).
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(BINARY);
    command
        .args(args)
        .current_dir(root())
        .env("CI", "true")
        .env("NO_COLOR", "1");
    command
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes `contents` to `name` in this test process's own temporary folder.
pub fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// The closing line of a profile, e.g. `camara-v1: 42 passed, 0 failed, 0 skipped`.
pub fn closing_line<'a>(stdout: &'a str, profile: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(&format!("{profile}: ")) && l.contains(" passed, "))
        .unwrap_or_else(|| panic!("no closing line for {profile} in:\n{stdout}"))
}
