//! Plain-text console output: the run header, one line per scenario, the failure details
//! and the closing summary. The reporter masks every text before it is printed.

use std::fmt::Write as _;
use std::time::Duration;

use super::{Conclusion, RunResult, RunStarted, ScenarioResult, Status, Totals, detailed};

/// How many of the slowest scenarios the summary names.
const SLOWEST_SHOWN: usize = 3;

/// What is about to be tested.
pub fn header(run: &RunStarted) -> String {
    format!(
        "== reachability-conformance {} ==\ntarget:  {}\nprofile: {}\nurl:     {}\nschemas: {}\n",
        env!("CARGO_PKG_VERSION"),
        run.target,
        run.profile.title(),
        run.url,
        run.spec_source,
    )
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Passed => "PASS",
        Status::Failed => "FAIL",
        Status::Advisory => "WARN",
        Status::Errored => "ERROR",
        Status::Skipped => "SKIP",
    }
}

/// The mark, in its ANSI colour when `colour` is on (green, red, cyan, magenta, yellow).
fn painted_mark(status: Status, colour: bool) -> String {
    let code = match status {
        Status::Passed => "32",
        Status::Failed => "31",
        Status::Advisory => "36",
        Status::Errored => "35",
        Status::Skipped => "33",
    };
    if colour {
        format!("\x1b[1;{code}m{}\x1b[0m", mark(status))
    } else {
        mark(status).to_owned()
    }
}

fn millis(d: Duration) -> u128 {
    d.as_millis()
}

/// One line for a finished scenario; `colour` paints its mark.
pub fn scenario_line(result: &ScenarioResult, colour: bool) -> String {
    let mut line = format!(
        "{} {} ({} ms){}",
        painted_mark(result.status, colour),
        result.label(),
        millis(result.duration),
        titled(result)
    );
    if let (Status::Skipped, Some(reason)) = (result.status, &result.reason) {
        let _ = write!(line, "\n     {reason}");
    }
    line
}

