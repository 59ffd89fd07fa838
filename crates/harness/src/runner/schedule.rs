//! The order scenarios run in, and which of them a request budget leaves out.
//!
//! Unpaced and without a budget, the suite runs in file order. With `requests_per_second`
//! set (every request costs time) or a request budget (every request costs budget), the
//! cheapest scenarios that can fail come first: fewest requests first, advisory ones
//! (which cannot fail) after the others. A budget then runs scenarios in that order while
//! their planned requests fit; the rest are not run and are reported as errored.

use cucumber::gherkin;

use super::{Selected, plan, provenance, scenario_tags};
use crate::negative::GenerationSettings;
use crate::target_file::Target;

/// The features handed to cucumber, and the scenarios left out by the budget.
pub(super) struct Schedule<'s> {
    /// What to run, in order.
    pub features: Vec<gherkin::Feature>,
    /// The scenarios the budget left out, in the order they would have run.
    pub not_run: Vec<Selected<'s>>,
}

/// The schedule of `selected` against `target`: reordered when the target is paced or a
/// `budget` of requests is given.
pub(super) fn schedule<'s>(
    all: &[gherkin::Feature],
    selected: Vec<Selected<'s>>,
    target: &Target,
    generation: &GenerationSettings,
    budget: Option<usize>,
) -> Schedule<'s> {
    if target.http.requests_per_second == 0 && budget.is_none() {
        return Schedule {
            features: in_file_order(all, &selected),
            not_run: Vec::new(),
        };
    }
    let mut costed: Vec<(bool, usize, Selected<'s>)> = selected
        .into_iter()
        .map(|(feature, rule, scenario)| {
            let tags = scenario_tags(feature, rule, scenario);
            let advisory = provenance::advisory(scenario, &tags).is_some();
            let requests = plan::requests(feature, rule, scenario, target, generation);
            (advisory, requests, (feature, rule, scenario))
        })
        .collect();
    costed.sort_by_key(|(advisory, requests, _)| (*advisory, *requests));
    let mut spent = 0;
    let mut features = Vec::new();
    let mut not_run = Vec::new();
    for (_, requests, picked) in costed {
        if budget.is_some_and(|budget| !not_run.is_empty() || spent + requests > budget) {
            not_run.push(picked);
            continue;
        }
        spent += requests;
        features.push(alone(picked));
    }
    Schedule { features, not_run }
}

/// Copies of the features of `all` that hold a scenario of `selected`, each holding only
/// those (in their rules, if any), in file order: the other profiles' features are not
/// copied for every run.
fn in_file_order(all: &[gherkin::Feature], selected: &[Selected<'_>]) -> Vec<gherkin::Feature> {
    let chosen = |scenarios: &[gherkin::Scenario]| -> Vec<gherkin::Scenario> {
        scenarios
            .iter()
            .filter(|scenario| selected.iter().any(|(_, _, s)| std::ptr::eq(*s, *scenario)))
            .cloned()
            .collect()
    };
    all.iter()
        .filter(|feature| selected.iter().any(|(f, _, _)| std::ptr::eq(*f, *feature)))
        .map(|feature| gherkin::Feature {
            scenarios: chosen(&feature.scenarios),
            rules: feature
                .rules
                .iter()
                .map(|rule| gherkin::Rule {
                    scenarios: chosen(&rule.scenarios),
                    ..empty_rule(rule)
                })
                .filter(|rule| !rule.scenarios.is_empty())
                .collect(),
            ..empty_feature(feature)
        })
        .collect()
}

/// A copy of the scenario's feature holding only that scenario (in its rule, if any), so
/// that features can be ordered scenario by scenario.
fn alone((feature, rule, scenario): Selected<'_>) -> gherkin::Feature {
    let mut copy = empty_feature(feature);
    match rule {
        Some(rule) => copy.rules.push(gherkin::Rule {
            scenarios: vec![scenario.clone()],
            ..empty_rule(rule)
        }),
        None => copy.scenarios.push(scenario.clone()),
    }
    copy
}

/// A copy of `feature` without its scenarios and rules (cloning them to drop them costs).
fn empty_feature(feature: &gherkin::Feature) -> gherkin::Feature {
    gherkin::Feature {
        keyword: feature.keyword.clone(),
        name: feature.name.clone(),
        description: feature.description.clone(),
        background: feature.background.clone(),
        scenarios: Vec::new(),
        rules: Vec::new(),
        tags: feature.tags.clone(),
        span: feature.span,
        position: feature.position,
        path: feature.path.clone(),
    }
}

/// A copy of `rule` without its scenarios.
fn empty_rule(rule: &gherkin::Rule) -> gherkin::Rule {
    gherkin::Rule {
        keyword: rule.keyword.clone(),
        name: rule.name.clone(),
        description: rule.description.clone(),
        background: rule.background.clone(),
        scenarios: Vec::new(),
        tags: rule.tags.clone(),
        span: rule.span,
        position: rule.position,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{Suite, selected};

    /// Titles and lines of the scenarios of `features`, rules included, in order.
    fn scenarios(features: &[gherkin::Feature]) -> Vec<(String, usize)> {
        features
            .iter()
            .flat_map(|f| {
                f.scenarios
                    .iter()
                    .chain(f.rules.iter().flat_map(|r| &r.scenarios))
                    .map(|s| (s.name.clone(), s.position.line))
            })
            .collect()
    }

    #[test]
    fn unpaced_runs_copy_only_the_selected_scenarios_in_file_order() {
        let suite = Suite::embedded().unwrap();
        for profile in crate::Profile::all().iter().copied() {
            let picked: Vec<Selected<'_>> = selected(&suite, profile, None)
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(_, s)| s)
                .collect();
            let copied = in_file_order(suite.features(), &picked);
            let expected: Vec<(String, usize)> = picked
                .iter()
                .map(|(_, _, s)| (s.name.clone(), s.position.line))
                .collect();
            assert_eq!(scenarios(&copied), expected, "{profile}");
            assert!(
                copied
                    .iter()
                    .all(|f| !f.scenarios.is_empty()
                        || f.rules.iter().any(|r| !r.scenarios.is_empty())),
                "{profile}: a feature without a selected scenario"
            );
            assert!(
                copied
                    .iter()
                    .all(|f| f.rules.iter().all(|r| !r.scenarios.is_empty()))
            );
        }
    }
}
