//! CAMARA's test-plan vocabulary: every step sentence the harness understands, parsed
//! into a typed [`Action`].
//!
//! The same table gives cucumber its step patterns and gives `list` the testing assets a
//! scenario needs, so what is bound, what runs and what is reported never drift apart.
//! Phrasing drift of the official plans is absorbed here ("is set to" / "is set as",
//! "response code" / "response status code", "user friendly" / "user-friendly").

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use regex::{Captures, Regex, RegexSet};
use serde_json::Value;

use crate::DeviceRole;
use crate::negative::{GeneratedKind, MAX_CASES};
use crate::oauth::AssertionFlaw;
use crate::schema::SecurityCase;
use crate::target_file::device_key;

use super::normalize;
use crate::phrasebook::{self, Phrasebook, PhrasebookError};

/// Which access token the `Authorization` header carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenChoice {
    /// A valid two-legged token, which identifies no device.
    Valid,
    /// A valid three-legged token bound to a device (CIBA).
    DeviceBound,
    /// A token whose lifetime has ended.
    Expired,
    /// A token that was revoked (RFC 7009) before use.
    Revoked,
    /// A syntactically invalid bearer token.
    Malformed,
    /// A valid token lacking the API scope.
    WithoutScope,
    /// A valid two-legged token under another scheme than `Bearer`.
    WrongScheme,
    /// A well-formed bearer token the server never issued.
    Unissued,
    /// A valid three-legged token, sent with a body naming another device.
    BoundToAnotherDevice,
}

/// One step sentence, understood.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Names the environment variable of the API root (`apiRoot`): the target file's
    /// `api_root` (or `base_url`) plays that part, so it must give one.
    Environment(String),
    /// Sets the URL of the resource under test (`{api-root}` is substituted).
    Resource(String),
    /// Sets a request header to a literal value.
    SetHeader { name: String, value: String },
    /// Sets a request header to a fresh UUID.
    SetHeaderUuid(String),
    /// Sets a request header to a fresh UUID, checked against the schema at the pointer.
    SetHeaderCompliant { name: String, pointer: String },
    /// Removes a request header.
    RemoveHeader(String),
    /// Sets `Authorization` to a bearer token of the given kind.
    SetToken(TokenChoice),
    /// Starts from a request body compliant with the schema at the pointer.
    DefaultBody(String),
    /// Makes the body a valid request for the current testing device.
    ValidBody,
    /// Sets the body to a JSON document (from the step's doc string).
    JsonBody(Value),
    /// Sets the body to raw text (from the step's doc string), e.g. invalid JSON.
    RawBody(String),
    /// Removes the request body altogether.
    NoBody,
    /// Sets a body property (JSONPath) to a JSON value.
    SetBodyProperty { path: String, value: Value },
    /// Removes a body property (JSONPath).
    RemoveBodyProperty(String),
    /// Sets a body property to a value that breaks the schema at the pointer.
    BreakBodyProperty { path: String, pointer: String },
    /// Sets the whole body to a value that breaks the schema at the pointer.
    BreakBody(String),
    /// Makes the given testing device the subject of the request.
    UseDevice(DeviceRole),
    /// Keeps whatever testing device is set (a precondition that needs no asset).
    AnyDevice,
    /// Declares that the scenario needs a testing asset (skips it when absent).
    Requires(DeviceRole),
    /// Sends the operation.
    Send(String),
    /// Re-sends the last request through the provider's network-error test hook.
    SimulateNetworkError,
    /// Sends `count` requests, each with a generated malformed input of `kind`.
    SendGenerated { count: usize, kind: GeneratedKind },
    /// Performs a response check on the answer of every generated request.
    Every(Box<Action>),
    /// Checks the status code.
    StatusIs(u16),
    /// Checks the status code is one of several (where the documents allow either).
    StatusIsOneOf(Vec<u16>),
    /// Checks a response header value (media type for `Content-Type`).
    HeaderIs { name: String, value: String },
    /// Checks a response header equals a request header.
    HeaderEchoes { response: String, request: String },
    /// Checks a response header is present.
    HeaderPresent(String),
    /// Checks the body against the schema at an OpenAPI pointer.
    SchemaAt(String),
    /// Checks the body against the schema documented for the operation and status.
    SchemaForStatus,
    /// Checks a response property (JSONPath) equals a JSON value.
    PropertyIs { path: String, value: Value },
    /// Checks a response property equals one of several strings.
    PropertyIsOneOf { path: String, values: Vec<String> },
    /// Checks a response property (array) includes every value.
    PropertyIncludes { path: String, values: Vec<String> },
    /// Checks a response property (array) includes none of the values.
    PropertyExcludes { path: String, values: Vec<String> },
    /// Checks a response property exists.
    PropertyPresent(String),
    /// Checks a response property does not exist.
    PropertyAbsent(String),
    /// Checks a response property is present only if another one exists (or has a value).
    PropertyOnlyIf {
        path: String,
        other: String,
        value: Option<String>,
    },
    /// Checks a response property is a human-readable text.
    PropertyFriendlyText(String),
    /// Checks a response property is an RFC 3339 date-time (optionally only when present,
    /// optionally not in the future).
    PropertyDateTime {
        path: String,
        only_if_present: bool,
        in_the_past: bool,
    },
    /// Checks a response property is an object holding exactly one identifier of the
    /// request's `device`, with the value sent.
    OneRequestIdentifier(String),
    /// Prepares the client assertion of the next token request (`private_key_jwt`).
    ClientAssertion(AssertionChoice),
    /// Sends a client credentials request to the token endpoint.
    RequestToken,
    /// Starts a CIBA authentication request for the test device.
    StartCiba,
    /// Polls the token endpoint twice at once for the started CIBA request.
    PollCibaTwice,
    /// Checks the last token response is an answer OpenID CIBA allows to a poll that came
    /// too soon: `slow_down`, `authorization_pending`, or the token once approved.
    EarlyPollAnswerAllowed,
    /// A step of the subscriptions profile.
    Subscription(super::subscriptions::SubscriptionStep),
    /// Performs every check (a sentence naming several properties or conditions).
    AllOf(Vec<Action>),
    /// Performs the check only when the response status code is `status` (plans that
    /// branch on the answers an operation allows, e.g. 202 or 204).
    IfStatus {
        /// The status code the check applies to.
        status: u16,
        /// The check.
        then: Box<Action>,
    },
    /// Performs the check only when the response property exists.
    IfPresent {
        /// The property (JSONPath).
        path: String,
        /// The check.
        then: Box<Action>,
    },
    /// Checks each response property (JSONPath) equals the request body's at the same path.
    EchoesRequest(Vec<String>),
    /// Checks the response has no body.
    NoResponseBody,
    /// Checks a response property equals the value the scenario named `name` (e.g. the id
    /// of the subscription a Given created), or the text `name` when it named none.
    PropertyIsNamed { path: String, name: String },
    /// Checks the response body is an array whose every item complies with the schema at
    /// the pointer.
    EachItemSchemaAt(String),
    /// Checks no item of the response array has the property (JSONPath, per item).
    AbsentInEveryItem(String),
    /// Checks the response body is an empty array.
    EmptyArray,
}

