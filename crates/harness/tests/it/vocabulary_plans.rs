//! The vocabulary against CAMARA plans: every official plan binds, and plans the vocabulary
//! was not written from (other releases, Commonalities' templates) bind at least 90 % of
//! their scenarios without aliases and all of them with the short alias file next to them.

use std::path::{Path, PathBuf};

use reachability_harness::negative::GenerationSettings;
use reachability_harness::phrasebook::Phrasebook;
use reachability_harness::runner::{self, PlannedScenario, Suite};
use reachability_harness::schema::SchemaSet;
use reachability_harness::steps::vocabulary;
use reachability_harness::target_file::Target;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plans")
}

const AUTH: &str = "\n[auth]\naccess_token_env = \"PLANS_TOKEN\"\n";

/// A target whose file carries `extra` (e.g. a `[params]` table).
fn target(extra: &str) -> Target {
    target_for("camara-v1", extra)
}

/// A target of `profile` whose file carries `extra`.
fn target_for(profile: &str, extra: &str) -> Target {
    let text =
        format!("profile = \"{profile}\"\napi_root = \"https://api.example.test\"\n{extra}{AUTH}");
    Target::parse(&text, "plans.toml", &|_| Some("a-token".into())).unwrap()
}

fn planned(paths: &[PathBuf], target: &Target) -> Vec<PlannedScenario> {
    let suite = Suite::from_paths(paths).unwrap();
    runner::plan(
        &suite,
        target,
        &SchemaSet::builtin(target.profile),
        None,
        &GenerationSettings::drawn(),
    )
}

/// The `.feature` files under `dir`, recursively.
fn features_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(features_under(&path));
        } else if path.extension().is_some_and(|e| e == "feature") {
            found.push(path);
        }
    }
    found.sort();
    found
}

#[test]
fn every_step_of_every_official_plan_binds() {
    let plans = features_under(&repository().join("features/official"));
    // v1.0.0, v1.1.0 and the four subscriptions plans (v0.8.0).
    assert_eq!(plans.len(), 6, "{plans:?}");
    for plan in plans {
        let profile = if plan.to_string_lossy().contains("subscriptions") {
            "camara-subscriptions-v0.8"
        } else {
            "camara-v1"
        };
        let scenarios = planned(std::slice::from_ref(&plan), &target_for(profile, ""));
        assert!(!scenarios.is_empty(), "{}", plan.display());
        let unbound: Vec<String> = scenarios
            .iter()
            .flat_map(|s| &s.unbound)
            .map(|step| format!("{}: {}", step.step, step.problem))
            .collect();
        assert!(unbound.is_empty(), "{}: {unbound:#?}", plan.display());
    }
}

const TEMPLATE_PARAMS: &str = "[params]\npath_to_device = \"$.device\"\n\
                               path_to_phoneNumber = \"$.device.phoneNumber\"\n\
                               operationId = \"getReachabilityStatus\"\n";

const OTHER_PLANS: &[&str] = &[
    "C01-device-errors.feature",
    "C02-phoneNumber-errors.feature",
    "device-reachability-status-v0.6.0.feature",
];

fn bound_share(scenarios: &[PlannedScenario]) -> (usize, usize) {
    let bound = scenarios.iter().filter(|s| s.unbound.is_empty()).count();
    (bound, scenarios.len())
}

#[test]
fn other_releases_and_the_templates_bind_at_least_90_percent_without_aliases() {
    let target = target(TEMPLATE_PARAMS);
    let mut total = (0, 0);
    for plan in OTHER_PLANS {
        let (bound, all) = bound_share(&planned(&[fixtures().join(plan)], &target));
        assert!(all > 0, "{plan}");
        total = (total.0 + bound, total.1 + all);
    }
    // 10/10 (C01, its outline expanded), 5/5 (C02), 12/13 (v0.6.0): 27 of 28.
    assert_eq!(total, (27, 28));
    assert!(total.0 * 100 >= total.1 * 90, "{total:?}");
}

#[test]
fn the_short_alias_file_binds_them_all_and_list_names_the_alias() {
    let mut target = target(TEMPLATE_PARAMS);
    let aliases = Phrasebook::from_vocabulary_file(&fixtures().join("aliases.toml")).unwrap();
    assert_eq!(aliases.aliases().len(), 1);
    target.phrasebook.extend(aliases);
    vocabulary::check_aliases(&target.phrasebook).unwrap();
    let paths: Vec<PathBuf> = OTHER_PLANS.iter().map(|p| fixtures().join(p)).collect();
    let scenarios = planned(&paths, &target);
    let unbound: Vec<&String> = scenarios
        .iter()
        .flat_map(|s| &s.unbound)
        .map(|u| &u.problem)
        .collect();
    assert!(unbound.is_empty(), "{unbound:#?}");
    let aliased: Vec<(&str, &str)> = scenarios
        .iter()
        .flat_map(|s| &s.aliased)
        .map(|a| (a.step.as_str(), a.alias.as_str()))
        .collect();
    assert_eq!(aliased.len(), 1, "{aliased:?}");
    assert!(aliased[0].0.starts_with(
        "And the request body property \"$.device\" refers to a device having network issue"
    ));
    assert!(aliased[0].1.ends_with("aliases.toml:8"), "{aliased:?}");
}

#[test]
fn a_template_without_its_parameters_names_each_placeholder_to_fill() {
    let scenarios = planned(&[fixtures().join("C01-device-errors.feature")], &target(""));
    let problems: Vec<&str> = scenarios[0]
        .unbound
        .iter()
        .map(|u| u.problem.as_str())
        .collect();
    assert_eq!(
        problems,
        [
            "the step cannot be used: the template placeholder {path_to_device} is not filled; \
             give it a value with --param path_to_device=VALUE or a [params] entry of the \
             target file",
            "the step cannot be used: the template placeholder {operationId} is not filled; \
             give it a value with --param operationId=VALUE or a [params] entry of the target \
             file",
        ]
    );
}

#[test]
fn a_target_file_vocabulary_table_binds_and_a_bad_one_names_its_line() {
    let aliased =
        target("[vocabulary]\n'^the reply code is (\\d+)$' = 'the response status code is $1'\n");
    let understood = vocabulary::understand("the reply code is 418", None, &aliased.phrasebook);
    assert_eq!(
        understood.action,
        Some(Ok(vocabulary::Action::StatusIs(418)))
    );
    assert_eq!(understood.alias.as_deref(), Some("plans.toml:4"));

    let text = format!(
        "profile = \"camara-v1\"\napi_root = \"https://a.test\"\n[vocabulary]\n\
                'fine' = 'the request body is removed'\n'(broken' = 'x'\n{AUTH}"
    );
    let error = Target::parse(&text, "t.toml", &|_| Some("a-token".into())).unwrap_err();
    assert!(
        error.to_string().starts_with(
            "t.toml: vocabulary (line 5): the alias pattern \"(broken\" is not a regular expression"
        ),
        "{error}"
    );
    let unknown = target("[vocabulary]\n'x' = 'the moon is made of cheese'\n");
    let error = vocabulary::check_aliases(&unknown.phrasebook).unwrap_err();
    assert_eq!(error.origin, "plans.toml");
    assert_eq!(error.line, Some(4));
    assert_eq!(
        error.problem,
        "the alias sentence \"the moon is made of cheese\" is not a sentence of the vocabulary"
    );
}
