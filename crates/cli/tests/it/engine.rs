//! The engine's own rules: skips name the missing key, `--strict` fails them, unbound steps
//! could not test, a vendor spec replaces the built-in schemas, and a broken target is never
//! passed.

use reachability_harness::Api;
use std::path::PathBuf;

use reachability_harness::Profile;
use reachability_harness::report::{Conclusion, RunResult, Status};
use reachability_harness::runner::{RunBuilder, Suite};
use reachability_harness::schema::SchemaSet;
use reachability_harness::target_file::Target;

/// A fresh folder under the system temp dir for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rc-engine-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

async fn run(suite: &Suite, target: Target, schemas: SchemaSet, strict: bool) -> RunResult {
    let run = RunBuilder::new(target)
        .schemas(schemas)
        .strict(strict)
        .build()
        .expect("run context");
    run.execute(suite).await
}

/// Ids (with status and reason) of the scenarios that did not pass, sorted.
fn not_passed(result: &RunResult) -> Vec<(String, Status, String)> {
    let mut out: Vec<_> = result
        .scenarios
        .iter()
        .filter(|s| s.status != Status::Passed)
        .map(|s| {
            (
                s.label().to_owned(),
                s.status,
                s.reason.clone().unwrap_or_default(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup();
    out
}

/// The embedded mock's target file with some lines left out.
async fn mock_target_without(
    profile: Profile,
    drop_keys: &[&str],
) -> (reachability_conformance::embedded::EmbeddedMock, Target) {
    let mock = reachability_conformance::embedded::start_embedded_mock(profile, &[], 0, None)
        .await
        .expect("mock starts");
    let toml: String = mock
        .server
        .target_toml()
        .lines()
        .filter(|line| {
            !drop_keys
                .iter()
                .any(|k| line.trim_start().starts_with(&format!("{k} ")))
        })
        .map(|line| format!("{line}\n"))
        .collect();
    let secrets = mock.server.secret_env();
    let lookup = |name: &str| {
        secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let target =
        Target::parse(&toml, "trimmed mock target", &lookup).expect("trimmed target parses");
    (mock, target)
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_assets_skip_with_the_key_and_strict_fails_them() {
    let suite = Suite::embedded().unwrap();
    let (mock, target) =
        mock_target_without(Api::CamaraV1.current(), &["sms", "expired_token_env"]).await;
    let skip = "testing asset `devices.sms` is not configured in the target file".to_owned();
    let expired =
        "testing asset `auth.expired_token_env` is not configured in the target file".to_owned();

    let result = run(
        &suite,
        target.clone(),
        SchemaSet::builtin(Api::CamaraV1.current()),
        false,
    )
    .await;
    assert_eq!(
        not_passed(&result),
        vec![
            (
                "reachability_v1_01_connected_sms_only".to_owned(),
                Status::Skipped,
                skip.clone()
            ),
            (
                "reachability_v1_30_expired_access_token".to_owned(),
                Status::Skipped,
                expired.clone()
            ),
            (
                "reachability_v1_38_token_bound_to_another_device".to_owned(),
                Status::Skipped,
                skip.clone()
            ),
        ]
    );
    assert!(result.passed(), "skips alone do not fail a run");

    let strict = run(
        &suite,
        target,
        SchemaSet::builtin(Api::CamaraV1.current()),
        true,
    )
    .await;
    let suffix = " (a skip counts as a failure with --strict)";
    assert_eq!(
        not_passed(&strict),
        vec![
            (
                "reachability_v1_01_connected_sms_only".to_owned(),
                Status::Failed,
                format!("{skip}{suffix}")
            ),
            (
                "reachability_v1_30_expired_access_token".to_owned(),
                Status::Failed,
                format!("{expired}{suffix}")
            ),
            (
                "reachability_v1_38_token_bound_to_another_device".to_owned(),
                Status::Failed,
                format!("{skip}{suffix}")
            ),
        ]
    );
    assert!(!strict.passed());
    mock.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unbound_step_cannot_test_its_scenario_and_names_the_step() {
    let dir = temp_dir("unbound");
    let feature = dir.join("unbound.feature");
    std::fs::write(
        &feature,
        "Feature: drift\n  Scenario: a step nobody wrote\n    Given the resource \"{api-root}/device-reachability-status/v1/retrieve\" set as base-url\n    When the moon is full\n    Then the response status code is 200\n",
    )
    .unwrap();
    let suite = Suite::from_paths(&[feature]).unwrap();
    let mock = reachability_conformance::embedded::start_embedded_mock(
        Api::CamaraV1.current(),
        &[],
        0,
        None,
    )
    .await
    .unwrap();
    let result = run(
        &suite,
        mock.target.clone(),
        SchemaSet::builtin(Api::CamaraV1.current()),
        false,
    )
    .await;
    let scenario = &result.scenarios[0];
    assert_eq!(scenario.status, Status::Errored);
    assert_eq!(
        scenario.failed_step.as_deref(),
        Some("When the moon is full")
    );
    assert!(
        scenario
            .reason
            .as_deref()
            .unwrap()
            .starts_with("could not test: the step is not bound")
    );
    let statuses: Vec<Status> = scenario.steps.iter().map(|s| s.status).collect();
    assert_eq!(
        statuses,
        vec![Status::Passed, Status::Errored, Status::Skipped]
    );
    assert_eq!(result.conclusion(), Conclusion::CouldNotTest);
    mock.server.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_vendor_spec_replaces_the_built_in_schemas() {
    let dir = temp_dir("spec");
    let spec = dir.join("vendor-openapi.json");
    std::fs::write(
        &spec,
        reachability_contract::documents::builtin(Api::CamaraV1.current()),
    )
    .unwrap();
    let schemas = SchemaSet::from_spec_file(&spec).expect("vendor spec loads");
    let mock = reachability_conformance::embedded::start_embedded_mock(
        Api::CamaraV1.current(),
        &[],
        0,
        None,
    )
    .await
    .unwrap();
    let result = run(
        &Suite::embedded().unwrap(),
        mock.target.clone(),
        schemas,
        false,
    )
    .await;
    assert_eq!(not_passed(&result), vec![]);
    assert_eq!(result.spec_source, spec.display().to_string());
    mock.server.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_target_is_never_passed() {
    let mock = reachability_conformance::embedded::start_embedded_mock(
        Api::CamaraV1.current(),
        &["no-correlator-echo".to_owned()],
        0,
        None,
    )
    .await
    .unwrap();
    let result = run(
        &Suite::embedded().unwrap(),
        mock.target.clone(),
        SchemaSet::builtin(Api::CamaraV1.current()),
        false,
    )
    .await;
    assert!(!result.passed());
    let failed: Vec<String> = not_passed(&result)
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert!(
        failed.contains(&"reachability_v1_01_connected_sms_only".to_owned()),
        "{failed:?}"
    );
    let reason = result
        .scenarios
        .iter()
        .find(|s| s.label() == "reachability_v1_01_connected_sms_only")
        .and_then(|s| s.reason.clone())
        .unwrap();
    assert!(
        reason.contains("response header \"x-correlator\""),
        "{reason}"
    );
    assert!(reason.contains("no such header"), "{reason}");
    mock.server.shutdown().await;
}
