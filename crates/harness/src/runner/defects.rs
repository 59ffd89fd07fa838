//! Defects of a test plan, found from the plan itself against the contract (the run's
//! schemas): a schema pointer that names nothing, a body property the cited schema does
//! not have (a typo), a scenario that checks nothing or never checks the status code.
//! A scenario that fails with a defect that excuses failures could not be tested: the plan,
//! not the implementation, is at fault. `docs/plan-defects.md` lists those of CAMARA's
//! official plans.

use std::fmt;

use cucumber::gherkin;

use crate::schema::SchemaSet;
use crate::steps::vocabulary::{self, Action};
use crate::steps::{PlanStep, SUBSCRIPTION_DEVICE, SubscriptionStep};

/// One defect of a scenario of a test plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDefect {
    /// The step at fault (keyword and text), when one is.
    pub step: Option<String>,
    /// What is wrong.
    pub what: String,
    /// How to fix the plan.
    pub fix: String,
    /// What it does to the scenario's outcome.
    pub effect: Effect,
    /// The line of the step at fault when it is a Background's: every scenario under that
    /// Background has the defect, so a run lists it once.
    pub background_line: Option<usize>,
}

/// What a plan defect does to the outcome of its scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A failed status check may come from the defect (the target answered a request the
    /// plan got wrong), not the target: it could not test. Later checks still fail.
    Excuses,
    /// The scenario tests nothing: whatever happens, it could not test.
    Voids,
    /// The scenario checks less than it should; its outcome stands, the defect is reported.
    Weakens,
}

impl Effect {
    /// What it does to the outcome, as `list` says it.
    pub fn consequence(self) -> &'static str {
        match self {
            Effect::Excuses => "could not test if its status check fails",
            Effect::Voids => "could not test",
            Effect::Weakens => "reported, the outcome stands",
        }
    }
}

impl fmt::Display for PlanDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(step) = &self.step {
            write!(f, "step `{step}`: ")?;
        }
        write!(f, "{}; fix: {}", self.what, self.fix)
    }
}

