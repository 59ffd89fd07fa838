//! Which scenarios a target's subscription creation mode leaves out: the official plans
//! have a synchronous (201) and an asynchronous (202) creation scenario, and a target that
//! declares `subscriptions.creation = "sync"` (or `"async"`) is not tested by the other
//! mode's. Such a scenario is not applicable: not run, not counted, and `list` says why
//! (it is not skipped: `--strict` fails skips).

use cucumber::gherkin;

use crate::steps::vocabulary::{self, Action};
use crate::steps::{self};
use crate::target_file::{CreationMode, Target};

/// The creation mode a scenario expects: the status its first status check after a
/// creation asks for (201 synchronous, 202 asynchronous), if it asks for one of them alone.
pub(crate) fn expected(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> Option<CreationMode> {
    let mut creates = false;
    for step in super::all_steps(feature, rule, scenario) {
        match vocabulary::parse(&step.value, step.docstring.as_deref()) {
            Some(Ok(Action::Send(operation))) => creates = operation == steps::CREATE,
            Some(Ok(Action::StatusIs(status))) if creates => {
                return CreationMode::of_status(status);
            }
            _ => {}
        }
    }
    None
}

/// Why the scenario does not apply to `target`, when its creation mode is not the one the
/// target declares.
pub(crate) fn not_applicable(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    target: &Target,
) -> Option<String> {
    let declared = target.subscriptions.creation;
    if !target.profile.is_subscriptions() || declared == CreationMode::Either {
        return None;
    }
    let expected = expected(feature, rule, scenario)?;
    (expected != declared).then(|| {
        format!(
            "not applicable: it expects {}, and the target declares \
             `subscriptions.creation = \"{}\"`",
            expected.describe(),
            declared.name()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cucumber::gherkin::GherkinEnv;

    fn feature(status: &str) -> gherkin::Feature {
        let text = format!(
            "Feature: f\n  Scenario: s\n    When the request \
             \"createDeviceReachabilityStatusSubscription\" is sent\n    \
             Then the response status code is {status}\n"
        );
        gherkin::Feature::parse(&text, GherkinEnv::default()).unwrap()
    }

    fn target(creation: &str) -> Target {
        let text = format!(
            "profile = \"camara-subscriptions-v0.8\"\napi_root = \"https://a.test\"\n\
             [auth]\naccess_token_env = \"T\"\n[subscriptions]\ncreation = \"{creation}\"\n"
        );
        Target::parse(&text, "t.toml", &|_| Some("x".into())).unwrap()
    }

    #[test]
    fn a_scenario_expects_the_mode_of_its_first_status_check_after_a_creation() {
        for (status, mode) in [
            ("201", Some(CreationMode::Sync)),
            ("202", Some(CreationMode::Async)),
            ("201 or 202", None),
            ("400", None),
        ] {
            let f = feature(status);
            assert_eq!(expected(&f, None, &f.scenarios[0]), mode, "{status}");
        }
    }

    #[test]
    fn only_a_declared_mode_leaves_the_other_modes_scenarios_out() {
        let sync = feature("201");
        let scenario = &sync.scenarios[0];
        assert_eq!(
            not_applicable(&sync, None, scenario, &target("either")),
            None
        );
        assert_eq!(not_applicable(&sync, None, scenario, &target("sync")), None);
        assert_eq!(
            not_applicable(&sync, None, scenario, &target("async")).as_deref(),
            Some(
                "not applicable: it expects a synchronous creation (201), and the target \
                 declares `subscriptions.creation = \"async\"`"
            )
        );
    }
}
