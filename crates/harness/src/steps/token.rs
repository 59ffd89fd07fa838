//! Token endpoint steps (CAMARA security profile): client assertions the server must
//! refuse, client credentials requests, and a CIBA request polled too fast. Each answer
//! becomes the scenario's last exchange, so the usual checks read it.

use super::vocabulary::{Action, AssertionChoice};
use super::world::ReachabilityWorld;
use super::{StepResult, Verdict};
use crate::oauth::TokenError;

impl ReachabilityWorld {
    /// Performs a token endpoint action.
    pub(crate) async fn token_step(&mut self, action: Action) -> StepResult {
        let ctx = self.context()?;
        let tokens = &ctx.tokens;
        match action {
            Action::ClientAssertion(AssertionChoice::Flawed(flaw)) => {
                self.assertion = Some(tokens.client_assertion(Some(flaw)).await.map_err(verdict)?);
            }
            Action::ClientAssertion(AssertionChoice::Replayed) => {
                let assertion = tokens.client_assertion(None).await.map_err(verdict)?;
                let first = tokens
                    .request_token(Some(&assertion))
                    .await
                    .map_err(verdict)?;
                let status = first.status;
                self.exchanges.push(first);
                if status != 200 {
                    return Err(Verdict::Errored(format!(
                        "the token endpoint refused a fresh client assertion (HTTP {status}), so \
                         a replay cannot be tested; check the client's key registration"
                    )));
                }
                self.assertion = Some(assertion);
            }
            Action::RequestToken => {
                let exchange = tokens
                    .request_token(self.assertion.as_ref())
                    .await
                    .map_err(verdict)?;
                self.exchanges.push(exchange);
            }
            Action::StartCiba => {
                self.auth_req_id = Some(tokens.start_ciba().await.map_err(verdict)?);
            }
            Action::PollCibaTwice => {
                let id = self.auth_req_id.clone().ok_or_else(|| {
                    Verdict::Errored(
                        "no CIBA request was started: add `Given a CIBA authentication request \
                         for the test device`"
                            .into(),
                    )
                })?;
                for _ in 0..2 {
                    let exchange = tokens.poll_ciba(&id).await.map_err(verdict)?;
                    self.exchanges.push(exchange);
                }
            }
            other => {
                return Err(Verdict::Errored(format!(
                    "{other:?} is not a token endpoint step"
                )));
            }
        }
        Ok(())
    }
}

/// A missing setting skips the scenario; a token endpoint that gives no usable answer
/// (unreachable, or refusing the configured client) means it could not be tested.
fn verdict(error: TokenError) -> Verdict {
    match error {
        TokenError::NotConfigured { key } => Verdict::missing(key),
        failed @ TokenError::Failed { .. } => Verdict::Errored(failed.to_string()),
    }
}
