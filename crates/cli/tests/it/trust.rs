//! Zero false alarms: a failed advisory does not fail the run (except with `--strict`), a
//! scenario that fails because of a defect of its test plan could not test (and names the
//! defect and its fix), and CAMARA's official v1.0.0 plan runs clean against the mock, its
//! defects reported.

use std::path::{Path, PathBuf};

use reachability_harness::report::{Conclusion, RunResult, Status, junit};
use reachability_harness::runner::{self, RunBuilder, Suite};
use reachability_harness::schema::SchemaSet;

const OFFICIAL_V1: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../features/official/device-reachability-status-v1.0.0.feature"
);

const BACKGROUND: &str = "Feature: trust\n  Background:\n    \
    Given the resource \"{api-root}/device-reachability-status/v1/retrieve\" set as base-url\n    \
    And the header \"Content-Type\" is set to \"application/json\"\n    \
    And the header \"Authorization\" is set to a valid access token\n    \
    And the header \"x-correlator\" is set to a UUID value\n    \
    And the request body is set by default to a request body compliant with the schema \
    \"#/components/schemas/RequestReachabilityStatus\"\n\n";

/// A feature file in a fresh temp folder, with the camara-v1 background and `scenarios`.
fn feature(name: &str, scenarios: &str) -> (PathBuf, Suite) {
    let dir = std::env::temp_dir().join(format!("rc-trust-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.feature"));
    std::fs::write(&file, format!("{BACKGROUND}{scenarios}")).unwrap();
    let suite = Suite::from_paths(std::slice::from_ref(&file)).unwrap();
    (dir, suite)
}

async fn run_against_mock(suite: &Suite, faults: &[&str], strict: bool) -> RunResult {
    let faults: Vec<String> = faults.iter().map(|f| (*f).to_owned()).collect();
    let mock = reachability_conformance::embedded::start_embedded_mock(
        "camara-v1.0"
            .parse::<reachability_harness::Profile>()
            .unwrap(),
        &faults,
        0,
        None,
    )
    .await
    .unwrap();
    let run = RunBuilder::new(mock.target.clone())
        .strict(strict)
        .build()
        .unwrap();
    let result = run.execute(suite).await;
    mock.server.shutdown().await;
    result
}

const ADVISORY: &str = "  @t_01\n  Scenario: a required check\n    \
    Required by: RFC 6749 §5.2\n    \
    Given the request body is set to a valid request body\n    \
    When the request \"getReachabilityStatus\" is sent\n    \
    Then the response status code is 200\n\n  \
    @t_02 @advisory\n  Scenario: a check only one style passes\n    \
    Required by: OpenID CIBA Core §11\n    \
    Advisory: the documents say MAY.\n    \
    Given the request body is set to a valid request body\n    \
    When the request \"getReachabilityStatus\" is sent\n    \
    Then the response status code is 418\n";

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_advisory_does_not_fail_the_run_unless_strict() {
    let (dir, suite) = feature("advisory", ADVISORY);
    let result = run_against_mock(&suite, &[], false).await;
    let advisory = &result.scenarios[1];
    assert_eq!(advisory.status, Status::Advisory);
    assert_eq!(advisory.advisory.as_deref(), Some("the documents say MAY."));
    assert_eq!(advisory.sources, ["OpenID CIBA Core §11"]);
    assert_eq!(
        advisory.reason.as_deref(),
        Some("expected status 418\n  actual: 200")
    );
    let failed_step = advisory.steps.iter().find(|s| s.error.is_some()).unwrap();
    assert_eq!(failed_step.status, Status::Advisory);
    assert_eq!(result.conclusion(), Conclusion::Conformant);
    assert_eq!(
        result.totals().line(),
        "1 passed, 0 failed, 0 skipped, 1 advisory"
    );

    // JUnit: the advisory passes, with its reason as a property and its story in system-out.
    let xml = junit::render(std::slice::from_ref(&result)).unwrap();
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(
        xml.contains("<property name=\"advisory\" value=\"the documents say MAY.\"/>"),
        "{xml}"
    );
    assert!(
        xml.contains("<system-out>advisory check failed (does not fail the run):"),
        "{xml}"
    );
    assert!(
        xml.contains("<property name=\"required_by\" value=\"RFC 6749 §5.2\"/>"),
        "{xml}"
    );

    // Cucumber JSON: the description carries the sources and the reason.
    let json =
        reachability_harness::report::cucumber_json::render(std::slice::from_ref(&result)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json[0]["elements"][1]["description"],
        "Required by: OpenID CIBA Core §11\nAdvisory: the documents say MAY."
    );

    let strict = run_against_mock(&suite, &[], true).await;
    assert_eq!(strict.scenarios[1].status, Status::Failed);
    assert_eq!(
        strict.scenarios[1].reason.as_deref(),
        Some(
            "expected status 418\n  actual: 200 (a failed advisory check counts as a failure \
             with --strict)"
        )
    );
    assert_eq!(strict.conclusion(), Conclusion::NotConformant);
    std::fs::remove_dir_all(dir).unwrap();
}

