//! Performing the subscriptions steps, and what sending an operation of the
//! subscriptions API records (the created id in the ledger, a deleted one out of it).

use std::path::Path;
use std::time::{Duration, SystemTime};

use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{OPERATIONS, SubscriptionRun, SubscriptionStep, hook, lock_wait};
use crate::DeviceRole;
use crate::notifications::{self, Events, Expectation, TYPE_PREFIX};
use crate::redact::Redactor;
use crate::sink::{Notification, Registration, Sink};
use crate::steps::given::device_for;
use crate::steps::world::{Body, ReachabilityWorld, RunContext};
use crate::steps::{StepResult, Verdict};
use crate::target_file::{HOOK_KEY, SubscriptionSettings};

/// How often an asynchronous creation is polled.
const POLL_PAUSE: Duration = Duration::from_millis(200);
/// How long the sink credential given to the implementation stays valid.
const CREDENTIAL_LIFETIME_HOURS: i64 = 1;

impl SubscriptionRun {
    /// The run's sink, started on first use.
    pub(crate) async fn sink(
        &self,
        settings: &SubscriptionSettings,
        redactor: &Redactor,
    ) -> Result<&Sink, Verdict> {
        let started = self
            .sink
            .get_or_init(|| async {
                Sink::start(&settings.sink, redactor.clone())
                    .await
                    .map_err(|e| e.to_string())
            })
            .await;
        started.as_ref().map_err(|e| Verdict::Errored(e.clone()))
    }
}

/// The method of a subscriptions operation and whether its URL names one subscription.
pub(crate) fn operation(operation: &str) -> Option<(&'static str, bool)> {
    OPERATIONS
        .iter()
        .find(|(id, _, _)| *id == operation)
        .map(|(_, method, item)| (*method, *item))
}

impl ReachabilityWorld {
    /// Performs one subscriptions step.
    pub(crate) async fn subscription_step(&mut self, step: SubscriptionStep) -> StepResult {
        let ctx = self.context()?;
        let settings = &ctx.target.subscriptions;
        match step {
            SubscriptionStep::RequestFor { kind, device } => {
                self.request_for_events(&kind, device).await
            }
            SubscriptionStep::UnknownId => {
                self.subscription.id = Some(Uuid::new_v4().to_string());
                Ok(())
            }
            SubscriptionStep::BecomesActive => {
                let headers = self.headers.clone();
                self.becomes_active_with(&headers, settings.event_timeout, Activation::Active)
                    .await
            }
            SubscriptionStep::Plan(step) => self.plan_step(step).await,
            SubscriptionStep::Receives(kind) => {
                let received = self
                    .wait(&ctx, |events| !events.of_type(&kind).is_empty())
                    .await
                    .map_err(|received| {
                        Verdict::Failed(format!(
                            "no {kind} notification arrived within {} s; received: {}",
                            settings.event_timeout.as_secs(),
                            types(&received)
                        ))
                    })?;
                self.conforms(&ctx, &received)
            }
            SubscriptionStep::Ends(reason) => {
                let received = self
                    .wait(&ctx, |events| events.end().is_some())
                    .await
                    .map_err(|received| {
                        Verdict::Failed(format!(
                            "no subscription-ended notification arrived within {} s; received: {}",
                            settings.event_timeout.as_secs(),
                            types(&received)
                        ))
                    })?;
                let events = Events::of(&received);
                let actual = events.end().and_then(|e| e.termination_reason());
                if actual != Some(reason.as_str()) {
                    return Err(Verdict::expected(
                        format!("terminationReason {reason:?}"),
                        format!("{actual:?}"),
                    ));
                }
                self.conforms(&ctx, &received)
            }
            SubscriptionStep::NothingAfterEnd => {
                let received = self.quiet(&ctx).await?;
                let events = Events::of(&received);
                let late: Vec<&str> = events.after_end().iter().map(|e| e.event_type()).collect();
                if !late.is_empty() {
                    return Err(Verdict::Failed(format!(
                        "events arrived after subscription-ended: {}",
                        late.join(", ")
                    )));
                }
                self.conforms(&ctx, &received)
            }
            SubscriptionStep::NoReachabilityEvent => {
                let received = self.quiet(&ctx).await?;
                let events = Events::of(&received);
                let reachability: Vec<&str> = events
                    .0
                    .iter()
                    .map(|e| e.event_type())
                    .filter(|t| !t.starts_with(notifications::LIFECYCLE_PREFIX))
                    .collect();
                if !reachability.is_empty() {
                    return Err(Verdict::Failed(format!(
                        "the device's state does not match the subscribed type, yet reachability events arrived: {}",
                        reachability.join(", ")
                    )));
                }
                self.conforms(&ctx, &received)
            }
            SubscriptionStep::TimeFromNow { path, seconds } => {
                self.hold_devices().await?;
                let at = Utc::now() + chrono::Duration::seconds(seconds);
                let value = Value::String(at.to_rfc3339_opts(SecondsFormat::Millis, true));
                self.edit_body(|body| crate::steps::body_path::set(body, &path, value))
            }
            SubscriptionStep::StateChange(change) => {
                let Some(hook) = &settings.state_change_hook else {
                    return Err(Verdict::Skipped(format!(
                        "\"the device {change}\" needs a provider hook that changes the device's state; \
                         `{HOOK_KEY}` is not configured in the target file"
                    )));
                };
                let device = self.changed_device(&ctx)?;
                ctx.subscriptions
                    .devices
                    .exclusive(&mut self.subscription.hold, lock_wait(settings))
                    .await?;
                let folder = Path::new(&ctx.target.origin)
                    .parent()
                    .filter(|folder| folder.is_dir());
                if self.subscription.changed_at.is_some() {
                    // What the previous change gave arrives first, so that it is told
                    // apart from what this one gives.
                    self.quiet(&ctx).await?;
                }
                self.subscription.changed_at = Some(SystemTime::now());
                hook::call(hook, &change, &device, &ctx.http, folder).await
            }
        }
    }

