//! The result of a run: one record per scenario, independent of any output format.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::Value;

use crate::profile::Profile;
use crate::redact::Redactor;

/// Tag (without '@') of a scenario that checks a documented deviation of its profile from
/// CAMARA, e.g. the Orange lab's 500 for a number it does not manage.
pub const KNOWN_DEVIATION_TAG: &str = "known_deviation";

/// Tag (without '@') of a scenario whose check the documents phrase as SHOULD or MAY, or
/// that only one implementation style would pass: its failure does not fail the run
/// (except with `--strict`). Its description says why, on an `Advisory:` line.
pub const ADVISORY_TAG: &str = "advisory";

/// How a scenario ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Every step passed.
    Passed,
    /// A step failed: the target breaks something a document requires (or, with `--strict`,
    /// a testing asset was missing or an advisory check failed).
    Failed,
    /// An advisory check failed: worth a look, but not a breach of the contract.
    Advisory,
    /// Could not test: a transport failure, a refused client, an unbound step or a defect of
    /// the test plan stopped the scenario; it says nothing about conformance.
    Errored,
    /// Not run: a testing asset is not configured.
    Skipped,
}

impl Status {
    /// Lower-case name, as shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Advisory => "advisory",
            Status::Errored => "errored",
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
    /// The clauses it enforces, from its `Required by:` description lines (an OAS pointer,
    /// an official test-plan scenario, a guideline, the Orange lab page or an RFC section).
    pub sources: Vec<String>,
    /// For a scenario tagged `@advisory`: why the documents do not require it.
    pub advisory: Option<String>,
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
    /// Every HTTP exchange of the scenario as JSON (request, response, timings), secrets
    /// masked; empty unless the run records them (`RunBuilder::record_exchanges`).
    pub exchanges: Vec<serde_json::Value>,
    /// The requests this scenario sent itself: its exchanges, less those it shared from
    /// another scenario (not sent again). Counted whether or not exchanges are recorded.
    pub requests_sent: usize,
    /// Wall time of the scenario.
    pub duration: Duration,
}

impl ScenarioResult {
    /// The id if it has one, else the title: how people refer to it.
    pub fn label(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.name)
    }

    /// The clauses it enforces on one line, e.g. `required by: RFC 6749 §5.2; ...`.
    pub fn required_by(&self) -> Option<String> {
        (!self.sources.is_empty()).then(|| format!("required by: {}", self.sources.join("; ")))
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
        let advisory = self.advisory.as_ref().map(|why| format!("advisory: {why}"));
        for (label, text) in [
            ("", &self.required_by()),
            ("", &advisory),
            ("step: ", &self.failed_step),
            ("", &self.reason),
        ] {
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
            sources: self.sources.iter().map(text).collect(),
            advisory: opt(&self.advisory),
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

/// What a run (or several) concludes about the target, from the best to the worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Conclusion {
    /// Something ran, nothing failed and nothing errored (advisories may have failed).
    Conformant,
    /// Nothing failed or errored, but nothing passed either (everything was skipped or
    /// filtered out).
    NothingRan,
    /// Nothing failed, but a scenario could not be tested (it errored).
    CouldNotTest,
    /// A scenario failed.
    NotConformant,
}

impl Conclusion {
    /// The verdict as shown in reports, e.g. `NOT CONFORMANT`.
    pub fn name(self) -> &'static str {
        match self {
            Conclusion::Conformant => "CONFORMANT",
            Conclusion::NothingRan => "NOTHING RAN",
            Conclusion::CouldNotTest => "COULD NOT TEST",
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

/// How many scenarios ended in each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios that failed.
    pub failed: usize,
    /// Advisory scenarios whose check failed.
    pub advisory: usize,
    /// Scenarios that could not be tested.
    pub errored: usize,
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
            Status::Advisory => self.advisory += 1,
            Status::Errored => self.errored += 1,
            Status::Skipped => self.skipped += 1,
        }
    }

    /// Every scenario counted.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.advisory + self.errored + self.skipped
    }

    /// The counts as people read them: `3 passed, 1 failed, 0 skipped`, followed by the
    /// errored and advisory counts when there are any.
    pub fn line(&self) -> String {
        let mut out = format!(
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        );
        if self.errored > 0 {
            let _ = write!(out, ", {} errored (could not test)", self.errored);
        }
        if self.advisory > 0 {
            let _ = write!(out, ", {} advisory", self.advisory);
        }
        out
    }
}

