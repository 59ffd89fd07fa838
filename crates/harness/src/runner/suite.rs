//! The features a run executes: the embedded suite, or feature files given on the command
//! line, parsed once (outlines expanded) before anything runs.

use std::fmt;
use std::path::{Path, PathBuf};

use cucumber::feature::Ext as _;
use cucumber::gherkin::{self, GherkinEnv};

/// The project's own features (file name, text), compiled into the binary so it runs from
/// any directory.
pub(crate) const EMBEDDED: &[(&str, &str)] = &[
    (
        "features/camara-v1/success.feature",
        include_str!("../../../../features/camara-v1/success.feature"),
    ),
    (
        "features/camara-v1/device-errors.feature",
        include_str!("../../../../features/camara-v1/device-errors.feature"),
    ),
    (
        "features/camara-v1/request-validation.feature",
        include_str!("../../../../features/camara-v1/request-validation.feature"),
    ),
    (
        "features/camara-v1/security.feature",
        include_str!("../../../../features/camara-v1/security.feature"),
    ),
    (
        "features/camara-v1/generated.feature",
        include_str!("../../../../features/camara-v1/generated.feature"),
    ),
    (
        "features/camara-v1/security-profile.feature",
        include_str!("../../../../features/camara-v1/security-profile.feature"),
    ),
    (
        "features/orange-lab-v0/success.feature",
        include_str!("../../../../features/orange-lab-v0/success.feature"),
    ),
    (
        "features/orange-lab-v0/errors.feature",
        include_str!("../../../../features/orange-lab-v0/errors.feature"),
    ),
    (
        "features/orange-lab-v0/generated.feature",
        include_str!("../../../../features/orange-lab-v0/generated.feature"),
    ),
    (
        "features/camara-subscriptions-v0.8/lifecycle.feature",
        include_str!("../../../../features/camara-subscriptions-v0.8/lifecycle.feature"),
    ),
    (
        "features/camara-subscriptions-v0.8/errors.feature",
        include_str!("../../../../features/camara-subscriptions-v0.8/errors.feature"),
    ),
    (
        "features/camara-subscriptions-v0.8/state_changes.feature",
        include_str!("../../../../features/camara-subscriptions-v0.8/state_changes.feature"),
    ),
];

/// A set of parsed features.
#[derive(Clone, Debug)]
pub struct Suite {
    features: Vec<gherkin::Feature>,
}

/// A feature that cannot be loaded.
#[derive(Debug)]
pub enum SuiteError {
    /// A file or folder could not be read.
    Read { path: PathBuf, detail: String },
    /// A feature is not valid Gherkin.
    Parse { source: String, detail: String },
    /// A path holds no `.feature` file.
    Empty { path: PathBuf },
}

impl fmt::Display for SuiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SuiteError::Read { path, detail } => {
                write!(
                    f,
                    "cannot read {}: {detail}; check the --features path",
                    path.display()
                )
            }
            SuiteError::Parse { source, detail } => {
                write!(
                    f,
                    "{source} is not valid Gherkin: {detail}; fix the feature file"
                )
            }
            SuiteError::Empty { path } => write!(
                f,
                "{} holds no .feature file; give a feature file or a folder of them",
                path.display()
            ),
        }
    }
}

impl std::error::Error for SuiteError {}

impl Suite {
    /// The project's own features (every profile).
    pub fn embedded() -> Result<Self, SuiteError> {
        let features = EMBEDDED
            .iter()
            .map(|(name, text)| parse(name, text))
            .collect::<Result<_, _>>()?;
        Ok(Self { features })
    }

    /// Feature files, or folders searched recursively for `*.feature`, in name order.
    pub fn from_paths(paths: &[PathBuf]) -> Result<Self, SuiteError> {
        let mut files = Vec::new();
        for path in paths {
            let before = files.len();
            collect_feature_files(path, &mut files)?;
            if files.len() == before {
                return Err(SuiteError::Empty { path: path.clone() });
            }
        }
        let features = files
            .iter()
            .map(|file| {
                let text = std::fs::read_to_string(file).map_err(|e| SuiteError::Read {
                    path: file.clone(),
                    detail: e.to_string(),
                })?;
                parse(&file.display().to_string(), &text)
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { features })
    }

    /// The parsed features, outlines expanded.
    pub fn features(&self) -> &[gherkin::Feature] {
        &self.features
    }
}

fn parse(source: &str, text: &str) -> Result<gherkin::Feature, SuiteError> {
    let mut feature =
        gherkin::Feature::parse(text, GherkinEnv::default()).map_err(|e| SuiteError::Parse {
            source: source.to_owned(),
            detail: e.to_string(),
        })?;
    feature.path = Some(PathBuf::from(source));
    feature.expand_examples().map_err(|e| SuiteError::Parse {
        source: source.to_owned(),
        detail: e.to_string(),
    })
}

fn collect_feature_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), SuiteError> {
    let read_error = |e: std::io::Error| SuiteError::Read {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(read_error)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect_feature_files(&entry, out)?;
        } else if entry.extension().is_some_and(|ext| ext == "feature") {
            out.push(entry);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_features_parse() {
        let suite = Suite::embedded().expect("embedded features parse");
        assert_eq!(suite.features().len(), EMBEDDED.len());
    }

    #[test]
    fn bad_paths_and_bad_gherkin_are_explained() {
        let dir = std::env::temp_dir().join(format!("rc-suite-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = Suite::from_paths(std::slice::from_ref(&dir)).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("holds no .feature file; give a feature file or a folder of them")
        );
        let file = dir.join("broken.feature");
        std::fs::write(
            &file,
            "Scenario: a scenario outside any feature\n  Given a step\n",
        )
        .unwrap();
        let err = Suite::from_paths(std::slice::from_ref(&file)).unwrap_err();
        assert!(
            err.to_string()
                .contains("broken.feature is not valid Gherkin"),
            "{err}"
        );
        let outline = dir.join("outline.feature");
        let text = "Feature: x\n  Scenario Outline: y\n    Given <missing>\n    Examples:\n      | other |\n      | 1 |\n";
        std::fs::write(&outline, text).unwrap();
        let err = Suite::from_paths(std::slice::from_ref(&outline)).unwrap_err();
        assert!(
            err.to_string().contains("Failed to resolve <missing>"),
            "{err}"
        );
        let missing = dir.join("missing.feature");
        let err = Suite::from_paths(&[missing]).unwrap_err();
        assert!(err.to_string().starts_with("cannot read"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
