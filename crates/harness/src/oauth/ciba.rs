//! Device-bound tokens by CIBA in poll mode (`OpenID` Connect Client-Initiated
//! Backchannel Authentication), as CAMARA's security profile uses it.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::endpoint::{self, Client};
use crate::http::Exchange;
use crate::target_file::Secret;

pub(super) use reachability_contract::oauth::CIBA_GRANT;
/// Polling interval when the server gives none (CIBA's default).
pub(super) const DEFAULT_INTERVAL_SECS: u64 = 5;
/// Least time between two polls, whatever the server's `interval` says (0 included).
const MIN_INTERVAL_SECS: u64 = 1;
/// Extra seconds between polls after each `slow_down`.
const SLOW_DOWN_SECS: u64 = 5;
/// Longest total wait for the user, whatever `expires_in` says.
const MAX_WAIT_SECS: u64 = 60;
/// Most polls of one flow: a hard ceiling, whatever the clock and the server say.
pub(super) const MAX_POLLS: u32 = 60;

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
/// token endpoint until a token comes, the request is denied or expires, the wait limit
/// (min(`expires_in`, 60 s)) is reached, or [`MAX_POLLS`] polls were made. The first poll
/// comes at once (the server's `interval` is the least time between two polls); later
/// ones wait the interval, clamped to at least 1 s and at most the time left.
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
    let mut pacing = Pacing::new(started.interval, budget);
    let clock = Instant::now();
    let mut wait = Duration::ZERO;
    for _ in 0..MAX_POLLS {
        if clock.elapsed().saturating_add(wait) > budget {
            break;
        }
        tokio::time::sleep(wait).await;
        let exchange = poll(client, &started.auth_req_id).await?;
        if endpoint::is_success(exchange.status) {
            return client.access_token(&exchange);
        }
        match endpoint::error_code(&exchange).as_deref() {
            Some("authorization_pending") => {}
            Some("slow_down") => pacing.slow_down(),
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
        wait = pacing.interval(budget.saturating_sub(clock.elapsed()));
    }
    Err(format!(
        "the authentication request for {login_hint} was still pending after the {} s \
         allowed ({}); approve it on the device sooner, or check the CIBA setup",
        budget.as_secs(),
        pacing.describe()
    ))
}

/// The time between two polls of one flow: the server's `interval`, at least
/// [`MIN_INTERVAL_SECS`], raised by `slow_down` with saturating arithmetic. Never more
/// than the time the flow has left, so the last poll still happens before it ends.
#[derive(Debug, PartialEq)]
struct Pacing {
    /// Seconds between polls.
    secs: u64,
    /// The server's own `interval`, when it was out of range (said in the message).
    clamped_from: Option<u64>,
}

impl Pacing {
    /// Pacing from the server's `interval`, clamped to `[MIN_INTERVAL_SECS, budget]`.
    fn new(interval: Option<u64>, budget: Duration) -> Self {
        let asked = interval.unwrap_or(DEFAULT_INTERVAL_SECS);
        let secs = asked.clamp(MIN_INTERVAL_SECS, budget.as_secs().max(MIN_INTERVAL_SECS));
        Self {
            secs,
            clamped_from: (secs != asked).then_some(asked),
        }
    }

    /// Applies a `slow_down` answer.
    fn slow_down(&mut self) {
        self.secs = self.secs.saturating_add(SLOW_DOWN_SECS);
    }

    /// The wait before the next poll, given the time the flow has `left`.
    fn interval(&self, left: Duration) -> Duration {
        Duration::from_secs(self.secs)
            .min(left)
            .max(Duration::from_secs(MIN_INTERVAL_SECS))
    }

    /// How the polls were paced, for the message that says the flow ran out of time.
    fn describe(&self) -> String {
        match self.clamped_from {
            Some(asked) => format!(
                "polled every {} s, as the server's interval of {asked} s is outside 1 s to the \
                 request's lifetime",
                self.secs
            ),
            None => format!("polled every {} s", self.secs),
        }
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

    #[test]
    fn an_interval_out_of_range_is_clamped() {
        let budget = Duration::from_secs(60);
        let zero = Pacing::new(Some(0), budget);
        assert_eq!(zero.secs, 1);
        assert_eq!(
            zero.describe(),
            "polled every 1 s, as the server's interval of 0 s is outside 1 s to the request's lifetime"
        );
        let huge = Pacing::new(Some(u64::MAX), budget);
        assert_eq!(huge.secs, 60);
        assert_eq!(Pacing::new(None, budget).secs, DEFAULT_INTERVAL_SECS);
        assert_eq!(Pacing::new(Some(3), budget).clamped_from, None);
    }

    proptest::proptest! {
        #[test]
        fn polls_are_a_second_apart_at_least_and_within_the_flow_whatever_the_server_says(
            interval in proptest::option::of(proptest::num::u64::ANY),
            budget in 0u64..=MAX_WAIT_SECS,
            slow_downs in 0usize..5,
            left in 0u64..=MAX_WAIT_SECS,
        ) {
            let budget = Duration::from_secs(budget);
            let mut pacing = Pacing::new(interval, budget);
            for _ in 0..slow_downs {
                pacing.slow_down();
            }
            let wait = pacing.interval(Duration::from_secs(left));
            proptest::prop_assert!(wait >= Duration::from_secs(MIN_INTERVAL_SECS));
            proptest::prop_assert!(wait <= Duration::from_secs(left.max(MIN_INTERVAL_SECS)));
        }
    }

    #[test]
    fn slow_down_saturates_and_the_wait_stays_within_the_time_left() {
        let mut pacing = Pacing {
            secs: u64::MAX - 1,
            clamped_from: None,
        };
        pacing.slow_down();
        assert_eq!(pacing.secs, u64::MAX);
        assert_eq!(
            pacing.interval(Duration::from_secs(7)),
            Duration::from_secs(7)
        );
        assert_eq!(pacing.interval(Duration::ZERO), Duration::from_secs(1));
    }
}
