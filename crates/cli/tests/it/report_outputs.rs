//! The output files of a run, checked against their formats: JUnit XML parsed back, Cucumber
//! JSON walked, the HTML and Markdown reports, the recorded exchanges, and no secret anywhere.

use crate::report_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCaseStatus};
use regex::Regex;
use serde_json::Value;

use reachability_harness::redact::Redactor;
use reachability_harness::report::{
    Conclusion, DocFormat, Event, OutputArgs, ReportFile, Reporter, RunResult, ScenarioResult,
    Status, StepOutcome, Totals, cucumber_json, document, junit, record,
};
use report_support::{FAILING_COUNT, FAILING_IDS, both_profiles, failing_run, output_dir};

const BEARER_MASKED: &str = "Authorization: Bearer [REDACTED]";

fn redacted(runs: &[RunResult]) -> Vec<RunResult> {
    let redactor = &failing_run().redactor;
    runs.iter().map(|r| r.redacted(redactor)).collect()
}

fn id_set<'a>(ids: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    ids.into_iter().map(str::to_owned).collect()
}

#[test]
fn junit_has_one_testcase_per_scenario_and_failures_with_evidence() {
    let runs = redacted(&failing_run().runs);
    let xml = junit::render(&runs).unwrap();
    let report = Report::deserialize_from_str(&xml).expect("the JUnit XML parses back");
    assert_eq!(
        report.name.as_ref().map(|n| n.as_str()),
        Some("reachability-conformance")
    );
    assert_eq!(report.test_suites.len(), 1);
    let suite = &report.test_suites[0];
    assert_eq!(suite.name.as_str(), "camara-v1.0");
    let property = |name: &str| {
        let found = suite.properties.iter().find(|p| p.name.as_str() == name);
        found.map(|p| p.value.as_str().to_owned())
    };
    for (name, value) in [
        ("profile", "camara-v1.0"),
        ("api", "device-reachability-status"),
        ("api_version", "1.0.0"),
        ("release", "CAMARA DeviceStatus r1.x"),
        (
            "tested",
            "camara-v1.0: device-reachability-status 1.0.0 (CAMARA DeviceStatus r1.x)",
        ),
    ] {
        assert_eq!(property(name).as_deref(), Some(value), "property {name}");
    }
    assert_eq!(suite.test_cases.len(), runs[0].scenarios.len());
    assert_eq!(suite.failures, FAILING_COUNT);
    assert_eq!(suite.tests, runs[0].scenarios.len());
    let mut failing = BTreeSet::new();
    for (case, scenario) in suite.test_cases.iter().zip(&runs[0].scenarios) {
        let id = scenario.id.as_deref().unwrap();
        assert_eq!(case.name.as_str(), format!("{id}: {}", scenario.name));
        assert_eq!(
            case.classname.as_ref().map(|c| c.as_str()),
            Some(scenario.feature.as_str())
        );
        match &case.status {
            TestCaseStatus::Success { .. } => assert_eq!(scenario.status, Status::Passed),
            TestCaseStatus::NonSuccess {
                kind,
                message,
                description,
                ..
            } => {
                assert_eq!(*kind, NonSuccessKind::Failure);
                failing.insert(id.to_owned());
                let message = message.as_ref().unwrap().as_str();
                assert!(
                    message.starts_with(
                        "And the response header \"x-correlator\" has same value as the \
                         request header \"x-correlator\": expected response header \"x-correlator\""
                    ),
                    "{message}"
                );
                let text = description.as_ref().unwrap().as_str();
                assert!(text.contains("\nstep: And the response header \"x-correlator\""));
                assert!(text.contains("  actual: no such header"), "{text}");
                assert!(text.contains(&format!("> {BEARER_MASKED}")), "{text}");
                assert!(text.contains("< HTTP "), "{text}");
            }
            TestCaseStatus::Skipped { .. } => panic!("{id} was skipped"),
        }
    }
    assert_eq!(failing, id_set(FAILING_IDS.iter().copied()));
}

#[test]
fn junit_skips_carry_their_reason() {
    let mut runs = redacted(&failing_run().runs);
    let scenario = &mut runs[0].scenarios[0];
    scenario.status = Status::Skipped;
    scenario.reason =
        Some("testing asset `devices.sms` is not configured in the target file".into());
    let report = Report::deserialize_from_str(&junit::render(&runs).unwrap()).unwrap();
    let case = &report.test_suites[0].test_cases[0];
    match &case.status {
        TestCaseStatus::Skipped { message, .. } => assert_eq!(
            message.as_ref().unwrap().as_str(),
            "testing asset `devices.sms` is not configured in the target file"
        ),
        other => panic!("expected a skip, got {other:?}"),
    }
    assert_eq!(report.test_suites[0].skipped, 1);
}