/// The official plan's C01.02 row, verbatim: `networkIdentifier` is a typo.
const TYPO: &str = "  @c01_02\n  Scenario: Some device identifier value does not comply with the schema\n    \
    Given the header \"Authorization\" is set to a valid access token which does not identify a single device\n    \
    And the request body property \"$.device.networkIdentifier\" does not comply with the OAS schema at \
    \"/components/schemas/NetworkAccessIdentifier\"\n    \
    When the request \"getReachabilityStatus\" is sent\n    \
    Then the response status code is 400\n    \
    And the response property \"$.message\" contains a user friendly text\n";

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_caused_by_a_plan_defect_could_not_test_and_names_the_fix() {
    let (dir, suite) = feature("defect", TYPO);
    // An implementation that ignores unknown device properties answers 200: legal, and the
    // plan's typo is why the check fails.
    let result = run_against_mock(&suite, &["unknown-device-property-ignored"], false).await;
    let scenario = &result.scenarios[0];
    assert_eq!(scenario.status, Status::Errored);
    let reason = scenario.reason.as_deref().unwrap();
    assert!(
        reason.starts_with(
            "could not test: plan defect: step `And the request body property \
             \"$.device.networkIdentifier\" does not comply with the OAS schema at \
             \"/components/schemas/NetworkAccessIdentifier\"`: \
             #/components/schemas/RequestReachabilityStatus declares no property \
             \"networkIdentifier\" under $.device; fix: write \
             \"$.device.networkAccessIdentifier\", the property whose schema is \
             /components/schemas/NetworkAccessIdentifier\n"
        ),
        "{reason}"
    );
    assert!(
        reason.ends_with("the step failed with: expected status 400\n  actual: 200"),
        "{reason}"
    );
    assert_eq!(result.conclusion(), Conclusion::CouldNotTest);
    assert_eq!(result.plan_defects.len(), 1);
    assert!(
        result.plan_defects[0].starts_with("c01_02 ("),
        "{:?}",
        result.plan_defects
    );

    // JUnit: an <error>, not a <failure>.
    let xml = junit::render(std::slice::from_ref(&result)).unwrap();
    assert!(
        xml.contains("errors=\"1\"") && xml.contains("failures=\"0\""),
        "{xml}"
    );
    assert!(
        xml.contains("<error message=") && xml.contains("type=\"could not test\""),
        "{xml}"
    );
    assert!(xml.contains("<property name=\"plan_defect\""), "{xml}");

    // A wrong answer to the request the plan meant (a 400 without message) still fails.
    let wrong = run_against_mock(&suite, &["error-without-message"], false).await;
    assert_eq!(wrong.scenarios[0].status, Status::Failed);
    assert_eq!(
        wrong.scenarios[0].failed_step.as_deref(),
        Some("And the response property \"$.message\" contains a user friendly text")
    );

    // The mock refuses the unknown property: the plan is still wrong, but nothing failed.
    let clean = run_against_mock(&suite, &[], false).await;
    assert_eq!(clean.scenarios[0].status, Status::Passed);
    assert_eq!(clean.plan_defects, result.plan_defects);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scenario_that_checks_nothing_could_not_test() {
    let (dir, suite) = feature(
        "nothen",
        "  Scenario: no check\n    When the request \"getReachabilityStatus\" is sent\n",
    );
    let result = run_against_mock(&suite, &[], false).await;
    assert_eq!(result.scenarios[0].status, Status::Errored);
    assert_eq!(
        result.scenarios[0].reason.as_deref(),
        Some(
            "could not test: plan defect: the scenario checks nothing (it has no Then step); \
             fix: add the Then steps its title promises"
        )
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_v1_plan_runs_verbatim_and_its_defects_are_reported() {
    let suite = Suite::from_paths(&[Path::new(OFFICIAL_V1).to_path_buf()]).unwrap();
    let result = run_against_mock(&suite, &[], true).await;
    let not_passed: Vec<_> = result
        .scenarios
        .iter()
        .filter(|s| s.status != Status::Passed)
        .map(|s| format!("{} {}: {:?}", s.status.name(), s.label(), s.reason))
        .collect();
    assert!(not_passed.is_empty(), "{not_passed:#?}");
    assert_eq!(result.scenarios.len(), 20);
    let labels: Vec<&str> = result
        .plan_defects
        .iter()
        .map(|d| d.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "device_reachability_status_04_not_reachable",
            "device_reachability_status_C01.02_device_identifiers_not_schema_compliant",
        ]
    );
}

#[test]
fn the_documented_table_lists_what_the_rules_find_in_the_official_plans() {
    let doc =
        std::fs::read_to_string(crate::cli_support::root().join("docs/plan-defects.md")).unwrap();
    let schemas = SchemaSet::builtin(
        "camara-v1.0"
            .parse::<reachability_harness::Profile>()
            .unwrap(),
    );
    for version in ["1.0.0", "1.1.0"] {
        let path = format!("features/official/device-reachability-status-v{version}.feature");
        let suite = Suite::from_paths(&[crate::cli_support::root().join(path)]).unwrap();
        let mut found: Vec<String> = Vec::new();
        for feature in suite.features() {
            for scenario in &feature.scenarios {
                if !runner::defects::find(feature, None, scenario, &schemas).is_empty() {
                    let id = runner::scenario_id(scenario).unwrap();
                    if !found.contains(&id) {
                        found.push(id);
                    }
                }
            }
        }
        let documented: Vec<String> = doc
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("| v{version} | `")))
            .map(|rest| rest.split('`').next().unwrap().to_owned())
            .collect();
        assert_eq!(found, documented, "plan v{version}");
    }
    let schemas = SchemaSet::builtin(
        "camara-subscriptions-v0.8"
            .parse::<reachability_harness::Profile>()
            .unwrap(),
    );
    let dir = crate::cli_support::root().join("features/official/subscriptions-v0.8.0");
    let suite = Suite::from_paths(&[dir]).unwrap();
    // The create plan's Background cites `#/component/...`: every one of its scenarios
    // has that defect, documented once; the table lists the scenarios with others.
    let background = "it cites \"#/component/schemas/SubscriptionRequest\"";
    let mut found: Vec<String> = Vec::new();
    for feature in suite.features() {
        for scenario in &feature.scenarios {
            let defects = runner::defects::find(feature, None, scenario, &schemas);
            let id = runner::scenario_id(scenario).unwrap();
            if feature.name.contains("Operation createDevice") {
                assert!(
                    defects.iter().any(|d| d.what.starts_with(background)),
                    "{id}"
                );
            }
            if defects.iter().any(|d| !d.what.starts_with(background)) && !found.contains(&id) {
                found.push(id);
            }
        }
    }
    let documented: Vec<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| subscriptions v0.8.0 | `"))
        .map(|rest| rest.split('`').next().unwrap().to_owned())
        .collect();
    found.sort();
    let mut sorted = documented.clone();
    sorted.sort();
    assert_eq!(found, sorted, "subscriptions plans v0.8.0");
}