    /// Makes the body a subscription request for events of `kind` about the testing device
    /// that plays `device`, to a new path of the run's sink.
    pub(super) async fn request_for_events(
        &mut self,
        kind: &str,
        device: DeviceRole,
    ) -> StepResult {
        self.body = Body::Json(self.subscription_request(kind, device).await?);
        Ok(())
    }

    /// A subscription request for events of `kind` about the testing device that plays
    /// `role`, to a new path of the run's sink, which the scenario's notification steps then
    /// watch.
    pub(super) async fn subscription_request(
        &mut self,
        kind: &str,
        role: DeviceRole,
    ) -> Result<Value, Verdict> {
        let ctx = self.context()?;
        let settings = &ctx.target.subscriptions;
        let device = device_for(&ctx, role)?;
        let sink = ctx.subscriptions.sink(settings, ctx.redactor()).await?;
        let registration = sink.register();
        let subscribed_type = format!("{TYPE_PREFIX}{kind}");
        let body = request_body(&registration, &subscribed_type, &device);
        self.subscription.registration = Some(registration);
        self.subscription.subscribed_type = subscribed_type;
        self.subscription.device_sent = Some(device);
        Ok(body)
    }

    /// After an operation of the subscriptions API was sent: a created subscription is
    /// remembered (scenario and ledger), a deleted one forgotten.
    pub(crate) fn after_subscription_send(&mut self, operation: &str, url: &str) {
        let Some(ctx) = self.ctx.clone() else { return };
        let Some(exchange) = self.exchanges.last() else {
            return;
        };
        let status = exchange.status;
        match operation {
            "createDeviceReachabilityStatusSubscription" if matches!(status, 201 | 202) => {
                let body: Option<Value> = serde_json::from_slice(&exchange.body).ok();
                if let Some(id) = body.as_ref().and_then(|b| b["id"].as_str()) {
                    ctx.subscriptions
                        .ledger
                        .record(id, &format!("{}/{id}", url.trim_end_matches('/')));
                    self.subscription.id = Some(id.to_owned());
                    self.subscription.created.push(id.to_owned());
                }
            }
            "deleteDeviceReachabilityStatusSubscription" if matches!(status, 202 | 204 | 404) => {
                if let Some(id) = &self.subscription.id {
                    ctx.subscriptions.ledger.forget(id);
                }
            }
            _ => {}
        }
    }

