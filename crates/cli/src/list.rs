//! The `list` command's output: every scenario a run would execute, and what would stop it.

use std::fmt::Write as _;

use crate::negative::Depth;
use crate::runner::{self, PlannedScenario};
use crate::target_file::Target;

/// The `list` output: every scenario a run would execute, with what would stop it and the
/// requests it sends at `depth`.
pub fn render(target: &Target, planned: &[PlannedScenario], depth: Depth) -> String {
    let mut out = format!("== {} ({}) ==\n", target.origin, target.profile);
    let mut skipped = 0;
    let mut unbound = 0;
    for s in planned {
        let label = s.id.as_deref().unwrap_or(&s.name);
        let _ = writeln!(
            out,
            "{label}  [{}]",
            s.tags
                .iter()
                .map(|t| format!("@{t}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let _ = writeln!(out, "    {} ({}:{})", s.name, s.feature_source, s.line);
        let _ = writeln!(out, "    requests: {}", s.requests);
        if !s.sources.is_empty() {
            let _ = writeln!(out, "    required by: {}", s.sources.join("; "));
        }
        if let Some(why) = &s.advisory {
            let _ = writeln!(out, "    advisory: {why}");
        }
        for defect in &s.defects {
            let _ = writeln!(
                out,
                "    PLAN DEFECT ({}): {defect}",
                defect.effect.consequence()
            );
        }
        if !s.missing.is_empty() {
            skipped += 1;
            let _ = writeln!(
                out,
                "    would be skipped: missing {}",
                s.missing.join(", ")
            );
        }
        for step in &s.unbound {
            unbound += 1;
            let _ = writeln!(out, "    UNBOUND STEP (could not test): {step}");
        }
        for requirement in &s.covers {
            let _ = writeln!(out, "    covers: {requirement}");
        }
    }
    let uncovered = runner::uncovered(target.profile, planned);
    if uncovered.is_empty() {
        let _ = writeln!(
            out,
            "every requirement of the {} contract has a case",
            target.profile
        );
    }
    for requirement in &uncovered {
        let _ = writeln!(
            out,
            "NO CASE for a requirement of the contract: {} ({})",
            requirement.id, requirement.source
        );
    }
    let _ = writeln!(
        out,
        "{} requests at depth {depth} (plus the run's shared token, discovery and CIBA requests)",
        planned.iter().map(|s| s.requests).sum::<usize>()
    );
    let _ = writeln!(
        out,
        "{} scenarios; {skipped} would be skipped; {unbound} unbound steps\n",
        planned.len()
    );
    out
}