#[test]
fn cucumber_json_has_the_standard_structure() {
    let runs = redacted(&failing_run().runs);
    let json: Value = serde_json::from_str(&cucumber_json::render(&runs).unwrap()).unwrap();
    let features = json.as_array().expect("an array of features");
    let sources: BTreeSet<&str> = runs[0]
        .scenarios
        .iter()
        .map(|s| s.feature_source.as_str())
        .collect();
    assert_eq!(features.len(), sources.len());
    let mut elements = 0;
    let mut failing = BTreeSet::new();
    for feature in features {
        for key in ["uri", "id", "name", "description"] {
            assert!(feature[key].is_string(), "feature {key}: {feature}");
        }
        assert_eq!(feature["keyword"], "Feature");
        assert_eq!(
            feature["description"],
            "Tested: camara-v1.0: device-reachability-status 1.0.0 (CAMARA DeviceStatus r1.x)"
        );
        assert_eq!(feature["line"], 2);
        assert_eq!(
            feature["tags"][0],
            serde_json::json!({"name": "@camara-v1"})
        );
        for element in feature["elements"].as_array().unwrap() {
            elements += 1;
            assert_eq!(element["type"], "scenario");
            assert_eq!(element["keyword"], "Scenario");
            assert!(
                element["id"]
                    .as_str()
                    .unwrap()
                    .starts_with(feature["id"].as_str().unwrap())
            );
            assert!(element["line"].as_u64().unwrap() > 2);
            let tags: Vec<&str> = element["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap())
                .collect();
            // The scenario's id is its first tag in `feature_number_detail` form.
            let id = tags.iter().find(|t| t.contains('_')).unwrap();
            let steps = element["steps"].as_array().unwrap();
            assert!(!steps.is_empty());
            for step in steps {
                assert!(step["keyword"].is_string() && step["name"].is_string());
                assert!(step["line"].as_u64().unwrap() > 0);
                let status = step["result"]["status"].as_str().unwrap();
                assert!(
                    ["passed", "failed", "skipped"].contains(&status),
                    "{status}"
                );
                assert!(step["result"]["duration"].is_u64());
                if status == "failed" {
                    failing.insert(id.trim_start_matches('@').to_owned());
                    let error = step["result"]["error_message"].as_str().unwrap();
                    assert!(error.contains("actual: no such header"), "{error}");
                    assert!(error.contains(BEARER_MASKED), "{error}");
                }
            }
            let statuses: Vec<&str> = steps
                .iter()
                .map(|s| s["result"]["status"].as_str().unwrap())
                .collect();
            if let Some(failed) = statuses.iter().position(|s| *s == "failed") {
                assert!(statuses[failed + 1..].iter().all(|s| *s == "skipped"));
            }
        }
    }
    assert_eq!(elements, runs[0].scenarios.len());
    assert_eq!(failing, id_set(FAILING_IDS.iter().copied()));
}

#[test]
fn html_report_shows_totals_failures_and_exchanges() {
    let runs = redacted(&failing_run().runs);
    let html = document::render(DocFormat::Html, &runs, chrono::Utc::now());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<span class=\"verdict bad\">NOT CONFORMANT</span>"));
    let passed = runs[0].count(Status::Passed);
    assert!(html.contains(&format!(
        "<div class=\"passed\"><b>{passed}</b>passed</div>"
    )));
    assert!(html.contains(&format!(
        "<div class=\"failed\"><b>{FAILING_COUNT}</b>failed</div>"
    )));
    assert!(html.contains(
        "<dt>Profile</dt><dd>camara-v1.0</dd>\n<dt>API</dt><dd>device-reachability-status</dd>\n\
         <dt>API version</dt><dd>1.0.0</dd>\n<dt>Release</dt><dd>CAMARA DeviceStatus r1.x</dd>\n"
    ));
    assert!(html.contains(
        "<dt>Target</dt><dd>embedded mock (camara-v1.0, faults: no-correlator-echo)</dd>"
    ));
    assert_eq!(html.matches("<tr class=\"failed\">").count(), FAILING_COUNT);
    assert_eq!(html.matches("<tr class=\"passed\">").count(), passed);
    assert_eq!(
        html.matches("<article class=\"failure failed\"").count(),
        FAILING_COUNT
    );
    for id in FAILING_IDS {
        assert!(
            html.contains(&format!("<h4><code>{id}</code></h4>")),
            "{id}"
        );
    }
    assert_eq!(
        html.matches("<details><summary>HTTP exchange: POST http://127.0.0.1:")
            .count(),
        FAILING_COUNT
    );
    assert!(html.contains("&gt; Authorization: Bearer [REDACTED]"));
    assert!(html.contains("None declared for this profile."));
    assert_self_contained(&html);
}

