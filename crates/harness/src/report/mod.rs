//! What a run found, and the outputs made from it: the [`Reporter`] receives a run's
//! events and masks them before its displayers show them on the console or write them as
//! JUnit XML, Cucumber JSON, the conformance report for people (HTML, Markdown) and the
//! recorded exchanges.

pub mod console;
pub mod cucumber_json;
pub mod document;
pub mod junit;
mod model;
mod outputs;
mod progress;
pub mod record;
mod reporter;
pub(crate) mod text;

pub use document::{DocFormat, ReportFile};
pub use model::{
    ADVISORY_TAG, Conclusion, KNOWN_DEVIATION_TAG, RunResult, RunStarted, ScenarioResult, Status,
    StepOutcome, Totals,
};
pub use outputs::{ENV_CUCUMBER_JSON, ENV_JUNIT, ENV_RECORD, ENV_REPORT, OutputArgs};
pub use progress::ConsoleStyle;
pub use reporter::{Event, Reporter};

/// The outcomes every output explains scenario by scenario, with the heading of their section.
pub(crate) const DETAILED: [(Status, &str); 3] = [
    (Status::Failed, "Failures"),
    (
        Status::Errored,
        "Could not test (not evidence against the target)",
    ),
    (
        Status::Advisory,
        "Advisories (do not fail the run; --strict makes them failures)",
    ),
];

/// The scenarios of `run` that every output explains, grouped under their section's heading
/// in [`DETAILED`]'s order; a group with no scenario is left out.
pub(crate) fn detailed(run: &RunResult) -> Vec<(&'static str, Vec<&ScenarioResult>)> {
    DETAILED
        .iter()
        .filter_map(|(status, heading)| {
            let chosen: Vec<&ScenarioResult> = run
                .scenarios
                .iter()
                .filter(|s| s.status == *status)
                .collect();
            (!chosen.is_empty()).then_some((*heading, chosen))
        })
        .collect()
}
