//! A bad target file stops `run` and `list` before anything is sent: exit code 2 and one
//! message naming the file, the key and what to do (the real binary).

use std::path::PathBuf;
use std::process::Command;

/// The unset environment variable a target file names for its client secret.
const UNSET: &str = "RC_ROBUSTNESS_UNSET_SECRET";

/// A valid target file, with `extra` appended and `drop` lines left out.
fn target_file(drop: &str, extra: &str) -> String {
    let base = r#"profile = "camara-v1"
api_root = "http://127.0.0.1:9"

[auth]
token_url = "http://127.0.0.1:9/oauth/token"
client_id = "robustness-client"
client_secret_env = "RC_ROBUSTNESS_SECRET"
"#;
    let kept: Vec<&str> = base
        .lines()
        .filter(|l| drop.is_empty() || !l.starts_with(drop))
        .collect();
    format!("{}\n{extra}", kept.join("\n"))
}

/// Writes `text` to a fresh file named after `name`; returns its path.
fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rc-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).expect("target file written");
    path
}

/// Runs `command --target path` and checks it exits 2 with `error: <path>: <message>`
/// on stderr and nothing on stdout.
fn assert_refused(command: &str, path: &PathBuf, message: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_reachability-conformance"))
        .args([command, "--target"])
        .arg(path)
        .env("RC_ROBUSTNESS_SECRET", "robustness-secret-value")
        .env_remove(UNSET)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
    assert_eq!(stderr, format!("error: {}: {message}\n", path.display()));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
}

fn assert_both_refuse(name: &str, text: &str, message: &str) {
    let path = write(name, text);
    assert_refused("run", &path, message);
    assert_refused("list", &path, message);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn unknown_key() {
    assert_both_refuse(
        "unknown-key",
        &target_file("", "[http]\ntimeout = 5000\n"),
        "http.timeout (line 9, column 1): unknown key; use one of: timeout_ms, concurrency, \
         requests_per_second, insecure_tls",
    );
}

#[test]
fn wrong_type() {
    assert_both_refuse(
        "wrong-type",
        &target_file("", "[http]\ntimeout_ms = \"fast\"\n"),
        "http.timeout_ms (line 9, column 14): expected a non-negative integer, found string \
         \"fast\"; fix the value",
    );
}

#[test]
fn missing_required_key() {
    assert_both_refuse(
        "missing-key",
        &target_file("profile", ""),
        "profile: required key is missing; add it",
    );
}

#[test]
fn unset_secret_variable() {
    let text = target_file(
        "client_secret_env",
        &format!("client_secret_env = \"{UNSET}\"\n"),
    );
    assert_both_refuse(
        "unset-secret",
        &text,
        &format!(
            "auth.client_secret_env: environment variable {UNSET} is not set; export it with \
             the client secret of client \"robustness-client\""
        ),
    );
}