/// Every defect of a scenario (with its feature's and rule's backgrounds) against `schemas`.
pub fn find(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    schemas: &SchemaSet,
) -> Vec<PlanDefect> {
    let mut defects = Vec::new();
    let mut body_root: Option<String> = None;
    let mut all_bound = true;
    let mut checks = false;
    let mut sends = false;
    let mut checks_status = false;
    let mut has_then = false;
    let mut operation: Option<String> = None;
    let mut names_subscription = false;
    let background_steps = feature
        .background
        .iter()
        .chain(rule.and_then(|r| r.background.as_ref()))
        .map(|b| b.steps.len())
        .sum::<usize>();
    for (i, step) in super::all_steps(feature, rule, scenario).enumerate() {
        let found_before = defects.len();
        let Some(Ok(action)) = vocabulary::parse(&step.value, step.docstring.as_deref()) else {
            all_bound = false;
            // An unbound step may be the status check: give it the benefit of the doubt.
            checks_status |=
                step.value.contains("status code") || step.value.contains("response code");
            continue;
        };
        let text = format!("{}{}", step.keyword, step.value);
        has_then |= step.ty == gherkin::StepType::Then;
        checks |= action.is_check()
            || matches!(action, Action::Every(_))
            || matches!(&action, Action::Subscription(s) if s.is_check());
        names_subscription |= matches!(&action, Action::Subscription(s) if s.names_subscription());
        if let Action::Send(sent) = &action {
            sends = true;
            operation = Some(sent.clone());
            // The subscription a scenario creates is the one its later operations name.
            names_subscription |= sent == crate::steps::CREATE;
        }
        checks_status |= match &action {
            Action::StatusIs(_) | Action::StatusIsOneOf(_) => true,
            Action::Every(check) => matches!(**check, Action::StatusIs(_)),
            _ => false,
        };
        if let (Action::StatusIs(status), Some(operation)) = (&action, &operation)
            && schemas.documents_status(operation, *status) == Some(false)
            && schemas.uses_status(*status)
        {
            // A status another operation of the API answers: the plan copied it to one
            // that does not (a status no operation answers is a deliberate check).
            defects.push(PlanDefect {
                step: Some(text.clone()),
                what: format!(
                    "{operation} documents no {status} answer in the contract (other \
                     operations do), so a conforming implementation cannot give it"
                ),
                fix: format!(
                    "expect a status {operation} documents for this case (see its responses \
                     in the OAS), or drop the scenario"
                ),
                effect: Effect::Voids,
                background_line: None,
            });
        }
        let (pointer, property, fix_applied) = match &action {
            Action::DefaultBody(pointer) => {
                body_root = Some(pointer.clone());
                (Some(pointer), None, false)
            }
            Action::Subscription(SubscriptionStep::Plan(PlanStep::Compliant(pointer))) => {
                body_root = Some(schemas.corrected(pointer).unwrap_or(pointer.clone()));
                (Some(pointer), None, true)
            }
            Action::Subscription(SubscriptionStep::Plan(PlanStep::NotificationSchema(pointer))) => {
                (Some(pointer), None, true)
            }
            Action::SchemaAt(pointer)
            | Action::BreakBody(pointer)
            | Action::EachItemSchemaAt(pointer) => (Some(pointer), None, false),
            Action::BreakBodyProperty { path, pointer } => (Some(pointer), Some(path), false),
            _ => (None, None, false),
        };
        if let Some(pointer) = pointer
            && let Err(e) = schemas.resolve(pointer)
        {
            defects.push(match schemas.corrected(pointer) {
                Some(fixed) if fix_applied => PlanDefect {
                    step: Some(text.clone()),
                    what: format!("it cites {pointer:?}, which names no schema of the contract"),
                    fix: format!("cite \"{fixed}\" (the step runs with this fix)"),
                    effect: Effect::Weakens,
                    background_line: None,
                },
                _ => PlanDefect {
                    step: Some(text.clone()),
                    what: format!("it cites {pointer:?}, which names no schema of the contract"),
                    fix: format!("cite a schema that exists ({e})"),
                    effect: Effect::Excuses,
                    background_line: None,
                },
            });
        }
        let relocated = match (&action, &body_root) {
            (
                Action::SetBodyProperty { path, .. }
                | Action::RemoveBodyProperty(path)
                | Action::BreakBodyProperty { path, .. },
                Some(root),
            ) => relocated_device(schemas, root, path),
            (Action::UseDevice(_), Some(root)) if step.value.contains("\"$.device\"") => {
                relocated_device(schemas, root, "$.device")
            }
            _ => None,
        };
        if let Some((written, moved)) = &relocated {
            defects.push(PlanDefect {
                step: Some(text.clone()),
                what: format!(
                    "it writes {written:?}, but the request schema puts the device at {SUBSCRIPTION_DEVICE}"
                ),
                fix: format!("write \"{moved}\" (the step runs with this fix)"),
                effect: Effect::Weakens,
                background_line: None,
            });
        }
        if let Some(defect) = wording_slip(&action, &step.value) {
            defects.push(PlanDefect {
                step: Some(text.clone()),
                ..defect
            });
        }
        let property = relocated.as_ref().map(|(_, moved)| moved).or(property);
        if let (Some(path), Some(pointer), Some(root)) = (property, pointer, &body_root)
            && let Some(defect) = unknown_property(schemas, root, path, pointer)
        {
            defects.push(PlanDefect {
                step: Some(text),
                ..defect
            });
        }
        if i < background_steps {
            for defect in &mut defects[found_before..] {
                defect.background_line = Some(step.position.line);
            }
        }
    }
    if let Some(operation) = &operation
        && crate::steps::is_item_operation(operation)
        && !names_subscription
    {
        defects.push(PlanDefect {
            step: None,
            what: format!(
                "it sends {operation} without naming the subscription (the path parameter \
                 subscriptionId is never set)"
            ),
            fix: "add `And the path parameter \"subscriptionId\" is set to \"id\"` after a \
                  Given that names the id (the run sends an id no subscription has)"
                .into(),
            effect: Effect::Weakens,
            background_line: None,
        });
    }
    if all_bound && !checks {
        defects.push(PlanDefect {
            step: None,
            what: "the scenario checks nothing (it has no Then step)".into(),
            fix: "add the Then steps its title promises".into(),
            effect: Effect::Voids,
            background_line: None,
        });
    } else if sends && !checks_status {
        let then = if has_then {
            ""
        } else {
            "it has no Then step (its checks follow the When as And) and "
        };
        defects.push(PlanDefect {
            step: None,
            what: format!("{then}it never checks the response status code"),
            fix: "add `Then the response status code is N` (the status its title implies) \
                  before its checks"
                .into(),
            effect: Effect::Weakens,
            background_line: None,
        });
    }
    defects
}

