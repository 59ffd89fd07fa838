//! The OAuth client: fetches, caches, revokes and device-binds access tokens.
//!
//! Each kind of token is fetched at most once per run; concurrent callers share the
//! fetch, and a failure is kept too (one clear message, no retry storm). Every secret
//! learnt is registered with the HTTP client's redactor.

mod ciba;
mod endpoint;

use std::fmt;
use std::sync::Arc;

use tokio::sync::OnceCell;

use super::{AuthSettings, Secret};
use crate::http::HttpClient;
use endpoint::Client;

/// The kinds of access token the tests need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A token with the API scope.
    Valid,
    /// A token without the API scope (asked with `auth.no_scope_scope`).
    WithoutScope,
    /// A token that was revoked at `auth.revocation_url`.
    Revoked,
    /// An expired token (from `auth.expired_token_env`).
    Expired,
    /// A token bound to the test device, by CIBA.
    DeviceBound,
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenKind::Valid => "a valid access token",
            TokenKind::WithoutScope => "an access token without the API scope",
            TokenKind::Revoked => "a revoked access token",
            TokenKind::Expired => "an expired access token",
            TokenKind::DeviceBound => "a device-bound access token",
        })
    }
}

/// Why a token cannot be had. Never contains a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// The target file lacks what this kind of token needs.
    NotConfigured {
        /// The missing key, e.g. `auth.revocation_url`.
        key: &'static str,
    },
    /// Getting the token failed.
    Failed {
        /// The kind asked for.
        kind: TokenKind,
        /// What happened and what to do (endpoint, status, OAuth error).
        message: String,
    },
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::NotConfigured { key } => write!(
                f,
                "{key} is not set in the target file; add it to run the tests that need it"
            ),
            TokenError::Failed { kind, message } => write!(f, "cannot get {kind}: {message}"),
        }
    }
}

impl std::error::Error for TokenError {}

/// A cached token fetch: the token or the failure, whichever came first.
type Cached = OnceCell<Result<Secret, TokenError>>;

/// Hands out access tokens for a run (cheap to clone; clones share the caches).
#[derive(Clone)]
pub struct TokenProvider {
    inner: Arc<Inner>,
}

struct Inner {
    auth: AuthSettings,
    http: HttpClient,
    /// `Authorization` header value for client authentication, if any.
    client_auth: Option<Secret>,
    valid: Cached,
    without_scope: Cached,
    revoked: Cached,
    device_bound: Cached,
}

impl TokenProvider {
    /// A provider for `auth` that sends through `http`; registers every configured
    /// secret (and the derived Basic header) with `http`'s redactor.
    pub fn new(auth: AuthSettings, http: HttpClient) -> Self {
        let client_auth = auth.authorization.clone().or_else(|| {
            let (id, secret) = (auth.client_id.as_ref()?, auth.client_secret.as_ref()?);
            Some(Secret::new(endpoint::basic(id, secret.expose())))
        });
        let redactor = http.redactor();
        let secrets = [
            &auth.client_secret,
            &auth.authorization,
            &auth.access_token,
            &auth.expired_token,
            &client_auth,
        ];
        for secret in secrets.into_iter().flatten() {
            redactor.add(secret.expose());
            // The credentials of a header value, should they appear alone.
            if let Some((_, credentials)) = secret.expose().trim().split_once(' ') {
                redactor.add(credentials);
            }
        }
        Self {
            inner: Arc::new(Inner {
                auth,
                http,
                client_auth,
                valid: OnceCell::new(),
                without_scope: OnceCell::new(),
                revoked: OnceCell::new(),
                device_bound: OnceCell::new(),
            }),
        }
    }

    /// A token of `kind`, fetched on first use and cached for the run.
    pub async fn token(&self, kind: TokenKind) -> Result<Secret, TokenError> {
        let inner = &self.inner;
        let cell = match kind {
            // Nothing to fetch: it comes from the environment.
            TokenKind::Expired => return self.fetch(kind).await,
            TokenKind::Valid => &inner.valid,
            TokenKind::WithoutScope => &inner.without_scope,
            TokenKind::Revoked => &inner.revoked,
            TokenKind::DeviceBound => &inner.device_bound,
        };
        cell.get_or_init(|| self.fetch(kind)).await.clone()
    }

    /// Gets a token of `kind`, bypassing the caches.
    async fn fetch(&self, kind: TokenKind) -> Result<Secret, TokenError> {
        let auth = &self.inner.auth;
        let failed = |message: String| TokenError::Failed { kind, message };
        match kind {
            TokenKind::Valid => match &auth.access_token {
                Some(token) => Ok(token.clone()),
                None => self
                    .client()?
                    .client_credentials(auth.scope.as_deref())
                    .await
                    .map_err(failed),
            },
            TokenKind::WithoutScope => {
                let scope = required(&auth.no_scope_scope, "auth.no_scope_scope")?;
                self.client()?
                    .client_credentials(Some(scope))
                    .await
                    .map_err(failed)
            }
            TokenKind::Revoked => {
                let url = required(&auth.revocation_url, "auth.revocation_url")?;
                let client = self.client()?;
                let fresh = client
                    .client_credentials(auth.scope.as_deref())
                    .await
                    .map_err(|m| failed(format!("no fresh token to revoke: {m}")))?;
                client.revoke(url, &fresh).await.map_err(failed)?;
                Ok(fresh)
            }
            TokenKind::DeviceBound => {
                let url = required(&auth.ciba_url, "auth.ciba_url")?;
                let hint = required(&auth.device_login_hint, "auth.device_login_hint")?;
                ciba::device_bound_token(&self.client()?, url, hint, auth.scope.as_deref())
                    .await
                    .map_err(failed)
            }
            TokenKind::Expired => auth.expired_token.clone().ok_or(TokenError::NotConfigured {
                key: "auth.expired_token_env",
            }),
        }
    }

    /// The OAuth client, if the target file configures one.
    fn client(&self) -> Result<Client<'_>, TokenError> {
        let inner = &self.inner;
        Ok(Client {
            http: &inner.http,
            token_url: required(&inner.auth.token_url, "auth.token_url")?,
            authorization: inner
                .client_auth
                .as_ref()
                .ok_or(TokenError::NotConfigured {
                    key: "auth.client_secret_env",
                })?,
        })
    }
}

/// Shows the settings, secrets masked.
impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenProvider")
            .field("auth", &self.inner.auth)
            .finish_non_exhaustive()
    }
}

/// The value of an optional setting, or `NotConfigured` naming its key.
fn required<'a>(value: &'a Option<String>, key: &'static str) -> Result<&'a str, TokenError> {
    value.as_deref().ok_or(TokenError::NotConfigured { key })
}
