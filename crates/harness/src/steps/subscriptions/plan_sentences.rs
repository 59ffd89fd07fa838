//! The sentences of CAMARA's official subscriptions plans (v0.8.0), appended to the
//! vocabulary's table after the lifecycle sentences. General patterns with captures: the
//! plans' wording for the request's properties, the subscription a Given creates, the
//! checks of lists and notifications, the device's state changes.

use serde_json::{Value, json};

use super::{PlanStep, SubscriptionStep};
use crate::DeviceRole;
use crate::notifications::TYPE_PREFIX;
use crate::steps::vocabulary::{self, Action, Build, Q, TokenChoice, VocabularyError, arg};

/// The name the plans give the id of the subscription a Given created, when a sentence
/// names none.
const DEFAULT_NAME: &str = "id";

fn plan(step: PlanStep) -> Result<Action, VocabularyError> {
    Ok(Action::Subscription(SubscriptionStep::Plan(step)))
}

fn state(change: &str) -> Result<Action, VocabularyError> {
    Ok(Action::Subscription(SubscriptionStep::StateChange(
        change.to_owned(),
    )))
}

/// Every quoted argument of the whole match, in order.
fn quoted(c: &regex::Captures<'_>) -> Vec<String> {
    let all = c.get(0).map_or("", |m| m.as_str());
    all.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// A request property's value as the plans write it: `$.types` is an array in the OAS,
/// so a single type names the array of that type.
fn property_value(path: &str, value: String) -> Value {
    if path == "$.types" {
        json!([value])
    } else {
        Value::String(value)
    }
}

/// A value of the request property other than `value`: another value the OAS allows
/// where it has an enumeration (protocol, credential type), else a value it refuses.
fn other_value(path: &str, value: &str) -> Value {
    let other = match path {
        "$.protocol" => "MQTT3",
        "$.sinkCredential.credentialType" => "PLAIN",
        _ => return Value::String(format!("not-{value}")),
    };
    Value::String(other.to_owned())
}

/// The full name of an event type of the API.
fn event_type(short: &str) -> String {
    format!("{TYPE_PREFIX}{short}")
}

/// (pattern, builder) pairs of the official plans' sentences.
pub(crate) fn patterns() -> Vec<(String, Build)> {
    let p = |s: &str| s.replace("{Q}", Q);
    vec![
        // --- the request ------------------------------------------------------------------
        (
            p(r"the request body is compliant with the (?:OAS )?schema(?: at)? {Q}"),
            |c, _| plan(PlanStep::Compliant(arg(c, 1))),
        ),
        (
            p(r"request property {Q} is one of the allowed values {Q}"),
            |c, _| {
                let path = arg(c, 1);
                let value = property_value(&path, arg(c, 2));
                Ok(Action::SetBodyProperty { path, value })
            },
        ),
        (
            p(r"(?:the )?request (?:body )?property {Q} is equal to {Q}"),
            |c, _| {
                let path = arg(c, 1);
                let value = property_value(&path, arg(c, 2));
                Ok(Action::SetBodyProperty { path, value })
            },
        ),
        (p(r"(?:the )?request property {Q} is set to {Q}"), |c, _| {
            let path = arg(c, 1);
            let value = property_value(&path, arg(c, 2));
            Ok(Action::SetBodyProperty { path, value })
        }),
        (
            p(r"(?:the )?request property {Q} is not equal to {Q}"),
            |c, _| {
                let path = arg(c, 1);
                let value = other_value(&path, &arg(c, 2));
                Ok(Action::SetBodyProperty { path, value })
            },
        ),
        (
            p(r#"the request body property "\$\.types" is set to an invalid value"#),
            |_, _| {
                Ok(Action::SetBodyProperty {
                    path: "$.types".into(),
                    value: json!([event_type("no-such-type")]),
                })
            },
        ),
        (
            p(r#"request property "\$\.types" includes more than one subscription-type"#),
            |_, _| {
                Ok(Action::SetBodyProperty {
                    path: "$.types".into(),
                    value: json!([
                        event_type("reachability-data"),
                        event_type("reachability-sms")
                    ]),
                })
            },
        ),
        (
            p(r"(?:the )?request property {Q} is set to a time in the past"),
            |c, _| {
                Ok(Action::Subscription(SubscriptionStep::TimeFromNow {
                    path: arg(c, 1),
                    seconds: -3600,
                }))
            },
        ),
        (p(r"a valid phone number identified by {Q}"), |c, _| {
            plan(PlanStep::PhoneNumberAt(arg(c, 1)))
        }),
        (
            p(r#"request property "\$\.sink" is set to a valid callbackUrl"#),
            |_, _| plan(PlanStep::SinkIsCallback),
        ),
        (p(r"request property {Q} is not present"), |c, _| {
            plan(PlanStep::Without(arg(c, 1)))
        }),
        (
            p(
                r#"the request body property "\$\.device" is also set to a valid device, which may or may not be the same device"#,
            ),
            |_, _| Ok(Action::UseDevice(DeviceRole::Data)),
        ),
        (p(r"the request header {Q} is removed"), |c, _| {
            Ok(Action::RemoveHeader(arg(c, 1)))
        }),
        (
            p(r#"the path parameter "subscriptionId" (?:is set to|is equal to) {Q}"#),
            |c, _| plan(PlanStep::PathId(arg(c, 1))),
        ),
        // --- access tokens and devices ----------------------------------------------------
        (
            p(
                r#"the header "Authorization" is set to a previously valid but now expired access token"#,
            ),
            |_, _| Ok(Action::SetToken(TokenChoice::Expired)),
        ),
        (
            p(
                r#"the header "Authorization" is set to a valid access token which does not identify any device"#,
            ),
            |_, _| Ok(Action::SetToken(TokenChoice::Valid)),
        ),
        (
            p(
                r#"the header "Authorization" is set to a valid access token which identifies (?:a valid device(?: associated with one or more subscriptions)?|the device associated with the subscription)"#,
            ),
            |_, _| Ok(Action::SetToken(TokenChoice::DeviceBound)),
        ),
        (p(r"a valid 2- or 3-legged access token"), |_, _| {
            Ok(Action::SetToken(TokenChoice::Valid))
        }),
        (
            p(r"the access token does not (?:include|including) scope {Q}"),
            |_, _| Ok(Action::SetToken(TokenChoice::WithoutScope)),
        ),
        (
            p(r"the access token includes only a single subscription scope"),
            |_, _| plan(PlanStep::SingleScopeToken),
        ),
        (
            p(
                r#"the request body property "\$\.types" is equal to a valid type other than the event corresponding to the access token scope"#,
            ),
            |_, _| plan(PlanStep::OtherTypeThanScope),
        ),
        (
            p(
                r"a valid target device, identified by either the access token or in the request body",
            ),
            |_, _| Ok(Action::AnyDevice),
        ),
        // --- the subscription a Given creates ----------------------------------------------
        (
            p(
                r#"(?:a valid subscription for that device exists with|the API consumer has an active subscription with) "subscriptionId" equal to {Q}"#,
            ),
            |c, _| plan(PlanStep::Exists(arg(c, 1))),
        ),
        (
            p(r"a subscription exists and has a subscriptionId equal to {Q}"),
            |c, _| plan(PlanStep::Exists(arg(c, 1))),
        ),
        (
            p(
                r"(?:at least one subscription is existing for the API consumer making this request|the API consumer has at least one active subscription for the device)",
            ),
            |_, _| plan(PlanStep::Exists(DEFAULT_NAME.into())),
        ),
        (
            p(r"the subscription property {Q} contains the element {Q}"),
            |c, _| {
                plan(PlanStep::ExistingProperty {
                    path: arg(c, 1),
                    value: json!([arg(c, 2)]),
                })
            },
        ),
        (
            p(
                r#"the subscription property "\$\.subscriptionExpireTime" is set to a value in the near future"#,
            ),
            |_, _| plan(PlanStep::ExistingExpiresSoon),
        ),
        (
            p(r#"the subscription property "\$\.subscriptionMaxEvents" is set to (\d{1,4})"#),
            |c, _| {
                arg(c, 1)
                    .parse()
                    .map(PlanStep::ExistingMaxEvents)
                    .map_err(|_| VocabularyError("the count must be a number".into()))
                    .and_then(plan)
            },
        ),
        (
            p(r#"the subscription property "\$\.sink" is a valid callback URL"#),
            |_, _| plan(PlanStep::SinkIsCallback),
        ),
        (
            p(r#"that there is no valid subscription with "subscriptionId" equal to {Q}"#),
            |c, _| plan(PlanStep::Unknown(arg(c, 1))),
        ),
        (
            p(r"the API consumer has no active subscriptions for the device"),
            |_, _| plan(PlanStep::NoneForDevice),
        ),
        // --- the device's state (a provider hook) -----------------------------------------
        (
            p(r"the device does not have (data|sms) connectivity with the API provider's network"),
            |c, _| {
                state(&format!(
                    "loses {} connectivity",
                    arg(c, 1).to_ascii_lowercase()
                ))
            },
        ),
        (
            p(r"the device has data and/or sms connectivity with the API provider's network"),
            |_, _| state("gains data connectivity"),
        ),
        (
            p(r"the device's (data|sms) connectivity status changes(?: \(e\.g\. .*\))?"),
            |c, _| {
                state(&format!(
                    "gains {} connectivity",
                    arg(c, 1).to_ascii_lowercase()
                ))
            },
        ),
        (
            p(
                r"the device loses all connectivity with the API provider's network(?: \(e\.g\. .*\))?",
            ),
            |_, _| state("loses all connectivity"),
        ),
        (p(r"the subscriptionExpireTime is reached"), |_, _| {
            plan(PlanStep::Awaited)
        }),
        // --- checks -----------------------------------------------------------------------
        (p(r"the response property {Q} is equal to {Q}"), |c, _| {
            Ok(Action::PropertyIsNamed {
                path: arg(c, 1),
                name: arg(c, 2),
            })
        }),
        (
            p(
                r"the response properties {Q}(?:, {Q})* and {Q} are present with the values provided in the request",
            ),
            |c, _| Ok(Action::EchoesRequest(quoted(c))),
        ),
        (
            p(
                r"the response properties {Q}(?:, {Q})* and {Q}, if present, have a valid value with date-time format",
            ),
            |c, _| {
                Ok(Action::AllOf(
                    quoted(c)
                        .into_iter()
                        .map(|path| Action::PropertyDateTime {
                            path,
                            only_if_present: true,
                            in_the_past: false,
                        })
                        .collect(),
                ))
            },
        ),
        (
            p(r"the response property {Q}, if present, has the value {Q}(?:, {Q})* or {Q}"),
            |c, _| {
                let mut values = quoted(c);
                let path = values.remove(0);
                Ok(Action::IfPresent {
                    path: path.clone(),
                    then: Box::new(Action::PropertyIsOneOf { path, values }),
                })
            },
        ),
        (
            p(r"if the response property {Q} is (\d{3}) then (.+)"),
            |c, _| {
                let status = arg(c, 2)
                    .parse()
                    .map_err(|_| VocabularyError("the status code must be a number".into()))?;
                Ok(Action::IfStatus {
                    status,
                    then: Box::new(conjunction(&arg(c, 3))?),
                })
            },
        ),
        (p(r"the response body is not present"), |_, _| {
            Ok(Action::NoResponseBody)
        }),
        (
            p(r"the response body complies with an array of OAS schema defined at {Q}"),
            |c, _| Ok(Action::EachItemSchemaAt(arg(c, 1))),
        ),
        (
            p(
                r"the response body lists all subscriptions belonging to the API consumer(?: for the identified device)?",
            ),
            |_, _| plan(PlanStep::ListsCreated),
        ),
        (
            p(r"the response property {Q} is not present in any of the subscription records"),
            |c, _| Ok(Action::AbsentInEveryItem(arg(c, 1))),
        ),
        (p(r"the response body is an empty array"), |_, _| {
            Ok(Action::EmptyArray)
        }),
        // --- notifications ----------------------------------------------------------------
        (
            p(r"event notification {Q} is sent to the specified callback URL"),
            |c, _| Ok(Action::Subscription(SubscriptionStep::Receives(arg(c, 1)))),
        ),
        (
            p(r"a subscription termination event notification is sent to the callback URL"),
            |_, _| plan(PlanStep::Ended),
        ),
        (
            p(
                r#"a single notification corresponding to subscription property "\$\.type" has been sent to the callback URL"#,
            ),
            |_, _| plan(PlanStep::ReceivesSubscribed),
        ),
        (
            p(r"the sink credentials specified when the subscription was created are included"),
            |_, _| plan(PlanStep::CredentialIncluded),
        ),
        (
            p(r"(?:the )?notification body complies with the OAS schema at {Q}"),
            |c, _| plan(PlanStep::NotificationSchema(arg(c, 1))),
        ),
        (
            p(r"the notification (?:request )?property {Q} is (?:equal to )?{Q}"),
            |c, _| {
                plan(PlanStep::NotificationProperty {
                    path: arg(c, 1),
                    value: arg(c, 2),
                })
            },
        ),
    ]
}

/// The checks of a sentence joining several with `and` ("response body complies with ...
/// and the response property ... is equal to ..."), each parsed as a sentence of its own.
fn conjunction(text: &str) -> Result<Action, VocabularyError> {
    let mut checks = Vec::new();
    for (i, part) in text.split(" and response ").enumerate() {
        let sentence = if i == 0 {
            part.to_owned()
        } else {
            format!("response {part}")
        };
        match vocabulary::parse(&sentence, None) {
            Some(Ok(check)) if check.is_check() => checks.push(check),
            Some(Err(e)) => return Err(e),
            _ => {
                return Err(VocabularyError(format!(
                    "\"{sentence}\" is not a response check"
                )));
            }
        }
    }
    Ok(match checks.len() {
        1 => checks.remove(0),
        _ => Action::AllOf(checks),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::vocabulary::parse;

    fn action(sentence: &str) -> Action {
        match parse(sentence, None) {
            Some(Ok(action)) => action,
            other => panic!("{sentence}: {other:?}"),
        }
    }

    #[test]
    fn a_single_type_of_the_request_names_the_array_of_that_type() {
        assert_eq!(
            action(r#"request property "$.types" is one of the allowed values "t""#),
            Action::SetBodyProperty {
                path: "$.types".into(),
                value: json!(["t"])
            }
        );
        assert_eq!(
            action(r#"the request property "$.protocol" is not equal to "HTTP""#),
            Action::SetBodyProperty {
                path: "$.protocol".into(),
                value: json!("MQTT3")
            }
        );
    }

    #[test]
    fn a_conditional_sentence_joins_its_checks() {
        assert_eq!(
            action(
                r##"if the response property "$.status" is 202 then response body complies with the OAS schema at "#/components/schemas/SubscriptionAsync" and the response property "$.id" is equal to "id""##
            ),
            Action::IfStatus {
                status: 202,
                then: Box::new(Action::AllOf(vec![
                    Action::SchemaAt("#/components/schemas/SubscriptionAsync".into()),
                    Action::PropertyIsNamed {
                        path: "$.id".into(),
                        name: "id".into()
                    },
                ])),
            }
        );
        assert_eq!(
            action(
                r#"the response property "$.status", if present, has the value "A", "B" or "C""#
            ),
            Action::IfPresent {
                path: "$.status".into(),
                then: Box::new(Action::PropertyIsOneOf {
                    path: "$.status".into(),
                    values: vec!["A".into(), "B".into(), "C".into()],
                }),
            }
        );
    }

    #[test]
    fn the_devices_state_sentences_name_the_hooks_canonical_changes() {
        let change = |sentence: &str| match action(sentence) {
            Action::Subscription(SubscriptionStep::StateChange(change)) => change,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            change("the device does not have data connectivity with the API provider's network"),
            "loses data connectivity"
        );
        assert_eq!(
            change("the device does not have sms connectivity with the API provider's network"),
            "loses sms connectivity"
        );
        assert_eq!(
            change("the device has data and/or sms connectivity with the API provider's network"),
            "gains data connectivity"
        );
        assert_eq!(
            change(
                "the device's sms connectivity status changes (e.g. sms connectivity is enabled)"
            ),
            "gains sms connectivity"
        );
        assert_eq!(
            change(
                "the device loses all connectivity with the API provider's network (e.g. the device is switched off)"
            ),
            "loses all connectivity"
        );
    }
}
