//! The steps of CAMARA's official subscriptions plans that the lifecycle steps do not
//! cover, understood ([`PlanStep`]) and performed: the request properties the plans set
//! after their When, the Givens that prepare a subscription (created by
//! `given_subscription`), the list checks; the notification steps are in
//! `plan_notifications`.

use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::DeviceRole;
use crate::notifications::TYPE_PREFIX;
use crate::oauth::TokenKind;
use crate::steps::given::device_for;
use crate::steps::world::ReachabilityWorld;
use crate::steps::{SUBSCRIPTION_DEVICE, StepResult, Verdict, body_path};
use crate::target_file::device_key;

/// The operation that creates a subscription.
pub const CREATE: &str = "createDeviceReachabilityStatusSubscription";
/// The event type of a subscription a Given creates, unless a later Given names another.
const DEFAULT_KIND: &str = "reachability-data";
/// The short names of the event types a subscription may be created for.
const EVENT_KINDS: [&str; 3] = [
    "reachability-data",
    "reachability-sms",
    "reachability-disconnected",
];
/// How far ahead "a value in the near future" is, at most (and at most half the event
/// timeout, so the expiry comes while the harness waits for it).
const NEAR_FUTURE_SECONDS: u64 = 3;

/// A step of the official plans, understood.
#[derive(Clone, Debug, PartialEq)]
pub enum PlanStep {
    /// The request body is a valid subscription request (for `reachability-data` events of
    /// the testing device `devices.data`, to the run's sink); the plan cites the schema. For
    /// the status API, the default body compliant with the cited schema.
    Compliant(String),
    /// The access token grants the create scope of one event type only.
    SingleScopeToken,
    /// The request's `types` names an event type other than the token's single scope's.
    OtherTypeThanScope,
    /// A subscription for the testing device `devices.data` exists, its id named `name`: a
    /// valid request is prepared now and created before the scenario's When.
    Exists(String),
    /// Sets a property of the subscription a Given prepares (JSONPath in the request).
    ExistingProperty {
        /// The request property.
        path: String,
        /// Its value.
        value: Value,
    },
    /// The prepared subscription expires a few seconds after its creation.
    ExistingExpiresSoon,
    /// The prepared subscription ends after `n` events, and asks for the initial event
    /// (so that, for a device whose state matches its type, one event comes at once).
    ExistingMaxEvents(u64),
    /// The sink of the request (or of the prepared subscription) is the run's sink.
    SinkIsCallback,
    /// Sets the request property to the phone number of the testing device `devices.data`.
    PhoneNumberAt(String),
    /// Removes a request property, and its object when that is left empty.
    Without(String),
    /// Names an id no subscription has `name`, and makes it the request's.
    Unknown(String),
    /// The request's `{subscriptionId}` is the value named `name`.
    PathId(String),
    /// The API consumer has no subscription for the testing device: the run's own are
    /// deleted, and the scenario holds the devices exclusively.
    NoneForDevice,
    /// The response lists every subscription the scenario created.
    ListsCreated,
    /// Waits (bounded) for `subscription-ended`, whatever its reason.
    Ended,
    /// Waits (bounded) for one event of the subscribed type.
    ReceivesSubscribed,
    /// Every notification received so far carries the sink credential (and conforms).
    CredentialIncluded,
    /// The last notification complies with the schema at the pointer.
    NotificationSchema(String),
    /// A property of the last notification equals the named value (or the text).
    NotificationProperty {
        /// The property (JSONPath in the CloudEvent).
        path: String,
        /// The value, or the name of a value of the scenario.
        value: String,
    },
    /// A moment the plan waits for; the next check waits (bounded) for what it brings.
    Awaited,
}

impl PlanStep {
    /// Whether the step checks what the implementation did.
    pub fn is_check(&self) -> bool {
        matches!(
            self,
            PlanStep::ListsCreated
                | PlanStep::Ended
                | PlanStep::ReceivesSubscribed
                | PlanStep::CredentialIncluded
                | PlanStep::NotificationSchema(_)
                | PlanStep::NotificationProperty { .. }
        )
    }