/// Which requirements of the contract a scenario gives a case for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Covers {
    /// Every requirement of the request body schema that a change can break alone.
    RequestBody,
    /// One case of the security requirement.
    Security(SecurityCase),
}

/// Which client assertion the next token request carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssertionChoice {
    /// One with a deliberate defect the server must refuse.
    Flawed(AssertionFlaw),
    /// A good one that the token endpoint has already accepted once.
    Replayed,
}

impl Action {
    /// How many requests this step sends itself: one per send, per token-endpoint call, per
    /// generated case (`cases` counts a generated step's cases from its kind and written
    /// count). The run's shared flows (tokens, discovery, CIBA) and the extra requests of
    /// shrinking a failure are not counted.
    pub fn requests(&self, cases: impl Fn(GeneratedKind, usize) -> usize) -> usize {
        match self {
            Action::Send(_)
            | Action::SimulateNetworkError
            | Action::RequestToken
            | Action::StartCiba
            | Action::ClientAssertion(AssertionChoice::Replayed) => 1,
            Action::PollCibaTwice => 2,
            Action::Subscription(super::subscriptions::SubscriptionStep::Plan(
                super::subscriptions::PlanStep::Exists(_),
            )) => 1,
            Action::SendGenerated { count, kind } => cases(*kind, *count),
            _ => 0,
        }
    }

    /// The testing asset (target-file key) this action cannot run without, if any.
    pub fn required_key(&self) -> Option<&'static str> {
        match self {
            Action::UseDevice(role) | Action::Requires(role) => Some(device_key(*role)),
            Action::SetToken(choice) => match choice {
                TokenChoice::Valid
                | TokenChoice::Malformed
                | TokenChoice::WrongScheme
                | TokenChoice::Unissued => None,
                TokenChoice::DeviceBound | TokenChoice::BoundToAnotherDevice => {
                    Some("auth.ciba_url")
                }
                TokenChoice::Expired => Some("auth.expired_token_env"),
                TokenChoice::Revoked => Some("auth.revocation_url"),
                TokenChoice::WithoutScope => Some("auth.no_scope_scope"),
            },
            Action::SimulateNetworkError => Some("provider.network_error_header"),
            Action::ClientAssertion(_) => Some("auth.private_key_file"),
            Action::StartCiba => Some("auth.ciba_url"),
            Action::Subscription(super::subscriptions::SubscriptionStep::StateChange(_)) => {
                Some(crate::target_file::HOOK_KEY)
            }
            _ => None,
        }
    }

    /// The requirement of the contract a scenario with this action gives a case for.
    pub fn covers(&self) -> Option<Covers> {
        let case = match self {
            Action::RemoveHeader(name) if name.eq_ignore_ascii_case("authorization") => {
                SecurityCase::NoHeader
            }
            Action::SetToken(choice) => match choice {
                TokenChoice::WrongScheme => SecurityCase::WrongScheme,
                TokenChoice::Malformed => SecurityCase::MalformedToken,
                TokenChoice::Unissued => SecurityCase::UnissuedToken,
                TokenChoice::Expired => SecurityCase::ExpiredToken,
                TokenChoice::Revoked => SecurityCase::RevokedToken,
                TokenChoice::WithoutScope => SecurityCase::MissingScope,
                TokenChoice::BoundToAnotherDevice => SecurityCase::BoundToAnotherDevice,
                TokenChoice::Valid | TokenChoice::DeviceBound => return None,
            },
            Action::SendGenerated {
                kind: GeneratedKind::RequestRequirements,
                ..
            } => return Some(Covers::RequestBody),
            _ => return None,
        };
        Some(Covers::Security(case))
    }

    /// Whether the action shapes the request a `When ... is sent` step names (or the
    /// subscription a Given prepares): such a step may follow the When, since the request
    /// goes out at the first step that needs its answer (see
    /// [`crate::steps::ReachabilityWorld::perform`]).
    pub fn shapes_request(&self) -> bool {
        match self {
            Action::Environment(_)
            | Action::Resource(_)
            | Action::SetHeader { .. }
            | Action::SetHeaderUuid(_)
            | Action::SetHeaderCompliant { .. }
            | Action::RemoveHeader(_)
            | Action::SetToken(_)
            | Action::DefaultBody(_)
            | Action::ValidBody
            | Action::JsonBody(_)
            | Action::RawBody(_)
            | Action::NoBody
            | Action::SetBodyProperty { .. }
            | Action::RemoveBodyProperty(_)
            | Action::BreakBodyProperty { .. }
            | Action::BreakBody(_)
            | Action::UseDevice(_)
            | Action::AnyDevice
            | Action::Requires(_) => true,
            Action::Subscription(step) => step.shapes_request(),
            _ => false,
        }
    }

    /// Whether the action reads the response (and so needs a request to have been sent).
    pub fn is_check(&self) -> bool {
        matches!(
            self,
            Action::StatusIs(_)
                | Action::StatusIsOneOf(_)
                | Action::HeaderIs { .. }
                | Action::HeaderEchoes { .. }
                | Action::HeaderPresent(_)
                | Action::SchemaAt(_)
                | Action::SchemaForStatus
                | Action::PropertyIs { .. }
                | Action::PropertyIsOneOf { .. }
                | Action::PropertyIncludes { .. }
                | Action::PropertyExcludes { .. }
                | Action::PropertyPresent(_)
                | Action::PropertyAbsent(_)
                | Action::PropertyOnlyIf { .. }
                | Action::PropertyFriendlyText(_)
                | Action::PropertyDateTime { .. }
                | Action::OneRequestIdentifier(_)
                | Action::EarlyPollAnswerAllowed
                | Action::AllOf(_)
                | Action::IfStatus { .. }
                | Action::IfPresent { .. }
                | Action::EchoesRequest(_)
                | Action::NoResponseBody
                | Action::PropertyIsNamed { .. }
                | Action::EachItemSchemaAt(_)
                | Action::AbsentInEveryItem(_)
                | Action::EmptyArray
        )
    }
}

/// Why a sentence that matched a pattern still cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VocabularyError(pub String);

impl std::fmt::Display for VocabularyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Builds the action of a sentence from its captures and doc string.
pub(crate) type Build = fn(&Captures<'_>, Option<&str>) -> Result<Action, VocabularyError>;

/// A quoted argument: anything but a double quote.
pub(crate) const Q: &str = r#""([^"]+)""#;
/// A quoted argument that may be empty.
const Q0: &str = r#""([^"]*)""#;

/// Builds the check that the status is one of the two codes captured first and second.
pub(crate) fn either_status(c: &Captures<'_>, _: Option<&str>) -> Result<Action, VocabularyError> {
    [arg(c, 1), arg(c, 2)]
        .iter()
        .map(|code| code.parse())
        .collect::<Result<Vec<u16>, _>>()
        .map(Action::StatusIsOneOf)
        .map_err(|_| VocabularyError("status codes must be numbers".into()))
}

/// Capture `i` of a sentence, empty when absent.
pub(crate) fn arg(c: &Captures<'_>, i: usize) -> String {
    c.get(i).map_or_else(String::new, |m| m.as_str().to_owned())
}

fn use_device(role: DeviceRole) -> Result<Action, VocabularyError> {
    Ok(Action::UseDevice(role))
}

/// The role of the testing device a sentence names by its target-file key (`data_and_sms`,
/// in any case, as the vocabulary's patterns match).
pub(crate) fn testing_device(name: &str) -> Result<DeviceRole, VocabularyError> {
    DeviceRole::from_key(&name.to_ascii_lowercase())
        .filter(|role| role.is_device())
        .ok_or_else(|| {
            VocabularyError(format!(
                "{name:?} is not a testing device of the target file"
            ))
        })
}

fn doc_string(doc: Option<&str>) -> Result<&str, VocabularyError> {
    doc.ok_or_else(|| {
        VocabularyError("this step needs a doc string (\"\"\" ... \"\"\") below it".into())
    })
}

fn json_literal(text: &str) -> Result<Value, VocabularyError> {
    serde_json::from_str(text.trim()).map_err(|e| {
        VocabularyError(format!(
            "{text:?} is not a JSON value ({e}); quote strings (\"...\") or write JSON such as {{}}, 12, true"
        ))
    })
}

/// A value as written after "is set to": `"text"` is a string, anything else is JSON.
fn step_value(text: &str) -> Result<Value, VocabularyError> {
    let text = text.trim();
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => Ok(Value::String(inner.to_owned())),
        _ => json_literal(text),
    }
}

