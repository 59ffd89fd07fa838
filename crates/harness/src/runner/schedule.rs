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
            features: all.to_vec(),
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

/// A copy of the scenario's feature holding only that scenario (in its rule, if any), so
/// that features can be ordered scenario by scenario.
fn alone((feature, rule, scenario): Selected<'_>) -> gherkin::Feature {
    let mut copy = gherkin::Feature {
        scenarios: Vec::new(),
        rules: Vec::new(),
        ..feature.clone()
    };
    match rule {
        Some(rule) => copy.rules.push(gherkin::Rule {
            scenarios: vec![scenario.clone()],
            ..rule.clone()
        }),
        None => copy.scenarios.push(scenario.clone()),
    }
    copy
}
