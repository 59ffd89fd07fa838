//! Every check has a source: each scenario of the embedded suite names, on `Required by:`
//! lines, the clauses it enforces, and each clause exists in the document it cites (copies in
//! `tests/fixtures/camara/` and `features/official/`). Advisory scenarios say why.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use cucumber::gherkin;
use reachability_harness::Profile;
use reachability_harness::report::ADVISORY_TAG;
use reachability_harness::runner::provenance::{self, ADVISORY};
use reachability_harness::runner::{Suite, scenario_id, scenario_tags};
use regex::Regex;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/camara";
const OFFICIAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../features/official");

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn oas(version: &str) -> Value {
    let name = match version.strip_prefix('-') {
        Some(suffix) => format!("device-reachability-status-{suffix}"),
        None => format!("device-reachability-status-v{version}"),
    };
    let text = read(format!("{FIXTURES}/{name}.yaml"));
    serde_yaml_ng::from_str(&text).expect("the OAS copy is YAML")
}

/// The OAS copies cited, by version.
static OAS: LazyLock<Vec<(&str, Value)>> = LazyLock::new(|| {
    [
        ("0.6.0", "0.6.0"),
        ("0.8.0", "-subscriptions-v0.8.0"),
        ("1.0.0", "1.0.0"),
        ("1.1.0", "1.1.0"),
        ("1.2.0-wip", "1.2.0-wip"),
        // The candidate's profile names its version so; its OAS is the wip copy.
        ("1.2.0-rc", "1.2.0-wip"),
    ]
    .into_iter()
    .map(|(v, file)| (v, oas(file)))
    .collect()
});
/// The official plans cited, by version (the four subscriptions plans, v0.8.0, one after
/// the other).
static PLANS: LazyLock<Vec<(&str, String)>> = LazyLock::new(|| {
    let status = ["1.0.0", "1.1.0"].into_iter().map(|v| {
        let path = format!("{OFFICIAL}/device-reachability-status-v{v}.feature");
        (v, read(path))
    });
    status.chain([("0.8.0", subscriptions_plans())]).collect()
});

fn subscriptions_plans() -> String {
    let dir = PathBuf::from(format!("{OFFICIAL}/subscriptions-v0.8.0"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|entry| entry.path())
        .collect();
    files.sort();
    files.iter().map(read).collect()
}
static GUIDELINES: LazyLock<String> =
    LazyLock::new(|| read(format!("{FIXTURES}/API-Testing-Guidelines.md")));
static ORANGE: LazyLock<String> = LazyLock::new(|| {
    read(format!(
        "{FIXTURES}/orange-lab-device-reachability-status-v0.txt"
    ))
});

/// `OAS v1.0.0 #/pointer` with an optional `§Section` of the markdown text there.
static OAS_SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^OAS v(\S+) #(/\S*)(?: §(.+))?$").unwrap());
/// `CAMARA plan v1.1.0 @scenario_id`.
static PLAN_SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^CAMARA plan v(\S+) @(\S+)$").unwrap());
/// Standards the project cannot copy: checked for their form only.
static STANDARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(RFC \d{4}|OpenID (CIBA|Connect) Core|CloudEvents 1\.0( HTTP binding)?) §\d+(\.\d+)*$",
    )
    .unwrap()
});

/// Why `source` names nothing, or `None` when it names a clause that exists.
fn unresolved(source: &str) -> Option<String> {
    if let Some(c) = OAS_SOURCE.captures(source) {
        let Some((_, doc)) = OAS.iter().find(|(v, _)| *v == &c[1]) else {
            return Some(format!("{source}: no copy of OAS v{} in {FIXTURES}", &c[1]));
        };
        let Some(found) = doc.pointer(&c[2]) else {
            return Some(format!("{source}: no {} in the OAS", &c[2]));
        };
        return c.get(3).and_then(|section| {
            let heading = Regex::new(&format!(
                r"(?m)^#+ {}:?\s*$",
                regex::escape(section.as_str())
            ))
            .unwrap();
            let text = found.as_str().unwrap_or_default();
            (!heading.is_match(text)).then(|| format!("{source}: no such section there"))
        });
    }
    if let Some(c) = PLAN_SOURCE.captures(source) {
        let Some((_, plan)) = PLANS.iter().find(|(v, _)| *v == &c[1]) else {
            return Some(format!(
                "{source}: no copy of plan v{} in {OFFICIAL}",
                &c[1]
            ));
        };
        let tag = Regex::new(&format!(r"(?m)^\s*@{}\s*$", regex::escape(&c[2]))).unwrap();
        return (!tag.is_match(plan)).then(|| format!("{source}: no such scenario"));
    }
    if let Some(section) = source.strip_prefix("CAMARA API-Testing-Guidelines §") {
        let heading = Regex::new(&format!(r"(?m)^#+ {}\s*$", regex::escape(section))).unwrap();
        return (!heading.is_match(&GUIDELINES)).then(|| format!("{source}: no such section"));
    }
    if let Some(section) = source.strip_prefix("Orange lab page §") {
        let found = ORANGE.lines().any(|line| line.trim() == section);
        return (!found).then(|| format!("{source}: no such section"));
    }
    (!STANDARD.is_match(source)).then(|| format!("{source}: not a known kind of reference"))
}

