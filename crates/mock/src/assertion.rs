//! `private_key_jwt` client authentication (RFC 7523 §3, as CAMARA's security profile
//! tightens it): which client a client assertion proves, or why it proves nothing.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;

use super::clients::MockClient;
use super::errors::OAuthError;
use super::faults::{Fault, FaultSet};
use crate::jose::Jwt;

pub(crate) use reachability_contract::oauth::JWT_BEARER;
/// Longest time from `iat` to `exp` accepted, in seconds.
pub(crate) const MAX_LIFETIME_SECS: i64 = 300;
/// Clock skew tolerated for `iat` and `nbf` in the future, in seconds.
const SKEW_SECS: i64 = 30;

/// The `jti`s of accepted assertions, until they expire, so none is accepted twice.
#[derive(Default)]
pub(crate) struct JtiCache {
    seen: Mutex<HashMap<String, i64>>,
}

impl JtiCache {
    /// Records `jti` (of a client), valid until `exp`; `false` if it was already used.
    fn first_use(&self, client_id: &str, jti: &str, exp: i64, now: i64) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.retain(|_, until| *until >= now);
        seen.insert(format!("{client_id} {jti}"), exp).is_none()
    }
}

/// Whether the form authenticates by client assertion.
pub(crate) fn is_used(form: &HashMap<String, String>) -> bool {
    form.contains_key("client_assertion") || form.contains_key("client_assertion_type")
}

/// What a client assertion is checked against.
pub(crate) struct Expected<'a> {
    /// Acceptable `aud` values: the issuer, the token endpoint, the endpoint called.
    pub audiences: &'a [String],
    /// Seconds since the Unix epoch.
    pub now: i64,
    /// Where used `jti`s are remembered.
    pub jtis: &'a JtiCache,
    /// The mock's faults: some of them skip one of the checks.
    pub faults: &'a FaultSet,
}

/// The key-based client the form's client assertion proves, checked in this order:
/// assertion type, JWT syntax and algorithm, `iss` = `sub` = a key-based client (and the
/// `client_id` field, if sent), signature by one of its registered keys, `aud`, `exp`,
/// `iat`, `nbf`, lifetime, and finally a `jti` never used before. Each `assertion-*` fault
/// of `expected.faults` skips the check it names.
pub(crate) fn authenticate<'a>(
    clients: &'a [MockClient],
    form: &HashMap<String, String>,
    expected: &Expected<'_>,
) -> Result<&'a MockClient, OAuthError> {
    if form.contains_key("client_secret") {
        return Err(OAuthError::invalid_request(
            "use one client authentication method: client_assertion or client_secret, not both",
        ));
    }
    match form.get("client_assertion_type").map(String::as_str) {
        Some(JWT_BEARER) => {}
        Some(other) => {
            return Err(OAuthError::invalid_request(format!(
                "client_assertion_type {other:?} is not supported: use {JWT_BEARER}"
            )));
        }
        None => {
            return Err(OAuthError::invalid_request(format!(
                "client_assertion_type is missing: send {JWT_BEARER}"
            )));
        }
    }
    let token = form
        .get("client_assertion")
        .ok_or_else(|| OAuthError::invalid_request("client_assertion is missing"))?;
    let refused =
        |why: String| OAuthError::invalid_client(format!("client assertion refused: {why}"));
    let jwt = Jwt::parse(token).map_err(refused)?;
    let (Some(iss), Some(sub)) = (jwt.str_claim("iss"), jwt.str_claim("sub")) else {
        return Err(refused("iss and sub must both be the client id".to_owned()));
    };
    let skips = |fault| expected.faults.has(fault);
    if iss != sub && !skips(Fault::AssertionIssuerUnchecked) {
        return Err(refused(format!(
            "iss {iss:?} and sub {sub:?} must both be the client id"
        )));
    }
    // The client id: `iss`, which equals `sub` unless the issuer is not checked.
    let id = sub;
    if form.get("client_id").is_some_and(|field| field != id) {
        return Err(refused("the client_id field differs from iss".to_owned()));
    }
    let client = clients
        .iter()
        .find(|c| c.client_id() == id)
        .ok_or_else(|| refused(format!("no client {id:?} is registered")))?;
    let jwks = client.jwks().ok_or_else(|| {
        refused(format!(
            "client {id} has no registered keys: it authenticates with its secret"
        ))
    })?;
    if !jwt.verified_by(jwks) && !skips(Fault::AssertionSignatureUnchecked) {
        return Err(refused(format!(
            "its signature does not verify with the keys registered for {id}{}",
            jwt.kid
                .as_deref()
                .map(|kid| format!(" (kid {kid:?})"))
                .unwrap_or_default()
        )));
    }
    if !skips(Fault::AssertionAudienceUnchecked) {
        check_audience(&jwt.claims, expected.audiences).map_err(refused)?;
    }
    let now = expected.now;
    let exp = jwt
        .time_claim("exp")
        .ok_or_else(|| refused("exp is missing".to_owned()))?;
    let iat = jwt
        .time_claim("iat")
        .ok_or_else(|| refused("iat is missing".to_owned()))?;
    if exp <= now && !skips(Fault::AssertionExpiryUnchecked) {
        return Err(refused(format!("it expired {} s ago (exp)", now - exp)));
    }
    if iat > now + SKEW_SECS
        || jwt
            .time_claim("nbf")
            .is_some_and(|nbf| nbf > now + SKEW_SECS)
    {
        return Err(refused(
            "it is not valid yet (iat or nbf in the future)".to_owned(),
        ));
    }
    if exp - iat > MAX_LIFETIME_SECS && !skips(Fault::AssertionLifetimeUnchecked) {
        return Err(refused(format!(
            "its lifetime of {} s (exp - iat) is more than {MAX_LIFETIME_SECS} s",
            exp - iat
        )));
    }
    let jti = jwt
        .str_claim("jti")
        .filter(|j| !j.is_empty())
        .ok_or_else(|| refused("jti is missing".to_owned()))?;
    if !skips(Fault::AssertionReplayAccepted)
        && !expected.jtis.first_use(client.client_id(), jti, exp, now)
    {
        return Err(refused(
            "its jti was already used: make a fresh assertion for every request".to_owned(),
        ));
    }
    Ok(client)
}

/// `aud` (a string or an array of strings) must name one of `audiences`.
fn check_audience(claims: &Value, audiences: &[String]) -> Result<(), String> {
    let named: Vec<&str> = match claims.get("aud") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => return Err("aud is missing".to_owned()),
    };
    if named.iter().any(|aud| audiences.iter().any(|a| a == aud)) {
        Ok(())
    } else {
        Err(format!(
            "aud {named:?} names neither this server's issuer nor its endpoint; use {}",
            audiences
                .first()
                .map_or("the token endpoint URL", String::as_str)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_jti_is_accepted_once_until_it_expires() {
        let cache = JtiCache::default();
        assert!(cache.first_use("c", "j1", 100, 50));
        assert!(!cache.first_use("c", "j1", 100, 60));
        assert!(cache.first_use("other", "j1", 100, 60), "jti is per client");
        assert!(
            cache.first_use("c", "j1", 200, 150),
            "forgotten once expired"
        );
    }

    #[test]
    fn audience_may_be_a_string_or_an_array() {
        let ok = ["https://as".to_owned()];
        assert!(check_audience(&json!({"aud": "https://as"}), &ok).is_ok());
        assert!(check_audience(&json!({"aud": ["x", "https://as"]}), &ok).is_ok());
        assert!(check_audience(&json!({"aud": "x"}), &ok).is_err());
        assert!(check_audience(&json!({}), &ok).is_err());
    }
}