/// The vocabulary: (pattern, builder) pairs. Patterns are anchored when compiled.
fn patterns() -> Vec<(String, Build)> {
    let p = |s: &str| s.replace("{Q}", Q).replace("{Q0}", Q0);
    let set = r"is set to";
    let mut table: Vec<(String, Build)> = vec![
        // --- request set-up -------------------------------------------------------------
        (p(r"an environment at {Q}"), |c, _| {
            Ok(Action::Environment(arg(c, 1)))
        }),
        (p(r"the resource {Q} is set as base-url"), |c, _| {
            Ok(Action::Resource(arg(c, 1)))
        }),
        // v1.1.0 plan: the resource alone, without "set as base-url".
        (p(r"the resource {Q}"), |c, _| {
            Ok(Action::Resource(arg(c, 1)))
        }),
        (
            p(
                r#"the header "Authorization" is set to a valid access token(?: which does not identify a single (?:device|phone number))?"#,
            ),
            |_, _| Ok(Action::SetToken(TokenChoice::Valid)),
        ),
        (
            p(
                r#"the header "Authorization" is set to a valid access token identifying a (?:device|phone number)"#,
            ),
            |_, _| Ok(Action::SetToken(TokenChoice::DeviceBound)),
        ),
        (
            p(r#"the header "Authorization" is set to an expired access token"#),
            |_, _| Ok(Action::SetToken(TokenChoice::Expired)),
        ),
        (
            p(r#"the header "Authorization" is set to a revoked access token"#),
            |_, _| Ok(Action::SetToken(TokenChoice::Revoked)),
        ),
        (
            p(
                r#"the header "Authorization" is set to a valid access token under another authorization scheme"#,
            ),
            |_, _| Ok(Action::SetToken(TokenChoice::WrongScheme)),
        ),
        (
            p(
                r#"the header "Authorization" is set to a well-formed access token the server never issued"#,
            ),
            |_, _| Ok(Action::SetToken(TokenChoice::Unissued)),
        ),
        (
            p(
                r#"the header "Authorization" is set to (?:a valid access token identifying another device than the request body's|access token referring different device)"#,
            ),
            |_, _| Ok(Action::SetToken(TokenChoice::BoundToAnotherDevice)),
        ),
        (
            p(r#"the header "Authorization" is set to (?:a malformed|an invalid) token"#),
            |_, _| Ok(Action::SetToken(TokenChoice::Malformed)),
        ),
        (
            p(r#"the header "Authorization" is set to an access token not including scope {Q}"#),
            |_, _| Ok(Action::SetToken(TokenChoice::WithoutScope)),
        ),
        (
            p(&format!(r"the header {{Q}} {set} a UUID value")),
            |c, _| Ok(Action::SetHeaderUuid(arg(c, 1))),
        ),
        (p(&format!(r"the header {{Q}} {set} {{Q0}}")), |c, _| {
            Ok(Action::SetHeader {
                name: arg(c, 1),
                value: arg(c, 2),
            })
        }),
        (
            p(r"the header {Q} complies with the schema at {Q}"),
            |c, _| {
                Ok(Action::SetHeaderCompliant {
                    name: arg(c, 1),
                    pointer: arg(c, 2),
                })
            },
        ),
        (p(r"the header {Q} is removed"), |c, _| {
            Ok(Action::RemoveHeader(arg(c, 1)))
        }),
        (
            p(
                r"the request body is set by default to a request body compliant with the schema {Q}",
            ),
            |c, _| Ok(Action::DefaultBody(arg(c, 1))),
        ),
        (
            p(r"the request body is set to a valid request body"),
            |_, _| Ok(Action::ValidBody),
        ),
        (p(r"the request body(?: is set to)?:"), |_, doc| {
            Ok(Action::JsonBody(json_literal(doc_string(doc)?)?))
        }),
        (p(r"the request body is set to the raw text:"), |_, doc| {
            Ok(Action::RawBody(doc_string(doc)?.to_owned()))
        }),
        (p(r"the request body is removed"), |_, _| Ok(Action::NoBody)),
        (
            p(&format!(
                r#"the request body property {{Q}} {set}:? ([\[{{"\-0-9].*|true|false|null)"#
            )),
            |c, _| {
                Ok(Action::SetBodyProperty {
                    path: arg(c, 1),
                    value: step_value(&arg(c, 2))?,
                })
            },
        ),
        (
            p(r"the request body property {Q} is (?:not included|removed)"),
            |c, _| Ok(Action::RemoveBodyProperty(arg(c, 1))),
        ),
        (
            p(r"the request body is not compliant with the schema {Q}"),
            |c, _| Ok(Action::BreakBody(arg(c, 1))),
        ),
        (
            p(r"the request body property {Q} does not comply with the OAS schema at {Q}"),
            |c, _| {
                Ok(Action::BreakBodyProperty {
                    path: arg(c, 1),
                    pointer: arg(c, 2),
                })
            },
        ),
        (
            p(
                r#"the request body property "\$\.device(?:\.phoneNumber)?" is compliant with the schema,? but does not identify (?:a device whose connectivity is managed by the API provider|a valid (?:device|phone number))"#,
            ),
            |_, _| use_device(DeviceRole::Unknown),
        ),
        (
            p(
                r#"the request body property "\$\.device(?:\.phoneNumber)?" is set to a valid (?:device|phone number)(?:, which may or may not be the same device that is identified by the access token)?"#,
            ),
            |_, _| use_device(DeviceRole::Data),
        ),
        (
            p(
                r#"the request body property "\$\.device" only includes device identifiers not supported by the implementation"#,
            ),
            |_, _| use_device(DeviceRole::Unsupported),
        ),
        (
            p(
                r#"the request body property "\$\.device" includes several identifiers, each of them identifying a valid but different device"#,
            ),
            |_, _| use_device(DeviceRole::Mismatch),
        ),
        (
            p(r"a valid device reachability status request body"),
            |_, _| Ok(Action::ValidBody),
        ),
        (
            p(
                r#"the request body property "\$\.device" is set to a valid testing device (?:which is )?(connected with sms|connected with data|connected with both data and sms,?|not connected)? ?(?:and )?supported by the service"#,
            ),
            |c, _| {
                let role = match arg(c, 1)
                    .trim_end_matches(',')
                    .to_ascii_lowercase()
                    .as_str()
                {
                    "connected with sms" => DeviceRole::Sms,
                    "connected with both data and sms" => DeviceRole::DataAndSms,
                    "not connected" => DeviceRole::NotConnected,
                    _ => DeviceRole::Data,
                };
                use_device(role)
            },
        ),
        (
            p(r#"the request body property "\$\.device" refers to an unknown device"#),
            |_, _| use_device(DeviceRole::Unknown),
        ),
        (
            p(
                r#"the request body property "\$\.device" set to unsupported identifiers value for the service"#,
            ),
            |_, _| use_device(DeviceRole::Unsupported),
        ),
        // --- testing devices --------------------------------------------------------------
        (
            p(
                r"a valid testing device supported by the service, identified by the token or provided in the request body",
            ),
            |_, _| use_device(DeviceRole::Data),
        ),
        (
            p(r"the device is connected with sms and supported by the service"),
            |_, _| use_device(DeviceRole::Sms),
        ),
        (
            p(r"the device has data connectivity and is supported by the service"),
            |_, _| use_device(DeviceRole::Data),
        ),
        (
            p(r"the device has both data and sms connectivity, and is supported by the service"),
            |_, _| use_device(DeviceRole::DataAndSms),
        ),
        (
            p(
                r"the device is supported by the service, but is not connected to the API provider's network",
            ),
            |_, _| use_device(DeviceRole::NotConnected),
        ),
        (
            p(r"the device is supported by the service, and may be reachable or not reachable"),
            |_, _| Ok(Action::AnyDevice),
        ),
        (
            p(
                r"a valid (?:device|phone number), identified by the token or provided in the request body, for which the service is not applicable",
            ),
            |_, _| use_device(DeviceRole::NotApplicable),
        ),
        (
            p(
                r"the request body property {Q} is the testing device (data|sms|data_and_sms|not_connected|not_applicable|unknown|mismatch)",
            ),
            |c, _| {
                let role = testing_device(&arg(c, 2))?;
                if arg(c, 1) != "$.device" {
                    return Err(VocabularyError(
                        "testing devices can only be placed at \"$.device\"".into(),
                    ));
                }
                use_device(role)
            },
        ),
        (
            p(r"that some types of device identifiers are not supported by the implementation"),
            |_, _| Ok(Action::Requires(DeviceRole::Unsupported)),
        ),
        (
            p(
                r"that the service is not available for all (?:devices|phone numbers) commercialized by the (?:API provider|operator)",
            ),
            |_, _| Ok(Action::Requires(DeviceRole::NotApplicable)),
        ),
        (
            p(r"at least 2 types of device identifiers are supported by the implementation"),
            |_, _| Ok(Action::Requires(DeviceRole::Mismatch)),
        ),
        // --- sending ----------------------------------------------------------------------
        (p(r"the request {Q} is sent"), |c, _| {
            Ok(Action::Send(arg(c, 1)))
        }),
        (
            p(r"a network error prevents the device reachability status from being retrieved"),
            |_, _| Ok(Action::SimulateNetworkError),
        ),
        (
            p(r"a request breaking each requirement of the request body schema is sent"),
            |_, _| {
                Ok(Action::SendGenerated {
                    count: 1,
                    kind: GeneratedKind::RequestRequirements,
                })
            },
        ),
        (
            p(r"(\d+) requests with a generated (.+) are sent"),
            |c, _| {
                // The capture is normalised text: compare it with the normalised phrases.
                let kind = GeneratedKind::counted()
                    .find(|k| normalize::sentence(k.phrase()).eq_ignore_ascii_case(&arg(c, 2)))
                    .ok_or_else(|| {
                        let known: Vec<&str> =
                            GeneratedKind::counted().map(|k| k.phrase()).collect();
                        VocabularyError(format!(
                            "\"{}\" is not a kind of generated input; use one of: {}",
                            arg(c, 2),
                            known.join(", ")
                        ))
                    })?;
                let count = arg(c, 1)
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_CASES).contains(n))
                    .ok_or_else(|| {
                        VocabularyError(format!("the request count must be from 1 to {MAX_CASES}"))
                    })?;
                Ok(Action::SendGenerated { count, kind })
            },
        ),
        (p(r"every (.+)"), |c, doc| {
            let sentence = format!("the {}", arg(c, 1));
            match parse(&sentence, doc) {
                Some(Ok(check)) if check.is_check() => Ok(Action::Every(Box::new(check))),
                Some(Err(e)) => Err(e),
                _ => Err(VocabularyError(format!(
                    "\"{sentence}\" is not a response check, so \"every response ...\" cannot use it; write e.g. `every response status code is 400`"
                ))),
            }
        }),
        // --- checks -----------------------------------------------------------------------
        (p(r"the response status code is (\d{3})"), |c, _| {
            arg(c, 1)
                .parse()
                .map(Action::StatusIs)
                .map_err(|_| VocabularyError("status code must be a number".into()))
        }),
        (p(r"the response header {Q} is {Q0}"), |c, _| {
            Ok(Action::HeaderIs {
                name: arg(c, 1),
                value: arg(c, 2),
            })
        }),
        (
            p(r"the response header {Q} has same value as the request header {Q}"),
            |c, _| {
                Ok(Action::HeaderEchoes {
                    response: arg(c, 1),
                    request: arg(c, 2),
                })
            },
        ),
        (
            p(r"the response header {Q} (?:exists|is present)"),
            |c, _| Ok(Action::HeaderPresent(arg(c, 1))),
        ),
        (
            p(r"the response body complies with the OAS schema at {Q}"),
            |c, _| Ok(Action::SchemaAt(arg(c, 1))),
        ),
        (
            p(r"the response body complies with the OAS schema for this operation and status code"),
            |_, _| Ok(Action::SchemaForStatus),
        ),
        (
            p(r"the response property {Q} is (true|false|null|-?\d+(?:\.\d+)?)"),
            |c, _| {
                Ok(Action::PropertyIs {
                    path: arg(c, 1),
                    value: json_literal(&arg(c, 2))?,
                })
            },
        ),
        (p(r"the response property {Q} is {Q0}"), |c, _| {
            Ok(Action::PropertyIs {
                path: arg(c, 1),
                value: Value::String(arg(c, 2)),
            })
        }),
        (
            p(r"the response property {Q} is {Q0}(?: or {Q0})+"),
            |c, _| {
                let all = c.get(0).map_or("", |m| m.as_str());
                let values = all
                    .split(" is ")
                    .nth(1)
                    .unwrap_or("")
                    .split(" or ")
                    .map(|v| v.trim_matches('"').to_owned())
                    .collect();
                Ok(Action::PropertyIsOneOf {
                    path: arg(c, 1),
                    values,
                })
            },
        ),
        (p(r"the response property {Q} includes {Q0}"), |c, _| {
            Ok(Action::PropertyIncludes {
                path: arg(c, 1),
                values: vec![arg(c, 2)],
            })
        }),
        (
            p(r"the response property {Q} includes both {Q0} and {Q0}"),
            |c, _| {
                Ok(Action::PropertyIncludes {
                    path: arg(c, 1),
                    values: vec![arg(c, 2), arg(c, 3)],
                })
            },
        ),
        (
            p(r"the response property {Q} does not include {Q0}"),
            |c, _| {
                Ok(Action::PropertyExcludes {
                    path: arg(c, 1),
                    values: vec![arg(c, 2)],
                })
            },
        ),
        (
            p(r"the response property {Q} (?:exists|is present)"),
            |c, _| Ok(Action::PropertyPresent(arg(c, 1))),
        ),
        (
            p(r"the response property {Q} (?:is not present|does not exist|is not returned)"),
            |c, _| Ok(Action::PropertyAbsent(arg(c, 1))),
        ),
        (
            p(r"the response property {Q} only exists if property {Q} exists"),
            |c, _| {
                Ok(Action::PropertyOnlyIf {
                    path: arg(c, 1),
                    other: arg(c, 2),
                    value: None,
                })
            },
        ),
        (
            p(r"the response property {Q} only exists if property {Q} is {Q0}"),
            |c, _| {
                Ok(Action::PropertyOnlyIf {
                    path: arg(c, 1),
                    other: arg(c, 2),
                    value: Some(arg(c, 3)),
                })
            },
        ),
        (
            p(r"the response property {Q} contains a user[ -]friendly text(?: .*)?"),
            |c, _| Ok(Action::PropertyFriendlyText(arg(c, 1))),
        ),
        (
            p(
                r"if the response property {Q} is present, then the value has a valid date-time format",
            ),
            |c, _| {
                Ok(Action::PropertyDateTime {
                    path: arg(c, 1),
                    only_if_present: true,
                    in_the_past: false,
                })
            },
        ),
        (
            p(r"the response property {Q} has a valid date-time format"),
            |c, _| {
                Ok(Action::PropertyDateTime {
                    path: arg(c, 1),
                    only_if_present: false,
                    in_the_past: false,
                })
            },
        ),
        (
            p(
                r"the response property {Q} is present and has a valid date-time format for a time in the past",
            ),
            |c, _| {
                Ok(Action::PropertyDateTime {
                    path: arg(c, 1),
                    only_if_present: false,
                    in_the_past: true,
                })
            },
        ),
        (
            p(r"the response property {Q} holds exactly one of the request's device identifiers"),
            |c, _| Ok(Action::OneRequestIdentifier(arg(c, 1))),
        ),
        // --- the token endpoint (CAMARA security profile) ----------------------------------
        (
            p(r"a client assertion signed by a key the server does not know"),
            |_, _| flawed(AssertionFlaw::UnknownKey),
        ),
        (p(r"an expired client assertion"), |_, _| {
            flawed(AssertionFlaw::Expired)
        }),
        (
            p(r"a client assertion valid for more than 300 seconds"),
            |_, _| flawed(AssertionFlaw::TooLongLived),
        ),
        (
            p(r"a client assertion for another audience than the server"),
            |_, _| flawed(AssertionFlaw::WrongAudience),
        ),
        (
            p(r"a client assertion whose issuer is not the client id"),
            |_, _| flawed(AssertionFlaw::WrongIssuer),
        ),
        (
            p(r"a client assertion that the token endpoint has already accepted"),
            |_, _| Ok(Action::ClientAssertion(AssertionChoice::Replayed)),
        ),
        (
            p(r"a token is requested with client_credentials"),
            |_, _| Ok(Action::RequestToken),
        ),
        (
            p(r"a CIBA authentication request for the test device"),
            |_, _| Ok(Action::StartCiba),
        ),
        (
            p(r"the token endpoint is polled for it twice without waiting"),
            |_, _| Ok(Action::PollCibaTwice),
        ),
        (p(r"the token response status code is (\d{3})"), |c, _| {
            arg(c, 1)
                .parse()
                .map(Action::StatusIs)
                .map_err(|_| VocabularyError("status code must be a number".into()))
        }),
        (
            p(r"the token response status code is (\d{3}) or (\d{3})"),
            either_status,
        ),
        (
            p(r"the token response is an answer CIBA allows to a poll that came too soon"),
            |_, _| Ok(Action::EarlyPollAnswerAllowed),
        ),
        (p(r"the token response property {Q} is {Q0}"), |c, _| {
            Ok(Action::PropertyIs {
                path: arg(c, 1),
                value: Value::String(arg(c, 2)),
            })
        }),
    ];
    table.extend(super::subscriptions::patterns());
    table.extend(super::subscriptions::plan_patterns());
    table
}

fn flawed(flaw: AssertionFlaw) -> Result<Action, VocabularyError> {
    Ok(Action::ClientAssertion(AssertionChoice::Flawed(flaw)))
}

struct Entry {
    /// The pattern as the table writes it.
    source: String,
    /// The sentence a person reads: captures shown as `…`.
    readable: String,
    regex: Regex,
    build: Build,
}

/// The vocabulary, compiled once per process: each pattern (normalised, case-insensitive),
/// and all of them as one set that finds the matching patterns in a single pass.
struct Vocabulary {
    entries: Vec<Entry>,
    set: RegexSet,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| Vocabulary::compile(patterns()));

impl Vocabulary {
    /// Compiles a table: each pattern normalised, anchored and case-insensitive.
    fn compile(table: Vec<(String, Build)>) -> Vocabulary {
        // The table is static and covered by tests, so a bad pattern is a programming error.
        let anchored: Vec<String> = table
            .iter()
            .map(|(source, _)| format!("(?i)^{}$", normalize::pattern(source, &[Q, Q0])))
            .collect();
        let entries = table
            .into_iter()
            .zip(&anchored)
            .map(|((source, build), pattern)| Entry {
                readable: readable(&source),
                source,
                regex: Regex::new(pattern).expect("vocabulary pattern compiles"),
                build,
            })
            .collect();
        let set = RegexSet::new(&anchored).expect("vocabulary patterns compile");
        Vocabulary { entries, set }
    }

    /// Parses a sentence (see [`parse`]).
    fn parse(
        &self,
        text: &str,
        doc_string: Option<&str>,
    ) -> Option<Result<Action, VocabularyError>> {
        let canonical = normalize::sentence(text);
        let matches: Vec<usize> = self.set.matches(&canonical).into_iter().collect();
        let (&first, others) = matches.split_first()?;
        if !others.is_empty() {
            let meanings: Vec<String> = matches
                .iter()
                .map(|&i| format!("`{}`", self.entries[i].readable))
                .collect();
            return Some(Err(VocabularyError(format!(
                "the sentence is ambiguous: it matches {}; reword it (or bind it with an alias)",
                meanings.join(" and ")
            ))));
        }
        let entry = &self.entries[first];
        entry
            .regex
            .captures(&canonical)
            .map(|c| (entry.build)(&c, doc_string))
    }
}

/// A pattern as a sentence a person reads: quoted captures as `"…"`, other captures as `…`,
/// optional parts left out, the first of alternatives kept.
fn readable(source: &str) -> String {
    static STEPS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
        [
            (r"\(\?:[^()]*\)\?", ""),
            (r"\(\?:([^()|]*)(?:\|[^()]*)?\)[+*]?", "$1"),
            (r"\[([^\]\\])[^\]]*\]", "$1"),
            (r",\?", ""),
            (r" \?", " "),
            (r"\(([^?()][^()]*)?\)[+*?]?", "…"),
            (r"\\(.)", "$1"),
            (r":\?", ":"),
            (r"  +", " "),
        ]
        .into_iter()
        .map(|(find, with)| (Regex::new(find).expect("a valid pattern"), with))
        .collect()
    });
    let mut text = source.replace(Q, "\"…\"").replace(Q0, "\"…\"");
    loop {
        let next = STEPS.iter().fold(text.clone(), |t, (find, with)| {
            find.replace_all(&t, *with).into_owned()
        });
        if next == text {
            return text.trim().to_owned();
        }
        text = next;
    }
}

/// One sentence of the vocabulary, as the catalogue and the suggestions show it.
#[derive(Clone, Copy)]
pub struct Sentence(&'static Entry);

impl Sentence {
    /// The regular expression as the table writes it (before normalisation).
    pub fn pattern(&self) -> &'static str {
        &self.0.source
    }

    /// The sentence a person reads, captures shown as `…`.
    pub fn readable(&self) -> &'static str {
        &self.0.readable
    }

    /// What each group captures from `text`, when the sentence matches it.
    pub fn captures(&self, text: &str) -> Option<Vec<Option<String>>> {
        let canonical = normalize::sentence(text);
        self.0.regex.captures(&canonical).map(|c| {
            c.iter()
                .skip(1)
                .map(|m| m.map(|m| m.as_str().to_owned()))
                .collect()
        })
    }
}