/// Every scenario of `suite` with its feature and rule.
fn scenarios(
    suite: &Suite,
) -> Vec<(
    &gherkin::Feature,
    Option<&gherkin::Rule>,
    &gherkin::Scenario,
)> {
    suite
        .features()
        .iter()
        .flat_map(|f| {
            f.scenarios.iter().map(move |s| (f, None, s)).chain(
                f.rules
                    .iter()
                    .flat_map(move |r| r.scenarios.iter().map(move |s| (f, Some(r), s))),
            )
        })
        .collect()
}

/// What is wrong with the provenance of each scenario of `suite`.
fn problems(suite: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (feature, rule, scenario) in scenarios(suite) {
        let label = scenario_id(scenario).unwrap_or_else(|| scenario.name.clone());
        let sources = provenance::sources(scenario);
        if sources.is_empty() {
            out.push(format!("{label}: no `Required by:` line"));
        }
        out.extend(
            sources
                .iter()
                .filter_map(|s| unresolved(s))
                .map(|p| format!("{label}: {p}")),
        );
        let tagged = scenario_tags(feature, rule, scenario)
            .iter()
            .any(|t| t == ADVISORY_TAG);
        let reasoned = scenario
            .description
            .iter()
            .flat_map(|d| d.lines())
            .any(|l| l.trim().starts_with(ADVISORY));
        if tagged != reasoned {
            out.push(format!(
                "{label}: an advisory needs both the @{ADVISORY_TAG} tag and an `{ADVISORY}` line"
            ));
        }
    }
    out
}

#[test]
fn every_embedded_scenario_names_clauses_that_exist() {
    let suite = Suite::embedded().unwrap();
    assert!(scenarios(&suite).len() > 50);
    let problems = problems(&suite);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A run of another version of an API cites a scenario's clauses in its own documents where
/// they hold them: those citations exist too, and every profile's runs cite something.
#[test]
fn the_clauses_each_profile_cites_exist() {
    let suite = Suite::embedded().unwrap();
    let mut out = Vec::new();
    let mut translated = 0;
    for profile in Profile::all() {
        for (_, _, scenario) in scenarios(&suite) {
            let label = scenario_id(scenario).unwrap_or_else(|| scenario.name.clone());
            let written = provenance::sources(scenario);
            let cited = provenance::cited(scenario, *profile);
            assert_eq!(cited.len(), written.len(), "{profile} {label}");
            translated += cited.iter().zip(&written).filter(|(c, w)| c != w).count();
            out.extend(
                cited
                    .iter()
                    .filter_map(|s| unresolved(s))
                    .map(|p| format!("{profile} {label}: {p}")),
            );
        }
    }
    assert!(out.is_empty(), "{}", out.join("\n"));
    assert!(
        translated > 100,
        "only {translated} citations in another version's documents"
    );
}

#[test]
fn a_scenario_without_source_or_with_a_dangling_one_is_reported() {
    let dir = std::env::temp_dir().join(format!("rc-provenance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file: PathBuf = dir.join("bad.feature");
    std::fs::write(
        &file,
        "Feature: f\n\
         \x20 @a_01\n  Scenario: no source\n    Given the header \"x\" is removed\n\n\
         \x20 @a_02 @advisory\n  Scenario: dangling\n    Required by: OAS v1.0.0 #/components/schemas/Nope\n    \
         Required by: CAMARA plan v1.0.0 @device_reachability_status_99_none\n    \
         Required by: Orange lab page §No such part\n    Required by: my own opinion\n    \
         Given the header \"x\" is removed\n",
    )
    .unwrap();
    let suite = Suite::from_paths(std::slice::from_ref(&file)).unwrap();
    assert_eq!(
        problems(&suite),
        [
            "a_01: no `Required by:` line",
            "a_02: OAS v1.0.0 #/components/schemas/Nope: no /components/schemas/Nope in the OAS",
            "a_02: CAMARA plan v1.0.0 @device_reachability_status_99_none: no such scenario",
            "a_02: Orange lab page §No such part: no such section",
            "a_02: my own opinion: not a known kind of reference",
            "a_02: an advisory needs both the @advisory tag and an `Advisory:` line",
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sections_of_oas_descriptions_are_checked() {
    assert_eq!(
        unresolved("OAS v1.0.0 #/info/description §Identifying the device from the access token"),
        None
    );
    assert_eq!(
        unresolved("OAS v0.6.0 #/info/description §Error handling for unidentifiable devices"),
        None
    );
    assert_eq!(
        unresolved("OAS v1.0.0 #/info/description §Nothing like this").as_deref(),
        Some("OAS v1.0.0 #/info/description §Nothing like this: no such section there")
    );
    assert_eq!(unresolved("RFC 6749 §5.2"), None);
}
