//! The conformance suite against the embedded mock in both profiles; the ignored
//! `configured_target_conforms` runs it against `CAMARA_TARGET=path/to/target.toml`. With `RC_JUNIT`,
//! `RC_CUCUMBER_JSON`, `RC_REPORT` or `RC_RECORD` set, `outputs_from_environment` also writes
//! those files, as `run --junit/--cucumber-json/--report/--record` does.

use reachability_harness::Api;
use reachability_harness::Profile;
use reachability_harness::redact::Redactor;
use reachability_harness::report::{OutputArgs, Reporter, RunResult, Status};
use reachability_harness::runner::{RunBuilder, Suite};
use reachability_harness::target_file::Target;

async fn run_against(target: Target) -> RunResult {
    run_with(target, Reporter::default()).await
}

/// Runs the embedded suite against `target`, telling `reporter`.
async fn run_with(target: Target, reporter: Reporter) -> RunResult {
    let suite = Suite::embedded().expect("embedded features parse");
    let run = RunBuilder::new(target)
        .reporter(reporter)
        .build()
        .expect("run context");
    run.execute(&suite).await
}

async fn run_embedded(profile: Profile) -> RunResult {
    let mock = reachability_conformance::embedded::start_embedded_mock(profile, &[], 0, None)
        .await
        .expect("embedded mock starts");
    let result = run_against(mock.target.clone()).await;
    mock.server.shutdown().await;
    result
}

fn problems(result: &RunResult) -> Vec<String> {
    result
        .scenarios
        .iter()
        .filter(|s| s.status != Status::Passed)
        .map(|s| {
            format!(
                "{} {}: {}\n{}\n{}",
                s.status.name(),
                s.label(),
                s.failed_step.as_deref().unwrap_or(""),
                s.reason.as_deref().unwrap_or(""),
                s.exchange.as_deref().unwrap_or("")
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a real target: CAMARA_TARGET=path/to/target.toml, then --ignored"]
async fn configured_target_conforms() {
    let path = std::env::var("CAMARA_TARGET")
        .expect("CAMARA_TARGET names the target file of the target to test");
    let target = Target::load(std::path::Path::new(&path)).unwrap_or_else(|e| panic!("{e}"));
    let result = run_against(target).await;
    assert!(result.passed(), "{}", problems(&result).join("\n\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_mock_conforms_to_camara_v1() {
    let result = run_embedded(Api::CamaraV1.current()).await;
    assert_eq!(problems(&result), Vec::<String>::new());
    assert_eq!(result.count(Status::Passed), 60);
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_mock_conforms_to_orange_lab_v0() {
    let result = run_embedded(Api::OrangeLabV0.current()).await;
    assert_eq!(problems(&result), Vec::<String>::new());
    assert_eq!(result.count(Status::Passed), 51);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the files RC_JUNIT, RC_CUCUMBER_JSON, RC_REPORT or RC_RECORD name, then --ignored"]
async fn outputs_from_environment() {
    let outputs = OutputArgs::from_env().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !outputs.is_empty(),
        "set RC_JUNIT, RC_CUCUMBER_JSON, RC_REPORT or RC_RECORD to name the files to write"
    );
    let reporter = Reporter::new(Redactor::new()).outputs(&outputs);
    let mut runs = Vec::new();
    if let Ok(path) = std::env::var("CAMARA_TARGET") {
        let target = Target::load(std::path::Path::new(&path)).unwrap_or_else(|e| panic!("{e}"));
        runs.push(run_with(target, reporter.clone()).await);
    } else {
        for profile in Profile::status_profiles() {
            let mock =
                reachability_conformance::embedded::start_embedded_mock(profile, &[], 0, None)
                    .await
                    .expect("embedded mock starts");
            runs.push(run_with(mock.target.clone(), reporter.clone()).await);
            mock.server.shutdown().await;
        }
    }
    let written = reporter.finish().unwrap_or_else(|e| panic!("{e}"));
    for line in written {
        eprintln!("wrote {line}");
    }
    let problems: Vec<String> = runs.iter().flat_map(problems).collect();
    assert_eq!(problems, Vec::<String>::new());
}
