//! Which requirement of the contract each planned scenario gives a case for, and which
//! requirements have no case: the requirements are derived from the profile's built-in
//! document ([`SchemaSet::requirements`]), the cases from the scenarios' steps
//! ([`Action::covers`](crate::steps::vocabulary::Action::covers)).

use crate::negative::{OPERATION, REQUEST_POINTER};
use crate::profile::Profile;
use crate::schema::{Requirement, RequirementKind, SchemaSet};
use crate::steps::vocabulary::Covers;

use super::PlannedScenario;

/// The requirements of `profile`'s contract; none yet for the subscriptions profile (the
/// derivation knows the status operation's request only).
///
/// # Panics
///
/// Only if the built-in documents lack the operation's request schema, which the tests
/// rule out.
pub fn requirements(profile: Profile) -> Vec<Requirement> {
    if profile.is_subscriptions() {
        return Vec::new();
    }
    SchemaSet::builtin(profile)
        .requirements(OPERATION, REQUEST_POINTER)
        .unwrap_or_else(|e| panic!("the built-in {profile} document has no request schema: {e}"))
}

/// The ids of the requirements among `requirements` that a scenario with `covers` gives a
/// case for. A body requirement that no change breaks alone has no case.
pub(super) fn covered_ids(requirements: &[Requirement], covers: &[Covers]) -> Vec<String> {
    requirements
        .iter()
        .filter(|r| {
            covers.iter().any(|c| match (c, &r.kind) {
                (Covers::RequestBody, RequirementKind::Body(found)) => found.is_some(),
                (Covers::Security(case), RequirementKind::Security(wanted)) => case == wanted,
                _ => false,
            })
        })
        .map(|r| r.id.clone())
        .collect()
}

/// The requirements of `profile` that none of `planned` covers.
pub fn uncovered(profile: Profile, planned: &[PlannedScenario]) -> Vec<Requirement> {
    requirements(profile)
        .into_iter()
        .filter(|r| !planned.iter().any(|s| s.covers.contains(&r.id)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{BodyBreak, SecurityCase};

    fn requirement(id: &str, kind: RequirementKind) -> Requirement {
        Requirement {
            id: id.into(),
            source: "s".into(),
            kind,
        }
    }

    #[test]
    fn a_case_covers_its_own_requirements_only() {
        let broken = BodyBreak::Raw(String::new());
        let all = [
            requirement("body a", RequirementKind::Body(Some(broken))),
            requirement("body b", RequirementKind::Body(None)),
            requirement(
                "expired",
                RequirementKind::Security(SecurityCase::ExpiredToken),
            ),
            requirement(
                "revoked",
                RequirementKind::Security(SecurityCase::RevokedToken),
            ),
        ];
        assert_eq!(covered_ids(&all, &[Covers::RequestBody]), ["body a"]);
        assert_eq!(
            covered_ids(&all, &[Covers::Security(SecurityCase::RevokedToken)]),
            ["revoked"]
        );
        assert!(covered_ids(&all, &[]).is_empty());
    }
}