/// A slip of a step's wording that the step runs with fixed (the outcome stands): a
/// notification property called a request property, a subscription property outside the
/// `config` that holds it, the response's `$.status` meaning the HTTP status code.
fn wording_slip(action: &Action, sentence: &str) -> Option<PlanDefect> {
    let (what, fix) =
        match action {
            Action::Subscription(SubscriptionStep::Plan(PlanStep::NotificationProperty {
                ..
            })) if sentence.contains("notification request property") => (
                "a notification has no request: \"the notification request property\" means the \
             notification's property"
                    .to_owned(),
                "write \"the notification property\" (the step checks the notification)".to_owned(),
            ),
            Action::Subscription(SubscriptionStep::Plan(
                PlanStep::ExistingExpiresSoon | PlanStep::ExistingMaxEvents(_),
            )) => {
                let name = sentence.split('"').nth(1).unwrap_or_default();
                let member = name.trim_start_matches("$.");
                (
                    format!("SubscriptionRequest declares no {name:?}: it is a member of `config`"),
                    format!("write \"$.config.{member}\" (the step sets that property)"),
                )
            }
            Action::IfStatus { .. } if sentence.contains("property \"$.status\"") => (
                "it reads the response property `$.status` for the HTTP status code (a 204 \
             answer has no body to hold it)"
                    .to_owned(),
                "write \"if the response status code is N then ...\" (the step checks the status \
             code)"
                    .to_owned(),
            ),
            _ => return None,
        };
    Some(PlanDefect {
        step: None,
        what,
        fix,
        effect: Effect::Weakens,
        background_line: None,
    })
}

/// A property path under `$.device` that the request schema at `root` does not declare
/// but declares at `$.config.subscriptionDetail.device` (the subscriptions API): the path
/// as written and as it runs.
fn relocated_device(schemas: &SchemaSet, root: &str, path: &str) -> Option<(String, String)> {
    let rest = path
        .strip_prefix("$.device")
        .filter(|rest| rest.is_empty() || rest.starts_with('.'))?;
    let moved: Vec<&str> = SUBSCRIPTION_DEVICE.strip_prefix("$.")?.split('.').collect();
    let declared = |names: &[&str]| matches!(schemas.property(root, names), Ok(Some(_)));
    (!declared(&["device"]) && declared(&moved))
        .then(|| (path.to_owned(), format!("{SUBSCRIPTION_DEVICE}{rest}")))
}

