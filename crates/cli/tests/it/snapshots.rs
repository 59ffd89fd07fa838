//! Snapshot fixtures of the reference answers: for every scenario of the embedded suite, the
//! response bodies the reference mock gives, volatile fields redacted. A change in what the
//! reference answers shows up here for review (`cargo insta review`).

use reachability_harness::Api;
use std::collections::BTreeMap;

use reachability_harness::Profile;
use reachability_harness::report::RunResult;
use reachability_harness::runner::{RunBuilder, Suite};
use serde_json::Value;

/// The feature files whose answers are fixed (generated cases vary by seed, so they are not).
const FIXED_FEATURES: [&str; 6] = [
    "features/camara-v1/success.feature",
    "features/camara-v1/device-errors.feature",
    "features/camara-v1/request-validation.feature",
    "features/camara-v1/security.feature",
    "features/orange-lab-v0/success.feature",
    "features/orange-lab-v0/errors.feature",
];

async fn reference_run(profile: Profile) -> RunResult {
    let mock = reachability_conformance::embedded::start_embedded_mock(profile, &[], 0, None)
        .await
        .unwrap();
    let run = RunBuilder::new(mock.target.clone()).build().unwrap();
    let result = run.execute(&Suite::embedded().unwrap()).await;
    mock.server.shutdown().await;
    result
}

/// Scenario title → response bodies of its exchanges, in order.
fn answers(result: &RunResult) -> BTreeMap<String, Vec<Value>> {
    result
        .scenarios
        .iter()
        .filter(|s| FIXED_FEATURES.contains(&s.feature_source.as_str()))
        .map(|s| {
            let bodies = s
                .exchanges
                .iter()
                .map(|e| e["response"]["body"].clone())
                .collect();
            (format!("{} - {}", s.label(), s.name), bodies)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn reference_answers_camara_v1() {
    // The snapshot holds camara-v1.0's answers (v1.1.0's differences are pinned by
    // cross_version.rs).
    let answers = answers(&reference_run("camara-v1.0".parse().unwrap()).await);
    insta::assert_json_snapshot!("camara-v1", answers, {
        ".*[].lastStatusTime" => "[date-time]",
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn reference_answers_orange_lab_v0() {
    let answers = answers(&reference_run(Api::OrangeLabV0.current()).await);
    insta::assert_json_snapshot!("orange-lab-v0", answers, {
        ".*[].lastStatusTime" => "[date-time]",
    });
}
