//! The `selftest` report: a Markdown table of the fault matrix, one of the legal
//! variations, then the clean runs, the mutation score, the variations passed, the
//! scenarios no fault makes fail, and any difference from the expectations table.

use std::fmt::Write as _;

use super::{Expectations, Matrix};

/// The whole report; see the module documentation. Without `run_line`, the line that says
/// how long this run took and which seed it drew is left out: the rest depends only on the
/// suite, the mock and the expectations (the page `docs` generates).
pub(super) fn render(matrix: &Matrix, expectations: &Expectations, run_line: bool) -> String {
    let mut out = String::from(
        "| fault | profile | scenarios that caught it | result |\n| --- | --- | --- | --- |\n",
    );
    for trial in &matrix.faulty {
        let Some(fault) = trial.fault else { continue };
        let caught_by = trial.labels.compact(&trial.failed);
        let _ = writeln!(
            out,
            "| {fault} | {} | {} | {} |",
            trial.profile,
            if caught_by.is_empty() {
                "-".to_owned()
            } else {
                caught_by.join(", ")
            },
            if trial.caught() { "caught" } else { "MISSED" }
        );
    }
    if !matrix.varied.is_empty() {
        out.push_str("\n| variation | profile | legal by | result |\n| --- | --- | --- | --- |\n");
    }
    for trial in &matrix.varied {
        let Some(variation) = trial.variation else {
            continue;
        };
        let result = if !trial.passed_required() {
            format!(
                "FALSE ALARM: {}",
                trial.labels.compact(&trial.failed_required).join(", ")
            )
        } else if trial.failed.is_empty() {
            "passed".to_owned()
        } else {
            format!(
                "passed (advisory failed: {})",
                trial.labels.compact(&trial.failed).join(", ")
            )
        };
        let _ = writeln!(
            out,
            "| {variation} | {} | {} | {result} |",
            trial.profile,
            variation.clause()
        );
    }
    out.push('\n');
    for clean in &matrix.clean {
        let total = clean.labels.all().count();
        let passed = total - clean.failed.len();
        let _ = writeln!(
            out,
            "clean mock, {}: {passed} of {total} scenarios passed",
            clean.profile
        );
    }
    let score = matrix.score();
    let _ = writeln!(
        out,
        "mutation score: {}/{} = {:.1}% (faults caught / faults x applicable profiles)",
        score.caught,
        score.total,
        score.percent()
    );
    let passed = matrix.variation_score();
    let _ = writeln!(
        out,
        "variations passed: {}/{} = {:.1}% (legal variations x applicable profiles with no required scenario failed)",
        passed.caught,
        passed.total,
        passed.percent()
    );
    if run_line {
        let _ = writeln!(
            out,
            "{} suites ({} at a time) in {:.1} s; generated cases: {} reproduces them",
            matrix.clean.len() + matrix.faulty.len() + matrix.varied.len(),
            matrix.in_flight,
            matrix.duration.as_secs_f64(),
            matrix.settings.reproduce()
        );
    }
    let never = matrix.never_failed();
    if !never.is_empty() {
        let _ = writeln!(out, "\nscenarios no fault makes fail:");
        for (profile, label) in never {
            let reason = matrix
                .unkillable_reason(expectations, profile, &label)
                .unwrap_or("not listed as unkillable");
            let _ = writeln!(out, "  {label} ({profile}): {reason}");
        }
    }
    let differences = matrix.compare(expectations);
    if !differences.is_empty() {
        let _ = writeln!(out, "\ndifferences from {}:", super::EXPECTATIONS_PATH);
        for difference in differences {
            let _ = writeln!(out, "  {difference}");
        }
    }
    out
}
