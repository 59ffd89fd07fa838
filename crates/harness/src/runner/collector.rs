//! A cucumber writer that turns the event stream into [`ScenarioResult`]s.
//!
//! Steps end by raising a [`Verdict`]; a step that matches no pattern arrives as
//! "skipped" from cucumber and is turned into an error here (could not test): an unbound
//! step never passes silently. Once a scenario ends, a failure of a scenario with a plan
//! defect becomes an error naming the defect, and a failure of an advisory scenario becomes
//! an advisory (a failure with `--strict`).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, StepError};
use cucumber::{Event, gherkin, parser};

use super::defects::{Effect, PlanDefect};
use crate::Profile;
use crate::redact::Redactor;
use crate::report::{self, Reporter, ScenarioResult, Status, StepOutcome};
use crate::steps::vocabulary::{self, Action};
use crate::steps::{ReachabilityWorld, Verdict};
use crate::text::printable;

/// Key of a scenario: a hash of its feature's source and its title, and its position. It
/// is computed at every event of the scenario, so it allocates nothing.
pub(crate) type Key = (u64, usize, usize);

/// What each finished scenario sent, handed over by the runner's after-hook.
pub(crate) type Exchanges = Arc<Mutex<HashMap<Key, Sent>>>;

/// The requests a finished scenario sent.
#[derive(Default)]
pub(crate) struct Sent {
    /// Its exchanges as redacted JSON, when the run records them.
    pub(crate) recorded: Vec<serde_json::Value>,
    /// How many requests it sent itself (shared exchanges not counted).
    pub(crate) requests: usize,
}

/// The plan defects of each scenario that has some.
pub(crate) type Defects = HashMap<Key, Vec<PlanDefect>>;

struct Running {
    started: Instant,
    step_started: Instant,
    status: Status,
    failed_step: Option<String>,
    reason: Option<String>,
    exchange: Option<String>,
    steps: Vec<StepOutcome>,
}

/// Collects scenario results as cucumber reports them.
pub(crate) struct Collector {
    profile: Profile,
    strict: bool,
    redactor: Redactor,
    exchanges: Exchanges,
    defects: Defects,
    running: HashMap<Key, Running>,
    finished: Vec<ScenarioResult>,
    reporter: Reporter,
}

impl Collector {
    /// A collector of a run of `profile`; `strict` turns skips and failed advisories into
    /// failures; `defects` are the plan defects of the scenarios; `reporter` hears of each
    /// result as it lands.
    pub(crate) fn new(
        profile: Profile,
        strict: bool,
        redactor: Redactor,
        exchanges: Exchanges,
        defects: Defects,
        reporter: Reporter,
    ) -> Self {
        Self {
            profile,
            strict,
            redactor,
            exchanges,
            defects,
            running: HashMap::new(),
            finished: Vec::new(),
            reporter,
        }
    }

    /// The results, in the order scenarios finished.
    pub(crate) fn into_results(self) -> Vec<ScenarioResult> {
        self.finished
    }

    /// Records a scenario that was not run, for `reason`, as errored (could not test).
    pub(crate) fn not_run(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        reason: &str,
    ) {
        let now = Instant::now();
        let run = Running {
            started: now,
            step_started: now,
            status: Status::Errored,
            failed_step: None,
            reason: Some(reason.to_owned()),
            exchange: None,
            steps: Vec::new(),
        };
        let result = finish(self.profile, feature, rule, scenario, run, Sent::default());
        self.reporter
            .report(report::Event::ScenarioFinished(&result));
        self.finished.push(result);
    }

    fn on_scenario(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        ev: event::Scenario<ReachabilityWorld>,
    ) {
        let key = key(feature, scenario);
        match ev {
            Scenario::Started => {
                let now = Instant::now();
                self.running.insert(
                    key,
                    Running {
                        started: now,
                        step_started: now,
                        status: Status::Passed,
                        failed_step: None,
                        reason: None,
                        exchange: None,
                        steps: Vec::with_capacity(
                            super::all_steps(feature, rule, scenario).count(),
                        ),
                    },
                );
            }
            Scenario::Hook(_, event::Hook::Failed(_, info)) => {
                self.record_failure(&key, None, None, &StepError::Panic(info));
            }
            Scenario::Background(step, ev) | Scenario::Step(step, ev) => {
                self.on_step(&key, &step, ev)
            }
            Scenario::Finished => {
                if let Some(run) = self.running.remove(&key) {
                    let exchanges = self
                        .exchanges
                        .lock()
                        .map(|mut all| all.remove(&key).unwrap_or_default())
                        .unwrap_or_default();
                    let mut result = finish(self.profile, feature, rule, scenario, run, exchanges);
                    let defects = self.defects.get(&key).map_or(&[][..], Vec::as_slice);
                    settle(&mut result, defects, self.strict, &self.redactor);
                    self.reporter
                        .report(report::Event::ScenarioFinished(&result));
                    self.finished.push(result);
                }
            }
            _ => {}
        }
    }

