//! JUnit XML, as GitLab, GitHub and Jenkins read it: one `<testsuite>` per run (profile),
//! one `<testcase>` per scenario (classname = feature, name = CAMARA id and title).

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{RunResult, ScenarioResult, Status};

/// Name of the report (the `<testsuites>` element).
const REPORT_NAME: &str = "reachability-conformance";

/// The JUnit XML document for `runs` (already redacted).
pub fn render(runs: &[RunResult]) -> Result<String, String> {
    let mut report = Report::new(REPORT_NAME);
    report.add_test_suites(runs.iter().map(suite));
    report.set_time(runs.iter().map(|r| r.duration).sum());
    report
        .to_string()
        .map_err(|e| format!("cannot write the JUnit XML: {e}"))
}

/// The name of a scenario's test case: its CAMARA id and title.
pub fn test_case_name(scenario: &ScenarioResult) -> String {
    match &scenario.id {
        Some(id) => format!("{id}: {}", scenario.name),
        None => scenario.name.clone(),
    }
}

fn suite(run: &RunResult) -> TestSuite {
    let mut suite = TestSuite::new(run.profile.name());
    suite.set_time(run.duration);
    suite.add_properties([
        Property::new("target", run.target.as_str()),
        Property::new("url", run.url.as_str()),
        Property::new("profile", run.profile.name()),
        Property::new("api", run.profile.api_name()),
        Property::new("api_version", run.profile.api_version()),
        Property::new("release", run.profile.release()),
        Property::new("tested", run.profile.title().as_str()),
        Property::new("spec_source", run.spec_source.as_str()),
        Property::new("harness_version", env!("CARGO_PKG_VERSION")),
    ]);
    suite.add_properties(
        run.plan_defects
            .iter()
            .map(|defect| Property::new("plan_defect", defect.as_str())),
    );
    suite.add_test_cases(run.scenarios.iter().map(test_case));
    suite
}

fn test_case(scenario: &ScenarioResult) -> TestCase {
    let reason = scenario.reason_line();
    let message = match &scenario.failed_step {
        Some(step) => format!("{step}: {reason}"),
        None => reason.clone(),
    };
    let non_success = |kind, ty: &str| {
        let mut status = TestCaseStatus::non_success(kind);
        status
            .set_message(message.as_str())
            .set_type(ty)
            .set_description(scenario.failure_details());
        status
    };
    let status = match scenario.status {
        // A failed advisory passes; its story goes to system-out.
        Status::Passed | Status::Advisory => TestCaseStatus::success(),
        Status::Failed => non_success(NonSuccessKind::Failure, "conformance failure"),
        Status::Errored => non_success(NonSuccessKind::Error, "could not test"),
        Status::Skipped => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(reason);
            status
        }
    };
    let mut case = TestCase::new(test_case_name(scenario), status);
    case.set_classname(scenario.feature.as_str())
        .set_time(scenario.duration);
    case.extra
        .insert("file".into(), scenario.feature_source.as_str().into());
    case.extra
        .insert("line".into(), scenario.line.to_string().into());
    case.add_properties(
        scenario
            .sources
            .iter()
            .map(|source| Property::new("required_by", source.as_str())),
    );
    if let Some(why) = &scenario.advisory {
        case.add_property(Property::new("advisory", why.as_str()));
    }
    if scenario.status == Status::Advisory {
        case.set_system_out(format!(
            "advisory check failed (does not fail the run):\n{}",
            scenario.failure_details()
        ));
    }
    case
}
