//! Which profile feature files target, read from the resource path their steps name
//! (`"{api-root}/device-reachability-status/v1/retrieve"` is a camara v1 release), whatever
//! the step's wording: a v1 plan never runs against the v0 profile. Versions that share a
//! path are told apart by the version the feature's title names (`v1.0.0`), else the
//! family's current release is meant (`camara-v1`).

use std::collections::BTreeMap;

use super::{Suite, all_steps};
use crate::profile::Profile;

/// The profile to run the features of `suite` against. `given` is the profile the user
/// chose, if any, and `given_by` says how (`--profile camara-v1`, `the target file`).
///
/// An error (a usage error) when the files target several resource paths, when `given`
/// is not a profile of the path they target, or when they name no known resource and
/// nothing was given.
pub fn choose_profile(
    suite: &Suite,
    given: Option<Profile>,
    given_by: &str,
) -> Result<Profile, String> {
    let targeted = targeted(suite);
    let mut found = targeted.iter();
    match (found.next(), found.next(), given) {
        (Some(_), Some(_), _) => Err(format!(
            "the feature files target several profiles ({}); run each profile's files \
             separately",
            describe(&targeted)
        )),
        (Some((path, _)), None, Some(chosen)) if chosen.operation_path() != *path => Err(format!(
            "{given_by} chooses {chosen}, but the feature files target {} ({}); drop it, \
                 or give feature files written for {chosen}",
            names(path),
            describe(&targeted)
        )),
        (Some(_), None, Some(chosen)) => Ok(chosen),
        (Some((path, _)), None, None) => Ok(by_title(suite, path)),
        (None, _, Some(chosen)) => Ok(chosen),
        (None, _, None) => Err(format!(
            "cannot tell which profile the feature files target: none sends to a known \
             resource ({}); give --profile",
            Profile::all()
                .iter()
                .map(|p| format!("{p}: {}", p.operation_path()))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Of the profiles serving `path`, the one whose version a feature's title names
/// (`..., v1.0.0 - Operation ...`), else the current release of their family.
fn by_title(suite: &Suite, path: &str) -> Profile {
    let serving: Vec<Profile> = Profile::all()
        .iter()
        .copied()
        .filter(|p| p.operation_path() == path)
        .collect();
    let titled = serving.iter().copied().find(|p| {
        let version = format!("v{}", p.api_version());
        suite.features().iter().any(|f| {
            f.name
                .split(|c: char| c.is_whitespace() || c == ',')
                .any(|word| word == version)
        })
    });
    titled.unwrap_or_else(|| {
        let current = serving[0].api().current();
        if serving.contains(&current) {
            current
        } else {
            serving[serving.len() - 1]
        }
    })
}

/// For each operation path a feature sends to, those features' sources.
fn targeted(suite: &Suite) -> BTreeMap<&'static str, Vec<String>> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for feature in suite.features() {
        let scenarios = feature.scenarios.iter().map(|s| (None, s)).chain(
            feature
                .rules
                .iter()
                .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s))),
        );
        let source = super::collector::feature_source(feature);
        for (rule, scenario) in scenarios {
            for step in all_steps(feature, rule, scenario) {
                for profile in Profile::all() {
                    let path = profile.operation_path();
                    if names_resource(&step.value, path) {
                        let sources = out.entry(path).or_default();
                        if !sources.contains(&source) {
                            sources.push(source.clone());
                        }
                    }
                }
            }
        }
    }
    out
}

/// Whether a step's text quotes a path ending with `path`.
fn names_resource(step: &str, path: &str) -> bool {
    step.split('"')
        .skip(1)
        .step_by(2)
        .any(|quoted| quoted.ends_with(path))
}

/// The profiles serving `path`: `camara-v1.0 or camara-v1.1`.
fn names(path: &str) -> String {
    Profile::names_where(|p| p.operation_path() == path).replace(", ", " or ")
}