/// No script and nothing fetched: no external style sheet, image, font or frame.
fn assert_self_contained(html: &str) {
    for banned in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(",
        "src=\"",
        "href=\"http",
    ] {
        assert!(!html.contains(banned), "the page holds {banned:?}");
    }
}

#[test]
fn markdown_report_has_a_row_per_scenario_and_the_failures() {
    let runs = redacted(&failing_run().runs);
    let md = document::render(DocFormat::Markdown, &runs, chrono::Utc::now());
    let passed = runs[0].count(Status::Passed);
    let total = runs[0].scenarios.len();
    assert!(md.starts_with(&format!("# Device Reachability Status conformance report\n\n**NOT CONFORMANT**: {passed} passed, {FAILING_COUNT} failed, 0 skipped ({total} scenarios)\n")));
    assert!(md.contains(
        "| Profile | camara-v1.0 |\n| API | device-reachability-status |\n| API version | 1.0.0 |\n\
         | Release | CAMARA DeviceStatus r1.x |\n"
    ));
    assert_eq!(
        md.matches("\n| failed | `reachability_v1_").count(),
        FAILING_COUNT
    );
    assert_eq!(md.matches("\n| passed | `").count(), passed);
    for id in FAILING_IDS {
        assert!(md.contains(&format!("#### `{id}`")), "{id}");
    }
    assert!(md.contains("<details><summary>HTTP exchange: POST http://127.0.0.1:"));
    assert!(md.contains("> Authorization: Bearer [REDACTED]\n"));
}

/// A run whose texts came from a hostile target: markup in the reason, exchange and title.
fn hostile_run() -> RunResult {
    let scenario = ScenarioResult {
        feature: "F <b>".into(),
        feature_source: "x.feature".into(),
        feature_line: 1,
        name: "title <img src=x onerror=alert(1)> | cell".into(),
        id: Some("hostile_1".into()),
        sources: Vec::new(),
        advisory: None,
        tags: vec!["hostile_1".into(), "known_deviation".into()],
        line: 3,
        status: Status::Failed,
        failed_step: Some("Then the response status code is 200".into()),
        reason: Some("expected status 200\n  actual: <script>alert('x')</script>".into()),
        exchange: Some(
            "> GET http://h/\n\n< HTTP 500 (1 ms)\n<\n</pre><script>alert(1)</script>\n```\n"
                .into(),
        ),
        steps: vec![StepOutcome {
            keyword: "Then ".into(),
            text: "the response status code is 200".into(),
            line: 4,
            status: Status::Failed,
            error: Some("expected status 200".into()),
            duration: Duration::from_millis(1),
        }],
        exchanges: Vec::new(),
        requests_sent: 1,
        duration: Duration::from_millis(1),
    };
    RunResult {
        target: "t".into(),
        url: "http://h/".into(),
        profile: "camara-v1.0"
            .parse::<reachability_harness::Profile>()
            .unwrap(),
        spec_source: "s".into(),
        plan_defects: Vec::new(),
        leftovers: Vec::new(),
        scenarios: vec![scenario],
        duration: Duration::from_millis(1),
    }
}

