//! `run`'s output flags as a user meets them: the real binary, the CI examples' command lines,
//! `--tags`, `--fail-on-skip` / `--strict`, and a report name with an unknown extension.

use crate::report_support;
use reachability_harness::Api;

use reachability_harness::runner::Suite;
use std::path::Path;
use std::process::{Command, Output};

use quick_junit::{Report, TestCaseStatus};
use serde_yaml_ng::Value;

use reachability_conformance::cli;
use report_support::output_dir;

const BIN: &str = env!("CARGO_BIN_EXE_reachability-conformance");

const SMS_ONLY: &str = "reachability_v1_01_connected_sms_only";
const DATA_ONLY: &str = "reachability_v1_02_connected_data_only";

/// Runs the binary with `args` (stdout piped, outside CI) and the extra environment `env`.
fn harness(args: &[&str], env: &[(String, String)]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("CI")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("the harness binary runs")
}

/// The test cases of a JUnit file: name and status.
fn junit_cases(path: &Path) -> Vec<(String, TestCaseStatus)> {
    let xml = std::fs::read_to_string(path).expect("the JUnit file was written");
    let report = Report::deserialize_from_str(&xml).expect("the JUnit XML parses");
    report
        .test_suites
        .into_iter()
        .flat_map(|s| s.test_cases)
        .map(|c| (c.name.as_str().to_owned(), c.status))
        .collect()
}

/// The skip or failure message of a test case.
fn message(status: &TestCaseStatus) -> Option<&str> {
    match status {
        TestCaseStatus::Success { .. } => None,
        TestCaseStatus::NonSuccess { message, .. } | TestCaseStatus::Skipped { message, .. } => {
            message.as_ref().map(|m| m.as_str())
        }
    }
}

#[test]
fn a_report_with_an_unknown_extension_is_a_usage_error() {
    let out = harness(&["run", "--report", "conformance.pdf"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "cannot tell the report format of \"conformance.pdf\": name the file *.html \
             (a page for browsers) or *.md (Markdown)"
        ),
        "{stderr}"
    );
}

#[test]
fn tag_expressions_select_the_scenarios_written() {
    let dir = output_dir("report_cli/tags");
    let junit = dir.join("junit.xml");
    let expr = format!("@{SMS_ONLY} or @{DATA_ONLY}");
    let out = harness(
        &[
            "run",
            "--profile",
            "camara-v1",
            "--tags",
            &expr,
            "--junit",
            junit.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let names: Vec<String> = junit_cases(&junit).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        vec![
            format!(
                "{SMS_ONLY}: A device connected for SMS only is reachable by SMS and not by DATA"
            ),
            format!(
                "{DATA_ONLY}: A device connected for DATA only is reachable by DATA and not by SMS"
            ),
        ]
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\x1b'),
        "piped output has no colours: {stdout}"
    );
    assert!(stdout.contains(&format!("wrote JUnit XML:     {}", junit.display())));

    let out = harness(
        &[
            "run",
            "--profile",
            "camara-v1.0",
            "--tags",
            "not @reachability_v1_20_malformed_phone_number",
            "--junit",
            junit.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    // Every camara-v1.0 scenario but the 8 rows of the outline.
    let all = Suite::embedded().unwrap();
    let v1_0 = "camara-v1.0".parse().unwrap();
    let camara = all
        .features()
        .iter()
        .flat_map(|f| f.scenarios.iter().map(move |s| (f, s)))
        .filter(|(f, s)| {
            let tags: Vec<String> = f.tags.iter().chain(&s.tags).cloned().collect();
            reachability_harness::runner::applies_to(v1_0, &tags)
        })
        .count();
    assert_eq!(junit_cases(&junit).len(), camara - 8);
}

#[tokio::test(flavor = "multi_thread")]
async fn fail_on_skip_turns_a_missing_asset_into_a_failure() {
    // A target file for a running mock, without the SMS-only testing device.
    let mock = reachability_conformance::embedded::start_embedded_mock(
        Api::CamaraV1.current(),
        &[],
        0,
        None,
    )
    .await
    .expect("embedded mock starts");
    let toml: String = mock
        .server
        .target_toml()
        .lines()
        .filter(|l| !l.starts_with("sms ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let secrets = mock.server.secret_env();
    let dir = output_dir("report_cli/fail_on_skip");
    let target = dir.join("target.toml");
    std::fs::write(&target, toml).unwrap();
    let junit = dir.join("junit.xml");
    let expr = format!("@{SMS_ONLY} or @{DATA_ONLY}");
    let run = move |extra: Option<&'static str>| {
        let (target, junit, expr, secrets) =
            (target.clone(), junit.clone(), expr.clone(), secrets.clone());
        tokio::task::spawn_blocking(move || {
            let mut args = vec![
                "run",
                "--target",
                target.to_str().unwrap(),
                "--tags",
                &expr,
                "--junit",
                junit.to_str().unwrap(),
            ];
            args.extend(extra);
            let out = harness(&args, &secrets);
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            for (_, secret) in &secrets {
                assert!(!stdout.contains(secret.as_str()), "stdout holds a secret");
            }
            (out.status.code(), junit_cases(&junit))
        })
    };
    let skip_reason = "testing asset `devices.sms` is not configured in the target file";

    let (code, cases) = run(None).await.unwrap();
    assert_eq!(code, Some(0));
    assert!(
        matches!(cases[0].1, TestCaseStatus::Skipped { .. }),
        "{cases:?}"
    );
    assert_eq!(message(&cases[0].1), Some(skip_reason));
    assert!(matches!(cases[1].1, TestCaseStatus::Success { .. }));

    for flag in ["--fail-on-skip", "--strict"] {
        let (code, cases) = run(Some(flag)).await.unwrap();
        assert_eq!(code, Some(1), "{flag}");
        assert!(
            matches!(cases[0].1, TestCaseStatus::NonSuccess { .. }),
            "{flag}: {cases:?}"
        );
        assert_eq!(
            message(&cases[0].1),
            Some(
                format!(
                    "Given the device is connected with sms and supported by the service: \
                     {skip_reason} (a skip counts as a failure with --strict)"
                )
                .as_str()
            )
        );
        assert!(matches!(cases[1].1, TestCaseStatus::Success { .. }));
    }
    mock.server.shutdown().await;
}

/// Every script line of a CI file: GitHub's `run` values and GitLab's `script` lists.
fn script_lines(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, value) in map {
                let key = key.as_str().unwrap_or_default();
                let is_script = ["run", "script", "before_script", "after_script"].contains(&key);
                match value {
                    Value::String(text) if is_script => out.push(text.clone()),
                    Value::Sequence(items) if is_script => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_owned)))
                    }
                    other => script_lines(other, out),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|i| script_lines(i, out)),
        _ => {}
    }
}