    /// The URL of the subscription the scenario works with.
    pub(crate) fn subscription_url(&self, collection: &str) -> Result<String, Verdict> {
        let id = self.subscription.id.as_deref().ok_or_else(|| {
            Verdict::Errored(
                "no subscription id: create one first (201/202) or use `the subscription id is one no subscription has`"
                    .into(),
            )
        })?;
        Ok(format!("{}/{id}", collection.trim_end_matches('/')))
    }

    /// The device a state change is about: the one the subscription request named, else
    /// the one the access token names (`auth.device_login_hint`).
    fn changed_device(&self, ctx: &RunContext) -> Result<Value, Verdict> {
        if let Some(device) = &self.subscription.device_sent {
            return Ok(device.clone());
        }
        let hint = ctx
            .target
            .auth
            .device_login_hint
            .as_deref()
            .unwrap_or_default();
        match hint.strip_prefix("tel:") {
            Some(phone) => Ok(json!({ "phoneNumber": phone })),
            None => Err(Verdict::Errored(
                "no device to change: build a subscription request for a testing device first, \
                 or set `auth.device_login_hint = \"tel:+...\"` for the device the token names"
                    .into(),
            )),
        }
    }
    pub(super) fn registration(&self) -> Result<&Registration, Verdict> {
        self.subscription.registration.as_ref().ok_or_else(|| {
            Verdict::Errored(
                "no subscription request was built: start with `the request body is a subscription request for ...`"
                    .into(),
            )
        })
    }

    /// Waits (at most `event_timeout`) until `done` holds for the distinct events; after a
    /// change of the device's state, for those that arrived since the change began (an
    /// event of the device's previous state, sent earlier, does not count).
    pub(super) async fn wait(
        &self,
        ctx: &RunContext,
        done: impl Fn(&Events) -> bool,
    ) -> Result<Vec<Notification>, Vec<Notification>> {
        let settings = &ctx.target.subscriptions;
        let Ok(registration) = self.registration() else {
            return Err(Vec::new());
        };
        let Ok(sink) = ctx.subscriptions.sink(settings, ctx.redactor()).await else {
            return Err(Vec::new());
        };
        let since = self.subscription.changed_at;
        sink.wait_until(
            registration,
            settings.event_timeout,
            |received| match since {
                None => done(&Events::of(received)),
                Some(changed) => {
                    let after: Vec<Notification> = received
                        .iter()
                        .filter(|n| n.arrived >= changed)
                        .cloned()
                        .collect();
                    done(&Events::of(&after))
                }
            },
        )
        .await
    }

    /// Everything received once no notification came for the quiet window.
    async fn quiet(&self, ctx: &RunContext) -> Result<Vec<Notification>, Verdict> {
        let settings = &ctx.target.subscriptions;
        let registration = self.registration()?;
        let sink = ctx.subscriptions.sink(settings, ctx.redactor()).await?;
        Ok(sink
            .quiet(registration, settings.quiet_window, settings.event_timeout)
            .await)
    }

