//! The result of a run: one record per scenario, independent of any output format.

use std::time::Duration;

use crate::profile::Profile;

/// How a scenario ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Every step passed.
    Passed,
    /// A step failed (or, with `--strict`, a testing asset was missing).
    Failed,
    /// Not run: a testing asset is not configured.
    Skipped,
}

impl Status {
    /// Lower-case name, as shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// One step's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct StepOutcome {
    /// The Gherkin keyword as written (`Given `, `And `...).
    pub keyword: String,
    /// The step sentence.
    pub text: String,
    /// Line of the step in its feature.
    pub line: usize,
    /// How it ended; steps after a failure are [`Status::Skipped`].
    pub status: Status,
    /// Why it failed or was skipped.
    pub error: Option<String>,
    /// Wall time of the step.
    pub duration: Duration,
}

/// One scenario's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioResult {
    /// Name of the feature it belongs to.
    pub feature: String,
    /// Where the feature came from (embedded name or file path).
    pub feature_source: String,
    /// The scenario's title (outline rows carry their example values).
    pub name: String,
    /// Its stable CAMARA-style id tag (without '@'), when it has one.
    pub id: Option<String>,
    /// Every tag that applies to it (feature, rule and scenario), without '@'.
    pub tags: Vec<String>,
    /// Line of the scenario in its feature.
    pub line: usize,
    /// How it ended.
    pub status: Status,
    /// For a failure: the failed step (keyword and text).
    pub failed_step: Option<String>,
    /// For a failure or skip: why, with expected versus actual.
    pub reason: Option<String>,
    /// For a failure: the last HTTP exchange as text, secrets masked.
    pub exchange: Option<String>,
    /// Every step, background first, in order.
    pub steps: Vec<StepOutcome>,
    /// Every HTTP exchange of the scenario as JSON (request, response, timings), secrets masked.
    pub exchanges: Vec<serde_json::Value>,
    /// Wall time of the scenario.
    pub duration: Duration,
}

impl ScenarioResult {
    /// The id if it has one, else the title: how people refer to it.
    pub fn label(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.name)
    }
}

/// Everything a run found.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResult {
    /// What was tested (file path or embedded mock), never credentials.
    pub target: String,
    /// The operation URL tested.
    pub url: String,
    /// The profile tested.
    pub profile: Profile,
    /// Where the schemas came from.
    pub spec_source: String,
    /// Every scenario, in feature order.
    pub scenarios: Vec<ScenarioResult>,
    /// Wall time of the run.
    pub duration: Duration,
}

impl RunResult {
    /// How many scenarios ended with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.scenarios.iter().filter(|s| s.status == status).count()
    }

    /// Whether the run passes: nothing failed and something ran.
    pub fn passed(&self) -> bool {
        self.count(Status::Failed) == 0 && self.count(Status::Passed) > 0
    }
}