/// A run about to start: what is tested, where, and against which schemas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunStarted {
    /// What is tested (file path or embedded mock), never credentials.
    pub target: String,
    /// The operation URL tested.
    pub url: String,
    /// The profile tested.
    pub profile: Profile,
    /// Where the schemas came from.
    pub spec_source: String,
    /// How many scenarios the run executes.
    pub scenarios: usize,
    /// How many requests those scenarios plan to send (beside the run's shared token,
    /// discovery and CIBA requests).
    pub requests: usize,
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
    /// The defects found in the test plan, each with its scenario and fix (see
    /// `docs/plan-defects.md`).
    pub plan_defects: Vec<String>,
    /// What the run created on the target and could not delete at its end (the
    /// subscriptions left behind), each with what to do.
    pub leftovers: Vec<String>,
    /// Every scenario, in feature order.
    pub scenarios: Vec<ScenarioResult>,
    /// Wall time of the run.
    pub duration: Duration,
}

impl RunResult {
    /// The requests the run's scenarios sent (shared exchanges counted once).
    pub fn requests_sent(&self) -> usize {
        self.scenarios.iter().map(|s| s.requests_sent).sum()
    }

    /// How many scenarios ended with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.scenarios.iter().filter(|s| s.status == status).count()
    }

    /// Whether the run passes: nothing failed or errored, and something ran.
    pub fn passed(&self) -> bool {
        self.conclusion() == Conclusion::Conformant
    }

    /// What this run concludes about the target: a failure outweighs an error, which
    /// outweighs a run where nothing ran.
    pub fn conclusion(&self) -> Conclusion {
        if self.count(Status::Failed) > 0 {
            Conclusion::NotConformant
        } else if self.count(Status::Errored) > 0 {
            Conclusion::CouldNotTest
        } else if self.count(Status::Passed) + self.count(Status::Advisory) > 0 {
            Conclusion::Conformant
        } else {
            Conclusion::NothingRan
        }
    }

    /// The counts of this run.
    pub fn totals(&self) -> Totals {
        Totals::of(std::slice::from_ref(self))
    }

    /// The same result made safe to write out: every text passed through `redactor`, and
    /// the URL without user information or query (they may carry credentials).
    pub fn redacted(&self, redactor: &Redactor) -> Self {
        Self {
            target: redactor.redact(&self.target),
            url: public_url(&redactor.redact(&self.url)),
            spec_source: redactor.redact(&self.spec_source),
            plan_defects: self
                .plan_defects
                .iter()
                .map(|d| redactor.redact(d))
                .collect(),
            leftovers: self.leftovers.iter().map(|l| redactor.redact(l)).collect(),
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
    use crate::Api;

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

    fn run_of(statuses: &[Status]) -> RunResult {
        let scenario = |status| ScenarioResult {
            feature: "f".into(),
            feature_source: "f.feature".into(),
            feature_line: 1,
            name: "s".into(),
            id: None,
            sources: Vec::new(),
            advisory: None,
            tags: Vec::new(),
            line: 1,
            status,
            failed_step: None,
            reason: None,
            exchange: None,
            steps: Vec::new(),
            exchanges: Vec::new(),
            requests_sent: 0,
            duration: Duration::ZERO,
        };
        RunResult {
            target: "t".into(),
            url: "u".into(),
            profile: Api::CamaraV1.current(),
            spec_source: "s".into(),
            plan_defects: Vec::new(),
            leftovers: Vec::new(),
            scenarios: statuses.iter().map(|s| scenario(*s)).collect(),
            duration: Duration::ZERO,
        }
    }

    #[test]
    fn a_failure_outweighs_an_error_which_outweighs_nothing_ran() {
        use Status::*;
        let cases = [
            (&[Passed, Advisory, Skipped][..], Conclusion::Conformant),
            (&[Advisory][..], Conclusion::Conformant),
            (&[Skipped][..], Conclusion::NothingRan),
            (&[Passed, Errored][..], Conclusion::CouldNotTest),
            (&[Errored, Failed, Passed][..], Conclusion::NotConformant),
        ];
        for (statuses, conclusion) in cases {
            assert_eq!(run_of(statuses).conclusion(), conclusion, "{statuses:?}");
        }
        let runs = [run_of(&[Passed]), run_of(&[Errored]), run_of(&[Skipped])];
        assert_eq!(Conclusion::overall(&runs), Conclusion::CouldNotTest);
        assert_eq!(
            run_of(&[Passed, Errored, Advisory, Failed]).totals().line(),
            "1 passed, 1 failed, 0 skipped, 1 errored (could not test), 1 advisory"
        );
        assert_eq!(
            run_of(&[Passed]).totals().line(),
            "1 passed, 0 failed, 0 skipped"
        );
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