#[test]
fn text_from_the_target_is_escaped() {
    let runs = vec![hostile_run()];
    let html = document::render(DocFormat::Html, &runs, chrono::Utc::now());
    assert_self_contained(&html);
    assert!(html.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("actual: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("title &lt;img src=x onerror=alert(1)&gt; | cell"));
    // The known deviation is listed in its own section.
    assert!(html.contains("<li><span class=\"badge failed\">failed</span> <code>hostile_1</code>"));
    let md = document::render(DocFormat::Markdown, &runs, chrono::Utc::now());
    let prose = outside_fences(&md);
    assert!(
        !prose.contains("<img") && !prose.contains("<script"),
        "{prose}"
    );
    assert!(md.contains("| failed | `hostile_1` (known deviation) | title &lt;img src=x onerror=alert(1)&gt; \\| cell |"));
    // The exchange's own ``` cannot close its fence.
    assert!(md.contains("````text\n> GET http://h/"), "{md}");
}

/// The Markdown outside code fences (where HTML would be live).
fn outside_fences(md: &str) -> String {
    let mut fence: Option<&str> = None;
    let mut out = String::new();
    for line in md.lines() {
        let ticks = &line[..line.len() - line.trim_start_matches('`').len()];
        match fence {
            None if ticks.len() >= 3 => fence = Some(ticks),
            Some(open) if line.trim_end() == open => fence = None,
            None => {
                out.push_str(line);
                out.push('\n');
            }
            Some(_) => {}
        }
    }
    out
}

#[test]
fn the_reporter_masks_every_file_even_for_a_secret_learned_after_the_run() {
    const SECRET: &str = "tok-9f3a61c2e8b447d0";
    let mut run = hostile_run();
    run.scenarios[0].name = format!("answers {SECRET}");
    run.scenarios[0].reason = Some(format!("the target answered {SECRET}"));
    run.scenarios[0].steps[0].error = Some(format!("got {SECRET}"));
    run.scenarios[0].exchanges = vec![serde_json::json!({ "token": SECRET })];
    let dir = output_dir("report_outputs/reporter");
    let redactor = Redactor::new();
    let reporter = Reporter::new(redactor.clone()).outputs(&all_outputs(&dir));
    reporter.report(Event::RunFinished(&run));
    // A later run of the same invocation learns the secret.
    redactor.add(SECRET);

    let written = reporter.finish().unwrap();

    let kinds: Vec<&str> = written
        .iter()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "JUnit XML",
            "Cucumber JSON",
            "report",
            "report",
            "exchanges"
        ]
    );
    let files = files_under(&dir);
    assert_eq!(files.len(), 5, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains(SECRET),
            "{} holds the secret",
            file.display()
        );
        assert!(
            text.contains("[REDACTED]"),
            "{} lost the scenario",
            file.display()
        );
    }
}

#[test]
fn a_silent_reporter_writes_nothing() {
    let reporter = Reporter::default();
    reporter.report(Event::RunFinished(&hostile_run()));
    assert_eq!(reporter.finish().unwrap(), Vec::<String>::new());
}

#[test]
fn record_writes_one_json_file_per_scenario() {
    let runs = redacted(&failing_run().runs);
    let dir = output_dir("report_outputs/record");
    let files = record::write(&dir, &runs, &Redactor::new()).unwrap();
    assert_eq!(files.len(), runs[0].scenarios.len());
    let names: BTreeSet<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        runs[0].scenarios.len(),
        "file names are unique"
    );
    assert!(
        names.contains("reachability_v1_01_connected_sms_only-L24.json"),
        "{names:?}"
    );
    assert!(
        files
            .iter()
            .all(|f| f.parent().unwrap() == dir.join("camara-v1.0"))
    );
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(
            dir.join("camara-v1.0/reachability_v1_01_connected_sms_only-L24.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(doc["profile"], "camara-v1.0");
    assert_eq!(
        doc["scenario"]["id"],
        "reachability_v1_01_connected_sms_only"
    );
    assert_eq!(doc["scenario"]["status"], "failed");
    let exchanges = doc["exchanges"].as_array().unwrap();
    assert!(!exchanges.is_empty());
    let api = exchanges.last().unwrap();
    assert_eq!(api["request"]["method"], "POST");
    assert_eq!(api["response"]["status"], 200);
    assert!(api["elapsed_ms"].is_u64() && api["started_at"].is_string());
    let headers = api["request"]["headers"].as_array().unwrap();
    assert!(
        headers.contains(&serde_json::json!(["Authorization", "Bearer [REDACTED]"])),
        "{headers:?}"
    );
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn all_outputs(dir: &Path) -> OutputArgs {
    OutputArgs {
        junit: Some(dir.join("junit.xml")),
        cucumber_json: Some(dir.join("cucumber.json")),
        reports: vec![
            ReportFile::parse(&dir.join("report.html").to_string_lossy()).unwrap(),
            ReportFile::parse(&dir.join("report.md").to_string_lossy()).unwrap(),
        ],
        record: Some(dir.join("exchanges")),
    }
}

#[test]
fn no_output_holds_a_secret() {
    let fixture = failing_run();
    let dir = output_dir("report_outputs/secrets");
    let written = fixture.write(&all_outputs(&dir)).unwrap();
    assert_eq!(written.len(), 5);
    // A credential after an auth scheme: token68 characters (a masked one starts with '[').
    let credential = Regex::new(r"(?i)\b(?:bearer|basic)\s+([A-Za-z0-9._~+/-]+=*)(.?)").unwrap();
    let files = files_under(&dir);
    let scenarios: usize = fixture.runs.iter().map(|r| r.scenarios.len()).sum();
    assert_eq!(files.len(), 4 + scenarios);
    assert_eq!(fixture.secrets.len(), 2, "client secret and expired token");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for secret in &fixture.secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{} holds a secret",
                file.display()
            );
        }
        // Tokens the run obtained are known to its redactor only: nothing is left to mask.
        assert_eq!(
            fixture.redactor.redact(&text),
            text,
            "{} holds a secret",
            file.display()
        );
        for found in credential.captures_iter(&text) {
            // `Bearer realm="..."` (a challenge's auth-param) is no credential.
            let auth_param = found[1].ends_with('=') && !found[2].trim().is_empty();
            assert!(auth_param, "{} holds {:?}", file.display(), &found[0]);
        }
    }
}