/// Every sentence of the vocabulary, in the table's order (e.g. for the catalogue).
pub fn sentences() -> impl Iterator<Item = Sentence> {
    VOCABULARY.entries.iter().map(Sentence)
}

/// Parses a step sentence (and its doc string), after normalising its phrasing. `None`
/// when no pattern matches (the step is not bound); `Some(Err)` when a pattern matches but
/// an argument is unusable, or when several patterns match (the sentence is ambiguous: the
/// error names each meaning).
pub fn parse(text: &str, doc_string: Option<&str>) -> Option<Result<Action, VocabularyError>> {
    // A step is parsed by the run, by `plan` and by the plan-defect check, in every run of
    // a process: remembered once parsed (a suite has a bounded number of sentences).
    static PARSED: Remembered<Option<Result<Action, VocabularyError>>> =
        LazyLock::new(Mutex::default);
    remembered(&PARSED, text, doc_string, || {
        VOCABULARY.parse(text, doc_string)
    })
}

/// What a process remembers of each sentence (with its doc string).
type Remembered<T> = LazyLock<Mutex<HashMap<(String, Option<String>), T>>>;

/// What `cache` holds for the sentence `text` with `doc_string`, computed by `compute`
/// and remembered the first time.
fn remembered<T: Clone>(
    cache: &Remembered<T>,
    text: &str,
    doc_string: Option<&str>,
    compute: impl FnOnce() -> T,
) -> T {
    let key = (text.to_owned(), doc_string.map(str::to_owned));
    if let Some(known) = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return known.clone();
    }
    let computed = compute();
    cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, computed.clone());
    computed
}

