//! The in-memory store of access tokens (opaque, or signed JWTs) and of pending CIBA
//! requests.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use uuid::Uuid;

use super::MockCiba;
use super::access_tokens::{ACCESS_TOKEN_AUDIENCE, AccessTokenSigner};

/// Lifetime of an access token (`expires_in`).
pub(crate) const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// Extra seconds between polls a `slow_down` imposes.
const SLOW_DOWN: Duration = Duration::from_secs(5);

/// What a token grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Grant {
    /// Scopes granted.
    pub scopes: Vec<String>,
    /// Phone number of the device the token is bound to (CIBA tokens only).
    pub device: Option<String>,
}

/// What the store knows about a presented token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokenStatus {
    /// Never issued here.
    Unknown,
    /// Issued, but past its expiry.
    Expired(Grant),
    /// Issued, then revoked.
    Revoked(Grant),
    /// Usable.
    Active(Grant),
}

/// What introspection (RFC 7662) tells about an active token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Introspection {
    /// The client it was issued to.
    pub client_id: String,
    /// What it grants.
    pub grant: Grant,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds.
    pub exp: i64,
}

struct TokenRecord {
    client_id: String,
    grant: Grant,
    issued_unix: i64,
    expires_at: Instant,
    expires_unix: i64,
    revoked: bool,
    uses: u32,
}

/// A CIBA authentication request waiting to be exchanged for a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CibaRequest {
    client_id: String,
    /// The device the end user authenticated with.
    pub device: String,
    /// The scopes asked for.
    pub scopes: Vec<String>,
    expires_at: Instant,
    /// Time clients must leave between two polls (grows with each `slow_down`).
    interval: Duration,
    /// No poll is welcome before this.
    next_poll: Instant,
    /// `authorization_pending` answers left before the decision.
    pending_left: u32,
    approve: bool,
}

/// The answer to one CIBA poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CibaPoll {
    /// No such request for this client (unknown, already exchanged, another client's).
    Unknown,
    /// The request expired before the token was taken.
    Expired,
    /// Polled again sooner than the interval allows; the interval grew by 5 s.
    SlowDown,
    /// The user has not decided yet.
    Pending,
    /// The user refused.
    Denied,
    /// The user approved: the request, taken so it cannot be used twice.
    Approved(CibaRequest),
}

/// Whether CIBA polls must keep to the request's interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pace {
    /// A poll sooner than the interval allows gets `slow_down`.
    Interval,
    /// Polls are answered however soon they come (the `ciba-no-slow-down` fault).
    Unchecked,
}

/// Why a revocation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NotIssuedToClient;

/// Tokens and CIBA requests, shared by all handlers of one mock.
#[derive(Default)]
pub(crate) struct TokenStore {
    tokens: Mutex<HashMap<String, TokenRecord>>,
    ciba: Mutex<HashMap<String, CibaRequest>>,
    /// Signs JWT access tokens; `None`: opaque tokens.
    signer: Option<AccessTokenSigner>,
}

/// A fresh random opaque value (two UUID v4, 244 random bits).
fn opaque() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
}

impl TokenStore {
    /// A store issuing JWTs signed by `signer`, or opaque tokens without one.
    pub(crate) fn new(signer: Option<AccessTokenSigner>) -> Self {
        Self {
            signer,
            ..Self::default()
        }
    }

    /// The JWT signer, when tokens are JWTs.
    pub(crate) fn signer(&self) -> Option<&AccessTokenSigner> {
        self.signer.as_ref()
    }

    /// Issues a token valid for [`TOKEN_LIFETIME`].
    pub(crate) fn issue(&self, client_id: &str, grant: Grant) -> Result<String, String> {
        self.insert(client_id, grant, false)
    }

    /// Issues a token that is already expired.
    pub(crate) fn issue_expired(&self, client_id: &str, grant: Grant) -> Result<String, String> {
        self.insert(client_id, grant, true)
    }

    fn insert(&self, client_id: &str, grant: Grant, expired: bool) -> Result<String, String> {
        let now = Instant::now();
        let lifetime = TOKEN_LIFETIME.as_secs() as i64;
        let issued_unix = unix_now() - if expired { 2 * lifetime } else { 0 };
        let expires_unix = issued_unix + lifetime;
        let expires_at = if expired {
            now.checked_sub(TOKEN_LIFETIME).unwrap_or(now)
        } else {
            now + TOKEN_LIFETIME
        };
        let token = match &self.signer {
            None => opaque(),
            Some(signer) => signer.sign(&claims(
                signer,
                client_id,
                &grant,
                issued_unix,
                expires_unix,
            ))?,
        };
        let record = TokenRecord {
            client_id: client_id.to_owned(),
            grant,
            issued_unix,
            expires_at,
            expires_unix,
            revoked: false,
            uses: 0,
        };
        lock(&self.tokens).insert(token.clone(), record);
        Ok(token)
    }

