//! A clause cited in the run's own documents. The scenarios of an API are written once for
//! all its versions (`features/camara-v1/` runs in camara-v1.0, -v1.1 and -v1.2-rc), and each
//! cites the version it was written against. A run of another version of that API cites the
//! same clause in the documents of the version it tests, when they hold it: the run checks
//! against those documents (their schemas, their error codes), so they are what requires it.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::Profile;
use crate::schema::SchemaSet;

/// The official test plans CAMARA published for the status API, by the version they test
/// (verbatim copies in `features/official/`).
const PLANS: [(&str, &str); 2] = [
    (
        "1.0.0",
        include_str!("../../../../features/official/device-reachability-status-v1.0.0.feature"),
    ),
    (
        "1.1.0",
        include_str!("../../../../features/official/device-reachability-status-v1.1.0.feature"),
    ),
];

/// `OAS v1.0.0 #/pointer`, with an optional `§Section` of the Markdown text there.
static OAS_CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^OAS v(\S+) #(/\S*)(?: §(.+))?$").unwrap_or_else(|e| panic!("{e}"))
});

/// `CAMARA plan v1.0.0 @scenario_id`.
static PLAN_CITATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^CAMARA plan v(\S+) @(\S+)$").unwrap_or_else(|e| panic!("{e}")));

/// `source` (a `Required by:` reference) as a run of `profile` cites it: a clause of another
/// version of `profile`'s API becomes the same clause of `profile`'s version when that
/// version's OAS (or official plan) holds it; any other reference is kept as written.
pub(super) fn in_profile(source: &str, profile: Profile) -> String {
    let own = profile.api_version();
    let another_version_of_this_api = |version: &str| {
        version != own
            && Profile::all()
                .iter()
                .any(|p| p.api() == profile.api() && p.api_version() == version)
    };
    if let Some(c) = OAS_CITATION.captures(source)
        && another_version_of_this_api(&c[1])
        && oas_holds(profile, &c[2], c.get(3).map(|m| m.as_str()))
    {
        let section = c.get(3).map(|m| format!(" §{}", m.as_str()));
        return format!("OAS v{own} #{}{}", &c[2], section.unwrap_or_default());
    }
    if let Some(c) = PLAN_CITATION.captures(source)
        && another_version_of_this_api(&c[1])
        && plan_has(own, &c[2])
    {
        return format!("CAMARA plan v{own} @{}", &c[2]);
    }
    source.to_owned()
}

/// Whether `profile`'s built-in OAS has `pointer`, and `section` as a Markdown heading of
/// the text there when one is named.
fn oas_holds(profile: Profile, pointer: &str, section: Option<&str>) -> bool {
    let schemas = SchemaSet::builtin(profile);
    let Some(found) = schemas.document_at(pointer) else {
        return false;
    };
    match section {
        None => true,
        Some(section) => found.as_str().is_some_and(|text| {
            text.lines().any(|line| {
                let line = line.trim();
                line.starts_with('#')
                    && line.trim_start_matches('#').trim().trim_end_matches(':') == section
            })
        }),
    }
}

/// The tags of the official plans' scenarios, with the plan's version: read once, as every
/// scenario of every run asks.
static PLAN_TAGS: LazyLock<HashSet<(&str, &str)>> = LazyLock::new(|| {
    PLANS
        .iter()
        .flat_map(|(version, plan)| {
            plan.split_whitespace()
                .filter_map(|word| word.strip_prefix('@'))
                .map(move |id| (*version, id))
        })
        .collect()
});

/// Whether the official plan of `version` has a scenario tagged `@id`.
fn plan_has(version: &str, id: &str) -> bool {
    PLAN_TAGS.contains(&(version, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Profile {
        name.parse().unwrap()
    }

    #[test]
    fn a_clause_of_another_version_is_cited_in_the_runs_own_documents() {
        let v1_1 = named("camara-v1.1");
        assert_eq!(
            in_profile("OAS v1.0.0 #/components/responses/Generic404", v1_1),
            "OAS v1.1.0 #/components/responses/Generic404"
        );
        assert_eq!(
            in_profile(
                "CAMARA plan v1.0.0 @device_reachability_status_C01.03_device_not_found",
                v1_1
            ),
            "CAMARA plan v1.1.0 @device_reachability_status_C01.03_device_not_found"
        );
        assert_eq!(
            in_profile(
                "OAS v1.0.0 #/info/description §Identifying the device from the access token",
                v1_1
            ),
            "OAS v1.1.0 #/info/description §Identifying the device from the access token"
        );
    }

    #[test]
    fn what_the_runs_documents_do_not_hold_is_cited_as_written() {
        let (v1_0, v1_1, rc, orange) = (
            named("camara-v1.0"),
            named("camara-v1.1"),
            named("camara-v1.2-rc"),
            named("orange-lab-v0"),
        );
        let kept = [
            // Its own version.
            ("OAS v1.0.0 #/components/schemas/Device", v1_0),
            // No such pointer, section or plan scenario in the run's version.
            ("OAS v1.0.0 #/components/schemas/Nope", v1_1),
            ("OAS v1.0.0 #/info/description §No such part", v1_1),
            (
                "CAMARA plan v1.0.0 @device_reachability_status_99_none",
                v1_1,
            ),
            // No official plan of the candidate.
            (
                "CAMARA plan v1.0.0 @device_reachability_status_C01.03_device_not_found",
                rc,
            ),
            // Another API's document (the lab's OAS is not v0.6.0), and standards.
            ("OAS v0.6.0 #/components/schemas/Device", orange),
            ("RFC 6749 §5.2", v1_1),
        ];
        for (source, profile) in kept {
            assert_eq!(in_profile(source, profile), source, "{profile}");
        }
    }
}