/// A step as the harness understands it, after the user's parameters and aliases.
#[derive(Clone, Debug, PartialEq)]
pub struct Understood {
    /// The sentence understood (the step's, or what its alias maps it to).
    pub text: String,
    /// What it means: `None` when unbound, `Some(Err)` when unusable.
    pub action: Option<Result<Action, VocabularyError>>,
    /// The alias that bound it (`file:line`), when one did.
    pub alias: Option<String>,
}

impl Understood {
    /// Why the step cannot be performed, as the run and `list` say it; `None` when it can.
    pub fn problem(&self) -> Option<String> {
        match &self.action {
            Some(Ok(_)) => None,
            Some(Err(e)) => Some(format!("the step cannot be used: {e}")),
            None => Some(super::suggest::unbound_message(&self.text)),
        }
    }
}

/// Understands a step of a plan: fills the template parameters of `phrasebook`, rewrites the
/// step by its first matching alias, then parses it. A `{placeholder}` left unfilled makes
/// the step unusable, with the way to fill it.
pub fn understand(text: &str, doc_string: Option<&str>, phrasebook: &Phrasebook) -> Understood {
    if !phrasebook.is_empty() {
        return understand_with(text, doc_string, phrasebook);
    }
    // Without aliases or parameters a step means the same in every run: remembered once
    // per process, as `parse` remembers sentences (each step is understood by the run, by
    // `plan` and by the plan-defect check).
    static PLAIN: Remembered<Understood> = LazyLock::new(Mutex::default);
    remembered(&PLAIN, text, doc_string, || {
        understand_with(text, doc_string, phrasebook)
    })
}