    /// Whether the step shapes the request (or the subscription a Given prepares) rather
    /// than reading an answer: it may follow a `When ... is sent` until a check comes.
    pub fn shapes_request(&self) -> bool {
        matches!(
            self,
            PlanStep::Compliant(_)
                | PlanStep::SingleScopeToken
                | PlanStep::OtherTypeThanScope
                | PlanStep::Exists(_)
                | PlanStep::ExistingProperty { .. }
                | PlanStep::ExistingExpiresSoon
                | PlanStep::ExistingMaxEvents(_)
                | PlanStep::SinkIsCallback
                | PlanStep::PhoneNumberAt(_)
                | PlanStep::Without(_)
                | PlanStep::Unknown(_)
                | PlanStep::PathId(_)
        )
    }
}

impl ReachabilityWorld {
    /// Performs a step of the official plans.
    pub(crate) async fn plan_step(&mut self, step: PlanStep) -> StepResult {
        let ctx = self.context()?;
        match step {
            // The status API's request compliant with a schema is its default body.
            PlanStep::Compliant(pointer) if !ctx.target.profile.is_subscriptions() => {
                self.set_up(crate::steps::Action::DefaultBody(pointer))
                    .await
            }
            PlanStep::Compliant(_) => {
                self.request_for_events(DEFAULT_KIND, DeviceRole::Data)
                    .await
            }
            PlanStep::SingleScopeToken => {
                let token =
                    ctx.tokens
                        .token(TokenKind::OneCreateScope)
                        .await
                        .map_err(|e| match e {
                            crate::oauth::TokenError::NotConfigured { key } => {
                                Verdict::missing(key)
                            }
                            other => Verdict::Errored(format!("no access token: {other}")),
                        })?;
                self.set_header("Authorization", format!("Bearer {}", token.expose()));
                Ok(())
            }
            PlanStep::OtherTypeThanScope => {
                let scope = ctx.tokens.one_create_scope().unwrap_or_default();
                let other = EVENT_KINDS
                    .iter()
                    .map(|kind| format!("{TYPE_PREFIX}{kind}"))
                    .find(|full| !scope.contains(&format!(":{full}:")))
                    .unwrap_or_default();
                self.edit_body(|body| body_path::set(body, "$.types", json!([other])))
            }
            PlanStep::Exists(name) => {
                let body = self
                    .subscription_request(DEFAULT_KIND, DeviceRole::Data)
                    .await?;
                self.subscription.creation = Some((name, body));
                Ok(())
            }
            PlanStep::ExistingProperty { path, value } => {
                if path == "$.types"
                    && let Some(kind) = value[0].as_str()
                {
                    self.subscription.subscribed_type = kind.to_owned();
                    // The plan's device-state steps (03-05) turn one connectivity off and
                    // on, or on and off: on the testing device reachable for exactly the
                    // subscribed type, each such pair leaves the device as it was, and
                    // the event the plan expects is the one the OAS defines for the
                    // device's new state.
                    let device = device_for(&ctx, device_for_type(kind))?;
                    self.edit_creation(|body| {
                        body_path::set(body, SUBSCRIPTION_DEVICE, device.clone())
                    })?;
                    self.subscription.device_sent = Some(device);
                }
                self.edit_creation(|body| body_path::set(body, &path, value))
            }
            PlanStep::ExistingExpiresSoon => {
                self.hold_devices().await?;
                let timeout = ctx.target.subscriptions.event_timeout.as_secs();
                let seconds = NEAR_FUTURE_SECONDS.min(timeout / 2).max(1);
                let at = Utc::now() + chrono::Duration::seconds(seconds as i64);
                let value = json!(at.to_rfc3339_opts(SecondsFormat::Millis, true));
                self.edit_creation(|body| {
                    body_path::set(body, "$.config.subscriptionExpireTime", value)
                })
            }
            PlanStep::ExistingMaxEvents(n) => self.edit_creation(|body| {
                body_path::set(body, "$.config.subscriptionMaxEvents", json!(n))?;
                body_path::set(body, "$.config.initialEvent", json!(true))
            }),
            PlanStep::SinkIsCallback => {
                let url = self.registration()?.url.clone();
                if self.subscription.creation.is_some() {
                    self.edit_creation(|body| body_path::set(body, "$.sink", json!(url)))
                } else {
                    self.edit_body(|body| body_path::set(body, "$.sink", json!(url)))
                }
            }
            PlanStep::PhoneNumberAt(path) => {
                let role = DeviceRole::Data;
                let device = device_for(&ctx, role)?;
                let number = device["phoneNumber"].clone();
                if !number.is_string() {
                    return Err(Verdict::Skipped(format!(
                        "the testing device `{}` has no phoneNumber, which this scenario sends: \
                         give it one in the target file",
                        device_key(role)
                    )));
                }
                self.edit_body(|body| body_path::set(body, &path, number))
            }
            PlanStep::Without(path) => self.edit_body(|body| remove_pruning(body, &path)),
            PlanStep::Unknown(name) => {
                let id = Uuid::new_v4().to_string();
                self.subscription.names.insert(name, id.clone());
                self.subscription.id = Some(id);
                Ok(())
            }
            PlanStep::PathId(name) => {
                let id = self.subscription.names.get(&name).cloned().ok_or_else(|| {
                    Verdict::Errored(format!(
                        "no value is named {name:?}: a Given must create the subscription \
                         (`a valid subscription ... exists with \"subscriptionId\" equal to \
                         \"{name}\"`) or name an unknown id first"
                    ))
                })?;
                self.subscription.id = Some(id);
                Ok(())
            }
            PlanStep::NoneForDevice => self.device_alone().await,
            PlanStep::ListsCreated => {
                let exchange = self.exchanges.last().ok_or_else(|| {
                    Verdict::Errored("no list was retrieved before this check".into())
                })?;
                let listed = crate::steps::compound::listed_ids(exchange)?;
                let missing: Vec<&String> = self
                    .subscription
                    .created
                    .iter()
                    .filter(|id| !listed.contains(id))
                    .collect();
                if self.subscription.created.is_empty() {
                    return Err(Verdict::Errored(
                        "the scenario created no subscription to look for in the list".into(),
                    ));
                }
                if missing.is_empty() {
                    Ok(())
                } else {
                    Err(Verdict::expected(
                        format!("the list to include the subscriptions created: {missing:?}"),
                        format!("ids {listed:?}"),
                    ))
                }
            }
            PlanStep::Ended
            | PlanStep::ReceivesSubscribed
            | PlanStep::CredentialIncluded
            | PlanStep::NotificationSchema(_)
            | PlanStep::NotificationProperty { .. } => self.notification_step(step).await,
            PlanStep::Awaited => Ok(()),
        }
    }

