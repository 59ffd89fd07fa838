//! No secret ever leaves the harness: the binary is run against a mock of this test's own,
//! in a passing and in a failing run, with every output switched on, and the console and
//! every file written are searched for the mock's credentials and for any credential after
//! an authentication scheme.

use std::path::{Path, PathBuf};
use std::process::Command;

use reachability_conformance::Profile;
use reachability_conformance::mock::{Fault, MockOptions, MockServer};
use regex::Regex;

/// Every file below `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Runs the binary against `server` with every output on; returns the console text and
/// the text of every file written, each with where it came from.
fn run_with_all_outputs(server: &MockServer, dir: &Path) -> (i32, Vec<(String, String)>) {
    std::fs::create_dir_all(dir).unwrap();
    let target = dir.join("target.toml");
    std::fs::write(&target, server.target_toml()).unwrap();
    let out_dir = dir.join("out");
    let path = |name: &str| out_dir.join(name).display().to_string();
    std::fs::create_dir_all(&out_dir).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_reachability-conformance"))
        .args(["run", "--target", target.to_str().unwrap()])
        .args([
            "--junit",
            &path("junit.xml"),
            "--cucumber-json",
            &path("cucumber.json"),
        ])
        .args([
            "--report",
            &path("report.html"),
            "--report",
            &path("report.md"),
        ])
        .args(["--record", &path("exchanges")])
        .envs(server.secret_env())
        .env("CI", "true")
        .output()
        .expect("the binary runs");
    let mut texts = vec![
        (
            "stdout".to_owned(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        ),
        (
            "stderr".to_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ),
    ];
    for file in files_under(&out_dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        texts.push((file.display().to_string(), text));
    }
    (output.status.code().unwrap_or(-1), texts)
}

/// Every place a secret shows: a known secret value, or a credential after `Bearer`/`Basic`
/// (token68 characters, long enough not to be a word; a masked one starts with '[').
fn leaks(texts: &[(String, String)], secrets: &[String]) -> Vec<String> {
    let credential = Regex::new(r"(?i)\b(?:bearer|basic)\s+([A-Za-z0-9._~+/-]{16,}=*)").unwrap();
    let mut found = Vec::new();
    for (place, text) in texts {
        for secret in secrets {
            if text.contains(secret.as_str()) {
                found.push(format!("{place}: holds a secret of the mock"));
            }
        }
        for capture in credential.captures_iter(text) {
            found.push(format!(
                "{place}: credential after a scheme: {}",
                &capture[0]
            ));
        }
    }
    found
}

async fn check_run(name: &str, faults: Vec<Fault>, expected_exit: i32) {
    let server = MockServer::start(MockOptions {
        profile: Profile::CamaraV1,
        faults,
        ..MockOptions::default()
    })
    .await
    .expect("mock starts");
    let dir = std::env::temp_dir().join(format!("rc-canary-{name}-{}", std::process::id()));
    let secrets: Vec<String> = server.secret_env().into_iter().map(|(_, v)| v).collect();
    assert!(!secrets.is_empty());
    let handle = tokio::runtime::Handle::current();
    let server_ref = &server;
    let (code, texts) = tokio::task::block_in_place(|| {
        let _guard = handle.enter();
        run_with_all_outputs(server_ref, &dir)
    });
    let console = &texts[0].1;
    assert_eq!(code, expected_exit, "{console}\n{}", texts[1].1);
    assert!(
        texts.len() > 6,
        "every output was written: {:?}",
        texts.iter().map(|t| &t.0).collect::<Vec<_>>()
    );
    if expected_exit == 1 {
        assert!(
            console.contains("Bearer [REDACTED]"),
            "failures show masked credentials: {console}"
        );
    }
    assert_eq!(leaks(&texts, &secrets), Vec::<String>::new());
    server.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_passing_run_leaks_no_secret() {
    check_run("pass", Vec::new(), 0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_run_leaks_no_secret() {
    // Accepting revoked and expired tokens makes the token scenarios fail, so their
    // exchanges (with those tokens) are shown in every output.
    check_run(
        "fail",
        vec![Fault::RevokedTokenAccepted, Fault::ExpiredTokenAccepted],
        1,
    )
    .await;
}
