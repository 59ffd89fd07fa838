//! The `list` command's output: every scenario a run would execute, and what would stop it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::negative::Depth;
use crate::runner::{self, PlannedScenario};
use crate::target_file::Target;

/// The `list` output: every scenario a run would execute, with what would stop it and the
/// requests it sends at `depth`.
pub fn render(target: &Target, planned: &[PlannedScenario], depth: Depth) -> String {
    let mut out = format!(
        "== {} ==\nprofile: {}\n",
        target.origin,
        target.profile.title()
    );
    let mut skipped = 0;
    let mut unbound = 0;
    let mut not_applicable = 0;
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
        if let Some(why) = &s.not_applicable {
            not_applicable += 1;
            let _ = writeln!(out, "    {why}");
            continue;
        }
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
        for step in &s.aliased {
            let _ = writeln!(out, "    alias {}: {}", step.alias, step.step);
        }
        for step in &s.unbound {
            unbound += 1;
            let _ = writeln!(out, "    UNBOUND STEP (could not test): {}", step.step);
            let _ = writeln!(out, "      {}", step.problem);
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
        "{} requests at depth {depth} at most, as scenarios that send the same request share one exchange (plus the run's shared token, discovery and CIBA requests)",
        planned.iter().map(|s| s.requests).sum::<usize>()
    );
    let _ = writeln!(
        out,
        "{} scenarios; {skipped} would be skipped; {unbound} unbound steps",
        planned.len() - not_applicable
    );
    if not_applicable > 0 {
        let _ = writeln!(
            out,
            "{not_applicable} scenarios not applicable to this target (not run, not counted)"
        );
    }
    out.push_str(&unbound_table(planned));
    out.push('\n');
    out
}

/// The unbound sentences, most frequent first, with how many steps write each.
fn unbound_table(planned: &[PlannedScenario]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for step in planned.iter().flat_map(|s| &s.unbound) {
        *counts.entry(step.sentence.as_str()).or_default() += 1;
    }
    if counts.is_empty() {
        return String::new();
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.1));
    let mut table = String::from("unbound sentences:\n  count  sentence\n");
    for (sentence, count) in rows {
        let _ = writeln!(table, "  {count:>5}  {sentence}");
    }
    table
}
