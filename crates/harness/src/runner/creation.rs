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