#[tokio::test(flavor = "multi_thread")]
async fn sources_advisories_and_plan_defects_from_feature_files_are_escaped_in_reports() {
    use reachability_harness::report::document::{self, DocFormat};
    let scenario = "  @x_01 @advisory\n  Scenario: hostile\n    \
        Required by: <script>alert(1)</script> | cell\n    \
        Advisory: <img src=x onerror=alert(2)>\n    \
        Given the request body is set to a valid request body\n    \
        When the request \"getReachabilityStatus\" is sent\n    \
        Then the response status code is 418\n\n  \
        Scenario: <b>defect</b>\n    \
        When the request \"getReachabilityStatus\" is sent\n";
    let (dir, suite) = feature("hostile", scenario);
    let result = run_against_mock(&suite, &[], false).await;
    assert_eq!(result.scenarios[0].status, Status::Advisory);
    assert_eq!(result.scenarios[1].status, Status::Errored);
    let runs = [result];
    let html = document::render(DocFormat::Html, &runs, chrono::Utc::now());
    assert!(
        html.contains("required by: &lt;script&gt;alert(1)&lt;/script&gt; | cell"),
        "{html}"
    );
    assert!(
        html.contains("Advisory: &lt;img src=x onerror=alert(2)&gt;"),
        "{html}"
    );
    assert!(html.contains("<li>&lt;b&gt;defect&lt;/b&gt; ("), "{html}");
    assert!(!html.contains("<script>alert") && !html.contains("<img src=x"));
    let md = document::render(DocFormat::Markdown, &runs, chrono::Utc::now());
    assert!(
        md.contains("required by: &lt;script&gt;alert(1)&lt;/script&gt; \\| cell"),
        "{md}"
    );
    assert!(md.contains("### Plan defects"), "{md}");
    assert!(md.contains("### Advisories"), "{md}");
    assert!(md.contains("### Could not test"), "{md}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_compliant_with_a_schema_is_the_status_apis_default_body_in_its_profile() {
    let (dir, suite) = feature(
        "compliant",
        "  @c_01\n  Scenario: the plans' wording of the default body\n    \
         Given the request body is compliant with the schema \
         \"#/components/schemas/RequestReachabilityStatus\"\n    \
         When the request \"getReachabilityStatus\" is sent\n    \
         Then the response status code is 200\n",
    );
    let result = run_against_mock(&suite, &[], true).await;
    assert_eq!(result.scenarios[0].status, Status::Passed);
    let sent = result.scenarios[0].exchanges[0]["request"]["body"].to_string();
    assert!(!sent.contains("sinkCredential"), "{sent}");
    std::fs::remove_dir_all(dir).unwrap();
}
