//! CAMARA's four official subscriptions plans (v0.8.0) run verbatim against the mock: every
//! step binds, the plans' defects are reported with their fixes, and every other scenario
//! passes, in the mock's synchronous mode and under its asynchronous variation (where the
//! other mode's creation scenarios do not apply).

use std::collections::BTreeSet;
use std::path::PathBuf;

use reachability_harness::report::{RunResult, Status};
use reachability_harness::runner::{RunBuilder, Suite};

fn plans() -> Suite {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../features/official/subscriptions-v0.8.0");
    Suite::from_paths(&[dir]).expect("the official subscriptions plans parse")
}

async fn run(switches: &[&str]) -> RunResult {
    let switches: Vec<String> = switches.iter().map(|s| (*s).to_owned()).collect();
    let mock = reachability_conformance::embedded::start_embedded_mock(
        "camara-subscriptions-v0.8"
            .parse::<reachability_harness::Profile>()
            .unwrap(),
        &switches,
        0,
        None,
    )
    .await
    .unwrap();
    let run = RunBuilder::new(mock.target.clone()).build().unwrap();
    let result = run.execute(&plans()).await;
    mock.server.shutdown().await;
    result
}

/// The scenarios that did not pass, with their outcome and reason.
fn not_passed(result: &RunResult) -> BTreeSet<(String, String, String)> {
    result
        .scenarios
        .iter()
        .filter(|s| s.status != Status::Passed)
        .map(|s| {
            (
                s.status.name().to_owned(),
                s.label().to_owned(),
                s.reason.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// C01.03 expects a 404 the create operation does not define: could not test, the
/// defect and its fix named.
const UNDEFINED_404: &str = "reachability_status_subscriptions_C01.03_device_not_found";

fn check_outcomes(result: &RunResult) {
    let mut expected_not_passed = BTreeSet::new();
    for (status, label, reason) in not_passed(result) {
        if label == UNDEFINED_404 {
            assert_eq!(status, "errored", "{label}: {reason}");
            assert!(
                reason.starts_with(
                    "could not test: plan defect: step `Then the response status code is 404`: \
                     createDeviceReachabilityStatusSubscription documents no 404 answer"
                ),
                "{reason}"
            );
        } else {
            panic!("{status} {label}: {reason}");
        }
        expected_not_passed.insert(label);
    }
    // Every other scenario passed, the three of the device's state changes (03-05) with
    // the mock's control endpoint as the provider hook.
    assert_eq!(expected_not_passed.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_subscriptions_plans_run_verbatim_against_the_synchronous_mock() {
    let result = run(&[]).await;
    check_outcomes(&result);
    // 57 scenarios once the outlines are expanded; the 3 asynchronous creations do not
    // apply to a target that declares `creation = "sync"` (not run, not counted).
    assert_eq!(result.scenarios.len(), 54);
    assert!(
        !result
            .scenarios
            .iter()
            .any(|s| s.label().ends_with("_02_async_creation"))
    );
    let defects = result.plan_defects.join("\n");
    for expected in [
        "fix: cite \"#/components/schemas/SubscriptionRequest\" (the step runs with this fix)",
        "fix: cite \"#/components/schemas/EventSubscriptionEnded\" (the step runs with this fix)",
        "fix: write \"$.config.subscriptionDetail.device\" (the step runs with this fix)",
        "createDeviceReachabilityStatusSubscription documents no 404 answer",
        "it never checks the response status code",
        "without naming the subscription",
        "fix: write \"the notification property\"",
        "fix: write \"$.config.subscriptionMaxEvents\"",
        "fix: write \"if the response status code is N then ...\"",
    ] {
        assert!(defects.contains(expected), "{expected}\n{defects}");
    }
    // A Background's defect is listed once, at its step, not once per scenario under it.
    let background: Vec<&str> = result
        .plan_defects
        .iter()
        .filter_map(|line| line.strip_prefix("Background ("))
        .filter_map(|line| line.split_once("), for each scenario: "))
        .map(|(_, defect)| defect)
        .collect();
    assert!(
        background
            .iter()
            .any(|d| d.contains("#/components/schemas/SubscriptionRequest")),
        "{defects}"
    );
    for defect in &background {
        let listed = result
            .plan_defects
            .iter()
            .filter(|line| line.ends_with(defect))
            .count();
        assert_eq!(listed, 1, "{defect}\n{defects}");
    }
    assert!(result.leftovers.is_empty(), "{:?}", result.leftovers);
}

#[tokio::test(flavor = "multi_thread")]
async fn under_the_asynchronous_variation_the_synchronous_creations_do_not_apply() {
    let result = run(&["subscriptions-async"]).await;
    check_outcomes(&result);
    // The 6 synchronous creations (01.1, 01.2, 3 types each) do not apply; 02 runs.
    assert_eq!(result.scenarios.len(), 51);
    let async_creations = result
        .scenarios
        .iter()
        .filter(|s| s.label().ends_with("_02_async_creation") && s.status == Status::Passed)
        .count();
    assert_eq!(async_creations, 3);
    assert!(result.leftovers.is_empty(), "{:?}", result.leftovers);
}

#[test]
fn list_names_the_scenarios_the_declared_creation_mode_leaves_out() {
    let plans = crate::cli_support::root().join("features/official/subscriptions-v0.8.0");
    let out = crate::cli_support::command(&[
        "list",
        "--profile",
        "camara-subscriptions-v0.8",
        "--features",
        plans.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let stdout = crate::cli_support::text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout
            .matches(
                "    not applicable: it expects an asynchronous creation (202), and the target \
                 declares `subscriptions.creation = \"sync\"`\n"
            )
            .count(),
        3,
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "54 scenarios; 0 would be skipped; 0 unbound steps\n\
             3 scenarios not applicable to this target (not run, not counted)\n"
        ),
        "{stdout}"
    );
}