/// `camara-v1.0 or camara-v1.1: a.feature, b.feature; orange-lab-v0: c.feature`.
fn describe(targeted: &BTreeMap<&'static str, Vec<String>>) -> String {
    targeted
        .iter()
        .map(|(path, sources)| format!("{}: {}", names(path), sources.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Api;
    use std::path::PathBuf;

    /// The repository's root folder, where `features/` lives.
    const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");

    fn suite(paths: &[&str]) -> Suite {
        let paths: Vec<PathBuf> = paths.iter().map(|p| PathBuf::from(ROOT).join(p)).collect();
        Suite::from_paths(&paths).expect("the project's features parse")
    }

    fn profile(name: &str) -> Profile {
        name.parse().unwrap()
    }

    /// A message with the paths below [`ROOT`] written relative to it.
    fn relative(message: String) -> String {
        message.replace(ROOT, "")
    }

    #[test]
    fn files_choose_the_profile_of_their_resource_path() {
        let v1 = suite(&["features/official/device-reachability-status-v1.0.0.feature"]);
        assert_eq!(choose_profile(&v1, None, ""), Ok(profile("camara-v1.0")));
        let v11 = suite(&["features/official/device-reachability-status-v1.1.0.feature"]);
        assert_eq!(choose_profile(&v11, None, ""), Ok(profile("camara-v1.1")));
        // A title naming no version means the current release; a choice of another
        // version of the same path is kept.
        let embedded = suite(&["features/camara-v1/success.feature"]);
        assert_eq!(
            choose_profile(&embedded, None, ""),
            Ok(profile("camara-v1.1"))
        );
        assert_eq!(
            choose_profile(&v11, Some(profile("camara-v1.0")), "--profile camara-v1.0"),
            Ok(profile("camara-v1.0"))
        );
        let v0 = suite(&["features/orange-lab-v0"]);
        assert_eq!(
            choose_profile(
                &v0,
                Some(Api::OrangeLabV0.current()),
                "--profile orange-lab-v0"
            ),
            Ok(Api::OrangeLabV0.current())
        );
    }

    #[test]
    fn a_contradicting_profile_and_mixed_files_are_usage_errors() {
        let v1 = suite(&["features/official/device-reachability-status-v1.0.0.feature"]);
        assert_eq!(
            choose_profile(
                &v1,
                Some(Api::OrangeLabV0.current()),
                "--profile orange-lab-v0"
            )
            .map_err(relative),
            Err(
                "--profile orange-lab-v0 chooses orange-lab-v0, but the feature files target \
                 camara-v1.0 or camara-v1.1 (camara-v1.0 or camara-v1.1: \
                 features/official/device-reachability-status-v1.0.0.feature); \
                 drop it, or give feature files written for orange-lab-v0"
                    .into()
            )
        );
        let mixed = suite(&[
            "features/camara-v1/success.feature",
            "features/orange-lab-v0/success.feature",
        ]);
        let err = relative(
            choose_profile(&mixed, Some(Api::CamaraV1.current()), "--profile camara-v1")
                .unwrap_err(),
        );
        assert_eq!(
            err,
            "the feature files target several profiles (orange-lab-v0: \
             features/orange-lab-v0/success.feature; camara-v1.0 or camara-v1.1: \
             features/camara-v1/success.feature); run each profile's files separately"
        );
    }

    #[test]
    fn files_without_a_known_resource_need_a_profile() {
        let dir = std::env::temp_dir().join(format!("rc-targeting-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("other.feature");
        std::fs::write(
            &file,
            "Feature: f\n  Scenario: s\n    Given the resource \"{api-root}/other/v1/x\" set as base-url\n",
        )
        .unwrap();
        let other = Suite::from_paths(std::slice::from_ref(&file)).unwrap();
        let err = choose_profile(&other, None, "").unwrap_err();
        assert!(err.starts_with("cannot tell which profile"), "{err}");
        assert!(err.ends_with("; give --profile"), "{err}");
        assert_eq!(
            choose_profile(
                &other,
                Some(Api::OrangeLabV0.current()),
                "--profile orange-lab-v0"
            ),
            Ok(Api::OrangeLabV0.current())
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
