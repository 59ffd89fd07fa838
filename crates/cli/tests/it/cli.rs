//! The binary as users and CI call it: verdicts, exit codes and error messages.

use crate::cli_support;

use std::process::Output;

use cli_support::{closing_line, command, temp_file, text};

fn harness(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

#[test]
fn run_without_target_tests_the_embedded_mock_in_every_profile() {
    let out = harness(&["run"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    for profile in ["camara-v1", "orange-lab-v0"] {
        let line = closing_line(&stdout, profile);
        assert!(line.ends_with(" passed, 0 failed, 0 skipped"), "{line}");
    }
    let line = closing_line(&stdout, "camara-subscriptions-v0.8");
    assert!(line.ends_with(" passed, 0 failed, 0 skipped"), "{line}");
    assert!(stdout.contains("CONFORMANT"), "{stdout}");
}

#[test]
fn a_faulted_target_fails_with_exit_1_and_shows_the_evidence() {
    let target = temp_file(
        "faulted.toml",
        "profile = \"camara-v1\"\nembedded_mock = true\n[mock]\nfaults = [\"no-correlator-echo\"]\n",
    );
    let out = harness(&["run", "--target", target.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("NOT CONFORMANT"), "{stdout}");
    assert!(stdout.contains("step:     And the response header \"x-correlator\" has same value as the request header \"x-correlator\""), "{stdout}");
    assert!(
        stdout.contains("Authorization: Bearer [REDACTED]"),
        "{stdout}"
    );
}

#[test]
fn usage_and_configuration_errors_exit_2_with_what_to_do() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["run", "--target", "does/not/exist.toml"],
            "does/not/exist.toml",
        ),
        (&["run", "--tags", "@a and ("], "is not a tag expression"),
        (
            &["run", "--features", "does/not/exist.feature"],
            "cannot read does/not/exist.feature",
        ),
        (
            &[
                "run",
                "--target",
                "targets/mock-camara-v1.toml",
                "--profile",
                "camara-v1",
            ],
            "a target file names its own profile",
        ),
        (&["run", "--profile", "v2"], "unknown profile \"v2\""),
    ];
    for (args, message) in cases {
        let out = harness(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn an_unknown_fault_in_a_target_file_points_to_the_list() {
    let target = temp_file(
        "unknown-fault.toml",
        "profile = \"camara-v1\"\nembedded_mock = true\n[mock]\nfaults = [\"no-such-fault\"]\n",
    );
    let out = harness(&["run", "--target", target.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no-such-fault"), "{stderr}");
    assert!(stderr.contains("--list-faults"), "{stderr}");
}

#[test]
fn list_names_what_would_be_skipped_and_why() {
    let out = harness(&["list", "--target", "targets/orange-lab-sandbox.toml"]);
    // The sandbox target reads its secret from the environment: unset, it is a configuration error.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("ORANGE_AUTHORIZATION"),
        "{}",
        text(&out.stderr)
    );

    let out = command(&["list", "--target", "targets/orange-lab-sandbox.toml"])
        .env("ORANGE_AUTHORIZATION", "Basic bm90LWEtcmVhbC1zZWNyZXQ=")
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("reachability_v0_02_connected_sms"),
        "{stdout}"
    );
    assert!(
        stdout.contains("would be skipped: missing devices.sms"),
        "{stdout}"
    );
    assert!(
        stdout.contains("would be skipped: missing auth.expired_token_env"),
        "{stdout}"
    );
    assert!(!stdout.contains("UNBOUND STEP"), "{stdout}");
    assert!(
        !stdout.contains("bm90LWEtcmVhbC1zZWNyZXQ="),
        "the secret leaked: {stdout}"
    );
}
