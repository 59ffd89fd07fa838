//! The reporter: what a run tells as it goes ([`Event`]), and the outputs made from it.
//!
//! The runner sends a reporter its events; the reporter hands each to its displayers (the
//! console, then the files of `run`'s flags once every run has finished). Every text a
//! displayer prints or writes is masked by the reporter's [`Redactor`] first, the redactor
//! the runs register their secrets with: callers never mask report text themselves.

use std::sync::{Arc, Mutex, PoisonError};

use super::progress::ConsoleDisplayer;
use super::{ConsoleStyle, OutputArgs, RunResult, RunStarted, ScenarioResult};
use crate::redact::Redactor;

/// What a run tells its reporter, in this order: it started, each scenario finished, it
/// finished.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// A run is about to execute its scenarios.
    RunStarted(&'a RunStarted),
    /// A scenario finished (in the order scenarios finish).
    ScenarioFinished(&'a ScenarioResult),
    /// A run finished: everything it found.
    RunFinished(&'a RunResult),
}

/// One output file (or folder) of a reporter, written once every run has finished. What it
/// writes, it passes through `mask` first.
pub(crate) trait Displayer: Send {
    /// Writes the output about every finished run (already redacted); returns a line saying
    /// what was written where.
    fn write(&self, runs: &[RunResult], mask: &Redactor) -> Result<String, String>;
}

/// Receives the events of one or more runs and turns them into the console output and the
/// output files. Clones share one reporter: hand one to each run
/// (`runner::RunBuilder::reporter`), then call [`Reporter::finish`] once.
#[derive(Clone)]
pub struct Reporter {
    inner: Arc<Mutex<Inner>>,
}

struct Inner {
    redactor: Redactor,
    console: Option<ConsoleDisplayer>,
    files: Vec<Box<dyn Displayer>>,
    /// Every finished run, as found (masked when the files are written: a later run may
    /// register more secrets).
    runs: Vec<RunResult>,
}

impl Reporter {
    /// A reporter that masks with `redactor` and, until told otherwise, shows nothing and
    /// writes no file.
    pub fn new(redactor: Redactor) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                redactor,
                console: None,
                files: Vec::new(),
                runs: Vec::new(),
            })),
        }
    }

    /// Shows the runs on stdout in `style`: header, a line per scenario, the summary.
    pub fn console(self, style: ConsoleStyle) -> Self {
        self.lock().console = Some(ConsoleDisplayer::new(style));
        self
    }

    /// Writes the files `outputs` asks for when [`Reporter::finish`] is called.
    pub fn outputs(self, outputs: &OutputArgs) -> Self {
        self.lock().files = outputs.displayers();
        self
    }

    /// The redactor every output is masked with; runs register their secrets with it.
    pub fn redactor(&self) -> Redactor {
        self.lock().redactor.clone()
    }

    /// Shows `event` on the console, and keeps a finished run for the output files.
    pub fn report(&self, event: Event<'_>) {
        let mut inner = self.lock();
        let Inner {
            redactor,
            console,
            files,
            runs,
        } = &mut *inner;
        if let Some(console) = console {
            console.on_event(&event, redactor);
        }
        // A silent reporter (the bench's, selftest's) keeps no copy of the runs.
        if let Event::RunFinished(run) = event
            && (console.is_some() || !files.is_empty())
        {
            runs.push(run.clone());
        }
    }

    /// Once every run has finished: shows the closing line over all runs, writes every
    /// output file and says on the console what was written where; returns those lines.
    /// Fails, naming the flag to check, when a file cannot be written.
    pub fn finish(&self) -> Result<Vec<String>, String> {
        let mut inner = self.lock();
        let Inner {
            redactor,
            console,
            files,
            runs,
        } = &mut *inner;
        if let Some(console) = console {
            console.overall(runs, redactor);
        }
        let runs: Vec<RunResult> = runs.iter().map(|r| r.redacted(redactor)).collect();
        let mut written = Vec::new();
        for file in files.iter() {
            written.push(file.write(&runs, redactor)?);
        }
        if let Some(console) = console {
            console.written(&written, redactor);
        }
        Ok(written)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Reporter {
    /// A silent reporter with a fresh redactor.
    fn default() -> Self {
        Self::new(Redactor::new())
    }
}