/// [`understand`], done.
fn understand_with(text: &str, doc_string: Option<&str>, phrasebook: &Phrasebook) -> Understood {
    let mut rewritten = phrasebook.rewrite(text);
    rewritten.text = normalize::api_root_placeholder(&rewritten.text).into_owned();
    let unfilled = phrasebook::unfilled(&rewritten.text);
    let action = if unfilled.is_empty() {
        let doc = doc_string.map(|d| phrasebook.fill(d));
        parse(&rewritten.text, doc.as_deref())
    } else {
        let names: Vec<String> = unfilled.iter().map(|n| format!("{{{n}}}")).collect();
        Some(Err(VocabularyError(format!(
            "the template placeholder {} is not filled; give it a value with --param {}=VALUE \
             or a [params] entry of the target file",
            names.join(", "),
            unfilled[0]
        ))))
    };
    Understood {
        text: rewritten.text,
        action,
        alias: rewritten.alias,
    }
}

/// Checks that every alias of `phrasebook` maps to a sentence the vocabulary knows: its
/// sentence, with each `$n` replaced by a sample value, must match exactly one pattern.
pub fn check_aliases(phrasebook: &Phrasebook) -> Result<(), PhrasebookError> {
    static REFERENCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"("?)\$(?:\{\d+\}|\d+)("?)"#).expect("a valid pattern"));
    for alias in phrasebook.aliases() {
        // A quoted group takes a word, a bare one a number (a status code, a count).
        let sample = REFERENCE.replace_all(&alias.target, |c: &Captures<'_>| {
            if c[1].is_empty() {
                "200".to_owned()
            } else {
                "\"x\"".to_owned()
            }
        });
        let canonical = normalize::sentence(&sample);
        let matching = VOCABULARY.set.matches(&canonical).iter().count();
        if matching != 1 {
            let (origin, line) = match alias.origin.rsplit_once(':') {
                Some((file, line)) => (file.to_owned(), line.parse().ok()),
                None => (alias.origin.clone(), None),
            };
            let problem = if matching == 0 {
                format!(
                    "the alias sentence {:?} is not a sentence of the vocabulary",
                    alias.target
                )
            } else {
                format!("the alias sentence {:?} is ambiguous", alias.target)
            };
            let fix = match super::suggest::nearest(&sample).first() {
                Some(best) => format!(
                    "write a sentence of the vocabulary, e.g. {:?} (see docs/generated/vocabulary.md)",
                    best.readable()
                ),
                None => {
                    "write a sentence of the vocabulary (see docs/generated/vocabulary.md)".into()
                }
            };
            return Err(PhrasebookError {
                origin,
                line,
                problem,
                fix,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn action(text: &str) -> Action {
        match parse(text, None) {
            Some(Ok(a)) => a,
            other => panic!("{text:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn no_sentence_matches_two_patterns() {
        let samples = [
            r#"the response property "$.code" is "UNAUTHENTICATED" or "AUTHENTICATION_REQUIRED""#,
            r#"the response property "$.code" is "INVALID_ARGUMENT""#,
            r#"the response property "$.status" is 400"#,
            r#"the header "Authorization" is set to a valid access token"#,
            r#"the header "x-correlator" is set to a UUID value"#,
            r#"the header "Content-Type" is set to "application/json""#,
            r#"the response property "$.connectivity" includes both "DATA" and "SMS""#,
            r#"the request body property "$.device" is set to: {}"#,
            r#"every response property "$.code" is "INVALID_ARGUMENT""#,
            "50 requests with a generated malformed phone number are sent",
            r#"the token response property "$.error" is "invalid_client""#,
            "the token response status code is 401",
            "the token response status code is 400 or 401",
            "a client assertion that the token endpoint has already accepted",
        ];
        for s in samples {
            let n = VOCABULARY
                .set
                .matches(&normalize::sentence(s))
                .iter()
                .count();
            assert_eq!(n, 1, "{s:?} matches {n} patterns");
        }
    }

    #[test]
    fn a_sentence_with_two_meanings_is_refused_naming_both() {
        let table: Vec<(String, Build)> = vec![
            (r#"the header "([^"]+)" is removed"#.into(), |c, _| {
                Ok(Action::RemoveHeader(arg(c, 1)))
            }),
            (
                r#"the header "Authorization" is not sent"#.into(),
                |_, _| Ok(Action::NoBody),
            ),
        ];
        let vocabulary = Vocabulary::compile(table);
        // "is not sent" and "is removed" are one drift class: both patterns match.
        assert_eq!(
            vocabulary.parse(r#"the header "Authorization" is removed"#, None),
            Some(Err(VocabularyError(
                "the sentence is ambiguous: it matches `the header \"…\" is removed` and \
                 `the header \"Authorization\" is not sent`; reword it (or bind it with an alias)"
                    .into()
            )))
        );
        assert_eq!(
            vocabulary.parse(r#"the header "x-correlator" is not sent"#, None),
            Some(Ok(Action::RemoveHeader("x-correlator".into())))
        );
    }

    #[test]
    fn each_drift_class_binds_the_same_action() {
        let same = |variants: &[&str], expected: Action| {
            for text in variants {
                assert_eq!(action(text), expected, "{text}");
            }
        };
        same(
            &[
                r#"the header "Authorization" is removed"#,
                r#"header "Authorization" is not available"#,
                r#"The Header 'Authorization' Is Not Sent."#,
                r#"the  header “Authorization”   is removed"#,
            ],
            Action::RemoveHeader("Authorization".into()),
        );
        same(
            &[
                "the response status code is 404",
                "Response code is 404",
                "the response status is 404",
                "the status code is 404",
            ],
            Action::StatusIs(404),
        );
        same(
            &[
                r#"the header "Authorization" is set to an expired access token"#,
                r#"header "Authorization" set as an expired token"#,
            ],
            Action::SetToken(TokenChoice::Expired),
        );
        same(
            &[
                "that some types of device identifiers are not supported by the implementation",
                "some type of device identifier are not supported by implementation",
            ],
            Action::Requires(DeviceRole::Unsupported),
        );
        same(
            &[r##"the response body complies with the OAS schema at "#/components/schemas/X""##],
            Action::SchemaAt("#/components/schemas/X".into()),
        );
        same(
            &[r#"the response body complies with the OAS schema at "/components/schemas/X""#],
            Action::SchemaAt("/components/schemas/X".into()),
        );
        same(
            &[
                "50 requests with a generated body of wrong JSON types are sent",
                "50 request with generated body of wrong JSON type are sent",
            ],
            Action::SendGenerated {
                count: 50,
                kind: GeneratedKind::JsonTypes,
            },
        );
    }

    /// The sentence forms of Commonalities' API-Testing-Guidelines (request set-up, sending,
    /// response validation) that apply to an API without path or query parameters.
    #[test]
    fn the_testing_guidelines_sentence_forms_bind() {
        let forms = [
            r#"the header "x-correlator" is set as "b4333c46-49c0-4f62-80d7-f0ef930f1c46""#,
            r#"the request body property "$.device.phoneNumber" is set as "+123456789""#,
            "the request body:",
            r#"the request "getReachabilityStatus" is sent"#,
            "the response status is 204",
            "the response status code is 200",
            r#"the response header "x-correlator" has same value as the request header "x-correlator""#,
            r#"the response header "Content-Type" is "application/json""#,
            "the response body complies with the OAS schema for this operation and status code",
            r##"the response body complies with the OAS schema at "#/components/schemas/X""##,
            r#"the response property "$.a" exists"#,
            r#"the response property "$.a" does not exist"#,
            r#"the response property "$.a" only exists if property "$.b" exists"#,
            r#"the response property "$.a" only exists if property "$.b" is "on""#,
            r#"the response property "$.code" is "INVALID_ARGUMENT""#,
        ];
        for form in forms {
            assert!(
                matches!(parse(form, Some("{}")), Some(Ok(_))),
                "{form}: {:?}",
                parse(form, Some("{}"))
            );
        }
        assert_eq!(
            action(r#"the response property "$.a" only exists if property "$.b" is "on""#),
            Action::PropertyOnlyIf {
                path: "$.a".into(),
                other: "$.b".into(),
                value: Some("on".into())
            }
        );
    }

    #[test]
    fn token_status_may_allow_two_codes() {
        assert_eq!(
            action("the token response status code is 400 or 401"),
            Action::StatusIsOneOf(vec![400, 401])
        );
        assert!(Action::StatusIsOneOf(vec![400]).is_check());
    }

    #[test]
    fn official_phrasing_drift_is_absorbed() {
        assert_eq!(action("the response code is 200"), Action::StatusIs(200));
        assert_eq!(
            action("the response status code is 422"),
            Action::StatusIs(422)
        );
        assert_eq!(
            action(r#"the header "Content-Type" is set as "application/json""#),
            Action::SetHeader {
                name: "Content-Type".into(),
                value: "application/json".into()
            }
        );
        assert_eq!(
            action(r#"the response property "$.message" contains a user-friendly text"#),
            Action::PropertyFriendlyText("$.message".into())
        );
        assert_eq!(
            action(
                r#"the response property "$.message" contains a user friendly text indicating a temporary network error"#
            ),
            Action::PropertyFriendlyText("$.message".into())
        );
        assert_eq!(
            action(
                r#"header "Authorization" set to an access token not including scope "device-reachability-status:read""#
            ),
            Action::SetToken(TokenChoice::WithoutScope)
        );
    }

    #[test]
    fn values_are_typed() {
        assert_eq!(
            action(r#"the response property "$.status" is 400"#),
            Action::PropertyIs {
                path: "$.status".into(),
                value: json!(400)
            }
        );
        assert_eq!(
            action(r#"the response property "$.reachable" is true"#),
            Action::PropertyIs {
                path: "$.reachable".into(),
                value: json!(true)
            }
        );
        assert_eq!(
            action(
                r#"the response property "$.code" is "UNAUTHENTICATED" or "AUTHENTICATION_REQUIRED""#
            ),
            Action::PropertyIsOneOf {
                path: "$.code".into(),
                values: vec!["UNAUTHENTICATED".into(), "AUTHENTICATION_REQUIRED".into()]
            }
        );
        assert_eq!(
            action(r#"the request body property "$.device" is set to: {}"#),
            Action::SetBodyProperty {
                path: "$.device".into(),
                value: json!({})
            }
        );
        assert_eq!(
            action(r#"the request body property "$.device.phoneNumber" is set to "33699901031""#),
            Action::SetBodyProperty {
                path: "$.device.phoneNumber".into(),
                value: json!("33699901031")
            }
        );
    }

    #[test]
    fn unusable_arguments_are_explained() {
        let err = parse(
            r#"the request body property "$.device" is set to: {oops"#,
            None,
        );
        assert!(matches!(err, Some(Err(VocabularyError(m))) if m.contains("is not a JSON value")));
        let err = parse("the request body is set to:", None);
        assert_eq!(
            err,
            Some(Err(VocabularyError(
                "this step needs a doc string (\"\"\" ... \"\"\") below it".into()
            )))
        );
        assert!(parse("the moon is made of cheese", None).is_none());
    }

    #[test]
    fn generated_requests_and_every_response_checks() {
        assert_eq!(
            action("50 requests with a generated malformed x-correlator are sent"),
            Action::SendGenerated {
                count: 50,
                kind: GeneratedKind::Correlator
            }
        );
        assert_eq!(
            action("every response status code is 400"),
            Action::Every(Box::new(Action::StatusIs(400)))
        );
        assert_eq!(
            action(r#"every response property "$.code" is "INVALID_ARGUMENT""#),
            Action::Every(Box::new(Action::PropertyIs {
                path: "$.code".into(),
                value: json!("INVALID_ARGUMENT")
            }))
        );
        let error = |text| match parse(text, None) {
            Some(Err(VocabularyError(message))) => message,
            other => panic!("{text:?} parsed as {other:?}"),
        };
        assert_eq!(
            error("5 requests with a generated malformed moon are sent"),
            "\"malformed moon\" is not a kind of generated input; use one of: malformed phone number, malformed device object, body of wrong JSON types, malformed x-correlator, unusual but legal x-correlator"
        );
        assert_eq!(
            action("a request breaking each requirement of the request body schema is sent"),
            Action::SendGenerated {
                count: 1,
                kind: GeneratedKind::RequestRequirements
            }
        );
        assert_eq!(
            action("a request breaking each requirement of the request body schema is sent")
                .covers(),
            Some(Covers::RequestBody)
        );
        assert!(
            error("5 requests with a generated body breaking one requirement of the request schema are sent")
                .contains("is not a kind of generated input")
        );
        assert_eq!(
            error("0 requests with a generated malformed phone number are sent"),
            "the request count must be from 1 to 1000"
        );
        assert_eq!(
            error("every response is lovely"),
            "\"the response is lovely\" is not a response check, so \"every response ...\" cannot use it; write e.g. `every response status code is 400`"
        );
    }

    #[test]
    fn testing_devices_are_named_by_their_key_in_any_case() {
        assert_eq!(
            action(r#"the request body property "$.device" is the testing device Data_And_SMS"#),
            Action::UseDevice(DeviceRole::DataAndSms)
        );
        assert_eq!(
            action(
                r#"the request body is a subscription request for "reachability-sms" events of the testing device SMS"#
            ),
            Action::Subscription(super::super::subscriptions::SubscriptionStep::RequestFor {
                kind: "reachability-sms".into(),
                device: DeviceRole::Sms,
            })
        );
        let refused = |name: &str| testing_device(name).map_err(|e| e.0);
        assert_eq!(
            refused("unsupported_identifiers"),
            Err("\"unsupported_identifiers\" is not a testing device of the target file".into())
        );
        assert_eq!(
            refused("devices.data"),
            Err("\"devices.data\" is not a testing device of the target file".into())
        );
    }

    #[test]
    fn device_assets_are_named_under_devices() {
        for role in DeviceRole::ALL {
            assert_eq!(device_key(role), format!("devices.{}", role.key()));
        }
        assert_eq!(
            action("that some types of device identifiers are not supported by the implementation")
                .required_key(),
            Some("devices.unsupported_identifiers")
        );
        assert_eq!(
            action(r#"the request body property "$.device" is the testing device mismatch"#)
                .required_key(),
            Some("devices.mismatch")
        );
    }

    #[test]
    fn assets_are_named_by_their_target_file_key() {
        assert_eq!(
            action("the device is connected with sms and supported by the service").required_key(),
            Some("devices.sms")
        );
        assert_eq!(
            action(r#"the header "Authorization" is set to an expired access token"#)
                .required_key(),
            Some("auth.expired_token_env")
        );
        assert_eq!(
            action("a network error prevents the device reachability status from being retrieved")
                .required_key(),
            Some("provider.network_error_header")
        );
        assert_eq!(
            action(r#"the request "getReachabilityStatus" is sent"#).required_key(),
            None
        );
        assert_eq!(
            action("an expired client assertion").required_key(),
            Some("auth.private_key_file")
        );
        assert_eq!(
            action("a CIBA authentication request for the test device").required_key(),
            Some("auth.ciba_url")
        );
        assert_eq!(
            action(r#"the token response property "$.error" is "slow_down""#),
            Action::PropertyIs {
                path: "$.error".into(),
                value: Value::String("slow_down".into())
            }
        );
    }

    #[test]
    fn security_sentences_name_the_requirement_they_cover() {
        let cases = [
            (
                r#"the header "Authorization" is set to a valid access token under another authorization scheme"#,
                TokenChoice::WrongScheme,
                Some(SecurityCase::WrongScheme),
            ),
            (
                r#"the header "Authorization" is set to a well-formed access token the server never issued"#,
                TokenChoice::Unissued,
                Some(SecurityCase::UnissuedToken),
            ),
            (
                r#"the header "Authorization" is set to a valid access token identifying another device than the request body's"#,
                TokenChoice::BoundToAnotherDevice,
                Some(SecurityCase::BoundToAnotherDevice),
            ),
            (
                r#"the header "Authorization" is set to an expired access token"#,
                TokenChoice::Expired,
                Some(SecurityCase::ExpiredToken),
            ),
            (
                r#"the header "Authorization" is set to a valid access token"#,
                TokenChoice::Valid,
                None,
            ),
        ];
        for (text, choice, covers) in cases {
            let parsed = action(text);
            assert_eq!(parsed, Action::SetToken(choice), "{text}");
            assert_eq!(parsed.covers(), covers.map(Covers::Security), "{text}");
        }
        assert_eq!(
            action(r#"the header "Authorization" is removed"#).covers(),
            Some(Covers::Security(SecurityCase::NoHeader))
        );
        assert_eq!(
            action(r#"the header "x-correlator" is removed"#).covers(),
            None
        );
        assert_eq!(
            action("the token response is an answer CIBA allows to a poll that came too soon"),
            Action::EarlyPollAnswerAllowed
        );
    }
}
