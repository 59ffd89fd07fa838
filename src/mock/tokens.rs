//! The in-memory store of access tokens and pending CIBA requests.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use uuid::Uuid;

/// Lifetime of an access token (`expires_in`).
pub(crate) const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// Lifetime of a CIBA `auth_req_id`.
pub(crate) const CIBA_LIFETIME: Duration = Duration::from_secs(120);

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

struct TokenRecord {
    client_id: String,
    grant: Grant,
    expires_at: Instant,
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
}

/// Why a revocation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NotIssuedToClient;

/// Tokens and CIBA requests, shared by all handlers of one mock.
#[derive(Default)]
pub(crate) struct TokenStore {
    tokens: Mutex<HashMap<String, TokenRecord>>,
    ciba: Mutex<HashMap<String, CibaRequest>>,
}

/// A fresh random opaque value (two UUID v4, 244 random bits).
fn opaque() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl TokenStore {
    /// Issues a token valid for [`TOKEN_LIFETIME`].
    pub(crate) fn issue(&self, client_id: &str, grant: Grant) -> String {
        self.insert(client_id, grant, Instant::now() + TOKEN_LIFETIME)
    }

    /// Issues a token that is already expired.
    pub(crate) fn issue_expired(&self, client_id: &str, grant: Grant) -> String {
        let now = Instant::now();
        self.insert(
            client_id,
            grant,
            now.checked_sub(TOKEN_LIFETIME).unwrap_or(now),
        )
    }

    fn insert(&self, client_id: &str, grant: Grant, expires_at: Instant) -> String {
        let token = opaque();
        let record = TokenRecord {
            client_id: client_id.to_owned(),
            grant,
            expires_at,
            revoked: false,
            uses: 0,
        };
        lock(&self.tokens).insert(token.clone(), record);
        token
    }

    /// What `token` is worth now.
    pub(crate) fn status(&self, token: &str) -> TokenStatus {
        let tokens = lock(&self.tokens);
        match tokens.get(token) {
            None => TokenStatus::Unknown,
            Some(r) if r.revoked => TokenStatus::Revoked(r.grant.clone()),
            Some(r) if Instant::now() >= r.expires_at => TokenStatus::Expired(r.grant.clone()),
            Some(r) => TokenStatus::Active(r.grant.clone()),
        }
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

    /// Records a CIBA request and returns its `auth_req_id`.
    pub(crate) fn start_ciba(
        &self,
        client_id: &str,
        device: String,
        scopes: Vec<String>,
    ) -> String {
        let id = opaque();
        let request = CibaRequest {
            client_id: client_id.to_owned(),
            device,
            scopes,
            expires_at: Instant::now() + CIBA_LIFETIME,
        };
        lock(&self.ciba).insert(id.clone(), request);
        id
    }

    /// Takes (so it cannot be used twice) the unexpired CIBA request `id` of `client_id`.
    pub(crate) fn take_ciba(&self, id: &str, client_id: &str) -> Option<CibaRequest> {
        let mut pending = lock(&self.ciba);
        if pending.get(id)?.client_id != client_id {
            return None;
        }
        pending.remove(id).filter(|r| Instant::now() < r.expires_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant {
            scopes: vec!["s".into()],
            device: None,
        }
    }

    #[test]
    fn tracks_expiry_revocation_and_quota() {
        let store = TokenStore::default();
        let token = store.issue("a", grant());
        assert_eq!(store.status(&token), TokenStatus::Active(grant()));
        assert_eq!(
            store.status(&store.issue_expired("a", grant())),
            TokenStatus::Expired(grant())
        );
        assert_eq!(store.status("nope"), TokenStatus::Unknown);
        assert!(
            store.use_once(&token, 2) && store.use_once(&token, 2) && !store.use_once(&token, 2)
        );
        assert_eq!(store.revoke(&token, "b"), Err(NotIssuedToClient));
        assert_eq!(store.revoke("nope", "b"), Ok(()));
        assert_eq!(store.revoke(&token, "a"), Ok(()));
        assert_eq!(store.status(&token), TokenStatus::Revoked(grant()));
    }

    #[test]
    fn ciba_requests_are_single_use_and_client_bound() {
        let store = TokenStore::default();
        let id = store.start_ciba("a", "+33699901031".into(), vec![]);
        assert_eq!(store.take_ciba(&id, "b"), None);
        assert_eq!(
            store.take_ciba(&id, "a").map(|r| r.device),
            Some("+33699901031".into())
        );
        assert_eq!(store.take_ciba(&id, "a"), None);
    }
}
