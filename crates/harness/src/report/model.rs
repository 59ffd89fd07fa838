//! The result of a run: one record per scenario, independent of any output format.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::Value;

use crate::profile::Profile;
use crate::redact::Redactor;

/// Tag (without '@') of a scenario that checks a documented deviation of its profile from
/// CAMARA, e.g. the Orange lab's 500 for a number it does not manage.
pub const KNOWN_DEVIATION_TAG: &str = "known_deviation";

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
    /// Line of the `Feature:` keyword in its feature.
    pub feature_line: usize,
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

    /// Whether it checks a documented deviation of the profile (tagged `@known_deviation`).
    pub fn is_known_deviation(&self) -> bool {
        self.tags.iter().any(|t| t == KNOWN_DEVIATION_TAG)
    }

    /// Why it did not pass, on one line (empty when it passed).
    pub fn reason_line(&self) -> String {
        self.reason
            .as_deref()
            .map(|r| r.lines().map(str::trim).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    }

    /// Where it is, the failed step, why (expected versus actual) and the exchange, as
    /// plain text for report tools.
    pub fn failure_details(&self) -> String {
        let mut out = format!(
            "scenario: {} ({}:{})\n",
            self.label(),
            self.feature_source,
            self.line
        );
        for (label, text) in [("step: ", &self.failed_step), ("", &self.reason)] {
            if let Some(text) = text {
                let _ = writeln!(out, "{label}{text}");
            }
        }
        if let Some(exchange) = &self.exchange {
            let _ = write!(out, "\nexchange:\n{exchange}");
        }
        out
    }

    /// The same result with every text passed through `redactor`.
    fn redacted(&self, redactor: &Redactor) -> Self {
        let text = |s: &String| redactor.redact(s);
        let opt = |s: &Option<String>| s.as_deref().map(|s| redactor.redact(s));
        Self {
            feature: text(&self.feature),
            feature_source: text(&self.feature_source),
            name: text(&self.name),
            id: opt(&self.id),
            tags: self.tags.iter().map(text).collect(),
            failed_step: opt(&self.failed_step),
            reason: opt(&self.reason),
            exchange: opt(&self.exchange),
            steps: self
                .steps
                .iter()
                .map(|step| StepOutcome {
                    keyword: text(&step.keyword),
                    text: text(&step.text),
                    error: opt(&step.error),
                    ..step.clone()
                })
                .collect(),
            exchanges: self
                .exchanges
                .iter()
                .map(|e| redact_json(e, redactor))
                .collect(),
            ..self.clone()
        }
    }
}

/// `value` with every string in it, member names included, passed through `redactor`.
fn redact_json(value: &Value, redactor: &Redactor) -> Value {
    match value {
        Value::String(s) => Value::String(redactor.redact(s)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| redact_json(v, redactor)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (redactor.redact(k), redact_json(v, redactor)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// What a run (or several) concludes about the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Conclusion {
    /// Something ran and nothing failed.
    Conformant,
    /// Nothing failed, but nothing passed either (everything was skipped or filtered out).
    NothingRan,
    /// A scenario failed.
    NotConformant,
}

impl Conclusion {
    /// The verdict as shown in reports, e.g. `NOT CONFORMANT`.
    pub fn name(self) -> &'static str {
        match self {
            Conclusion::Conformant => "CONFORMANT",
            Conclusion::NothingRan => "NOTHING RAN",
            Conclusion::NotConformant => "NOT CONFORMANT",
        }
    }

    /// The conclusion over several runs: the worst of them (nothing ran when there are none).
    pub fn overall(runs: &[RunResult]) -> Self {
        runs.iter()
            .map(RunResult::conclusion)
            .max()
            .unwrap_or(Conclusion::NothingRan)
    }
}

/// How many scenarios passed, failed and were skipped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios that failed.
    pub failed: usize,
    /// Scenarios that were skipped.
    pub skipped: usize,
}

impl Totals {
    /// The counts over every scenario of every run.
    pub fn of(runs: &[RunResult]) -> Self {
        let mut totals = Self::default();
        for scenario in runs.iter().flat_map(|r| &r.scenarios) {
            totals.count(scenario.status);
        }
        totals
    }

    /// Counts one more scenario that ended with `status`.
    pub fn count(&mut self, status: Status) {
        match status {
            Status::Passed => self.passed += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
        }
    }

    /// Every scenario counted.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped
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

    /// What this run concludes about the target.
    pub fn conclusion(&self) -> Conclusion {
        if self.passed() {
            Conclusion::Conformant
        } else if self.count(Status::Failed) > 0 {
            Conclusion::NotConformant
        } else {
            Conclusion::NothingRan
        }
    }

    /// The same result made safe to write out: every text passed through `redactor`, and
    /// the URL without user information or query (they may carry credentials).
    pub fn redacted(&self, redactor: &Redactor) -> Self {
        Self {
            target: redactor.redact(&self.target),
            url: public_url(&redactor.redact(&self.url)),
            spec_source: redactor.redact(&self.spec_source),
            scenarios: self
                .scenarios
                .iter()
                .map(|s| s.redacted(redactor))
                .collect(),
            ..self.clone()
        }
    }
}

/// `url` without user name, password or query; text that is not a URL is kept as is.
fn public_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.has_host() => {
            // Both only fail for URLs without a host, excluded above.
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.set_query(None);
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_url_drops_credentials_and_query() {
        assert_eq!(
            public_url("https://user:pw@api.example/v1/retrieve?key=abc"),
            "https://api.example/v1/retrieve"
        );
        assert_eq!(
            public_url("http://127.0.0.1:9091/x"),
            "http://127.0.0.1:9091/x"
        );
        assert_eq!(public_url("not a url"), "not a url");
    }

    #[test]
    fn redaction_reaches_nested_exchange_json() {
        let r = Redactor::new();
        r.add("s3cr3t-token");
        let v = serde_json::json!({"a": ["x s3cr3t-token y", 1], "b": {"c": "s3cr3t-token"}});
        assert_eq!(
            redact_json(&v, &r),
            serde_json::json!({"a": ["x [REDACTED] y", 1], "b": {"c": "[REDACTED]"}})
        );
    }
}