    fn on_step(&mut self, key: &Key, step: &gherkin::Step, ev: event::Step<ReachabilityWorld>) {
        match ev {
            event::Step::Started => {
                if let Some(run) = self.running.get_mut(key) {
                    run.step_started = Instant::now();
                }
            }
            event::Step::Passed(..) => self.push_step(key, step, Status::Passed, None),
            event::Step::Failed(_, _, world, err) => {
                let transcript = world.and_then(|w| w.last_exchange_transcript());
                let status = self.record_failure(key, Some(step), transcript, &err);
                let reason = self.running.get(key).and_then(|r| r.reason.clone());
                self.push_step(key, step, status, reason);
            }
            event::Step::Skipped => {
                let status = self.record_failure(key, Some(step), None, &StepError::NotFound);
                let reason = self.running.get(key).and_then(|r| r.reason.clone());
                self.push_step(key, step, status, reason);
            }
        }
    }

    fn push_step(
        &mut self,
        key: &Key,
        step: &gherkin::Step,
        status: Status,
        error: Option<String>,
    ) {
        if let Some(run) = self.running.get_mut(key) {
            run.steps.push(StepOutcome {
                keyword: step.keyword.clone(),
                text: step.value.clone(),
                line: step.position.line,
                status,
                error,
                duration: run.step_started.elapsed(),
            });
        }
    }

    /// Records the first thing that stopped a scenario; returns the status it gives.
    fn record_failure(
        &mut self,
        key: &Key,
        step: Option<&gherkin::Step>,
        exchange: Option<String>,
        err: &StepError,
    ) -> Status {
        let strict = self.strict;
        let Some(run) = self.running.get_mut(key) else {
            return Status::Failed;
        };
        let (status, reason) = judge(err, strict);
        if run.status == Status::Passed {
            run.status = status;
            run.reason = Some(printable(&self.redactor.redact(&reason)));
            run.failed_step = step.map(|s| format!("{}{}", s.keyword, s.value));
            run.exchange = exchange.map(|e| printable(&self.redactor.redact(&e)));
        }
        status
    }
}

/// What a step error means for the scenario, and why. Only a [`Verdict::Failed`] is
/// evidence against the target; a crash of the harness or an unbound step could not test.
fn judge(err: &StepError, strict: bool) -> (Status, String) {
    match err {
        StepError::Panic(info) => match info.downcast_ref::<Verdict>() {
            Some(Verdict::Failed(why)) => (Status::Failed, why.clone()),
            Some(Verdict::Skipped(why)) if strict => (
                Status::Failed,
                format!("{why} (a skip counts as a failure with --strict)"),
            ),
            Some(Verdict::Skipped(why)) => (Status::Skipped, why.clone()),
            Some(Verdict::Errored(why)) => (Status::Errored, format!("could not test: {why}")),
            None => (
                Status::Errored,
                format!(
                    "could not test: the step panicked (a harness bug): {}",
                    panic_text(info.as_ref())
                ),
            ),
        },
        StepError::NotFound => (
            Status::Errored,
            "could not test: the step is not bound: no step definition matches it (see \
             docs/vocabulary.md)"
                .to_owned(),
        ),
        StepError::AmbiguousMatch(e) => (
            Status::Errored,
            format!("could not test: the step matches several definitions: {e}"),
        ),
    }
}

/// Applies what only the whole scenario tells: a plan defect that excuses failures turns a
/// failure of the status check (one that voids the scenario: any outcome but a skip) into an
/// error naming the defect and its fix; an advisory's failure becomes [`Status::Advisory`] (a failure when `strict`).
/// The failed step takes the scenario's new status.
fn settle(result: &mut ScenarioResult, defects: &[PlanDefect], strict: bool, redactor: &Redactor) {
    let has = |effect| defects.iter().any(|d| d.effect == effect);
    let voided = has(Effect::Voids) && result.status != Status::Skipped;
    let excused =
        has(Effect::Excuses) && result.status == Status::Failed && failed_on_status(result);
    let status = if voided || excused {
        let mut reason: Vec<String> = defects
            .iter()
            .filter(|d| d.effect != Effect::Weakens)
            .map(|d| format!("could not test: plan defect: {d}"))
            .collect();
        if let Some(failure) = &result.reason {
            reason.push(format!("the step failed with: {failure}"));
        }
        result.reason = Some(redactor.redact(&reason.join("\n")));
        Status::Errored
    } else if result.status == Status::Failed && result.advisory.is_some() {
        if strict {
            let why = result.reason.take().unwrap_or_default();
            result.reason = Some(format!(
                "{why} (a failed advisory check counts as a failure with --strict)"
            ));
            Status::Failed
        } else {
            Status::Advisory
        }
    } else {
        result.status
    };
    if status != result.status {
        if result.status == Status::Failed {
            for step in result
                .steps
                .iter_mut()
                .filter(|s| s.status == Status::Failed)
            {
                step.status = status;
            }
        }
        result.status = status;
    }
}