#[test]
fn several_profiles_share_every_output() {
    let fixture = both_profiles();
    let dir = output_dir("report_outputs/both");
    fixture.write(&all_outputs(&dir)).unwrap();

    let xml = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let report = Report::deserialize_from_str(&xml).unwrap();
    let suites: Vec<(&str, usize)> = report
        .test_suites
        .iter()
        .map(|s| (s.name.as_str(), s.test_cases.len()))
        .collect();
    let expected: Vec<(&str, usize)> = fixture
        .runs
        .iter()
        .map(|r| (r.profile.name(), r.scenarios.len()))
        .collect();
    assert_eq!(suites, expected);
    let totals = Totals::of(&fixture.runs);
    assert_eq!(report.tests, expected.iter().map(|(_, n)| n).sum::<usize>());
    assert_eq!(report.failures, totals.failed);

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cucumber.json")).unwrap()).unwrap();
    let uris: BTreeSet<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["uri"].as_str().unwrap())
        .collect();
    let sources: BTreeSet<&str> = fixture
        .runs
        .iter()
        .flat_map(|r| r.scenarios.iter().map(|s| s.feature_source.as_str()))
        .collect();
    assert!(
        sources
            .iter()
            .any(|s| s.starts_with("features/orange-lab-v0/"))
    );
    assert_eq!(uris, sources);

    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let verdict = Conclusion::overall(&fixture.runs).name();
    assert!(html.contains(&format!(
        "<title>Device Reachability Status conformance report - {verdict}</title>"
    )));
    let passed = format!("<div class=\"passed\"><b>{}</b>passed</div>", totals.passed);
    // Overall, then per profile.
    assert_eq!(html.matches("<div class=\"totals\">").count(), 3);
    assert!(html.contains(&passed));
    assert!(
        html.contains("<section id=\"camara-v1.0\">")
            && html.contains("<section id=\"orange-lab-v0\">")
    );
    assert!(html.contains("<dt>Profiles</dt><dd>camara-v1.0, orange-lab-v0</dd>"));
    assert!(html.contains(
        "<li><span class=\"badge passed\">passed</span> <code>reachability_v0_12_unmanaged_number</code> \
         A number the lab does not manage gets the documented 500</li>"
    ));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains(&format!(
        "**{verdict}**: {} passed, {} failed, 0 skipped ({} scenarios)",
        totals.passed,
        totals.failed,
        expected.iter().map(|(_, n)| n).sum::<usize>()
    )));
    for run in &fixture.runs {
        let heading = format!(
            "## {}: {}\n\n{} passed, {} failed, 0 skipped ({} scenarios)",
            run.profile,
            run.conclusion().name(),
            run.count(Status::Passed),
            run.count(Status::Failed),
            run.scenarios.len()
        );
        assert!(md.contains(&heading), "{heading}");
    }
    assert!(md.contains("- **passed** `reachability_v0_12_unmanaged_number`: A number the lab does not manage gets the documented 500"));

    let count = |profile: &str| {
        std::fs::read_dir(dir.join("exchanges").join(profile))
            .unwrap()
            .count()
    };
    let expected: Vec<usize> = fixture.runs.iter().map(|r| r.scenarios.len()).collect();
    assert_eq!(vec![count("camara-v1.0"), count("orange-lab-v0")], expected);
}
