//! `--record DIR`: every exchange of every scenario as JSON, one file per scenario, in one
//! folder per profile (`DIR/camara-v1/reachability_v1_01_connected_sms_only-L23.json`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::text::file_stem;
use super::{RunResult, ScenarioResult};
use crate::redact::Redactor;

/// Writes the exchanges of every scenario of `runs` (already redacted, and masked once
/// more by `redactor` as written) under `dir`, and returns the files written.
pub fn write(dir: &Path, runs: &[RunResult], redactor: &Redactor) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for run in runs {
        let folder = dir.join(run.profile.name());
        std::fs::create_dir_all(&folder).map_err(|e| {
            format!(
                "cannot create the record folder {}: {e}; check --record",
                folder.display()
            )
        })?;
        for (name, document) in documents(run) {
            let path = folder.join(name);
            let text = serde_json::to_string_pretty(&document)
                .map_err(|e| format!("cannot encode {}: {e}", path.display()))?;
            std::fs::write(&path, redactor.redact(&text) + "\n")
                .map_err(|e| format!("cannot write {}: {e}; check --record", path.display()))?;
            written.push(path);
        }
    }
    Ok(written)
}

/// One file name and JSON document per scenario of `run`; names are unique in the run.
pub fn documents(run: &RunResult) -> Vec<(String, Value)> {
    let mut taken = HashSet::new();
    run.scenarios
        .iter()
        .map(|scenario| {
            let base = format!("{}-L{}", file_stem(scenario.label()), scenario.line);
            let mut name = format!("{base}.json");
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{base}-{n}.json");
            }
            (name, document(run, scenario))
        })
        .collect()
}

fn document(run: &RunResult, scenario: &ScenarioResult) -> Value {
    json!({
        "profile": run.profile.name(),
        "target": run.target,
        "url": run.url,
        "scenario": {
            "id": scenario.id,
            "name": scenario.name,
            "feature": scenario.feature,
            "feature_source": scenario.feature_source,
            "line": scenario.line,
            "tags": scenario.tags,
            "status": scenario.status.name(),
            "failed_step": scenario.failed_step,
            "reason": scenario.reason,
            "duration_ms": u64::try_from(scenario.duration.as_millis()).unwrap_or(u64::MAX),
        },
        "exchanges": scenario.exchanges,
    })
}
