//! The one entry point of a run: the CLI, selftest, the bench and the tests all assemble
//! their runs here.

use std::sync::Arc;
use std::time::Duration;

use super::{PlannedScenario, RunOptions, Suite, TagFilter, plan, run};
use crate::http::HttpError;
use crate::negative::GenerationSettings;
use crate::report::{Reporter, RunResult};
use crate::schema::SchemaSet;
use crate::steps::{self, RunContext, Sweep};
use crate::target_file::Target;

/// Assembles a run of a suite against one target. Unless told otherwise it checks against
/// the profile's built-in schemas, reports to a silent reporter with a fresh redactor, draws
/// a random seed for the generated cases, runs every scenario of the profile, counts skips
/// as skips and keeps every exchange in the results.
pub struct RunBuilder {
    target: Target,
    schemas: Option<SchemaSet>,
    generation: GenerationSettings,
    options: RunOptions,
}

impl RunBuilder {
    /// A run against `target`.
    pub fn new(target: Target) -> Self {
        Self {
            schemas: None,
            generation: GenerationSettings {
                depth: target.depth.unwrap_or_default(),
                ..GenerationSettings::drawn()
            },
            options: RunOptions {
                record_exchanges: true,
                ..RunOptions::default()
            },
            target,
        }
    }

    /// Checks responses against `schemas` (e.g. a vendor's spec) instead of the built-ins.
    pub fn schemas(mut self, schemas: SchemaSet) -> Self {
        self.schemas = Some(schemas);
        self
    }

    /// Tells `reporter` what happens (it may be shared by several runs writing one report);
    /// the run registers its secrets with the reporter's redactor.
    pub fn reporter(mut self, reporter: Reporter) -> Self {
        self.options.reporter = reporter;
        self
    }

    /// Generates negative cases with `settings` (seed, depth, case count).
    pub fn generation(mut self, settings: GenerationSettings) -> Self {
        self.generation = settings;
        self
    }

    /// Counts a scenario skipped for a missing testing asset as failed.
    pub fn strict(mut self, strict: bool) -> Self {
        self.options.strict = strict;
        self
    }

    /// Runs only the scenarios matching `tags`, when given.
    pub fn tags(mut self, tags: Option<TagFilter>) -> Self {
        self.options.tags = tags;
        self
    }

    /// Runs only the scenarios whose planned requests fit in `max` (cheapest first); the
    /// others are reported as errored, not run.
    pub fn max_requests(mut self, max: Option<usize>) -> Self {
        self.options.max_requests = max;
        self
    }

    /// Keeps every exchange in the results as redacted JSON (`ScenarioResult::exchanges`),
    /// as `--record` needs; without it a run does not build that JSON (the count of
    /// requests sent is kept either way).
    pub fn record_exchanges(mut self, record: bool) -> Self {
        self.options.record_exchanges = record;
        self
    }

    /// The run, its HTTP client and token cache ready; registers the target's secrets
    /// with the redactor. Fails when the HTTP client cannot be built (e.g. a bad CA file).
    pub fn build(self) -> Result<Run, HttpError> {
        let schemas = self
            .schemas
            .unwrap_or_else(|| SchemaSet::builtin(self.target.profile));
        let redactor = self.options.reporter.redactor();
        let ctx = RunContext::new(self.target, schemas, redactor, self.generation)?;
        Ok(Run {
            ctx: Arc::new(ctx),
            options: self.options,
        })
    }
}

/// A run ready to execute.
pub struct Run {
    ctx: Arc<RunContext>,
    options: RunOptions,
}

impl Run {
    /// What every scenario of the run shares: the target, the HTTP client, the schemas.
    pub fn context(&self) -> &RunContext {
        &self.ctx
    }

    /// The scenarios of `suite` this run would execute, and what would stop each.
    pub fn plan(&self, suite: &Suite) -> Vec<PlannedScenario> {
        plan(
            suite,
            &self.ctx.target,
            &self.ctx.schemas,
            self.options.tags.as_ref(),
            &self.ctx.generation,
        )
    }

    /// Runs the selected scenarios of `suite`, telling the reporter as it goes, and returns
    /// what it found.
    pub async fn execute(self, suite: &Suite) -> RunResult {
        run(suite, self.ctx, self.options).await
    }

    /// Runs like [`Run::execute`] unless `stop` completes first (Ctrl-C): then no scenario
    /// starts any more, the ones in flight are abandoned, and the subscriptions the run
    /// created are deleted at once, each request bounded by `within`.
    pub async fn execute_unless(
        self,
        suite: &Suite,
        stop: impl Future<Output = ()>,
        within: Duration,
    ) -> Result<RunResult, Interrupted> {
        let ctx = Arc::clone(&self.ctx);
        tokio::select! {
            result = run(suite, self.ctx, self.options) => Ok(result),
            () = stop => {
                let created = ctx.subscriptions.ledger.entries().len();
                let leftovers = steps::clean_up_within(&ctx, within).await;
                Err(Interrupted {
                    deleted: created - leftovers.len(),
                    leftovers,
                })
            }
        }
    }

    /// Deletes the leftovers of earlier runs of this sink (`[subscriptions] sweep`),
    /// before the first scenario.
    pub async fn sweep(&self) -> Sweep {
        steps::sweep(&self.ctx).await
    }
}

/// What an interrupted run did about the subscriptions it had created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interrupted {
    /// How many were deleted.
    pub deleted: usize,
    /// One line per subscription that could not be deleted, with the URL to delete it by.
    pub leftovers: Vec<String>,
}
