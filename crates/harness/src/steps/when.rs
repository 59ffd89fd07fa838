//! Sending steps: the operation, and the provider's network-error test hook.

use super::subscriptions;
use super::world::{Body, ReachabilityWorld};
use super::{StepResult, Verdict};
use crate::http::Request;

/// The media type of a JSON request body.
const JSON_MEDIA_TYPE: &str = "application/json";

/// The operation of the status API, by `operationId`, with its HTTP method (the
/// subscriptions operations are in [`subscriptions::OPERATIONS`]).
const OPERATIONS: [(&str, &str); 1] = [("getReachabilityStatus", "POST")];

impl ReachabilityWorld {
    /// Sends the operation with the request built so far.
    pub(crate) async fn send(&mut self, operation: &str) -> StepResult {
        if subscriptions::operation(operation).is_some_and(|(_, item)| item)
            && self.subscription.id.is_none()
        {
            // A plan that never names the subscription (a 401 scenario: the token is
            // checked before the id) names one nobody has; the runner reports the defect.
            self.subscription.id = Some(uuid::Uuid::new_v4().to_string());
        }
        let request = self.request_for(operation)?;
        if operation == subscriptions::CREATE {
            // A scenario that adds a subscription shares the devices with the others.
            let ctx = self.context()?;
            let within = subscriptions::lock_wait(&ctx.target.subscriptions);
            ctx.subscriptions
                .devices
                .share(&mut self.subscription.hold, within)
                .await?;
        }
        let url = self.url.clone().unwrap_or_default();
        // The subscriptions API has state (a list depends on what other scenarios created):
        // only the status API's reads are shared between scenarios.
        let shared = subscriptions::operation(operation).is_none();
        self.exchange(request, shared).await?;
        self.operation = Some(operation.to_owned());
        if subscriptions::operation(operation).is_some() {
            self.after_subscription_send(operation, &url);
        }
        Ok(())
    }

    /// The request the operation would send with what the steps have built so far.
    pub(crate) fn request_for(&self, operation: &str) -> Result<Request, Verdict> {
        let (method, item) = OPERATIONS
            .iter()
            .find(|(id, _)| *id == operation)
            .map(|(_, method)| (*method, false))
            .or_else(|| subscriptions::operation(operation))
            .ok_or_else(|| {
                Verdict::Errored(format!(
                    "unknown operation {operation:?}; the APIs define \"getReachabilityStatus\" and the subscriptions operations \
                     (createDeviceReachabilityStatusSubscription, retrieveDeviceReachabilityStatusSubscriptionList, \
                     retrieveDeviceReachabilityStatusSubscription, deleteDeviceReachabilityStatusSubscription)"
                ))
            })?;
        let url = self.url.clone().ok_or_else(|| {
            Verdict::Errored(
                "no resource is set: add `Given the resource \"{api-root}/...\" set as base-url`"
                    .into(),
            )
        })?;
        let url = if item {
            self.subscription_url(&url)?
        } else {
            url
        };
        let body = match &self.body {
            Body::Absent => None,
            Body::Json(value) => Some(value.to_string().into_bytes()),
            Body::Raw(text) => Some(text.clone().into_bytes()),
        };
        let mut headers = self.headers.clone();
        // A JSON body says so unless a step chose the media type (the official plans
        // never set it; a client sends it).
        if matches!(self.body, Body::Json(_))
            && !headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("Content-Type".into(), JSON_MEDIA_TYPE.into()));
        }
        Ok(Request {
            method: method.to_owned(),
            url,
            headers,
            body,
        })
    }

    /// Sends the last request again with the provider's network-error hook header, so the
    /// target answers as if a network error had happened.
    pub(crate) async fn resend_with_network_error(&mut self) -> StepResult {
        let ctx = self.context()?;
        let (name, value) = ctx
            .target
            .provider
            .network_error_header
            .clone()
            .ok_or_else(|| Verdict::missing("provider.network_error_header"))?;
        let mut request = self
            .exchanges
            .last()
            .map(|e| e.request.clone())
            .ok_or_else(|| {
                Verdict::Errored("no request was sent before the network error".into())
            })?;
        request
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        request.headers.push((name, value));
        self.exchange(request, true).await
    }

    /// Sends `request`, through the run's shared exchanges when `shared`.
    async fn exchange(&mut self, request: Request, shared: bool) -> StepResult {
        let ctx = self.context()?;
        let sent = match shared {
            true => ctx.shared.send(&ctx.http, request, &self.label).await,
            false => ctx.http.send(request).await,
        };
        let exchange =
            sent.map_err(|e| Verdict::Errored(format!("the request got no usable response: {e}")))?;
        self.exchanges.push(exchange);
        Ok(())
    }
}