    /// What `token` is worth now, as the store knows it.
    pub(crate) fn status(&self, token: &str) -> TokenStatus {
        let tokens = lock(&self.tokens);
        match tokens.get(token) {
            None => TokenStatus::Unknown,
            Some(r) if r.revoked => TokenStatus::Revoked(r.grant.clone()),
            Some(r) if Instant::now() >= r.expires_at => TokenStatus::Expired(r.grant.clone()),
            Some(r) => TokenStatus::Active(r.grant.clone()),
        }
    }

    /// RFC 7662 introspection: the facts of `token` if it is active, else `None`.
    pub(crate) fn introspect(&self, token: &str) -> Option<Introspection> {
        let tokens = lock(&self.tokens);
        let record = tokens
            .get(token)
            .filter(|r| !r.revoked && Instant::now() < r.expires_at)?;
        Some(Introspection {
            client_id: record.client_id.clone(),
            grant: record.grant.clone(),
            iat: record.issued_unix,
            exp: record.expires_unix,
        })
    }

    /// Counts one API call made with `token`; `false` (and nothing counted) once
    /// `quota` calls have been made. Tokens the store does not hold are not counted.
    pub(crate) fn use_once(&self, token: &str, quota: u32) -> bool {
        match lock(&self.tokens).get_mut(token) {
            Some(record) if record.uses >= quota => false,
            Some(record) => {
                record.uses += 1;
                true
            }
            None => true,
        }
    }

    /// Revokes `token` for `client_id` (RFC 7009): unknown tokens are fine, tokens of
    /// another client are refused.
    pub(crate) fn revoke(&self, token: &str, client_id: &str) -> Result<(), NotIssuedToClient> {
        match lock(&self.tokens).get_mut(token) {
            None => Ok(()),
            Some(record) if record.client_id != client_id => Err(NotIssuedToClient),
            Some(record) => {
                record.revoked = true;
                Ok(())
            }
        }
    }

    /// Records a CIBA request decided as `behaviour` says, and returns its `auth_req_id`
    /// (a UUID when `uuid_id`, else 64 hex digits).
    pub(crate) fn start_ciba(
        &self,
        uuid_id: bool,
        client_id: &str,
        device: String,
        scopes: Vec<String>,
        behaviour: &MockCiba,
    ) -> String {
        let id = if uuid_id {
            Uuid::new_v4().to_string()
        } else {
            opaque()
        };
        let now = Instant::now();
        let interval = Duration::from_secs(behaviour.interval_secs);
        let request = CibaRequest {
            client_id: client_id.to_owned(),
            device,
            scopes,
            expires_at: now + behaviour.lifetime,
            interval,
            // The interval is between polls: the first may come at once.
            next_poll: now,
            pending_left: behaviour.pending_polls,
            approve: behaviour.approve,
        };
        lock(&self.ciba).insert(id.clone(), request);
        id
    }

    /// Answers a poll of CIBA request `id` by `client_id`: expiry first, then polling
    /// too fast (when `pace` says so), then the pending answers, then the user's decision
    /// (which ends it).
    pub(crate) fn poll_ciba(&self, id: &str, client_id: &str, pace: Pace) -> CibaPoll {
        let mut pending = lock(&self.ciba);
        let now = Instant::now();
        let Some(request) = pending.get_mut(id).filter(|r| r.client_id == client_id) else {
            return CibaPoll::Unknown;
        };
        if now >= request.expires_at {
            pending.remove(id);
            return CibaPoll::Expired;
        }
        if pace == Pace::Interval && now < request.next_poll {
            request.interval += SLOW_DOWN;
            request.next_poll = now + request.interval;
            return CibaPoll::SlowDown;
        }
        request.next_poll = now + request.interval;
        if request.pending_left > 0 {
            request.pending_left -= 1;
            return CibaPoll::Pending;
        }
        match pending.remove(id) {
            Some(request) if request.approve => CibaPoll::Approved(request),
            Some(_) => CibaPoll::Denied,
            None => CibaPoll::Unknown,
        }
    }
}

