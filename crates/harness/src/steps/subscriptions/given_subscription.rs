//! The subscription a Given of the official plans creates: prepared by the Givens, created
//! before the scenario's When (awaited until activated), named, recorded in the run's
//! ledger; and the testing devices held alone when the scenario needs them without others'
//! subscriptions.

use serde_json::Value;
use uuid::Uuid;

use super::exclusive::lock_wait;
use super::perform::Activation;
use crate::http::Request;
use crate::oauth::TokenKind;
use crate::steps::world::ReachabilityWorld;
use crate::steps::{SUBSCRIPTION_DEVICE, StepResult, TokenChoice, Verdict, body_path};

impl ReachabilityWorld {
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
                .share(&mut self.subscription.hold, lock_wait(settings))
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
    pub(super) async fn device_alone(&mut self) -> StepResult {
        let ctx = self.context()?;
        let within = lock_wait(&ctx.target.subscriptions);
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
    pub(super) fn edit_creation(
        &mut self,
        edit: impl FnOnce(&mut Value) -> Result<(), String>,
    ) -> StepResult {
        let (_, body) = self.subscription.creation.as_mut().ok_or_else(|| {
            Verdict::Errored(
                "no subscription is being prepared: this step follows `a valid subscription \
                 ... exists` (and comes before the When)"
                    .into(),
            )
        })?;
        edit(body).map_err(Verdict::Errored)
    }
}
