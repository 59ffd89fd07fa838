//! The binary's contract for trust: exit code 3 when it could not test, the profile a feature
//! file targets, and plan defects and sources shown by `run` and `list`.

use crate::cli_support;

use std::process::Output;

use cli_support::{closing_line, command, temp_file, text};

const OFFICIAL_V1: &str = "features/official/device-reachability-status-v1.0.0.feature";
const OFFICIAL_V1_1: &str = "features/official/device-reachability-status-v1.1.0.feature";

fn harness(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

#[test]
fn unbound_steps_could_not_test_and_exit_3() {
    let file = temp_file(
        "unbound.feature",
        "Feature: f\n  Scenario: s\n    Given the resource \"{api-root}/device-reachability-status/v1/retrieve\"\n    \
         And a sentence no vocabulary knows\n",
    );
    let out = harness(&["run", "--features", file.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        closing_line(&stdout, "camara-v1.1"),
        "camara-v1.1: 0 passed, 0 failed, 0 skipped, 1 errored (could not test)"
    );
    assert!(stdout.contains(": COULD NOT TEST\n"), "{stdout}");
    assert!(
        stdout.contains("-- Could not test (not evidence against the target) --"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  step:     And a sentence no vocabulary knows\n  could not test: the step is not bound"
        ),
        "{stdout}"
    );
}

#[test]
fn the_official_v1_1_plan_is_fully_bound_and_passes_strictly_in_its_profile() {
    let out = harness(&["run", "--features", OFFICIAL_V1_1, "--strict"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "profile: camara-v1.1: device-reachability-status 1.1.0 (CAMARA r1.2, 2025-09)\n"
        ),
        "{stdout}"
    );
    assert_eq!(
        closing_line(&stdout, "camara-v1.1"),
        "camara-v1.1: 19 passed, 0 failed, 0 skipped"
    );
}

#[test]
fn the_official_v1_plan_runs_in_its_own_profile_and_reports_its_defects() {
    let out = harness(&["run", "--features", OFFICIAL_V1, "--strict"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "profile: camara-v1.0: device-reachability-status 1.0.0 (CAMARA DeviceStatus r1.x)\n"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("orange-lab-v0"), "{stdout}");
    assert_eq!(
        closing_line(&stdout, "camara-v1.0"),
        "camara-v1.0: 20 passed, 0 failed, 0 skipped"
    );
    assert!(
        stdout.contains(
            "-- Plan defects (the test plan, not the target, is at fault; docs/plan-defects.md) --\n  \
             device_reachability_status_04_not_reachable"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("fix: write \"$.device.networkAccessIdentifier\""),
        "{stdout}"
    );
}

#[test]
fn a_profile_that_contradicts_the_files_or_mixed_files_are_usage_errors() {
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "run",
                "--features",
                OFFICIAL_V1,
                "--profile",
                "orange-lab-v0",
            ],
            "error: --profile orange-lab-v0 chooses orange-lab-v0, but the feature files target \
             camara-v1.0 or camara-v1.1",
        ),
        (
            &[
                "run",
                "--features",
                OFFICIAL_V1,
                "--target",
                "targets/mock-orange-lab-v0.toml",
            ],
            "error: the target file (profile = \"orange-lab-v0\") chooses orange-lab-v0, but the \
             feature files target camara-v1.0 or camara-v1.1",
        ),
        (
            &[
                "list",
                "--features",
                "features/camara-v1/success.feature",
                "--features",
                "features/orange-lab-v0/success.feature",
            ],
            "error: the feature files target several profiles (orange-lab-v0: \
             features/orange-lab-v0/success.feature; camara-v1.0 or camara-v1.1: \
             features/camara-v1/success.feature); run each profile's files separately",
        ),
    ];
    for (args, message) in cases {
        let out = harness(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(message), "{args:?}: {stderr}");
        assert!(text(&out.stdout).is_empty(), "{args:?}: nothing was tested");
    }
}

#[test]
fn list_shows_sources_advisories_and_plan_defects() {
    let out = harness(&["list", "--profile", "camara-v1"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with(
            "== embedded mock (camara-v1.1) ==\nprofile: camara-v1.1: device-reachability-status 1.1.0 (CAMARA r1.2, 2025-09)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "    required by: CAMARA plan v1.1.0 @device_reachability_status_C01.01_device_empty; \
             OAS v1.1.0 #/components/schemas/Device; OAS v1.1.0 #/components/responses/Generic400\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("    advisory: OpenID CIBA Core §11 defines slow_down"),
        "{stdout}"
    );
    let out = harness(&["list", "--features", OFFICIAL_V1]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    for consequence in [
        "could not test if its status check fails",
        "reported, the outcome stands",
    ] {
        assert_eq!(
            stdout
                .matches(&format!("    PLAN DEFECT ({consequence}): "))
                .count(),
            1,
            "{stdout}"
        );
    }
}

#[test]
fn a_file_without_a_known_resource_asks_for_a_profile() {
    let file = temp_file(
        "elsewhere.feature",
        "Feature: f\n  Scenario: s\n    Given the resource \"{api-root}/other-api/v1/x\" set as base-url\n",
    );
    let out = harness(&["run", "--features", file.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: cannot tell which profile the feature files target")
            && stderr.trim_end().ends_with("; give --profile"),
        "{stderr}"
    );
}