/// The claims of a JWT access token.
fn claims(signer: &AccessTokenSigner, client_id: &str, grant: &Grant, iat: i64, exp: i64) -> Value {
    let subject = match &grant.device {
        Some(phone) => format!("tel:{phone}"),
        None => client_id.to_owned(),
    };
    json!({
        "iss": signer.issuer(),
        "sub": subject,
        "aud": ACCESS_TOKEN_AUDIENCE,
        "client_id": client_id,
        "scope": grant.scopes.join(" "),
        "iat": iat,
        "exp": exp,
        "jti": Uuid::new_v4().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access_tokens::JwtCheck;

    fn grant() -> Grant {
        Grant {
            scopes: vec!["s".into()],
            device: None,
        }
    }

    #[test]
    fn tracks_expiry_revocation_and_quota() {
        let store = TokenStore::default();
        let token = store.issue("a", grant()).unwrap();
        assert_eq!(store.status(&token), TokenStatus::Active(grant()));
        assert_eq!(
            store.status(&store.issue_expired("a", grant()).unwrap()),
            TokenStatus::Expired(grant())
        );
        assert_eq!(store.status("nope"), TokenStatus::Unknown);
        assert!(
            store.use_once(&token, 2) && store.use_once(&token, 2) && !store.use_once(&token, 2)
        );
        assert_eq!(
            store.introspect(&token).map(|i| i.client_id),
            Some("a".into())
        );
        assert_eq!(store.revoke(&token, "b"), Err(NotIssuedToClient));
        assert_eq!(store.revoke("nope", "b"), Ok(()));
        assert_eq!(store.revoke(&token, "a"), Ok(()));
        assert_eq!(store.status(&token), TokenStatus::Revoked(grant()));
        assert_eq!(store.introspect(&token), None);
    }

    #[test]
    fn jwt_tokens_are_signed_and_still_revocable() {
        let signer = AccessTokenSigner::new("http://mock").unwrap();
        let store = TokenStore::new(Some(signer));
        let token = store.issue("a", grant()).unwrap();
        let signer = store.signer().unwrap();
        assert_eq!(signer.check(&token, unix_now()), JwtCheck::Good);
        let expired = store.issue_expired("a", grant()).unwrap();
        assert_eq!(signer.check(&expired, unix_now()), JwtCheck::Expired);
        store.revoke(&token, "a").unwrap();
        assert_eq!(
            signer.check(&token, unix_now()),
            JwtCheck::Good,
            "the signature stays good"
        );
        assert_eq!(store.status(&token), TokenStatus::Revoked(grant()));
    }

    #[test]
    fn ciba_requests_pend_slow_down_and_are_single_use_and_client_bound() {
        let store = TokenStore::default();
        let patient = MockCiba {
            interval_secs: 0,
            ..MockCiba::default()
        };
        let id = store.start_ciba(false, "a", "+33699901031".into(), vec![], &patient);
        assert_eq!(store.poll_ciba(&id, "b", Pace::Interval), CibaPoll::Unknown);
        assert_eq!(store.poll_ciba(&id, "a", Pace::Interval), CibaPoll::Pending);
        assert!(
            matches!(store.poll_ciba(&id, "a", Pace::Interval), CibaPoll::Approved(r) if r.device == "+33699901031")
        );
        assert_eq!(store.poll_ciba(&id, "a", Pace::Interval), CibaPoll::Unknown);

        let pending_once = MockCiba::default();
        let hasty = store.start_ciba(false, "a", "+1".into(), vec![], &pending_once);
        assert_eq!(
            store.poll_ciba(&hasty, "a", Pace::Interval),
            CibaPoll::Pending,
            "the first poll may come at once"
        );
        assert_eq!(
            store.poll_ciba(&hasty, "a", Pace::Interval),
            CibaPoll::SlowDown
        );
        assert_eq!(
            store.poll_ciba(&hasty, "a", Pace::Interval),
            CibaPoll::SlowDown
        );
        assert!(
            matches!(
                store.poll_ciba(&hasty, "a", Pace::Unchecked),
                CibaPoll::Approved(_)
            ),
            "unchecked pace never slows down"
        );

        let refusing = MockCiba {
            approve: false,
            pending_polls: 0,
            ..MockCiba::default()
        };
        let denied = store.start_ciba(false, "a", "+1".into(), vec![], &refusing);
        assert_eq!(
            store.poll_ciba(&denied, "a", Pace::Interval),
            CibaPoll::Denied
        );

        let short = MockCiba {
            lifetime: Duration::ZERO,
            ..MockCiba::default()
        };
        let expired = store.start_ciba(false, "a", "+1".into(), vec![], &short);
        assert_eq!(
            store.poll_ciba(&expired, "a", Pace::Interval),
            CibaPoll::Expired
        );
        assert_eq!(
            store.poll_ciba(&expired, "a", Pace::Interval),
            CibaPoll::Unknown
        );
    }
}
