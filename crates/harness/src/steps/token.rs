//! Token endpoint steps (CAMARA security profile): client assertions the server must
//! refuse, client credentials requests, and a CIBA request polled too fast. Each answer
//! becomes the scenario's last exchange, so the usual checks read it.

use std::time::{Duration, Instant};

use super::vocabulary::{Action, AssertionChoice};
use super::world::ReachabilityWorld;
use super::{StepResult, Verdict};
use crate::http::Exchange;
use crate::oauth::TokenError;

/// Most tries (each a fresh authentication request) at two polls in a conclusive window.
const POLL_TWICE_ATTEMPTS: u32 = 4;

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
                let (id, interval) = tokens.start_ciba().await.map_err(verdict)?;
                self.auth_req_id = Some(id);
                self.ciba_interval = interval;
            }
            Action::PollCibaTwice => {
                let mut id = self.auth_req_id.clone().ok_or_else(|| {
                    Verdict::Errored(
                        "no CIBA request was started: add `Given a CIBA authentication request \
                         for the test device`"
                            .into(),
                    )
                })?;
                let interval = Duration::from_secs(self.ciba_interval);
                for attempt in 1..=POLL_TWICE_ATTEMPTS {
                    let sent = Instant::now();
                    for _ in 0..2 {
                        let exchange = tokens.poll_ciba(&id).await.map_err(verdict)?;
                        self.exchanges.push(exchange);
                    }
                    let settled = self.exchanges.last().is_some_and(|second| {
                        answer_is_conclusive(second, sent.elapsed(), interval)
                    });
                    if settled || attempt == POLL_TWICE_ATTEMPTS {
                        break;
                    }
                    // The two polls may have been a whole interval apart (a loaded
                    // machine or network): the answer proves nothing, so start over.
                    let (fresh, interval) = tokens.start_ciba().await.map_err(verdict)?;
                    id = fresh;
                    self.ciba_interval = interval;
                }
                self.auth_req_id = Some(id);
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

/// Whether the answer to the second of two polls sent and answered within `window` says
/// something about the server's pacing: `400 slow_down` always does; any other answer when
/// the polls were certainly less than the server's `interval` apart (the window bounds their
/// gap at the server from above), or when the interval is 0 (no poll is then too soon). A
/// longer window may have let the interval pass.
fn answer_is_conclusive(second: &Exchange, window: Duration, interval: Duration) -> bool {
    let slow_down = second.status == 400
        && second
            .json()
            .is_ok_and(|body| body.get("error").and_then(|e| e.as_str()) == Some("slow_down"));
    slow_down || window < interval || interval.is_zero()
}

/// A missing setting skips the scenario; a token endpoint that gives no usable answer
/// (unreachable, or refusing the configured client) means it could not be tested.
fn verdict(error: TokenError) -> Verdict {
    match error {
        TokenError::NotConfigured { key } => Verdict::missing(key),
        failed @ TokenError::Failed { .. } => Verdict::Errored(failed.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::then::tests::poll;
    use serde_json::json;

    #[test]
    fn only_a_slow_down_or_two_certainly_close_polls_settle_the_pacing_check() {
        let slow_down = poll(400, json!({"error": "slow_down"}));
        let pending = poll(400, json!({"error": "authorization_pending"}));
        let token = poll(200, json!({"access_token": "t", "token_type": "Bearer"}));
        let interval = Duration::from_secs(1);
        let close = Duration::from_millis(999);
        let maybe_apart = interval;
        assert!(answer_is_conclusive(&slow_down, close, interval));
        assert!(answer_is_conclusive(&slow_down, maybe_apart, interval));
        assert!(answer_is_conclusive(&pending, close, interval));
        assert!(answer_is_conclusive(&token, close, interval));
        assert!(!answer_is_conclusive(&pending, maybe_apart, interval));
        assert!(!answer_is_conclusive(&token, maybe_apart, interval));
        assert!(answer_is_conclusive(
            &pending,
            Duration::from_secs(3),
            Duration::from_secs(5)
        ));
        assert!(answer_is_conclusive(&pending, maybe_apart, Duration::ZERO));
    }
}
