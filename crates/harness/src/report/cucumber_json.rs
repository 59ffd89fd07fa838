//! The standard Cucumber JSON format (as cucumber-jvm and cucumber-js write it): an array of
//! features, each with its scenarios ("elements") and their steps and results.

use std::collections::HashSet;

use serde::Serialize;

use super::text::slug;
use super::{RunResult, ScenarioResult, Status, StepOutcome};

/// A feature of one run.
#[derive(Serialize)]
struct Feature<'a> {
    uri: &'a str,
    id: String,
    keyword: &'static str,
    name: &'a str,
    /// What the run tested ([`reachability_contract::Profile::title`]).
    description: String,
    line: usize,
    tags: Vec<Tag>,
    elements: Vec<Element<'a>>,
}

/// A tag, with its '@'.
#[derive(Serialize)]
struct Tag {
    name: String,
}

/// A scenario; its description holds its `Required by:` and `Advisory:` lines.
#[derive(Serialize)]
struct Element<'a> {
    id: String,
    keyword: &'static str,
    name: &'a str,
    description: String,
    line: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    tags: Vec<Tag>,
    steps: Vec<Step<'a>>,
}

/// A step and how it ended.
#[derive(Serialize)]
struct Step<'a> {
    keyword: &'a str,
    name: &'a str,
    line: usize,
    result: StepResult,
}

/// A step's result; `duration` in nanoseconds.
#[derive(Serialize)]
struct StepResult {
    status: &'static str,
    duration: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
}

/// The Cucumber JSON document for `runs` (already redacted): the features of every run, in
/// run order. A feature's id starts with its run's profile, so features run against two
/// profiles stay apart.
pub fn render(runs: &[RunResult]) -> Result<String, String> {
    let features: Vec<Feature> = runs.iter().flat_map(features).collect();
    serde_json::to_string_pretty(&features)
        .map_err(|e| format!("cannot write the Cucumber JSON: {e}"))
}

fn features(run: &RunResult) -> Vec<Feature<'_>> {
    let mut out: Vec<Feature> = Vec::new();
    for scenario in &run.scenarios {
        let position = out.iter().position(|f| f.uri == scenario.feature_source);
        let index = position.unwrap_or_else(|| {
            out.push(Feature {
                uri: &scenario.feature_source,
                id: format!("{};{}", run.profile.name(), slug(&scenario.feature)),
                keyword: "Feature",
                name: &scenario.feature,
                description: format!("Tested: {}", run.profile.title()),
                line: scenario.feature_line,
                tags: Vec::new(),
                elements: Vec::new(),
            });
            out.len() - 1
        });
        let feature = &mut out[index];
        let element = element(&feature.id, scenario);
        feature.elements.push(element);
    }
    for feature in &mut out {
        feature.tags = common_tags(&run.scenarios, feature.uri);
        dedupe_ids(&mut feature.elements);
    }
    out
}

/// The tags every scenario of a feature has: the feature's own (and its rules').
fn common_tags(scenarios: &[ScenarioResult], uri: &str) -> Vec<Tag> {
    let mut of_feature = scenarios.iter().filter(|s| s.feature_source == uri);
    let Some(first) = of_feature.next() else {
        return Vec::new();
    };
    let rest: Vec<&ScenarioResult> = of_feature.collect();
    first
        .tags
        .iter()
        .filter(|t| rest.iter().all(|s| s.tags.contains(t)))
        .map(|t| tag(t))
        .collect()
}

fn tag(name: &str) -> Tag {
    Tag {
        name: format!("@{name}"),
    }
}

fn element<'a>(feature_id: &str, scenario: &'a ScenarioResult) -> Element<'a> {
    let failed_at = scenario.steps.iter().position(|s| {
        matches!(
            s.status,
            Status::Failed | Status::Errored | Status::Advisory
        )
    });
    let steps = scenario
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            // The failing step carries the whole story: expected versus actual and the exchange.
            let error = if Some(i) == failed_at {
                Some(scenario.failure_details())
            } else {
                step.error.clone()
            };
            self::step(step, error)
        })
        .collect();
    Element {
        id: format!("{feature_id};{}", slug(scenario.label())),
        keyword: "Scenario",
        name: &scenario.name,
        description: scenario
            .sources
            .iter()
            .map(|source| format!("Required by: {source}"))
            .chain(
                scenario
                    .advisory
                    .iter()
                    .map(|why| format!("Advisory: {why}")),
            )
            .collect::<Vec<_>>()
            .join("\n"),
        line: scenario.line,
        kind: "scenario",
        tags: scenario.tags.iter().map(|t| tag(t)).collect(),
        steps,
    }
}

/// A step status in Cucumber's words: a step that could not test is `failed` (its message
/// says so); a failed advisory step is `pending`, which tools only fail in strict mode.
fn cucumber_status(status: Status) -> &'static str {
    match status {
        Status::Errored => "failed",
        Status::Advisory => "pending",
        other => other.name(),
    }
}

fn step(step: &StepOutcome, error_message: Option<String>) -> Step<'_> {
    Step {
        keyword: &step.keyword,
        name: &step.text,
        line: step.line,
        result: StepResult {
            status: cucumber_status(step.status),
            duration: u64::try_from(step.duration.as_nanos()).unwrap_or(u64::MAX),
            error_message,
        },
    }
}

/// Makes element ids unique within a feature (outline rows may share an id tag) by
/// appending the scenario's line to repeated ones.
fn dedupe_ids(elements: &mut [Element<'_>]) {
    let mut seen = HashSet::new();
    for element in elements {
        if !seen.insert(element.id.clone()) {
            element.id = format!("{};{}", element.id, element.line);
            seen.insert(element.id.clone());
        }
    }
}
