//! Runs a suite of features against a target with cucumber and collects the results.

mod builder;
mod citation;
mod collector;
mod coverage;
mod creation;
pub mod defects;
mod plan;
pub mod provenance;
mod schedule;
mod suite;
mod targeting;

use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use cucumber::gherkin::{self, tagexpr::TagOperation};
use cucumber::tag::Ext as _;
use futures::FutureExt as _;

use crate::Api;
use crate::profile::Profile;
use crate::redact::Redactor;
use crate::report::{Event, Reporter, RunResult, RunStarted};
use crate::steps::{self, ReachabilityWorld, RunContext, Verdict};
use crate::text::printable;

pub use builder::{Interrupted, Run, RunBuilder};
pub use coverage::{requirements, uncovered};
pub use plan::{AliasedStep, PlannedScenario, UnboundStep, plan};
#[cfg(test)]
pub(crate) use suite::EMBEDDED;
pub use suite::{Suite, SuiteError};
pub use targeting::choose_profile;

/// A cucumber tag expression selecting scenarios, e.g. `@camara-v1 and not @slow`.
#[derive(Clone, Debug)]
pub struct TagFilter {
    expression: String,
    operation: TagOperation,
}

impl FromStr for TagFilter {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let operation = s.parse::<TagOperation>().map_err(|e| {
            format!("{s:?} is not a tag expression ({e}); write e.g. \"@camara-v1 and not @slow\"")
        })?;
        Ok(Self {
            expression: s.to_owned(),
            operation,
        })
    }
}

impl TagFilter {
    /// The expression as the user wrote it.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// Whether a scenario with these tags is selected.
    pub fn matches(&self, tags: &[String]) -> bool {
        self.operation.eval(tags.iter())
    }
}

/// Scenarios in progress per request slot (`[http] concurrency`): a scenario spends time
/// outside HTTP (a CIBA poll interval, checks), so more scenarios than slots keep the slots
/// busy; the HTTP client still bounds the requests in flight.
const SCENARIOS_PER_SLOT: usize = 4;

/// How to run a suite.
#[derive(Default)]
pub(crate) struct RunOptions {
    /// Count a scenario skipped for a missing testing asset as failed.
    pub strict: bool,
    /// Only scenarios matching this tag expression.
    pub tags: Option<TagFilter>,
    /// Receives the run's events (start, each finished scenario, end).
    pub reporter: Reporter,
    /// Most requests the scenarios may plan to send; those that do not fit are not run.
    pub max_requests: Option<usize>,
    /// Keep every exchange in the results as redacted JSON (`--record`).
    pub record_exchanges: bool,
}

/// A scenario of a suite with its feature and rule.
pub(crate) type Selected<'s> = (
    &'s gherkin::Feature,
    Option<&'s gherkin::Rule>,
    &'s gherkin::Scenario,
);

/// Every tag of a scenario: the feature's, the rule's and its own, without '@'.
pub fn scenario_tags(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> Vec<String> {
    feature
        .tags
        .iter()
        .chain(rule.iter().flat_map(|r| &r.tags))
        .chain(&scenario.tags)
        .cloned()
        .collect()
}

/// Every step a scenario runs, in order: the feature's background, the rule's, then its own.
pub(crate) fn all_steps<'f>(
    feature: &'f gherkin::Feature,
    rule: Option<&'f gherkin::Rule>,
    scenario: &'f gherkin::Scenario,
) -> impl Iterator<Item = &'f gherkin::Step> {
    let backgrounds = feature
        .background
        .iter()
        .chain(rule.and_then(|r| r.background.as_ref()));
    backgrounds.flat_map(|b| &b.steps).chain(&scenario.steps)
}

/// A scenario's stable CAMARA-style id: its first own tag in `feature_number_detail` form.
pub fn scenario_id(scenario: &gherkin::Scenario) -> Option<String> {
    scenario.tags.iter().find(|t| t.contains('_')).cloned()
}

/// Whether a scenario is meant for `profile`. Tags name versions (`@camara-v1.1`) or API
/// families (`@camara-v1`: every version of it); version tags, on the feature or the
/// scenario, win over family tags, so a scenario of a `@camara-v1` feature tagged
/// `@camara-v1.0` runs in camara-v1.0 only. One that names none applies to every profile.
pub fn applies_to(profile: Profile, tags: &[String]) -> bool {
    let versions: Vec<Profile> = tags
        .iter()
        .filter_map(|t| Profile::all().iter().copied().find(|p| p.name() == t))
        .collect();
    if !versions.is_empty() {
        return versions.contains(&profile);
    }
    let families: Vec<Api> = tags.iter().filter_map(|t| t.parse().ok()).collect();
    families.is_empty() || families.contains(&profile.api())
}

