//! The binary as users and CI call it: verdicts, exit codes and error messages.

use crate::cli_support;

use std::process::Output;

use cli_support::{closing_line, command, temp_file, text};

fn harness(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

#[test]
fn a_request_budget_leaves_scenarios_not_run_and_exits_3() {
    let out = harness(&["run", "--profile", "orange-lab-v0", "--max-requests", "5"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("not run: request budget of 5 reached (raise --max-requests to run it)"),
        "{stdout}"
    );
    assert!(
        closing_line(&stdout, "orange-lab-v0").contains(" 0 failed"),
        "{stdout}"
    );
}

#[test]
fn list_counts_the_requests_at_the_depth_given() {
    let total = |depth: &str| {
        let out = harness(&["list", "--profile", "orange-lab-v0", "--depth", depth]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        let line = stdout
            .lines()
            .find(|l| l.contains(&format!("requests at depth {depth}")))
            .unwrap_or_else(|| panic!("no total in {stdout}"));
        let per_scenario: usize = stdout
            .lines()
            .filter_map(|l| l.trim().strip_prefix("requests: "))
            .map(|n| n.parse::<usize>().unwrap())
            .sum();
        let total: usize = line.split(' ').next().unwrap().parse().unwrap();
        assert_eq!(total, per_scenario, "the total adds the scenarios up");
        total
    };
    let (quick, standard, deep) = (total("quick"), total("standard"), total("deep"));
    assert!(
        quick < standard && standard < deep,
        "{quick} {standard} {deep}"
    );
    let out = harness(&["list", "--depth", "fast"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("\"fast\" is not a depth: give quick, standard or deep"),
        "{}",
        text(&out.stderr)
    );
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
    for profile in [
        "camara-v1.0",
        "camara-v1.1",
        "camara-v1.2-rc",
        "orange-lab-v0",
    ] {
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
