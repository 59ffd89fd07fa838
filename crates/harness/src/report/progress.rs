//! The console displayer: the header and summary of each run and, while it goes, a line per
//! finished scenario with, on a terminal, a progress line below them.

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write as _};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Event, RunResult, Totals, console};
use crate::profile::Profile;
use crate::redact::Redactor;

/// How often the progress line redraws (its spinner and clock).
const TICK: Duration = Duration::from_millis(120);

/// The progress line's layout.
const TEMPLATE: &str = "{spinner} {prefix} [{bar:24}] {pos}/{len} {msg} ({elapsed})";

/// The progress line's message: the outcome totals and the requests sent of those planned.
fn message(totals: &Totals, sent: usize, planned: usize) -> String {
    format!("{} | {sent}/{planned} requests", totals.line())
}

/// How the console shows a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConsoleStyle {
    /// Draw a live progress line (a terminal, not CI).
    pub live: bool,
    /// Colour the outcome marks (a terminal, `NO_COLOR` not set).
    pub colour: bool,
}

impl ConsoleStyle {
    /// The style for this process's stdout and environment (`CI`, `NO_COLOR`).
    pub fn detect() -> Self {
        Self::decide(
            std::io::stdout().is_terminal(),
            std::env::var_os("CI"),
            std::env::var_os("NO_COLOR"),
        )
    }

    /// The style for a stdout that is (or is not) a `terminal`, with these values of `CI` and
    /// `NO_COLOR`: plain lines in CI or when piped, no colour with `NO_COLOR` or when piped.
    pub fn decide(terminal: bool, ci: Option<OsString>, no_color: Option<OsString>) -> Self {
        let ci = ci.is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
        let no_color = no_color.is_some_and(|v| !v.is_empty());
        Self {
            live: terminal && !ci,
            colour: terminal && !no_color,
        }
    }
}

/// The console output of a reporter: the header of each run, a line per finished scenario
/// (above a live progress line on a terminal), each run's summary, the closing line over all
/// runs and the files written. Every text is masked before it is printed.
pub(crate) struct ConsoleDisplayer {
    style: ConsoleStyle,
    bar: Option<ProgressBar>,
    totals: Totals,
    /// Requests the current run plans, and those sent so far.
    planned: usize,
    sent: usize,
}

impl ConsoleDisplayer {
    /// Shows runs in `style`.
    pub(crate) fn new(style: ConsoleStyle) -> Self {
        Self {
            style,
            bar: None,
            totals: Totals::default(),
            planned: 0,
            sent: 0,
        }
    }

    /// Prints what `event` says, masked by `mask`.
    pub(crate) fn on_event(&mut self, event: &Event<'_>, mask: &Redactor) {
        match event {
            Event::RunStarted(run) => {
                println!("{}", mask.redact(&console::header(run)));
                self.totals = Totals::default();
                self.planned = run.requests;
                self.sent = 0;
                self.bar = self
                    .style
                    .live
                    .then(|| live_bar(run.profile, run.scenarios, run.requests));
            }
            Event::ScenarioFinished(result) => {
                let line = mask.redact(&console::scenario_line(result, self.style.colour));
                self.totals.count(result.status);
                self.sent += result.requests_sent;
                match &self.bar {
                    Some(bar) => {
                        bar.println(line);
                        bar.inc(1);
                        bar.set_message(message(&self.totals, self.sent, self.planned));
                    }
                    None => {
                        println!("{line}");
                        let _ = std::io::stdout().flush();
                    }
                }
            }
            Event::RunFinished(result) => {
                // The progress line goes, so the summary follows the scenario lines.
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
                println!("{}", mask.redact(&console::summary(result)));
            }
        }
    }

    /// Prints the closing line over `runs` (nothing for a single run).
    pub(crate) fn overall(&self, runs: &[RunResult], mask: &Redactor) {
        if let Some(line) = console::overall(runs) {
            println!("{}", mask.redact(&line));
        }
    }

    /// Prints a line per output written.
    pub(crate) fn written(&self, lines: &[String], mask: &Redactor) {
        for line in lines {
            println!("wrote {}", mask.redact(line));
        }
    }
}

/// A progress line for a run of `total` scenarios planning `requests` requests against
/// `profile`, ticking on its own.
fn live_bar(profile: Profile, total: usize, requests: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(total).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stdout(),
    );
    if let Ok(look) = ProgressStyle::with_template(TEMPLATE) {
        bar.set_style(look.progress_chars("=> "));
    }
    bar.set_prefix(profile.name());
    bar.set_message(message(&Totals::default(), 0, requests));
    bar.enable_steady_tick(TICK);
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &str) -> Option<OsString> {
        Some(OsString::from(v))
    }

    #[test]
    fn live_line_only_on_a_terminal_outside_ci() {
        let style = ConsoleStyle::decide;
        assert_eq!(
            style(true, None, None),
            ConsoleStyle {
                live: true,
                colour: true
            }
        );
        assert!(!style(true, os("true"), None).live);
        assert!(style(true, os("false"), None).live);
        assert!(style(true, os(""), None).live);
        assert_eq!(
            style(false, None, None),
            ConsoleStyle {
                live: false,
                colour: false
            }
        );
    }

    #[test]
    fn the_message_counts_requests_sent_of_those_planned() {
        let mut totals = Totals::default();
        totals.count(crate::report::Status::Passed);
        assert_eq!(
            message(&totals, 12, 74),
            format!("{} | 12/74 requests", totals.line())
        );
    }

    #[test]
    fn no_color_turns_colours_off() {
        assert!(!ConsoleStyle::decide(true, None, os("1")).colour);
        assert!(ConsoleStyle::decide(true, None, os("")).colour);
        assert!(ConsoleStyle::decide(true, os("true"), None).colour);
    }
}
