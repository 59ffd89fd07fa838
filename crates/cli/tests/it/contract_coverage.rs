//! Negative coverage derived from the contract: every requirement of each profile's
//! built-in document (each constraint of the request body schema, each case of the
//! security requirement) has a scenario of the embedded suite that gives it a case, each
//! body requirement comes with a body that breaks it alone, and a suite without those
//! scenarios is reported as leaving requirements without a case.

use reachability_harness::Api;
use reachability_harness::Profile;
use reachability_harness::negative::GenerationSettings;
use reachability_harness::runner::{self, Suite, TagFilter};
use reachability_harness::schema::{
    BrokenBody, RequirementKind, SchemaError, SchemaSet, SecurityCase,
};
use serde_json::{Value, json};

const REQUEST: &str = "#/components/schemas/RequestReachabilityStatus";

/// The body requirements both built-in documents derive (their request schemas agree).
const BODY_REQUIREMENTS: [&str; 18] = [
    "request body: a JSON document (not empty)",
    "request body $: type object",
    "request body $.device: type object",
    "request body $.device: minProperties 1",
    "request body $.device.ipv4Address: type object",
    "request body $.device.ipv4Address: one of the required sets [publicAddress, privateAddress] or [publicAddress, publicPort]",
    "request body $.device.ipv4Address.privateAddress: type string",
    "request body $.device.ipv4Address.privateAddress: format ipv4",
    "request body $.device.ipv4Address.publicAddress: type string",
    "request body $.device.ipv4Address.publicAddress: format ipv4",
    "request body $.device.ipv4Address.publicPort: type integer",
    "request body $.device.ipv4Address.publicPort: minimum 0",
    "request body $.device.ipv4Address.publicPort: maximum 65535",
    "request body $.device.ipv6Address: type string",
    "request body $.device.ipv6Address: format ipv6",
    "request body $.device.networkAccessIdentifier: type string",
    "request body $.device.phoneNumber: type string",
    "request body $.device.phoneNumber: pattern ^\\+[1-9][0-9]{4,14}$",
];

/// `request body $.device.phoneNumber: ...` as the JSON pointer `/device/phoneNumber`.
fn requirement_pointer(id: &str) -> String {
    let path = id
        .trim_start_matches("request body ")
        .split(':')
        .next()
        .unwrap_or_default();
    path.trim_start_matches('$').replace('.', "/")
}

#[test]
fn the_requirements_are_derived_from_each_profiles_document() {
    for profile in Profile::status_profiles() {
        let found = runner::requirements(profile);
        let body: Vec<&str> = found
            .iter()
            .filter(|r| matches!(r.kind, RequirementKind::Body(_)))
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(body, BODY_REQUIREMENTS, "{profile}");
        let security: Vec<SecurityCase> = found
            .iter()
            .filter_map(|r| match r.kind {
                RequirementKind::Security(case) => Some(case),
                RequirementKind::Body(_) => None,
            })
            .collect();
        // camara-v1's scheme is OpenID Connect (tokens may be bound to a device); the
        // Orange lab works with client credentials only.
        let expected: Vec<SecurityCase> = SecurityCase::ALL
            .into_iter()
            .filter(|c| profile.api() == Api::CamaraV1 || *c != SecurityCase::BoundToAnotherDevice)
            .collect();
        assert_eq!(security, expected, "{profile}");
    }
}

#[test]
fn each_body_requirement_has_a_body_that_breaks_it_alone() {
    let base = json!({"device": {"phoneNumber": "+33699901031"}});
    for profile in Profile::status_profiles() {
        let schemas = SchemaSet::builtin(profile);
        assert!(schemas.validate(REQUEST, &base).is_ok());
        for requirement in runner::requirements(profile) {
            let RequirementKind::Body(found) = &requirement.kind else {
                continue;
            };
            let broken = found
                .as_ref()
                .unwrap_or_else(|| panic!("{profile}: nothing breaks {}", requirement.id));
            match broken.apply(&base) {
                BrokenBody::Raw(text) => {
                    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text:?}")
                }
                BrokenBody::Json(body) => {
                    let Err(SchemaError::Violations { violations, .. }) =
                        schemas.validate(REQUEST, &body)
                    else {
                        panic!("{profile}: {body} breaks nothing");
                    };
                    // Every violation lies on the requirement's path: at it, inside it,
                    // or at an ancestor whose `anyOf` it makes fail.
                    let path = requirement_pointer(&requirement.id);
                    for violation in &violations {
                        let at = violation.split(": ").next().unwrap_or_default();
                        let at = if at == "(root)" { "" } else { at };
                        assert!(
                            path.starts_with(at) || at.starts_with(&path),
                            "{profile}: {} also broke {violation}",
                            requirement.id
                        );
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn every_requirement_has_a_case_in_the_embedded_suite_and_a_gap_is_reported() {
    let suite = Suite::embedded().unwrap();
    for profile in Profile::status_profiles() {
        let mock = reachability_conformance::embedded::start_embedded_mock(profile, &[], 0, None)
            .await
            .unwrap();
        let generation = GenerationSettings::drawn();
        let planned = runner::plan(
            &suite,
            &mock.target,
            &SchemaSet::builtin(profile),
            None,
            &generation,
        );
        let uncovered: Vec<String> = runner::uncovered(profile, &planned)
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(uncovered, Vec::<String>::new(), "{profile}");
        let requirement_scenarios = format!(
            "not @reachability_{}_each_body_requirement_broken and not @{}",
            if profile.api() == Api::CamaraV1 {
                "v1_44"
            } else {
                "v0_34"
            },
            if profile.api() == Api::CamaraV1 {
                "reachability_v1_37_unissued_access_token"
            } else {
                "reachability_v0_27_unissued_access_token"
            }
        );
        let tags: TagFilter = requirement_scenarios.parse().unwrap();
        let planned = runner::plan(
            &suite,
            &mock.target,
            &SchemaSet::builtin(profile),
            Some(&tags),
            &generation,
        );
        let gaps: Vec<String> = runner::uncovered(profile, &planned)
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(
            gaps.len(),
            BODY_REQUIREMENTS.len() + 1,
            "{profile}: {gaps:?}"
        );
        assert!(gaps.contains(&SecurityCase::UnissuedToken.id().to_owned()));
        mock.server.shutdown().await;
    }
}