    /// Every notification received must conform (CloudEvents, credential, schema, ids).
    pub(super) fn conforms(&self, ctx: &RunContext, received: &[Notification]) -> StepResult {
        let subscription_id = self.subscription.id.as_deref().unwrap_or_default();
        let expected = Expectation {
            subscription_id,
            subscribed_type: &self.subscription.subscribed_type,
            device_sent: self.subscription.device_sent.as_ref(),
        };
        let problems: Vec<String> = received
            .iter()
            .enumerate()
            .flat_map(|(i, n)| {
                notifications::problems(n, &expected, &ctx.schemas)
                    .into_iter()
                    .map(move |p| format!("notification {}: {p}", i + 1))
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Verdict::Failed(problems.join("\n  ")))
        }
    }

    /// Polls the created subscription with `headers` until its status is what `wanted`
    /// accepts (bounded by `timeout`).
    pub(super) async fn becomes_active_with(
        &mut self,
        headers: &[(String, String)],
        timeout: Duration,
        wanted: Activation,
    ) -> StepResult {
        let collection = self.url.clone().ok_or_else(|| {
            Verdict::Errored("no resource is set for the subscriptions collection".into())
        })?;
        let url = self.subscription_url(&collection)?;
        let ctx = self.context()?;
        let deadline = tokio::time::Instant::now() + timeout;
        let mut last = String::from("(no answer)");
        while tokio::time::Instant::now() < deadline {
            let request = crate::http::Request {
                method: "GET".into(),
                url: url.clone(),
                headers: headers.to_vec(),
                body: None,
            };
            let exchange = ctx.http.send(request).await.map_err(|e| {
                Verdict::Errored(format!("the subscription could not be read: {e}"))
            })?;
            let status: Option<Value> = serde_json::from_slice(&exchange.body)
                .ok()
                .map(|b: Value| b["status"].clone());
            self.exchanges.push(exchange);
            self.operation = Some("retrieveDeviceReachabilityStatusSubscription".into());
            match status {
                Some(Value::String(s)) if wanted.accepts(&s) => return Ok(()),
                Some(other) => last = other.to_string(),
                None => last = "an answer without status".into(),
            }
            tokio::time::sleep(POLL_PAUSE).await;
        }
        Err(Verdict::Failed(format!(
            "the subscription did not become {} within {} s (last status: {last})",
            wanted.describe(),
            timeout.as_secs()
        )))
    }
}

/// The status an asynchronously created subscription is awaited until.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Activation {
    /// ACTIVE.
    Active,
    /// Anything but ACTIVATION_REQUESTED: it was activated, and may have ended since (a
    /// subscription with one event ends as soon as it is active).
    Activated,
}

impl Activation {
    fn accepts(self, status: &str) -> bool {
        match self {
            Activation::Active => status == "ACTIVE",
            Activation::Activated => status != "ACTIVATION_REQUESTED",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Activation::Active => "ACTIVE",
            Activation::Activated => "activated (any status but ACTIVATION_REQUESTED)",
        }
    }
}

/// A `SubscriptionRequest` over HTTP to `registration`'s path, with its access token.
pub(super) fn request_body(
    registration: &Registration,
    subscribed_type: &str,
    device: &Value,
) -> Value {
    let expires = Utc::now() + chrono::Duration::hours(CREDENTIAL_LIFETIME_HOURS);
    json!({
        "protocol": "HTTP",
        "sink": registration.url,
        "sinkCredential": {
            "credentialType": "ACCESSTOKEN",
            "accessToken": registration.token,
            "accessTokenExpiresUtc": expires.to_rfc3339_opts(SecondsFormat::Millis, true),
            "accessTokenType": "bearer",
        },
        "types": [subscribed_type],
        "config": { "subscriptionDetail": { "device": device } },
    })
}

/// The types of what was received, for messages.
pub(super) fn types(received: &[Notification]) -> String {
    let events = Events::of(received);
    if events.0.is_empty() {
        return format!("{} notification(s), no CloudEvent", received.len());
    }
    let names: Vec<&str> = events
        .0
        .iter()
        .map(|e| {
            e.event_type()
                .strip_prefix(TYPE_PREFIX)
                .unwrap_or(e.event_type())
        })
        .collect();
    names.join(", ")
}