/// Whether the step that failed checks the status code: the check a request the plan got
/// wrong fails (a wrong answer to a right request fails the later checks).
fn failed_on_status(result: &ScenarioResult) -> bool {
    result
        .steps
        .iter()
        .find(|s| s.status == Status::Failed)
        .and_then(|s| vocabulary::parse(&s.text, None))
        .is_some_and(|action| match action {
            Ok(Action::StatusIs(_) | Action::StatusIsOneOf(_)) => true,
            Ok(Action::Every(check)) => {
                matches!(*check, Action::StatusIs(_) | Action::StatusIsOneOf(_))
            }
            _ => false,
        })
}

/// The key of a scenario, as the collector and the runner's after-hook compute it.
pub(crate) fn key(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> Key {
    // SipHash with fixed keys: the same scenario gives the same key in the after-hook and
    // in the collector.
    let mut hasher = std::hash::DefaultHasher::new();
    // The path's bytes, not its components (which `Path`'s own hash parses).
    feature
        .path
        .as_deref()
        .map(std::path::Path::as_os_str)
        .hash(&mut hasher);
    feature.name.hash(&mut hasher);
    scenario.name.hash(&mut hasher);
    (
        hasher.finish(),
        scenario.position.line,
        scenario.position.col,
    )
}

/// Where a feature came from, as shown in results.
pub(crate) fn feature_source(feature: &gherkin::Feature) -> String {
    feature
        .path
        .as_ref()
        .map_or_else(|| feature.name.clone(), |p| p.display().to_string())
}

/// The message a panic carried, if it is text.
pub(super) fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "unknown panic".to_owned())
}

fn finish(
    profile: Profile,
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    run: Running,
    sent: Sent,
) -> ScenarioResult {
    let mut steps = run.steps;
    // Steps cucumber never reached (after a failure or skip) are listed as skipped.
    for step in super::all_steps(feature, rule, scenario).skip(steps.len()) {
        steps.push(StepOutcome {
            keyword: step.keyword.clone(),
            text: step.value.clone(),
            line: step.position.line,
            status: Status::Skipped,
            error: None,
            duration: Duration::ZERO,
        });
    }
    let tags = super::scenario_tags(feature, rule, scenario);
    ScenarioResult {
        feature: feature.name.clone(),
        feature_source: feature_source(feature),
        feature_line: feature.position.line,
        name: scenario.name.clone(),
        id: super::scenario_id(scenario),
        sources: super::provenance::cited(scenario, profile),
        advisory: super::provenance::advisory(scenario, &tags),
        tags,
        line: scenario.position.line,
        status: run.status,
        failed_step: run.failed_step,
        reason: run.reason,
        exchange: run.exchange,
        steps,
        exchanges: sent.recorded,
        requests_sent: sent.requests,
        duration: run.started.elapsed(),
    }
}

// Events are keyed per scenario, so their order across concurrent scenarios does not matter:
// results arrive as scenarios finish, which keeps progress output live.
impl cucumber::writer::Normalized for Collector {}

impl cucumber::Writer<ReachabilityWorld> for Collector {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(
        &mut self,
        ev: parser::Result<Event<Cucumber<ReachabilityWorld>>>,
        _cli: &Self::Cli,
    ) {
        match ev.map(Event::into_inner) {
            Ok(Cucumber::Feature(feature, Feature::Scenario(scenario, ev))) => {
                self.on_scenario(&feature, None, &scenario, ev.event);
            }
            Ok(Cucumber::Feature(feature, Feature::Rule(rule, Rule::Scenario(scenario, ev)))) => {
                self.on_scenario(&feature, Some(&rule), &scenario, ev.event);
            }
            // Features are parsed before the run, so no parsing error can arrive here.
            Ok(_) | Err(_) => {}
        }
    }
}