/// The defect of a body property path (`$.device.networkIdentifier`) that the request
/// schema at `root` does not declare, with the property whose schema is `pointer` as the fix.
fn unknown_property(
    schemas: &SchemaSet,
    root: &str,
    path: &str,
    pointer: &str,
) -> Option<PlanDefect> {
    let names: Vec<&str> = path.strip_prefix("$.")?.split('.').collect();
    // Only plain member paths: a filter or an index says nothing about declared names.
    if names
        .iter()
        .any(|n| n.is_empty() || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return None;
    }
    let available = schemas.property(root, &names).err()?;
    let (parent, last) = names.split_at(names.len() - 1);
    let wanted = SchemaSet::canonical(pointer);
    let fitting = available.iter().find(|name| {
        let mut candidate = parent.to_vec();
        candidate.push(name.as_str());
        matches!(schemas.property(root, &candidate), Ok(Some(p)) if Some(&p) == wanted.as_ref())
    });
    let prefix = parent
        .iter()
        .fold("$".to_owned(), |acc, n| format!("{acc}.{n}"));
    let fix = match fitting {
        Some(name) => format!("write \"{prefix}.{name}\", the property whose schema is {pointer}"),
        None => format!(
            "use a property the schema declares under {prefix}: {}",
            available.join(", ")
        ),
    };
    Some(PlanDefect {
        step: None,
        what: format!(
            "{root} declares no property {:?} under {prefix}",
            last.first().copied().unwrap_or_default()
        ),
        fix,
        effect: Effect::Excuses,
        background_line: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Api;
    use cucumber::feature::Ext as _;
    use cucumber::gherkin::GherkinEnv;

    const BACKGROUND: &str = "Feature: f\n  Background:\n    Given the request body is set by \
        default to a request body compliant with the schema \
        \"#/components/schemas/RequestReachabilityStatus\"\n";

    fn defects(scenario: &str) -> Vec<PlanDefect> {
        let text = format!("{BACKGROUND}{scenario}");
        let feature = gherkin::Feature::parse(&text, GherkinEnv::default())
            .unwrap()
            .expand_examples()
            .unwrap();
        let schemas = SchemaSet::builtin(Api::CamaraV1.current());
        find(&feature, None, &feature.scenarios[0], &schemas)
    }

    #[test]
    fn a_property_typo_is_named_with_the_property_the_cited_schema_belongs_to() {
        let found = defects(
            "  Scenario: s\n    Given the request body property \"$.device.networkIdentifier\" \
             does not comply with the OAS schema at \"/components/schemas/NetworkAccessIdentifier\"\n    \
             When the request \"getReachabilityStatus\" is sent\n    \
             Then the response status code is 400\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].to_string(),
            "step `Given the request body property \"$.device.networkIdentifier\" does not \
             comply with the OAS schema at \"/components/schemas/NetworkAccessIdentifier\"`: \
             #/components/schemas/RequestReachabilityStatus declares no property \
             \"networkIdentifier\" under $.device; fix: write \
             \"$.device.networkAccessIdentifier\", the property whose schema is \
             /components/schemas/NetworkAccessIdentifier"
        );
        assert_eq!(found[0].effect, Effect::Excuses);
    }

    #[test]
    fn a_defect_of_a_background_step_carries_its_line_and_a_scenario_steps_does_not() {
        let text = "Feature: f\n  Background:\n    Given the request body is set by default \
            to a request body compliant with the schema \"#/components/schemas/NoSuch\"\n\n  \
            Scenario: s\n    When the request \"getReachabilityStatus\" is sent\n    \
            Then the response status code is 400\n    \
            And the response body complies with the OAS schema at \
            \"#/component/schemas/ErrorInfo\"\n";
        let feature = gherkin::Feature::parse(text, GherkinEnv::default()).unwrap();
        let schemas = SchemaSet::builtin(Api::CamaraV1.current());
        let found = find(&feature, None, &feature.scenarios[0], &schemas);
        let lines: Vec<(Option<usize>, bool)> = found
            .iter()
            .map(|d| (d.background_line, d.what.contains("NoSuch")))
            .collect();
        assert_eq!(lines, [(Some(3), true), (None, false)], "{found:?}");
    }

    #[test]
    fn a_pointer_to_no_schema_and_a_missing_then_are_defects() {
        let found = defects(
            "  Scenario: s\n    When the request \"getReachabilityStatus\" is sent\n    \
             Then the response status code is 400\n    \
             And the response body complies with the OAS schema at \
             \"#/component/schemas/ErrorInfo\"\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .what
                .contains("cites \"#/component/schemas/ErrorInfo\", which names no schema"),
            "{found:?}"
        );
        assert!(
            found[0].fix.contains("did you mean \"#/components\""),
            "{found:?}"
        );
        let found =
            defects("  Scenario: s\n    When the request \"getReachabilityStatus\" is sent\n");
        assert_eq!(
            found,
            [PlanDefect {
                step: None,
                what: "the scenario checks nothing (it has no Then step)".into(),
                fix: "add the Then steps its title promises".into(),
                effect: Effect::Voids,
                background_line: None,
            }]
        );
        let found = defects(
            "  Scenario: s\n    When the request \"getReachabilityStatus\" is sent\n    \
             And the response property \"$.reachable\" is false\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].what,
            "it has no Then step (its checks follow the When as And) and it never checks the \
             response status code"
        );
        assert_eq!(found[0].effect, Effect::Weakens);
    }

    #[test]
    fn only_plain_member_paths_are_checked_for_typos() {
        let schemas = SchemaSet::builtin(Api::CamaraV1.current());
        let root = "#/components/schemas/RequestReachabilityStatus";
        let pointer = "/components/schemas/PhoneNumber";
        for path in [
            "$.device['phoneNumber']",
            "$.device[0]",
            "$.",
            "device.phoneNumber",
        ] {
            assert_eq!(
                unknown_property(&schemas, root, path, pointer),
                None,
                "{path}"
            );
        }
        assert!(unknown_property(&schemas, root, "$.device.phone", pointer).is_some());
        assert_eq!(
            unknown_property(&schemas, root, "$.device.phoneNumber", pointer),
            None
        );
    }

    const SUBSCRIPTIONS: &str = "Feature: f\n  Background:\n    Given the resource \
        \"/device-reachability-status-subscriptions/v0.8/subscriptions\"\n    \
        And the request body is compliant with the OAS schema at \
        \"#/components/schemas/SubscriptionRequest\"\n";

    /// The defects of a scenario of the subscriptions API after `background`.
    fn subscription_defects(background: &str, scenario: &str) -> Vec<PlanDefect> {
        let text = format!("{background}{scenario}");
        let feature = gherkin::Feature::parse(&text, GherkinEnv::default()).unwrap();
        let schemas = SchemaSet::builtin(Api::CamaraSubscriptionsV0.current());
        find(&feature, None, &feature.scenarios[0], &schemas)
    }

    #[test]
    fn a_known_slip_of_a_pointer_runs_fixed_and_is_reported() {
        let background = SUBSCRIPTIONS.replace("#/components/", "#/component/");
        let found = subscription_defects(
            &background,
            "  Scenario: s\n    When the request \"createDeviceReachabilityStatusSubscription\" \
             is sent\n    Then the response status code is 201\n    \
             And notification body complies with the OAS schema at \
             \"#/components/schemas/EventSubscriptionEnds\"\n",
        );
        let fixes: Vec<(&str, Effect)> = found.iter().map(|d| (d.fix.as_str(), d.effect)).collect();
        assert_eq!(
            fixes,
            [
                (
                    "cite \"#/components/schemas/SubscriptionRequest\" (the step runs with this fix)",
                    Effect::Weakens
                ),
                (
                    "cite \"#/components/schemas/EventSubscriptionEnded\" (the step runs with \
                     this fix)",
                    Effect::Weakens
                ),
            ]
        );
    }

    #[test]
    fn a_device_at_the_status_apis_place_is_relocated_and_a_typo_under_it_still_found() {
        let found = subscription_defects(
            SUBSCRIPTIONS,
            "  Scenario: s\n    Given the request body property \"$.device.networkIdentifier\" \
             does not comply with the OAS schema at \"/components/schemas/NetworkAccessIdentifier\"\n    \
             When the request \"createDeviceReachabilityStatusSubscription\" is sent\n    \
             Then the response status code is 400\n",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0].fix,
            "write \"$.config.subscriptionDetail.device.networkIdentifier\" (the step runs with \
             this fix)"
        );
        assert_eq!(found[0].effect, Effect::Weakens);
        assert_eq!(
            found[1].fix,
            "write \"$.config.subscriptionDetail.device.networkAccessIdentifier\", the property \
             whose schema is /components/schemas/NetworkAccessIdentifier"
        );
        assert_eq!(found[1].effect, Effect::Excuses);
    }

    #[test]
    fn a_status_only_other_operations_answer_voids_the_scenario_and_an_unused_one_does_not() {
        let scenario = |status: u16| {
            format!(
                "  Scenario: s\n    When the request \"createDeviceReachabilityStatusSubscription\" \
                 is sent\n    Then the response status code is {status}\n"
            )
        };
        let found = subscription_defects(SUBSCRIPTIONS, &scenario(404));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].effect, Effect::Voids);
        assert!(
            found[0].what.starts_with(
                "createDeviceReachabilityStatusSubscription documents no 404 answer in the \
                 contract (other operations do)"
            ),
            "{found:?}"
        );
        assert_eq!(subscription_defects(SUBSCRIPTIONS, &scenario(418)), []);
        assert_eq!(subscription_defects(SUBSCRIPTIONS, &scenario(201)), []);
    }

    #[test]
    fn an_operation_on_one_subscription_without_its_id_and_wording_slips_are_reported() {
        let found = subscription_defects(
            SUBSCRIPTIONS,
            "  Scenario: s\n    Given a valid subscription for a device exists with \
             \"subscriptionId\" equal to \"id\"\n    \
             And the subscription property \"$.subscriptionMaxEvents\" is set to 1\n    \
             When the request \"deleteDeviceReachabilityStatusSubscription\" is sent\n    \
             Then the response status code is 202 or 204\n    \
             And if the response property \"$.status\" is 204 then response body is not present\n    \
             And the notification request property \"$.type\" is \"x\"\n",
        );
        let fixes: Vec<&str> = found.iter().map(|d| d.fix.as_str()).collect();
        assert_eq!(
            fixes,
            [
                "write \"$.config.subscriptionMaxEvents\" (the step sets that property)",
                "write \"if the response status code is N then ...\" (the step checks the status \
                 code)",
                "write \"the notification property\" (the step checks the notification)",
                "add `And the path parameter \"subscriptionId\" is set to \"id\"` after a Given \
                 that names the id (the run sends an id no subscription has)",
            ]
        );
        assert!(found.iter().all(|d| d.effect == Effect::Weakens));
    }

    #[test]
    fn a_sound_scenario_has_no_defect() {
        let found = defects(
            "  Scenario: s\n    Given the request body property \"$.device.phoneNumber\" \
             does not comply with the OAS schema at \"/components/schemas/PhoneNumber\"\n    \
             When the request \"getReachabilityStatus\" is sent\n    \
             Then the response status code is 400\n    \
             And the response body complies with the OAS schema at \
             \"#/components/schemas/ErrorInfo\"\n",
        );
        assert_eq!(found, []);
    }
}
