//! Shared by the robustness tests: the loopback servers and target files of
//! `reachability-test-support`, their secrets, and whole runs of the embedded suite against
//! them.

use reachability_harness::report::{RunResult, ScenarioResult, Status};
use reachability_harness::runner::{RunBuilder, Suite};
use reachability_harness::target_file::Target;
pub use reachability_test_support::loopback::{
    closed_url, correlator_echo, read_request, serve, serve_raw, target_toml,
};

/// The bearer token handed to the harness through `access_token_env`.
pub const ACCESS_TOKEN: &str = "robustness-access-token-0123";
/// The client secret handed to the harness through `client_secret_env`.
pub const CLIENT_SECRET: &str = "robustness-client-secret-4567";
/// The access token the test token endpoints hand out.
pub const ISSUED_TOKEN: &str = "robustness-issued-token-89ab";

/// The `[auth]` table of a ready bearer token ([`ACCESS_TOKEN`]).
pub const BEARER_AUTH: &str = r#"access_token_env = "RC_ACCESS_TOKEN""#;

/// Parses a target file, its `*_env` variables answered with this module's secrets.
pub fn target(toml: &str) -> Target {
    let env = |name: &str| match name {
        "RC_ACCESS_TOKEN" => Some(ACCESS_TOKEN.to_owned()),
        "RC_CLIENT_SECRET" => Some(CLIENT_SECRET.to_owned()),
        _ => None,
    };
    Target::parse(toml, "robustness.toml", &env).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the embedded suite against `target`.
pub async fn run(target: Target) -> RunResult {
    let suite = Suite::embedded().expect("the embedded features parse");
    let run = RunBuilder::new(target).build().expect("run context");
    let result = run.execute(&suite).await;
    assert_no_secret(&result);
    result
}

/// Fails if a secret appears anywhere in the result: reasons, transcripts or records.
fn assert_no_secret(result: &RunResult) {
    let shown = format!("{result:?}");
    for secret in [ACCESS_TOKEN, CLIENT_SECRET, ISSUED_TOKEN] {
        assert!(!shown.contains(secret), "{secret} leaked into the result");
    }
}

/// The scenarios that ended with `status`.
pub fn with_status(result: &RunResult, status: Status) -> Vec<&ScenarioResult> {
    result
        .scenarios
        .iter()
        .filter(|s| s.status == status)
        .collect()
}

/// The reason of a scenario, or "".
pub fn reason(scenario: &ScenarioResult) -> &str {
    scenario.reason.as_deref().unwrap_or_default()
}

/// Checks that no scenario passed, that skipped ones name a missing testing asset, and that
/// those that ended with `status` (failed, or errored: could not test) have a reason
/// `accept` takes; returns those.
pub fn ended_only_with(
    result: &RunResult,
    status: Status,
    accept: impl Fn(&str) -> bool,
) -> Vec<&ScenarioResult> {
    assert_eq!(result.count(Status::Passed), 0, "{result:#?}");
    for skipped in with_status(result, Status::Skipped) {
        assert!(
            reason(skipped).starts_with("testing asset `"),
            "{}: {}",
            skipped.label(),
            reason(skipped)
        );
    }
    let failed = with_status(result, status);
    assert!(!failed.is_empty());
    for scenario in &failed {
        assert!(
            accept(reason(scenario)),
            "{}: unexpected reason {:?}",
            scenario.label(),
            reason(scenario)
        );
    }
    failed
}
