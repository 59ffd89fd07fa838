//! Exact names for the scenarios of a profile.
//!
//! A scenario is named by its id tag. The rows of an outline share their id, so each row is
//! named `id[row]`, where `row` is the example value its title ends with in parentheses
//! (`reachability_v1_20_malformed_phone_number[missing plus]`), or `line N` for a title
//! without one. Written compactly, a bare id stands for all the scenarios that carry it.

use std::collections::{BTreeMap, BTreeSet};

use crate::report::{RunResult, ScenarioResult, Status};

/// The scenarios of one profile, each with its exact label, in feature order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels {
    /// (id, label) per scenario; the label equals the id when the id is not shared.
    entries: Vec<(String, String)>,
}

impl Labels {
    /// The labels of every scenario of `result`.
    pub fn of(result: &RunResult) -> Labels {
        let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &result.scenarios {
            *uses.entry(s.label()).or_default() += 1;
        }
        let entries = result
            .scenarios
            .iter()
            .map(|s| {
                let id = s.label().to_owned();
                let label = if uses.get(s.label()).copied().unwrap_or(0) > 1 {
                    format!("{id}[{}]", row(s))
                } else {
                    id.clone()
                };
                (id, label)
            })
            .collect();
        Labels { entries }
    }

    /// The labels of the scenarios of `result` (the run they were made from) whose status
    /// is not `Passed`.
    pub fn not_passed(&self, result: &RunResult) -> BTreeSet<String> {
        self.not_passed_where(result, |_| true)
    }

    /// The labels of the scenarios of `result` whose status is not `Passed` and that
    /// `counts` keeps.
    pub fn not_passed_where(
        &self,
        result: &RunResult,
        counts: impl Fn(&ScenarioResult) -> bool,
    ) -> BTreeSet<String> {
        self.entries
            .iter()
            .zip(&result.scenarios)
            .filter(|(_, s)| s.status != Status::Passed && counts(s))
            .map(|((_, label), _)| label.clone())
            .collect()
    }

    /// Every label, in feature order.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(_, label)| label.as_str())
    }

    /// Labels that name more than one scenario (there should be none).
    pub fn duplicates(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.all()
            .filter(|label| !seen.insert(*label))
            .map(str::to_owned)
            .collect()
    }

    /// The labels a compact entry stands for: every scenario of a bare id, or one label.
    /// Empty when the entry names no scenario of this profile.
    pub fn expand(&self, entry: &str) -> Vec<String> {
        self.entries
            .iter()
            .filter(|(id, label)| id == entry || label == entry)
            .map(|(_, label)| label.clone())
            .collect()
    }

    /// `labels` written compactly, ordered by id (outline rows in feature order): an id
    /// whose scenarios are all in `labels` is written once, bare.
    pub fn compact(&self, labels: &BTreeSet<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (id, label) in &self.entries {
            if !labels.contains(label) {
                continue;
            }
            let whole_id = self
                .entries
                .iter()
                .filter(|(other, _)| other == id)
                .all(|(_, l)| labels.contains(l));
            let written = if whole_id { id } else { label };
            if out.last() != Some(written) {
                out.push(written.clone());
            }
        }
        out.sort_by(|a, b| id_part(a).cmp(id_part(b)));
        out
    }
}

/// The id a label or compact entry starts with.
fn id_part(written: &str) -> &str {
    written.split('[').next().unwrap_or(written)
}

/// What tells the rows of an outline apart: the title's last parenthesised part.
fn row(scenario: &ScenarioResult) -> String {
    scenario
        .name
        .strip_suffix(')')
        .and_then(|title| title.rfind('(').map(|open| title[open + 1..].to_owned()))
        .unwrap_or_else(|| format!("line {}", scenario.line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reachability_harness::Api;
    use std::time::Duration;

    fn scenario(id: &str, name: &str, line: usize) -> ScenarioResult {
        ScenarioResult {
            feature: "f".into(),
            feature_source: "f.feature".into(),
            feature_line: 1,
            name: name.into(),
            id: Some(id.into()),
            sources: Vec::new(),
            advisory: None,
            tags: vec![id.into()],
            line,
            status: Status::Passed,
            failed_step: None,
            reason: None,
            exchange: None,
            steps: Vec::new(),
            exchanges: Vec::new(),
            requests_sent: 0,
            duration: Duration::ZERO,
        }
    }

    fn run() -> RunResult {
        RunResult {
            target: "t".into(),
            url: "u".into(),
            profile: Api::CamaraV1.current(),
            spec_source: "s".into(),
            plan_defects: Vec::new(),
            leftovers: Vec::new(),
            scenarios: vec![
                scenario("b_02", "Outline (x)", 10),
                scenario("b_02", "Outline (y)", 11),
                scenario("c_03", "No row", 20),
                scenario("c_03", "No row", 21),
                scenario("a_01", "Single", 3),
            ],
            duration: Duration::ZERO,
        }
    }

    #[test]
    fn outline_rows_get_their_example_or_line() {
        let labels = Labels::of(&run());
        let all: Vec<&str> = labels.all().collect();
        assert_eq!(
            all,
            [
                "b_02[x]",
                "b_02[y]",
                "c_03[line 20]",
                "c_03[line 21]",
                "a_01"
            ]
        );
        assert!(labels.duplicates().is_empty());
        let mut result = run();
        result.scenarios[1].status = Status::Failed;
        result.scenarios[2].status = Status::Skipped;
        let not_passed: Vec<String> = labels.not_passed(&result).into_iter().collect();
        assert_eq!(not_passed, ["b_02[y]", "c_03[line 20]"]);
    }

    #[test]
    fn compact_entries_expand_back() {
        let labels = Labels::of(&run());
        let set: BTreeSet<String> = ["a_01", "b_02[x]", "b_02[y]", "c_03[line 21]"]
            .map(String::from)
            .into();
        let compact = labels.compact(&set);
        assert_eq!(compact, ["a_01", "b_02", "c_03[line 21]"]);
        let expanded: BTreeSet<String> = compact.iter().flat_map(|e| labels.expand(e)).collect();
        assert_eq!(expanded, set);
        assert!(labels.expand("zz_99").is_empty());
    }
}
