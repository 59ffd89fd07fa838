//! What a scenario's description says about it: the clauses it enforces (`Required by:`
//! lines) and, for a scenario tagged `@advisory`, why the documents do not require it
//! (its `Advisory:` line).

use cucumber::gherkin;

use crate::Profile;
use crate::report::ADVISORY_TAG;

/// The start of a description line naming a clause the scenario enforces.
pub const REQUIRED_BY: &str = "Required by:";

/// The start of the description line of an advisory scenario saying why it is advisory.
pub const ADVISORY: &str = "Advisory:";

/// What an advisory scenario without an `Advisory:` line shows as its reason.
const NO_REASON: &str = "tagged @advisory without an `Advisory:` line giving the reason";

/// The clauses a scenario enforces, one per `Required by:` line of its description, as
/// written.
pub fn sources(scenario: &gherkin::Scenario) -> Vec<String> {
    lines_after(scenario, REQUIRED_BY).collect()
}

/// The clauses a scenario enforces, as a run of `profile` cites them: in `profile`'s own
/// documents where they hold the clause (see [`super::citation`]).
pub fn cited(scenario: &gherkin::Scenario, profile: Profile) -> Vec<String> {
    lines_after(scenario, REQUIRED_BY)
        .map(|source| super::citation::in_profile(&source, profile))
        .collect()
}

/// Why a scenario tagged `@advisory` (in `tags`, as [`super::scenario_tags`] gives them) is
/// advisory; `None` for a scenario that is not.
pub fn advisory(scenario: &gherkin::Scenario, tags: &[String]) -> Option<String> {
    if !tags.iter().any(|t| t == ADVISORY_TAG) {
        return None;
    }
    let reasons: Vec<String> = lines_after(scenario, ADVISORY).collect();
    Some(if reasons.is_empty() {
        NO_REASON.to_owned()
    } else {
        reasons.join(" ")
    })
}

/// The rest of every description line that starts with `prefix`, trimmed.
fn lines_after<'s>(
    scenario: &'s gherkin::Scenario,
    prefix: &'s str,
) -> impl Iterator<Item = String> + 's {
    scenario
        .description
        .iter()
        .flat_map(|d| d.lines())
        .filter_map(move |line| line.trim().strip_prefix(prefix))
        .map(|rest| rest.trim().to_owned())
        .filter(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cucumber::gherkin::GherkinEnv;

    fn scenario(text: &str) -> gherkin::Scenario {
        let feature = gherkin::Feature::parse(text, GherkinEnv::default()).unwrap();
        feature.scenarios[0].clone()
    }

    #[test]
    fn sources_and_advisory_reason_come_from_the_description() {
        let s = scenario(
            "Feature: f\n  @advisory\n  Scenario: s\n    Required by: RFC 6749 §5.2\n    \
             Advisory: the RFC says SHOULD.\n    Required by: OpenID CIBA Core §11\n\n    \
             Given a step\n",
        );
        assert_eq!(sources(&s), ["RFC 6749 §5.2", "OpenID CIBA Core §11"]);
        let tags = vec!["advisory".to_owned()];
        assert_eq!(advisory(&s, &tags).as_deref(), Some("the RFC says SHOULD."));
        assert_eq!(advisory(&s, &[]), None, "only the tag makes it advisory");
    }

    #[test]
    fn a_scenario_without_description_has_no_source() {
        let s = scenario("Feature: f\n  @advisory\n  Scenario: s\n    Given a step\n");
        assert!(sources(&s).is_empty());
        assert_eq!(
            advisory(&s, &["advisory".to_owned()]).as_deref(),
            Some(NO_REASON)
        );
    }
}
