//! The steps of CAMARA's official subscriptions plans that the lifecycle steps do not
//! cover: the subscription a Given creates (shaped by later Givens, created before the
//! scenario's When), the request properties the plans set after their When, the checks of
//! a list of subscriptions and of "the notification".

use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::perform::{Activation, request_body};
use crate::http::Request;
use crate::notifications::{Events, TYPE_PREFIX};
use crate::oauth::TokenKind;
use crate::steps::given::device_for;
use crate::steps::world::ReachabilityWorld;
use crate::steps::{DeviceRole, SUBSCRIPTION_DEVICE, StepResult, TokenChoice, Verdict, body_path};

/// The operation that creates a subscription.
pub const CREATE: &str = "createDeviceReachabilityStatusSubscription";
/// The event type of a subscription a Given creates, unless a later Given names another.
const DEFAULT_KIND: &str = "reachability-data";
/// How many event timeouts a scenario waits at most for its hold of the testing devices:
/// the scenarios before it each wait up to one event timeout, and an exclusive hold waits
/// for every shared one (and the shared ones queued after it for it).
pub(crate) const DEVICES_WAIT_FACTOR: u32 = 3;
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
    /// the testing device `devices.data`, to the run's sink); the plan cites the schema.
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
            PlanStep::Compliant(_) => {
                self.request_for_events(DEFAULT_KIND, DeviceRole::Data.key())
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
                let device = device_for(&ctx, DeviceRole::Data)?;
                let settings = &ctx.target.subscriptions;
                let sink = ctx.subscriptions.sink(settings, ctx.redactor()).await?;
                let registration = sink.register();
                let subscribed_type = format!("{TYPE_PREFIX}{DEFAULT_KIND}");
                self.subscription.creation =
                    Some((name, request_body(&registration, &subscribed_type, &device)));
                self.subscription.registration = Some(registration);
                self.subscription.subscribed_type = subscribed_type;
                self.subscription.device_sent = Some(device);
                Ok(())
            }
            PlanStep::ExistingProperty { path, value } => {
                if path == "$.types"
                    && let Some(kind) = value[0].as_str()
                {
                    self.subscription.subscribed_type = kind.to_owned();
                }
                self.edit_creation(|body| body_path::set(body, &path, value))
            }
            PlanStep::ExistingExpiresSoon => {
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
                let device = device_for(&ctx, DeviceRole::Data)?;
                let number = device["phoneNumber"].clone();
                if !number.is_string() {
                    return Err(Verdict::Skipped(
                        "the testing device `devices.data` has no phoneNumber, which this \
                         scenario sends: give it one in the target file"
                            .into(),
                    ));
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
            PlanStep::Ended => {
                let received = self
                    .await_events(&ctx, "subscription-ended", |events| events.end().is_some())
                    .await?;
                self.conforms(&ctx, &received)
            }
            PlanStep::ReceivesSubscribed => {
                let kind = self
                    .subscription
                    .subscribed_type
                    .strip_prefix(TYPE_PREFIX)
                    .unwrap_or_default()
                    .to_owned();
                let received = self
                    .await_events(&ctx, &kind, |events| !events.of_type(&kind).is_empty())
                    .await?;
                self.conforms(&ctx, &received)
            }
            PlanStep::CredentialIncluded => {
                let received = self
                    .await_events(&ctx, "any", |events| !events.0.is_empty())
                    .await?;
                self.conforms(&ctx, &received)
            }
            PlanStep::NotificationSchema(pointer) => {
                let event = self.last_event(&ctx).await?;
                let pointer = ctx.schemas.corrected(&pointer).unwrap_or(pointer);
                ctx.schemas.validate(&pointer, &event).map_err(|e| match e {
                    crate::schema::SchemaError::Violations { .. } => Verdict::Failed(format!(
                        "the notification does not comply with {pointer}: {e}"
                    )),
                    other => Verdict::Errored(format!("the schema check cannot be made: {other}")),
                })
            }
            PlanStep::NotificationProperty { path, value } => {
                let event = self.last_event(&ctx).await?;
                let want = Value::String(self.named(&value).to_owned());
                let found = crate::steps::compound::select(&event, &path)?;
                match found.as_slice() {
                    [got] if *got == want => Ok(()),
                    [] => Err(Verdict::expected(
                        format!("notification {path} = {want}"),
                        "absent",
                    )),
                    other => Err(Verdict::expected(
                        format!("notification {path} = {want}"),
                        Value::Array(other.to_vec()),
                    )),
                }
            }
            PlanStep::Awaited => Ok(()),
        }
    }

    /// Creates the subscription a Given prepared (before the scenario's When): its id is
    /// named, recorded in the run's ledger, and awaited until ACTIVE when created
    /// asynchronously. A creation that fails means the scenario could not be tested.
    pub(crate) async fn create_prepared(&mut self) -> StepResult {
        let Some((name, mut body)) = self.subscription.creation.take() else {
            return Ok(());
        };
        let ctx = self.context()?;
        let settings = &ctx.target.subscriptions;
        let collection = self.url.clone().ok_or_else(|| {
            Verdict::Errored("no resource is set for the subscriptions collection".into())
        })?;
        // A scenario whose token identifies the device creates its subscription with such
        // a token, without a device in the request (as that token's holder would).
        let bound = self.token == Some(TokenChoice::DeviceBound);
        let kind = match bound {
            true => {
                body_path::remove(&mut body, SUBSCRIPTION_DEVICE).map_err(Verdict::Errored)?;
                TokenKind::DeviceBound
            }
            false => TokenKind::Valid,
        };
        let token = ctx.tokens.token(kind).await.map_err(|e| {
            Verdict::Errored(format!("no access token to create the subscription: {e}"))
        })?;
        // Such a scenario sees every subscription of the device: it has the device alone,
        // without the run's earlier subscriptions.
        if bound {
            self.device_alone().await?;
        } else {
            ctx.subscriptions
                .devices
                .share(
                    &mut self.subscription.hold,
                    settings.event_timeout * DEVICES_WAIT_FACTOR,
                )
                .await?;
        }
        let headers = vec![
            (
                "Authorization".to_owned(),
                format!("Bearer {}", token.expose()),
            ),
            ("x-correlator".to_owned(), Uuid::new_v4().to_string()),
            ("Content-Type".to_owned(), "application/json".to_owned()),
        ];
        let request = Request {
            method: "POST".into(),
            url: collection.clone(),
            headers: headers.clone(),
            body: Some(body.to_string().into_bytes()),
        };
        let exchange = ctx.http.send(request).await.map_err(|e| {
            Verdict::Errored(format!(
                "the subscription the scenario needs could not be created: {e}"
            ))
        })?;
        let status = exchange.status;
        let id = exchange
            .json()
            .ok()
            .and_then(|b| b["id"].as_str().map(str::to_owned));
        self.exchanges.push(exchange);
        let id = match (status, id) {
            (201 | 202, Some(id)) => id,
            _ => {
                return Err(Verdict::Errored(format!(
                    "the subscription the scenario needs could not be created: POST {collection} \
                     answered {status} (expected 201 or 202 with an id)"
                )));
            }
        };
        ctx.subscriptions
            .ledger
            .record(&id, &format!("{}/{id}", collection.trim_end_matches('/')));
        self.subscription.names.insert(name, id.clone());
        self.subscription.created.push(id.clone());
        self.subscription.id = Some(id);
        if status == 202 {
            self.becomes_active_with(&headers, settings.event_timeout, Activation::Activated)
                .await?;
        }
        Ok(())
    }

    /// Holds the testing devices exclusively, then deletes every subscription the run
    /// still has: the scenario sees the device without others' subscriptions.
    async fn device_alone(&mut self) -> StepResult {
        let ctx = self.context()?;
        let within = ctx.target.subscriptions.event_timeout * DEVICES_WAIT_FACTOR;
        ctx.subscriptions
            .devices
            .exclusive(&mut self.subscription.hold, within)
            .await?;
        let leftovers = super::clean_up(&ctx).await;
        if leftovers.is_empty() {
            Ok(())
        } else {
            Err(Verdict::Errored(format!(
                "the run's subscriptions could not be deleted first: {}",
                leftovers.join("; ")
            )))
        }
    }

    /// Applies `edit` to the subscription a Given prepares.
    fn edit_creation(&mut self, edit: impl FnOnce(&mut Value) -> Result<(), String>) -> StepResult {
        let (_, body) = self.subscription.creation.as_mut().ok_or_else(|| {
            Verdict::Errored(
                "no subscription is being prepared: this step follows `a valid subscription \
                 ... exists` (and comes before the When)"
                    .into(),
            )
        })?;
        edit(body).map_err(Verdict::Errored)
    }

    /// The value the scenario named `name`, or `name` itself when it named none.
    pub(crate) fn named<'a>(&'a self, name: &'a str) -> &'a str {
        self.subscription
            .names
            .get(name)
            .map_or(name, String::as_str)
    }

    /// The last distinct event received at the scenario's sink path.
    async fn last_event(&self, ctx: &crate::steps::RunContext) -> Result<Value, Verdict> {
        let registration = self.registration()?;
        let settings = &ctx.target.subscriptions;
        let sink = ctx.subscriptions.sink(settings, ctx.redactor()).await?;
        Events::of(&sink.received(registration))
            .0
            .pop()
            .map(|event| event.body)
            .ok_or_else(|| Verdict::Failed("no notification was received to check".into()))
    }

    /// Waits (bounded) until `done`; a failure names `what` was awaited and what came.
    async fn await_events(
        &self,
        ctx: &crate::steps::RunContext,
        what: &str,
        done: impl Fn(&Events) -> bool,
    ) -> Result<Vec<crate::sink::Notification>, Verdict> {
        self.wait(ctx, done).await.map_err(|received| {
            Verdict::Failed(format!(
                "no {what} notification arrived within {} s; received: {}",
                ctx.target.subscriptions.event_timeout.as_secs(),
                super::perform::types(&received)
            ))
        })
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