/// Shell words of one command line (quotes removed), up to the first shell operator.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => word.extend(chars.next()),
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (None, '&' | ';' | '|' | '>' | '<' | '#') if word.is_empty() => break,
            (None, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The harness command lines of a CI file, as argument vectors.
fn harness_commands(file: &str) -> Vec<Vec<String>> {
    let path = crate::cli_support::root().join("examples/ci").join(file);
    let text = std::fs::read_to_string(&path).expect("the CI example exists");
    let yaml: Value = serde_yaml_ng::from_str(&text).expect("the CI example is valid YAML");
    let mut scripts = Vec::new();
    script_lines(&yaml, &mut scripts);
    scripts
        .iter()
        .flat_map(|s| {
            s.replace("\\\n", " ")
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter_map(|line| {
            let words = words(&line);
            let at = words
                .iter()
                .position(|w| w.rsplit('/').next() == Some("reachability-conformance"))?;
            Some(words[at..].to_vec())
        })
        .collect()
}

fn assert_commands_parse(file: &str) {
    let commands = harness_commands(file);
    let subcommands: Vec<&str> = commands.iter().map(|c| c[1].as_str()).collect();
    assert_eq!(subcommands, ["mock", "run"], "{file}: {commands:?}");
    for argv in &commands {
        if let Err(e) = cli::command().try_get_matches_from(argv) {
            panic!("{file}: {argv:?} does not parse:\n{e}");
        }
    }
    let run = &commands[1];
    for flag in ["--junit", "--report", "--target"] {
        assert!(run.iter().any(|w| w == flag), "{file}: run without {flag}");
    }
}

#[test]
fn github_actions_example_runs_real_command_lines() {
    assert_commands_parse("github-actions.yml");
}

#[test]
fn gitlab_ci_example_runs_real_command_lines() {
    assert_commands_parse("gitlab-ci.yml");
}

#[test]
fn the_command_line_check_rejects_a_wrong_flag() {
    let argv = ["reachability-conformance", "run", "--junit-xml", "x.xml"];
    assert!(cli::command().try_get_matches_from(argv).is_err());
    assert_eq!(
        words("./x run --a 'b c' > out &"),
        ["./x", "run", "--a", "b c"]
    );
}
