//! Cross-version proof: a mock of one camara-v1 release, tested with another release's
//! profile, fails exactly the scenarios where the two versions differ (and each release's
//! mock passes its own profile, `conformance.rs`). The official plans run verbatim the same
//! way: each passes on its own release's mock and fails on the other's where they differ.

use std::collections::BTreeSet;
use std::path::PathBuf;

use reachability_harness::Profile;
use reachability_harness::report::{RunResult, Status};
use reachability_harness::runner::{RunBuilder, Suite};

/// Runs `suite` with `profile`'s contract against the embedded mock of `mock`.
async fn run(suite: &Suite, mock: &str, profile: &str, strict: bool) -> RunResult {
    let mock_profile: Profile = mock.parse().unwrap();
    let started =
        reachability_conformance::embedded::start_embedded_mock(mock_profile, &[], 0, None)
            .await
            .expect("embedded mock starts");
    let mut target = started.target.clone();
    target.profile = profile.parse().unwrap();
    let run = RunBuilder::new(target)
        .strict(strict)
        .build()
        .expect("run context");
    let result = run.execute(suite).await;
    started.server.shutdown().await;
    result
}

/// The ids of the scenarios that did not pass, each with its outcome.
fn not_passed(result: &RunResult) -> BTreeSet<String> {
    result
        .scenarios
        .iter()
        .filter(|s| s.status != Status::Passed)
        .map(|s| format!("{} {}", s.status.name(), s.label()))
        .collect()
}

fn official(version: &str) -> Suite {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../features/official/device-reachability-status-v{version}.feature"
    ));
    Suite::from_paths(&[path]).expect("the official plan parses")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_v1_1_mock_fails_camara_v1_0_only_where_the_versions_differ() {
    let suite = Suite::embedded().unwrap();
    let result = run(&suite, "camara-v1.1", "camara-v1.0", false).await;
    assert_eq!(
        not_passed(&result),
        BTreeSet::from([
            // v1.1.0 accepts correlators v1.0.0's pattern refuses (an advisory check).
            "advisory reachability_v1_43_generated_correlators".to_owned(),
            // v1.1.0 answers 200 for one of several identifiers; v1.0.0 wants 422.
            "failed reachability_v1_17_identifiers_mismatch".to_owned(),
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_v1_0_mock_fails_camara_v1_1_only_where_the_versions_differ() {
    let suite = Suite::embedded().unwrap();
    let result = run(&suite, "camara-v1.0", "camara-v1.1", false).await;
    assert_eq!(
        not_passed(&result),
        BTreeSet::from([
            // v1.0.0 names no device in its answers.
            "failed reachability_v1_06_last_status_time_required".to_owned(),
            // v1.0.0 answers 422 IDENTIFIER_MISMATCH where v1.1.0 answers 200.
            "failed reachability_v1_18_several_identifiers_one_used".to_owned(),
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_official_plan_passes_strictly_on_its_release_and_not_on_the_other() {
    let v10 = official("1.0.0");
    let v11 = official("1.1.0");
    assert_eq!(
        not_passed(&run(&v10, "camara-v1.0", "camara-v1.0", true).await),
        BTreeSet::new()
    );
    assert_eq!(
        not_passed(&run(&v11, "camara-v1.1", "camara-v1.1", true).await),
        BTreeSet::new()
    );
    assert_eq!(
        not_passed(&run(&v10, "camara-v1.1", "camara-v1.0", true).await),
        BTreeSet::from([
            "failed device_reachability_status_C01.08_device_identifiers_mismatch".to_owned()
        ])
    );
}
