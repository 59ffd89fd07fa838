//! Device-bound tokens by CIBA in poll mode (`OpenID` Connect Client-Initiated
//! Backchannel Authentication).

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::endpoint::{self, Client};
use crate::target::Secret;

/// The CIBA grant type used when polling the token endpoint.
const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
/// Polling interval when the server gives none (CIBA's default).
const DEFAULT_INTERVAL_SECS: u64 = 5;
/// Extra seconds between polls after each `slow_down`.
const SLOW_DOWN_SECS: u64 = 5;
/// Longest total wait for the user, whatever `expires_in` says.
const MAX_WAIT_SECS: u64 = 60;

/// Starts a backchannel authentication for `login_hint` at `ciba_url`, then polls the
/// token endpoint until a token comes, the request is denied or expires, or the wait
/// limit (min(`expires_in`, 60 s)) is reached. Errors are ready messages.
pub(super) async fn device_bound_token(
    client: &Client<'_>,
    ciba_url: &str,
    login_hint: &str,
    scope: Option<&str>,
) -> Result<Secret, String> {
    let mut params = vec![("login_hint", login_hint)];
    params.extend(scope.map(|s| ("scope", s)));
    let start = client.post(ciba_url, &params).await?;
    if !(200..300).contains(&start.status) {
        return Err(endpoint::failure("CIBA endpoint", &start));
    }
    let answer = endpoint::answer(&start, "CIBA endpoint")?;
    let auth_req_id = answer
        .get("auth_req_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| endpoint::missing(&start, "CIBA endpoint", "auth_req_id"))?;
    client.redactor().add(auth_req_id);
    let expires_in = answer.get("expires_in").and_then(Value::as_u64);
    let budget = Duration::from_secs(expires_in.unwrap_or(MAX_WAIT_SECS).min(MAX_WAIT_SECS));
    let mut interval = answer
        .get("interval")
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_INTERVAL_SECS);
    let started = Instant::now();
    let poll = [("grant_type", CIBA_GRANT), ("auth_req_id", auth_req_id)];
    loop {
        if started.elapsed() + Duration::from_secs(interval) > budget {
            return Err(format!(
                "the authentication request for {login_hint} was still pending after the \
                 {} s allowed; approve it on the device sooner, or check the CIBA setup",
                budget.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_secs(interval)).await;
        let exchange = client.post(client.token_url, &poll).await?;
        if (200..300).contains(&exchange.status) {
            return endpoint::access_token(&exchange);
        }
        match endpoint::error_code(&exchange).as_deref() {
            Some("authorization_pending") => {}
            Some("slow_down") => interval += SLOW_DOWN_SECS,
            Some("access_denied") => {
                return Err(format!(
                    "the authentication request for {login_hint} was denied (access_denied); \
                     approve it on the device, or check auth.device_login_hint"
                ));
            }
            Some("expired_token") => {
                return Err(format!(
                    "the authentication request for {login_hint} expired before it was \
                     approved (expired_token); approve it on the device sooner"
                ));
            }
            _ => return Err(endpoint::failure("token endpoint", &exchange)),
        }
    }
}
