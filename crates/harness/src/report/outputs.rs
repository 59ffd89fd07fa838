//! The output files of a run, from `run`'s flags or from `RC_*` environment variables (the
//! `cargo test` path), written for every run of an invocation at once.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::document::{self, ReportFile};
use super::reporter::Displayer;
use super::{RunResult, cucumber_json, junit, record};
use crate::redact::Redactor;

/// Environment variable naming the JUnit XML file (like `--junit`).
pub const ENV_JUNIT: &str = "RC_JUNIT";
/// Environment variable naming the Cucumber JSON file (like `--cucumber-json`).
pub const ENV_CUCUMBER_JSON: &str = "RC_CUCUMBER_JSON";
/// Environment variable naming report files, separated like `PATH` (like `--report`).
pub const ENV_REPORT: &str = "RC_REPORT";
/// Environment variable naming the folder to record exchanges in (like `--record`).
pub const ENV_RECORD: &str = "RC_RECORD";

/// The files `run` writes once every profile has run; each holds every run.
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct OutputArgs {
    /// Write JUnit XML for CI (one testsuite per profile, one testcase per scenario).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write Cucumber JSON for Cucumber report tools.
    #[arg(long = "cucumber-json", value_name = "FILE")]
    pub cucumber_json: Option<PathBuf>,
    /// Write a conformance report for people: FILE.html (one self-contained page) or FILE.md
    /// (repeatable).
    #[arg(long = "report", value_name = "FILE", value_parser = ReportFile::parse)]
    pub reports: Vec<ReportFile>,
    /// Record every exchange of every scenario as JSON under DIR, one folder per profile.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
}

impl OutputArgs {
    /// The outputs named by `RC_JUNIT`, `RC_CUCUMBER_JSON`, `RC_REPORT` and `RC_RECORD`.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    /// The outputs named by the `RC_*` variables that `lookup` finds (unset or empty: none).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<Self, String> {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let reports = match get(ENV_REPORT) {
            Some(list) => std::env::split_paths(&list)
                .filter(|p| !p.as_os_str().is_empty())
                .map(|p| ReportFile::parse(&p.to_string_lossy()))
                .collect::<Result<_, _>>()
                .map_err(|e| format!("{ENV_REPORT}: {e}"))?,
            None => Vec::new(),
        };
        Ok(Self {
            junit: get(ENV_JUNIT).map(PathBuf::from),
            cucumber_json: get(ENV_CUCUMBER_JSON).map(PathBuf::from),
            reports,
            record: get(ENV_RECORD).map(PathBuf::from),
        })
    }

    /// Whether no output file is asked for.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// One displayer per asked-for output, in the order they are written: JUnit XML,
    /// Cucumber JSON, each report, the recorded exchanges.
    pub(crate) fn displayers(&self) -> Vec<Box<dyn Displayer>> {
        let mut out: Vec<Box<dyn Displayer>> = Vec::new();
        if let Some(path) = &self.junit {
            out.push(Box::new(JUnit(path.clone())));
        }
        if let Some(path) = &self.cucumber_json {
            out.push(Box::new(CucumberJson(path.clone())));
        }
        for report in &self.reports {
            out.push(Box::new(Document(report.clone())));
        }
        if let Some(dir) = &self.record {
            out.push(Box::new(Record(dir.clone())));
        }
        out
    }
}

/// `--junit FILE`.
struct JUnit(PathBuf);

impl Displayer for JUnit {
    fn write(&self, runs: &[RunResult], mask: &Redactor) -> Result<String, String> {
        write_file(&self.0, &junit::render(runs)?, mask, "--junit")?;
        Ok(format!("JUnit XML:     {}", self.0.display()))
    }
}

/// `--cucumber-json FILE`.
struct CucumberJson(PathBuf);

impl Displayer for CucumberJson {
    fn write(&self, runs: &[RunResult], mask: &Redactor) -> Result<String, String> {
        write_file(
            &self.0,
            &cucumber_json::render(runs)?,
            mask,
            "--cucumber-json",
        )?;
        Ok(format!("Cucumber JSON: {}", self.0.display()))
    }
}

/// `--report FILE.html` or `--report FILE.md`, dated when it is written.
struct Document(ReportFile);

impl Displayer for Document {
    fn write(&self, runs: &[RunResult], mask: &Redactor) -> Result<String, String> {
        let text = document::render(self.0.format, runs, Utc::now());
        write_file(&self.0.path, &text, mask, "--report")?;
        Ok(format!("report:        {}", self.0))
    }
}

/// `--record DIR`.
struct Record(PathBuf);

impl Displayer for Record {
    fn write(&self, runs: &[RunResult], mask: &Redactor) -> Result<String, String> {
        let files = record::write(&self.0, runs, mask)?;
        Ok(format!(
            "exchanges:     {} ({} files)",
            self.0.display(),
            files.len()
        ))
    }
}

/// Writes `text` (masked once more, in case a secret came through unescaped) to `path`,
/// creating its folder; errors name the flag to check.
fn write_file(path: &Path, text: &str, redactor: &Redactor, flag: &str) -> Result<(), String> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            format!(
                "cannot create the folder {} for {flag}: {e}",
                parent.display()
            )
        })?;
    }
    std::fs::write(path, redactor.redact(text))
        .map_err(|e| format!("cannot write {} ({flag}): {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_variables_name_the_outputs() {
        let list = std::env::join_paths(["a.html", "b.md"]).unwrap();
        let env = |name: &str| match name {
            ENV_JUNIT => Some(OsString::from("j.xml")),
            ENV_REPORT => Some(list.clone()),
            ENV_RECORD => Some(OsString::new()),
            _ => None,
        };
        let outputs = OutputArgs::from_lookup(env).unwrap();
        assert_eq!(outputs.junit, Some(PathBuf::from("j.xml")));
        assert_eq!(outputs.cucumber_json, None);
        assert_eq!(
            outputs.reports,
            vec![
                ReportFile::parse("a.html").unwrap(),
                ReportFile::parse("b.md").unwrap()
            ]
        );
        assert_eq!(outputs.record, None);
        assert!(OutputArgs::from_lookup(|_| None).unwrap().is_empty());
    }

    #[test]
    fn a_bad_report_name_in_the_environment_is_explained() {
        let err = OutputArgs::from_lookup(|name| {
            (name == ENV_REPORT).then(|| OsString::from("report.pdf"))
        })
        .unwrap_err();
        assert!(
            err.starts_with("RC_REPORT: cannot tell the report format of \"report.pdf\""),
            "{err}"
        );
    }
}
