//! The conformance report for people (`--report FILE.html` / `--report FILE.md`): what was
//! tested, the totals, every scenario with its outcome, the failures with their evidence and
//! the profile's known deviations. One section per run (profile).

mod html;
mod markdown;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{RunResult, ScenarioResult};

/// Title of every report.
const TITLE: &str = "Device Reachability Status conformance report";

/// The format of a report, chosen by the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocFormat {
    /// A self-contained HTML page (`.html`, `.htm`).
    Html,
    /// Markdown, as GitHub and GitLab render it (`.md`, `.markdown`).
    Markdown,
}

impl DocFormat {
    /// The format for `path`'s extension, or a message saying which extensions work.
    pub fn for_path(path: &Path) -> Result<Self, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html" | "htm") => Ok(DocFormat::Html),
            Some("md" | "markdown") => Ok(DocFormat::Markdown),
            _ => Err(format!(
                "cannot tell the report format of {:?}: name the file *.html (a page for \
                 browsers) or *.md (Markdown)",
                path.display().to_string()
            )),
        }
    }
}

/// A `--report` file and its format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFile {
    /// Where to write it.
    pub path: PathBuf,
    /// What to write.
    pub format: DocFormat,
}

impl ReportFile {
    /// A report file for `path`; its extension gives the format.
    pub fn parse(path: &str) -> Result<Self, String> {
        let path = PathBuf::from(path);
        let format = DocFormat::for_path(&path)?;
        Ok(Self { path, format })
    }
}

impl fmt::Display for ReportFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())
    }
}

/// The report on `runs` (already redacted) in `format`, dated `generated`.
pub fn render(format: DocFormat, runs: &[RunResult], generated: DateTime<Utc>) -> String {
    let generated = generated.format("%Y-%m-%d %H:%M UTC").to_string();
    match format {
        DocFormat::Html => html::render(runs, &generated),
        DocFormat::Markdown => markdown::render(runs, &generated),
    }
}

/// What was tested in a run, as label/value rows.
fn run_facts(run: &RunResult) -> Vec<(&'static str, String)> {
    vec![
        ("Target", run.target.clone()),
        ("URL", run.url.clone()),
        ("Profile", run.profile.name().to_owned()),
        ("API", run.profile.api_name().to_owned()),
        ("API version", run.profile.api_version().to_owned()),
        ("Release", run.profile.release().to_owned()),
        ("Spec source", run.spec_source.clone()),
        ("Duration", seconds(run.duration)),
    ]
}

/// The harness name and version.
fn harness() -> String {
    format!("reachability-conformance {}", env!("CARGO_PKG_VERSION"))
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// A one-line title for an exchange transcript: its request line and response status.
fn exchange_title(exchange: &str) -> String {
    let request = exchange.lines().find_map(|l| l.strip_prefix("> "));
    let response = exchange.lines().find_map(|l| l.strip_prefix("< HTTP "));
    match (request, response) {
        (Some(request), Some(response)) => format!("HTTP exchange: {request} → {response}"),
        (Some(request), None) => format!("HTTP exchange: {request}"),
        _ => "HTTP exchange".to_owned(),
    }
}

/// The known deviations of a run: its scenarios tagged `@known_deviation`.
fn known_deviations(run: &RunResult) -> Vec<&ScenarioResult> {
    run.scenarios
        .iter()
        .filter(|s| s.is_known_deviation())
        .collect()
}

/// What the known-deviations section says before listing them.
const DEVIATIONS_INTRO: &str = "Scenarios tagged @known_deviation check a behaviour that this \
    profile documents differently from CAMARA; they pass when the target behaves as documented.";

/// What the plan-defects section says before listing them.
const PLAN_DEFECTS_INTRO: &str = "The test plan itself is wrong here (see docs/plan-defects.md): \
    a scenario that failed because of such a defect is reported as could not test, not as a \
    failure of the target.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_comes_from_the_extension() {
        assert_eq!(ReportFile::parse("r.html").unwrap().format, DocFormat::Html);
        assert_eq!(
            ReportFile::parse("R.MD").unwrap().format,
            DocFormat::Markdown
        );
        assert_eq!(
            ReportFile::parse("out/report.txt").unwrap_err(),
            "cannot tell the report format of \"out/report.txt\": name the file *.html \
             (a page for browsers) or *.md (Markdown)"
        );
        assert!(ReportFile::parse("report").is_err());
    }

    #[test]
    fn exchange_titles_name_request_and_status() {
        let transcript =
            "> POST http://h/x\n> a: b\n>\n{}\n\n< HTTP 404 Not Found (3 ms)\n< c: d\n";
        assert_eq!(
            exchange_title(transcript),
            "HTTP exchange: POST http://h/x → 404 Not Found (3 ms)"
        );
        assert_eq!(exchange_title("garbled"), "HTTP exchange");
    }
}