/// The failures, the scenarios that could not be tested and the failed advisories in detail,
/// the slowest scenarios and the totals.
pub fn summary(result: &RunResult) -> String {
    let mut out = String::new();
    for (title, chosen) in detailed(result) {
        let _ = write!(out, "{}", details(&chosen, title));
    }
    if !result.plan_defects.is_empty() {
        let _ = writeln!(
            out,
            "\n-- Plan defects (the test plan, not the target, is at fault; docs/plan-defects.md) --"
        );
        for defect in &result.plan_defects {
            let _ = writeln!(out, "  {defect}");
        }
    }
    if !result.leftovers.is_empty() {
        let _ = writeln!(
            out,
            "\n-- Left on the target (created by this run, could not be deleted) --"
        );
        for leftover in &result.leftovers {
            let _ = writeln!(out, "  {leftover}");
        }
    }
    let mut slowest: Vec<&ScenarioResult> = result.scenarios.iter().collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.duration));
    if !slowest.is_empty() {
        let _ = writeln!(out, "\nslowest:");
        for s in slowest.iter().take(SLOWEST_SHOWN) {
            // The rows of an outline share id and often title: the line tells them apart.
            let _ = writeln!(
                out,
                "  {:>6} ms  {} ({}:{}){}",
                millis(s.duration),
                s.label(),
                s.feature_source,
                s.line,
                titled(s)
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{} against {} in {:.1} s: {}",
        result.profile.title(),
        result.target,
        result.duration.as_secs_f64(),
        result.conclusion().name()
    );
    let _ = writeln!(out, "{}: {}", result.profile, result.totals().line());
    out
}

/// ` - TITLE` after the id of a scenario that has one, or nothing.
fn titled(result: &ScenarioResult) -> String {
    match result.id {
        Some(_) => format!(" - {}", result.name),
        None => String::new(),
    }
}

/// The `chosen` scenarios (one outcome's group) in detail, under `title`.
fn details(chosen: &[&ScenarioResult], title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n-- {title} --");
    for s in chosen {
        let _ = writeln!(
            out,
            "\n{} {} ({}:{})",
            mark(s.status),
            s.label(),
            s.feature_source,
            s.line
        );
        let _ = writeln!(out, "  scenario: {}", s.name);
        if let Some(required_by) = s.required_by() {
            let _ = writeln!(out, "  {required_by}");
        }
        if let Some(why) = &s.advisory {
            let _ = writeln!(out, "  advisory: {why}");
        }
        if let Some(step) = &s.failed_step {
            let _ = writeln!(out, "  step:     {step}");
        }
        if let Some(reason) = &s.reason {
            let _ = writeln!(out, "  {}", reason.replace('\n', "\n  "));
        }
        if let Some(exchange) = &s.exchange {
            let _ = writeln!(
                out,
                "  exchange:\n    {}",
                exchange.trim_end().replace('\n', "\n    ")
            );
        }
    }
    out
}

/// The closing line over several runs (nothing for a single run: its summary says it all).
pub fn overall(runs: &[RunResult]) -> Option<String> {
    if runs.len() < 2 {
        return None;
    }
    Some(format!(
        "all profiles: {}: {}",
        Totals::of(runs).line(),
        Conclusion::overall(runs).name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;

    fn profile(name: &str) -> Profile {
        name.parse().unwrap()
    }

    #[test]
    fn the_header_names_the_profile_its_api_version_and_release() {
        let run = RunStarted {
            target: "targets/x.toml".into(),
            url: "http://127.0.0.1:9/retrieve".into(),
            profile: profile("camara-v1"),
            spec_source: "built-in".into(),
            scenarios: 1,
            requests: 1,
        };
        assert!(header(&run).contains(
            "\nprofile: camara-v1.1: device-reachability-status 1.1.0 (CAMARA r1.2, 2025-09)\n"
        ));
    }

    #[test]
    fn the_summary_names_the_version_tested() {
        let result = RunResult {
            target: "lab".into(),
            url: "http://127.0.0.1:9/retrieve".into(),
            profile: profile("orange-lab-v0"),
            spec_source: "built-in".into(),
            plan_defects: Vec::new(),
            leftovers: Vec::new(),
            scenarios: Vec::new(),
            duration: Duration::from_millis(1500),
        };
        let summary = summary(&result);
        let line = format!(
            "\norange-lab-v0: device-reachability-status 0 (Orange lab sandbox, Orange Developer) \
             against lab in 1.5 s: {}\n",
            result.conclusion().name()
        );
        assert!(summary.contains(&line), "{summary}");
    }

    #[test]
    fn the_slowest_rows_of_an_outline_are_told_apart_by_their_lines() {
        let row = |line: usize, ms: u64| ScenarioResult {
            feature: "f".into(),
            feature_source: "f.feature".into(),
            feature_line: 1,
            name: "Outline".into(),
            id: Some("s_01_outline".into()),
            sources: Vec::new(),
            advisory: None,
            tags: Vec::new(),
            line,
            status: Status::Passed,
            failed_step: None,
            reason: None,
            exchange: None,
            steps: Vec::new(),
            exchanges: Vec::new(),
            requests_sent: 1,
            duration: Duration::from_millis(ms),
        };
        let result = RunResult {
            target: "lab".into(),
            url: "http://127.0.0.1:9/retrieve".into(),
            profile: profile("camara-v1"),
            spec_source: "built-in".into(),
            plan_defects: Vec::new(),
            leftovers: Vec::new(),
            scenarios: vec![row(12, 40), row(13, 50)],
            duration: Duration::from_millis(60),
        };
        let summary = summary(&result);
        assert!(
            summary.contains(
                "\nslowest:\n      50 ms  s_01_outline (f.feature:13) - Outline\n      40 ms  s_01_outline (f.feature:12) - Outline\n"
            ),
            "{summary}"
        );
    }
}
