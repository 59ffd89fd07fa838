//! Which profile feature files target, read from the resource path their steps name
//! (`"{api-root}/device-reachability-status/v1/retrieve"` is camara-v1), whatever the
//! step's wording: a v1 plan never runs against the v0 profile.

use std::collections::BTreeMap;

use super::{Suite, all_steps};
use crate::profile::Profile;

/// The profile to run the features of `suite` against. `given` is the profile the user
/// chose, if any, and `given_by` says how (`--profile camara-v1`, `the target file`).
///
/// An error (a usage error) when the files target several profiles, when `given`
/// contradicts the one they target, or when they name no known resource and nothing was
/// given.
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
        (Some((profile, _)), None, Some(chosen)) if *profile != chosen => Err(format!(
            "{given_by} chooses {chosen}, but the feature files target {} ({}); drop it, or \
             give feature files written for {chosen}",
            profile,
            describe(&targeted)
        )),
        (Some((profile, _)), None, _) => Ok(*profile),
        (None, _, Some(chosen)) => Ok(chosen),
        (None, _, None) => Err(format!(
            "cannot tell which profile the feature files target: none sends to a known \
             resource ({}); give --profile",
            Profile::ALL
                .iter()
                .map(|p| format!("{p}: {}", p.operation_path()))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// For each profile whose resource path a feature sends to, those features' sources.
fn targeted(suite: &Suite) -> BTreeMap<Profile, Vec<String>> {
    let mut out: BTreeMap<Profile, Vec<String>> = BTreeMap::new();
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
                for profile in Profile::ALL {
                    let sources = out.entry(profile).or_default();
                    if names_resource(&step.value, profile) && !sources.contains(&source) {
                        sources.push(source.clone());
                    }
                }
            }
        }
    }
    out.retain(|_, sources| !sources.is_empty());
    out
}

/// Whether a step's text quotes a path ending with `profile`'s operation path.
fn names_resource(step: &str, profile: Profile) -> bool {
    step.split('"')
        .skip(1)
        .step_by(2)
        .any(|quoted| quoted.ends_with(profile.operation_path()))
}

/// `camara-v1: a.feature, b.feature; orange-lab-v0: c.feature`.
fn describe(targeted: &BTreeMap<Profile, Vec<String>>) -> String {
    targeted
        .iter()
        .map(|(profile, sources)| format!("{profile}: {}", sources.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The repository's root folder, where `features/` lives.
    const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");

    fn suite(paths: &[&str]) -> Suite {
        let paths: Vec<PathBuf> = paths.iter().map(|p| PathBuf::from(ROOT).join(p)).collect();
        Suite::from_paths(&paths).expect("the project's features parse")
    }

    /// A message with the paths below [`ROOT`] written relative to it.
    fn relative(message: String) -> String {
        message.replace(ROOT, "")
    }

    #[test]
    fn files_choose_the_profile_of_their_resource_path() {
        let v1 = suite(&["features/official/device-reachability-status-v1.0.0.feature"]);
        assert_eq!(choose_profile(&v1, None, ""), Ok(Profile::CamaraV1));
        // v1.1.0 names its resource with a step the vocabulary does not bind.
        let v11 = suite(&["features/official/device-reachability-status-v1.1.0.feature"]);
        assert_eq!(choose_profile(&v11, None, ""), Ok(Profile::CamaraV1));
        let v0 = suite(&["features/orange-lab-v0"]);
        assert_eq!(
            choose_profile(&v0, Some(Profile::OrangeLabV0), "--profile orange-lab-v0"),
            Ok(Profile::OrangeLabV0)
        );
    }

    #[test]
    fn a_contradicting_profile_and_mixed_files_are_usage_errors() {
        let v1 = suite(&["features/official/device-reachability-status-v1.0.0.feature"]);
        assert_eq!(
            choose_profile(&v1, Some(Profile::OrangeLabV0), "--profile orange-lab-v0")
                .map_err(relative),
            Err("--profile orange-lab-v0 chooses orange-lab-v0, but the feature files target \
                 camara-v1 (camara-v1: features/official/device-reachability-status-v1.0.0.feature); \
                 drop it, or give feature files written for orange-lab-v0"
                .into())
        );
        let mixed = suite(&[
            "features/camara-v1/success.feature",
            "features/orange-lab-v0/success.feature",
        ]);
        let err = relative(
            choose_profile(&mixed, Some(Profile::CamaraV1), "--profile camara-v1").unwrap_err(),
        );
        assert_eq!(
            err,
            "the feature files target several profiles (camara-v1: \
             features/camara-v1/success.feature; orange-lab-v0: \
             features/orange-lab-v0/success.feature); run each profile's files separately"
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
                Some(Profile::OrangeLabV0),
                "--profile orange-lab-v0"
            ),
            Ok(Profile::OrangeLabV0)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
