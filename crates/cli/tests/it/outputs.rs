//! The binary run as a user runs it, every output switched on, and the search of all it
//! printed and wrote for secrets.

use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

/// What one run of the binary printed and wrote.
pub struct Outputs {
    /// Its exit code (-1 when killed by a signal).
    pub code: i32,
    /// Where each text came from (`stdout`, `stderr` or a file path) and the text.
    pub texts: Vec<(String, String)>,
}

impl Outputs {
    /// The text that came from `place` (`stdout`, `stderr`, or a file name ending).
    pub fn text(&self, place: &str) -> &str {
        self.texts
            .iter()
            .find(|(p, _)| p == place || p.ends_with(place))
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("no output {place}"))
    }

    /// Every place that holds `needle` (ASCII case ignored).
    pub fn places_holding(&self, needle: &str) -> Vec<&str> {
        let needle = needle.to_ascii_lowercase();
        self.texts
            .iter()
            .filter(|(_, text)| text.to_ascii_lowercase().contains(&needle))
            .map(|(place, _)| place.as_str())
            .collect()
    }
}

/// Every file below `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Runs the binary on the target file `target_toml` (written under `dir`) with `env`
/// and every output on (JUnit, Cucumber JSON, HTML and Markdown reports, records).
pub fn run_with_all_outputs(target_toml: &str, env: &[(String, String)], dir: &Path) -> Outputs {
    std::fs::create_dir_all(dir).unwrap();
    let target = dir.join("target.toml");
    std::fs::write(&target, target_toml).unwrap();
    let out_dir = dir.join("out");
    let path = |name: &str| out_dir.join(name).display().to_string();
    std::fs::create_dir_all(&out_dir).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_reachability-conformance"))
        .args(["run", "--target", target.to_str().unwrap()])
        .args([
            "--junit",
            &path("junit.xml"),
            "--cucumber-json",
            &path("cucumber.json"),
        ])
        .args([
            "--report",
            &path("report.html"),
            "--report",
            &path("report.md"),
        ])
        .args(["--record", &path("exchanges")])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("CI", "true")
        .output()
        .expect("the binary runs");
    let mut texts = vec![
        (
            "stdout".to_owned(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        ),
        (
            "stderr".to_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ),
    ];
    for file in files_under(&out_dir) {
        let bytes = std::fs::read(&file).unwrap();
        texts.push((
            file.display().to_string(),
            String::from_utf8_lossy(&bytes).into_owned(),
        ));
    }
    Outputs {
        code: output.status.code().unwrap_or(-1),
        texts,
    }
}

/// Every place a secret shows: one of `secrets` (ASCII case ignored), or a credential
/// after `Bearer`/`Basic` (token68 characters, long enough not to be a word; a masked one
/// starts with '[').
pub fn leaks(outputs: &Outputs, secrets: &[String]) -> Vec<String> {
    let credential = Regex::new(r"(?i)\b(?:bearer|basic)\s+([A-Za-z0-9._~+/-]{16,}=*)").unwrap();
    let mut found = Vec::new();
    for secret in secrets {
        for place in outputs.places_holding(secret) {
            found.push(format!("{place}: holds the secret {secret:?}"));
        }
    }
    for (place, text) in &outputs.texts {
        for capture in credential.captures_iter(text) {
            found.push(format!(
                "{place}: credential after a scheme: {}",
                &capture[0]
            ));
        }
    }
    found
}
