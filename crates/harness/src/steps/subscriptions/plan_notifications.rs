//! The notification steps of the official subscriptions plans: "a subscription
//! termination event notification is sent", "the sink credentials ... are included",
//! "the notification property ... is ...", each bounded by the event timeout.

use serde_json::Value;

use super::PlanStep;
use crate::notifications::{Events, TYPE_PREFIX};
use crate::steps::world::{ReachabilityWorld, RunContext};
use crate::steps::{StepResult, Verdict};

impl ReachabilityWorld {
    /// Performs a notification step of the official plans.
    pub(super) async fn notification_step(&mut self, step: PlanStep) -> StepResult {
        let ctx = self.context()?;
        match step {
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
            other => Err(Verdict::Errored(format!(
                "{other:?} is not a notification step"
            ))),
        }
    }

    /// The last distinct event received at the scenario's sink path.
    async fn last_event(&self, ctx: &RunContext) -> Result<Value, Verdict> {
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
        ctx: &RunContext,
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
