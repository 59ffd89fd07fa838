//! Device-bound tokens by CIBA in poll mode (`OpenID` Connect Client-Initiated
//! Backchannel Authentication), as CAMARA's security profile uses it.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::endpoint::{self, Client};
use crate::http::Exchange;
use crate::target::Secret;

/// The CIBA grant type used when polling the token endpoint.
pub(super) const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
/// Polling interval when the server gives none (CIBA's default).
const DEFAULT_INTERVAL_SECS: u64 = 5;
/// Extra seconds between polls after each `slow_down`.
const SLOW_DOWN_SECS: u64 = 5;
/// Longest total wait for the user, whatever `expires_in` says.
const MAX_WAIT_SECS: u64 = 60;

/// A started backchannel authentication.
pub(super) struct Started {
    /// The request's id (registered as a secret).
    pub auth_req_id: Secret,
    /// `expires_in`, if the server gave it.
    pub expires_in: Option<u64>,
    /// `interval`, if the server gave it.
    pub interval: Option<u64>,
}

/// The CIBA `scope`: `openid` (which CIBA requires) and the configured scope.
fn ciba_scope(scope: Option<&str>) -> String {
    match scope {
        Some(s) if s.split_whitespace().any(|x| x == "openid") => s.to_owned(),
        Some(s) => format!("openid {s}"),
        None => "openid".to_owned(),
    }
}

/// Starts a backchannel authentication for `login_hint` at `ciba_url`.
pub(super) async fn start(
    client: &Client<'_>,
    ciba_url: &str,
    login_hint: &str,
    scope: Option<&str>,
) -> Result<Started, String> {
    let scope = ciba_scope(scope);
    let params = [("login_hint", login_hint), ("scope", scope.as_str())];
    let start = client.post(ciba_url, &params).await?;
    if !endpoint::is_success(start.status) {
        return Err(client.failure("CIBA endpoint", &start));
    }
    let answer = endpoint::answer(&start, "CIBA endpoint")?;
    let auth_req_id = answer
        .get("auth_req_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| endpoint::missing(&start, "CIBA endpoint", "auth_req_id"))?;
    client.redactor().add(auth_req_id);
    Ok(Started {
        auth_req_id: Secret::new(auth_req_id.to_owned()),
        expires_in: answer.get("expires_in").and_then(Value::as_u64),
        interval: answer.get("interval").and_then(Value::as_u64),
    })
}

/// Polls the token endpoint once for `auth_req_id`; the answer whatever its status.
pub(super) async fn poll(client: &Client<'_>, auth_req_id: &Secret) -> Result<Exchange, String> {
    let params = [
        ("grant_type", CIBA_GRANT),
        ("auth_req_id", auth_req_id.expose()),
    ];
    client.post(client.token_url, &params).await
}

/// Starts a backchannel authentication for `login_hint` at `ciba_url`, then polls the
/// token endpoint until a token comes, the request is denied or expires, or the wait limit
/// (min(`expires_in`, 60 s)) is reached. The first poll comes at once (the server's
/// `interval` is the least time between two polls); later ones wait the interval.
/// `authorization_pending` keeps polling; `slow_down` adds 5 s to the interval.
/// Errors are ready messages.
pub(super) async fn device_bound_token(
    client: &Client<'_>,
    ciba_url: &str,
    login_hint: &str,
    scope: Option<&str>,
) -> Result<Secret, String> {
    let started = start(client, ciba_url, login_hint, scope).await?;
    let budget = Duration::from_secs(
        started
            .expires_in
            .unwrap_or(MAX_WAIT_SECS)
            .min(MAX_WAIT_SECS),
    );
    let mut interval = started.interval.unwrap_or(DEFAULT_INTERVAL_SECS);
    let clock = Instant::now();
    let mut wait = Duration::ZERO;
    loop {
        if clock.elapsed() + wait > budget {
            return Err(format!(
                "the authentication request for {login_hint} was still pending after the \
                 {} s allowed; approve it on the device sooner, or check the CIBA setup",
                budget.as_secs()
            ));
        }
        tokio::time::sleep(wait).await;
        let exchange = poll(client, &started.auth_req_id).await?;
        if endpoint::is_success(exchange.status) {
            return client.access_token(&exchange);
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
            _ => return Err(client.failure("token endpoint", &exchange)),
        }
        wait = Duration::from_secs(interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ciba_scope_always_has_openid() {
        assert_eq!(ciba_scope(None), "openid");
        assert_eq!(ciba_scope(Some("a:read")), "openid a:read");
        assert_eq!(ciba_scope(Some("a:read openid")), "a:read openid");
    }
}
