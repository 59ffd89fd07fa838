//! Sending steps: the operation, and the provider's network-error test hook.

use super::subscriptions;
use super::world::{Body, ReachabilityWorld};
use super::{StepResult, Verdict};
use crate::http::Request;

/// The operation of the status API, by `operationId`, with its HTTP method (the
/// subscriptions operations are in [`subscriptions::OPERATIONS`]).
const OPERATIONS: [(&str, &str); 1] = [("getReachabilityStatus", "POST")];

impl ReachabilityWorld {
    /// Sends the operation with the request built so far.
    pub(crate) async fn send(&mut self, operation: &str) -> StepResult {
        let request = self.request_for(operation)?;
        if operation == subscriptions::CREATE {
            // A scenario that adds a subscription shares the devices with the others.
            let ctx = self.context()?;
            let within = ctx.target.subscriptions.event_timeout;
            ctx.subscriptions
                .devices
                .share(&mut self.subscription.hold, within)
                .await?;
        }
        let url = self.url.clone().unwrap_or_default();
        self.exchange(request).await?;
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
        Ok(Request {
            method: method.to_owned(),
            url,
            headers: self.headers.clone(),
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
        self.exchange(request).await
    }

    async fn exchange(&mut self, request: Request) -> StepResult {
        let ctx = self.context()?;
        let exchange = ctx
            .shared
            .send(&ctx.http, request, &self.label)
            .await
            .map_err(|e| Verdict::Errored(format!("the request got no usable response: {e}")))?;
        self.exchanges.push(exchange);
        Ok(())
    }
}
