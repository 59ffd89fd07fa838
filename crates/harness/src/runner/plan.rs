//! What a run would do, without running it: the scenarios selected for a target, the
//! testing assets each needs, which of those the target file lacks, and which
//! requirements of the contract each gives a case for.

use cucumber::gherkin;

use super::defects::PlanDefect;
use super::{Suite, TagFilter, defects, provenance, scenario_id, scenario_tags, selected};
use crate::DeviceRole;
use crate::negative::GenerationSettings;
use crate::schema::SchemaSet;
use crate::steps::vocabulary;
use crate::target_file::{HOOK_KEY, Target};

/// One scenario as a run would see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedScenario {
    /// Where its feature came from.
    pub feature_source: String,
    /// Its CAMARA-style id tag, when it has one.
    pub id: Option<String>,
    /// Its title.
    pub name: String,
    /// Every tag that applies to it.
    pub tags: Vec<String>,
    /// Its line in the feature.
    pub line: usize,
    /// Target-file keys it needs that the target does not configure (it would be skipped).
    pub missing: Vec<&'static str>,
    /// Steps no definition matches, or that cannot be used (it could not be tested).
    pub unbound: Vec<UnboundStep>,
    /// Steps bound through one of the user's aliases.
    pub aliased: Vec<AliasedStep>,
    /// The clauses it enforces (`Required by:` lines).
    pub sources: Vec<String>,
    /// For an advisory scenario, why it is advisory.
    pub advisory: Option<String>,
    /// The defects of the plan in it, each with its fix.
    pub defects: Vec<PlanDefect>,
    /// The ids of the contract's requirements it gives a case for.
    pub covers: Vec<String>,
    /// The requests its steps send (see [`vocabulary::Action::requests`]), at the depth of
    /// the generation settings; 0 when it does not apply.
    pub requests: usize,
    /// Why it does not apply to the target (not run, not counted), when it does not.
    pub not_applicable: Option<String>,
}

/// A step a run could not perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnboundStep {
    /// The step as written, with its keyword.
    pub step: String,
    /// Its sentence alone (what an alias would match).
    pub sentence: String,
    /// Why it cannot be performed: the nearest sentences and the alias line, or the
    /// argument or placeholder at fault.
    pub problem: String,
}

/// A step bound through an alias.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AliasedStep {
    /// The step as written, with its keyword.
    pub step: String,
    /// The alias that bound it (`file:line`).
    pub alias: String,
}

/// The scenarios of `suite` a run against `target` would execute; plan defects are found
/// against `schemas`, generated steps are counted with `generation`.
pub fn plan(
    suite: &Suite,
    target: &Target,
    schemas: &SchemaSet,
    tags: Option<&TagFilter>,
    generation: &GenerationSettings,
) -> Vec<PlannedScenario> {
    let requirements = super::requirements(target.profile);
    selected(suite, target.profile, tags)
        .map(|(feature, rule, scenario)| {
            let steps = super::all_steps(feature, rule, scenario);
            let mut missing = Vec::new();
            let mut unbound = Vec::new();
            let mut covers = Vec::new();
            let mut aliased = Vec::new();
            for step in steps {
                let understood = vocabulary::understand(
                    &step.value,
                    step.docstring.as_deref(),
                    &target.phrasebook,
                );
                let written = format!("{}{}", step.keyword, step.value);
                if let Some(alias) = &understood.alias {
                    aliased.push(AliasedStep {
                        step: written.clone(),
                        alias: alias.clone(),
                    });
                }
                let problem = understood.problem();
                match understood.action {
                    Some(Ok(action)) => {
                        covers.extend(action.covers());
                        if let Some(key) = action.required_key()
                            && !is_configured(target, key)
                            && !missing.contains(&key)
                        {
                            missing.push(key);
                        }
                    }
                    Some(Err(_)) | None => unbound.push(UnboundStep {
                        step: written,
                        sentence: step.value.trim().to_owned(),
                        problem: problem.unwrap_or_default(),
                    }),
                }
            }
            let tags = scenario_tags(feature, rule, scenario);
            let not_applicable = super::creation::not_applicable(feature, rule, scenario, target);
            let requests = match not_applicable {
                Some(_) => 0,
                None => requests(feature, rule, scenario, target, generation),
            };
            PlannedScenario {
                feature_source: super::collector::feature_source(feature),
                id: scenario_id(scenario),
                name: scenario.name.clone(),
                sources: provenance::cited(scenario, target.profile),
                advisory: provenance::advisory(scenario, &tags),
                defects: defects::find(feature, rule, scenario, schemas),
                tags,
                line: scenario.position.line,
                missing,
                unbound,
                aliased,
                covers: super::coverage::covered_ids(&requirements, &covers),
                requests,
                not_applicable,
            }
        })
        .collect()
}

/// How many requests the steps of a scenario send against `target` (see
/// [`vocabulary::Action::requests`]); unbound steps send none.
pub(crate) fn requests(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    target: &Target,
    generation: &GenerationSettings,
) -> usize {
    let cases = |kind, written| generation.cases_of(kind, target.profile, written);
    actions(feature, rule, scenario)
        .map(|action| action.requests(cases))
        .sum()
}

/// What the bound steps of a scenario do, in order (unbound and unusable steps left out).
pub(crate) fn actions<'s>(
    feature: &'s gherkin::Feature,
    rule: Option<&'s gherkin::Rule>,
    scenario: &'s gherkin::Scenario,
) -> impl Iterator<Item = vocabulary::Action> + 's {
    super::all_steps(feature, rule, scenario)
        .filter_map(|step| vocabulary::parse(&step.value, step.docstring.as_deref()))
        .filter_map(Result::ok)
}

/// Whether the target file configures the testing asset named by `key`.
fn is_configured(target: &Target, key: &str) -> bool {
    if let Some(role) = key.strip_prefix("devices.").and_then(DeviceRole::from_key) {
        return target.devices.has(role);
    }
    let a = &target.auth;
    match key {
        // With discovery, CIBA and revocation endpoints may come from the OpenID configuration.
        "auth.ciba_url" => {
            a.ciba_url.is_some()
                || (a.openid_configuration_url.is_some() && a.device_login_hint.is_some())
        }
        "auth.expired_token_env" => a.expired_token.is_some(),
        "auth.revocation_url" => a.revocation_url.is_some() || a.openid_configuration_url.is_some(),
        "auth.private_key_file" => a.assertion.is_some(),
        "auth.no_scope_scope" => a.no_scope_scope.is_some(),
        "provider.network_error_header" => target.provider.network_error_header.is_some(),
        HOOK_KEY => target.subscriptions.state_change_hook.is_some(),
        _ => false,
    }
}