/// Every scenario of `suite` selected for `profile` and `tags`, with its feature and rule.
pub(crate) fn selected<'s>(
    suite: &'s Suite,
    profile: Profile,
    tags: Option<&TagFilter>,
) -> impl Iterator<Item = Selected<'s>> {
    suite
        .features()
        .iter()
        .flat_map(|f| {
            f.scenarios.iter().map(move |s| (f, None, s)).chain(
                f.rules
                    .iter()
                    .flat_map(move |r| r.scenarios.iter().map(move |s| (f, Some(r), s))),
            )
        })
        .filter(move |(f, r, s)| is_selected(profile, tags, f, *r, s))
}

/// Whether a scenario is for `profile` and matches the tag filter.
fn is_selected(
    profile: Profile,
    tags: Option<&TagFilter>,
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> bool {
    let all = scenario_tags(feature, rule, scenario);
    applies_to(profile, &all) && tags.is_none_or(|t| t.matches(&all))
}

/// The start of a run of `scenarios` scenarios against the context's target.
fn started(ctx: &RunContext, scenarios: usize, requests: usize) -> RunStarted {
    RunStarted {
        target: ctx.target.origin.clone(),
        url: ctx.target.operation_url().unwrap_or_default(),
        profile: ctx.target.profile,
        spec_source: ctx.schemas.source().to_owned(),
        scenarios,
        requests,
    }
}

/// Runs the selected scenarios of `suite` against the context's target, telling the
/// options' reporter as it goes.
pub(crate) async fn run(suite: &Suite, ctx: Arc<RunContext>, options: RunOptions) -> RunResult {
    silence_verdict_panics(ctx.redactor());
    let clock = Instant::now();
    let profile = ctx.target.profile;
    let tags = options.tags.clone();
    let applies =
        |(f, r, s): &Selected<'_>| creation::not_applicable(f, *r, s, &ctx.target).is_none();
    let schedule = schedule::schedule(
        suite.features(),
        selected(suite, profile, tags.as_ref())
            .filter(applies)
            .collect(),
        &ctx.target,
        &ctx.generation,
        options.max_requests,
    );
    let exchanges = collector::Exchanges::default();
    let mut plan_defects: Vec<String> = Vec::new();
    let mut defects = collector::Defects::new();
    let mut count = 0;
    let mut requests = 0;
    let mut actions = Vec::new();
    for (feature, rule, scenario) in selected(suite, profile, tags.as_ref()).filter(applies) {
        count += 1;
        requests += plan::requests(feature, rule, scenario, &ctx.target, &ctx.generation);
        if !schedule
            .not_run
            .iter()
            .any(|(_, _, s)| std::ptr::eq(*s, scenario))
        {
            actions.extend(plan::actions(feature, rule, scenario));
        }
        let found = defects::find(feature, rule, scenario, &ctx.schemas);
        for defect in &found {
            let source = collector::feature_source(feature);
            // A Background's defect is every scenario's under it: listed once, at its step.
            let line = match defect.background_line {
                Some(at) => format!("Background ({source}:{at}), for each scenario: {defect}"),
                None => format!(
                    "{} ({source}:{}): {defect}",
                    scenario_id(scenario).unwrap_or_else(|| scenario.name.clone()),
                    scenario.position.line
                ),
            };
            if !plan_defects.contains(&line) {
                plan_defects.push(line);
            }
        }
        if !found.is_empty() {
            defects.insert(collector::key(feature, scenario), found);
        }
    }
    let not_run_requests: usize = schedule
        .not_run
        .iter()
        .map(|(f, r, s)| plan::requests(f, *r, s, &ctx.target, &ctx.generation))
        .sum();
    let started = started(&ctx, count, requests - not_run_requests);
    options.reporter.report(Event::RunStarted(&started));
    let mut collector = collector::Collector::new(
        ctx.target.profile,
        options.strict,
        ctx.redactor().clone(),
        exchanges.clone(),
        defects,
        options.reporter.clone(),
    );
    if let Some(budget) = options.max_requests {
        let reason =
            format!("not run: request budget of {budget} reached (raise --max-requests to run it)");
        for (feature, rule, scenario) in &schedule.not_run {
            collector.not_run(feature, *rule, scenario, &reason);
        }
    }
    let prefetched = steps::prefetch::start(&ctx, &steps::prefetch::worth_prefetching(&actions));
    let attach = ctx.clone();
    let record_exchanges = options.record_exchanges;
    let filter_ctx = ctx.clone();
    let writer = cucumber::Cucumber::<_, _, _, _, _, cucumber::cli::Empty>::custom(
        FeatureList(schedule.features),
        cucumber::runner::Basic::default(),
        collector,
    )
    .steps(steps::collection())
    .max_concurrent_scenarios(ctx.target.http.concurrency.max(1) * SCENARIOS_PER_SLOT)
    .before(move |_, _, scenario, world: &mut ReachabilityWorld| {
        let label = scenario_id(scenario).unwrap_or_else(|| scenario.name.clone());
        world.attach(attach.clone(), label);
        world.reserve_devices_if_needed(&scenario.steps);
        async {}.boxed_local()
    })
    .after(
        move |feature, _, scenario, finished, world: Option<&mut ReachabilityWorld>| {
            let passed = matches!(finished, cucumber::event::ScenarioFinished::StepPassed);
            let key = collector::key(feature, scenario);
            let exchanges = exchanges.clone();
            async move {
                if let Some(world) = world {
                    // A request no step needed the answer of still goes out (the scenario
                    // checks nothing: a plan defect); not after a step that did not pass.
                    if passed {
                        let _ = world.send_pending().await;
                    }
                    let sent = collector::Sent {
                        recorded: if record_exchanges {
                            world.recorded_exchanges()
                        } else {
                            Vec::new()
                        },
                        requests: world.requests_sent(),
                    };
                    if let Ok(mut all) = exchanges.lock() {
                        all.insert(key, sent);
                    }
                }
            }
            .boxed_local()
        },
    )
    .with_default_cli()
    .filter_run((), move |f, r, s| {
        is_selected(profile, tags.as_ref(), f, r, s)
            && creation::not_applicable(f, r, s, &filter_ctx.target).is_none()
    })
    .await;
    drop(prefetched);
    let mut scenarios = writer.into_results();
    // Whatever happened to the scenarios, what they created is deleted.
    let leftovers = steps::clean_up(&ctx).await;
    scenarios.sort_by(|a, b| (&a.feature_source, a.line).cmp(&(&b.feature_source, b.line)));
    let RunStarted {
        target,
        url,
        profile,
        spec_source,
        ..
    } = started;
    let result = RunResult {
        target,
        url,
        profile,
        spec_source,
        plan_defects,
        leftovers,
        scenarios,
        duration: clock.elapsed(),
    };
    options.reporter.report(Event::RunFinished(&result));
    result
}

/// Features already parsed, handed to cucumber as its parser's output.
struct FeatureList(Vec<gherkin::Feature>);

impl cucumber::Parser<()> for FeatureList {
    type Cli = cucumber::cli::Empty;
    type Output =
        futures::stream::Iter<std::vec::IntoIter<cucumber::parser::Result<gherkin::Feature>>>;

    fn parse(self, _input: (), _cli: Self::Cli) -> Self::Output {
        futures::stream::iter(self.0.into_iter().map(Ok).collect::<Vec<_>>())
    }
}

/// Steps end by raising a [`Verdict`]: that is a result, not a crash, so it prints nothing.
/// Other panics print their place and message, masked by the redactor of the latest run
/// (the message may quote a server's answer) and escaped (see [`printable`]).
///
/// The hook is set again by every run, not once per process: a caller may have put another
/// back in between (the self-test sets the caller's hook aside while its suites run, and
/// puts it back after them), and a step's verdict must not print as a crash in a later run.
fn silence_verdict_panics(redactor: &Redactor) {
    static PANIC_REDACTOR: Mutex<Option<Redactor>> = Mutex::new(None);
    *PANIC_REDACTOR
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(redactor.clone());
    std::panic::set_hook(Box::new(|info| {
        if info.payload().downcast_ref::<Verdict>().is_some() {
            return;
        }
        let message = collector::panic_text(info.payload());
        let message = match &*PANIC_REDACTOR
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
        {
            Some(redactor) => redactor.redact(&message),
            None => String::new(),
        };
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("panicked{place}: {}", printable(&message));
    }));
}