    /// The value the scenario named `name`, or `name` itself when it named none.
    pub(crate) fn named<'a>(&'a self, name: &'a str) -> &'a str {
        self.subscription
            .names
            .get(name)
            .map_or(name, String::as_str)
    }
}

/// Removes the property at `path`, and its object when that is left empty (`$.config.
/// subscriptionDetail.device.phoneNumber` not present: no device at all).
fn remove_pruning(body: &mut Value, path: &str) -> Result<(), String> {
    body_path::remove(body, path)?;
    let Some((parent, _)) = path.rsplit_once('.').filter(|(up, _)| *up != "$") else {
        return Ok(());
    };
    let empty = crate::steps::compound::select(body, parent)
        .map(|found| matches!(found.as_slice(), [Value::Object(m)] if m.is_empty()))
        .unwrap_or(false);
    if empty {
        body_path::remove(body, parent)?;
    }
    Ok(())
}

/// The testing device of a subscription for events of `event_type`: reachable for data,
/// for SMS only, or not connected (for `reachability-disconnected`, which the device's
/// state can only give after it gained connectivity).
fn device_for_type(event_type: &str) -> DeviceRole {
    match event_type.strip_prefix(TYPE_PREFIX).unwrap_or(event_type) {
        "reachability-sms" => DeviceRole::Sms,
        "reachability-disconnected" => DeviceRole::NotConnected,
        _ => DeviceRole::Data,
    }
}
