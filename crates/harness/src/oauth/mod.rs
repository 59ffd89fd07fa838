//! The OAuth client: fetches, caches, revokes and device-binds access tokens.
//!
//! Each kind of token is fetched at most once per run; concurrent callers share the
//! fetch, and a failure is kept too (one clear message, no retry storm). The client
//! authenticates by `client_secret_basic`, `client_secret_post` or `private_key_jwt`
//! (a fresh signed assertion per request); endpoints the target file leaves out are read
//! once from its OpenID configuration. Every secret learnt (tokens, assertions,
//! `auth_req_id`s) is registered with the HTTP client's redactor.

mod ciba;
mod credentials;
mod discovery;
mod endpoint;

use std::fmt;
use std::sync::Arc;

use tokio::sync::OnceCell;

use crate::http::{Exchange, HttpClient};
use crate::target_file::{AuthSettings, Secret};
use credentials::Credentials;
use discovery::Endpoints;
use endpoint::Client;

pub use credentials::AssertionFlaw;

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
    /// A token asked with one scope of `auth.scope` alone: its first `...:create` scope
    /// (the subscriptions API's create scope of one event type).
    OneCreateScope,
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenKind::Valid => "a valid access token",
            TokenKind::WithoutScope => "an access token without the API scope",
            TokenKind::Revoked => "a revoked access token",
            TokenKind::Expired => "an expired access token",
            TokenKind::DeviceBound => "a device-bound access token",
            TokenKind::OneCreateScope => "an access token with a single create scope",
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
    /// How the client authenticates, if it can.
    credentials: Option<Credentials>,
    /// The endpoints, discovered at most once.
    endpoints: OnceCell<Result<Endpoints, String>>,
    valid: Cached,
    without_scope: Cached,
    revoked: Cached,
    device_bound: Cached,
    one_create_scope: Cached,
}

impl TokenProvider {
    /// A provider for `auth` that sends through `http`; registers every configured
    /// secret (and the derived Basic header) with `http`'s redactor.
    pub fn new(auth: AuthSettings, http: HttpClient) -> Self {
        let credentials = Credentials::from_settings(&auth);
        let redactor = http.redactor();
        let secrets = [
            &auth.client_secret,
            &auth.authorization,
            &auth.access_token,
            &auth.expired_token,
        ];
        let fixed = credentials.as_ref().and_then(Credentials::fixed_secret);
        for secret in secrets.into_iter().flatten().chain(fixed) {
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
                credentials,
                endpoints: OnceCell::new(),
                valid: OnceCell::new(),
                without_scope: OnceCell::new(),
                revoked: OnceCell::new(),
                device_bound: OnceCell::new(),
                one_create_scope: OnceCell::new(),
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
            TokenKind::OneCreateScope => &inner.one_create_scope,
        };
        cell.get_or_init(|| self.fetch(kind)).await.clone()
    }

    /// A fresh client assertion for the token endpoint, with `flaw` if given, registered
    /// with the redactor. Only for `private_key_jwt` targets (otherwise `NotConfigured`
    /// naming `auth.private_key_file`).
    pub async fn client_assertion(
        &self,
        flaw: Option<AssertionFlaw>,
    ) -> Result<Secret, TokenError> {
        let not_key_based = TokenError::NotConfigured {
            key: "auth.private_key_file",
        };
        if self.inner.auth.assertion.is_none() {
            return Err(not_key_based);
        }
        let client = self.client(TokenKind::Valid).await?;
        client
            .credentials
            .assertion(client.token_url, flaw, client.redactor())
            .map_err(|message| failed(TokenKind::Valid, message))
    }

    /// Sends a client credentials request to the token endpoint, authenticated by
    /// `assertion` when given (else by the configured credentials), and returns the
    /// answer whatever its status. Nothing is cached.
    pub async fn request_token(&self, assertion: Option<&Secret>) -> Result<Exchange, TokenError> {
        let client = self.client(TokenKind::Valid).await?;
        client
            .request_client_credentials(self.inner.auth.scope.as_deref(), assertion)
            .await
            .map_err(|message| failed(TokenKind::Valid, message))
    }

    /// Starts a CIBA authentication for `auth.device_login_hint` and returns its
    /// `auth_req_id` (registered with the redactor) and the seconds the server asks between
    /// polls (its `interval`, else CIBA's default of 5), without polling.
    pub async fn start_ciba(&self) -> Result<(Secret, u64), TokenError> {
        let kind = TokenKind::DeviceBound;
        let (client, url, hint) = self.ciba_client().await?;
        ciba::start(&client, url, hint, self.inner.auth.scope.as_deref())
            .await
            .map(|started| {
                let interval = started.interval.unwrap_or(ciba::DEFAULT_INTERVAL_SECS);
                (started.auth_req_id, interval)
            })
            .map_err(|message| failed(kind, message))
    }

    /// Polls the token endpoint once with the CIBA grant for `auth_req_id`, and returns
    /// the answer whatever its status.
    pub async fn poll_ciba(&self, auth_req_id: &Secret) -> Result<Exchange, TokenError> {
        let kind = TokenKind::DeviceBound;
        let client = self.client(kind).await?;
        ciba::poll(&client, auth_req_id)
            .await
            .map_err(|message| failed(kind, message))
    }

    /// Gets a token of `kind`, bypassing the caches.
    async fn fetch(&self, kind: TokenKind) -> Result<Secret, TokenError> {
        let auth = &self.inner.auth;
        let failed = |message: String| failed(kind, message);
        match kind {
            TokenKind::Valid => match &auth.access_token {
                Some(token) => Ok(token.clone()),
                None => self
                    .client(kind)
                    .await?
                    .client_credentials(auth.scope.as_deref())
                    .await
                    .map_err(failed),
            },
            TokenKind::WithoutScope => {
                let scope = required(&auth.no_scope_scope, "auth.no_scope_scope")?;
                self.client(kind)
                    .await?
                    .client_credentials(Some(scope))
                    .await
                    .map_err(failed)
            }
            TokenKind::Revoked => {
                if auth.revocation_url.is_none() && auth.openid_configuration_url.is_none() {
                    return Err(TokenError::NotConfigured {
                        key: "auth.revocation_url",
                    });
                }
                let client = self.client(kind).await?;
                let url = self.endpoints(kind).await?.revocation.as_deref().ok_or(
                    TokenError::NotConfigured {
                        key: "auth.revocation_url",
                    },
                )?;
                let fresh = client
                    .client_credentials(auth.scope.as_deref())
                    .await
                    .map_err(|m| failed(format!("no fresh token to revoke: {m}")))?;
                client.revoke(url, &fresh).await.map_err(failed)?;
                Ok(fresh)
            }
            TokenKind::DeviceBound => {
                let (client, url, hint) = self.ciba_client().await?;
                ciba::device_bound_token(&client, url, hint, auth.scope.as_deref())
                    .await
                    .map_err(failed)
            }
            TokenKind::Expired => auth.expired_token.clone().ok_or(TokenError::NotConfigured {
                key: "auth.expired_token_env",
            }),
            TokenKind::OneCreateScope => {
                let scope = self
                    .one_create_scope()
                    .ok_or(TokenError::NotConfigured { key: "auth.scope" })?;
                self.client(kind)
                    .await?
                    .client_credentials(Some(scope))
                    .await
                    .map_err(failed)
            }
        }
    }

    /// The first create scope (`...:create`) of `auth.scope`, which
    /// [`TokenKind::OneCreateScope`] asks for alone.
    pub fn one_create_scope(&self) -> Option<&str> {
        self.inner
            .auth
            .scope
            .as_deref()?
            .split_whitespace()
            .find(|scope| scope.ends_with(":create"))
    }

    /// The endpoints: the target file's, completed by discovery on first use.
    async fn endpoints(&self, kind: TokenKind) -> Result<&Endpoints, TokenError> {
        let inner = &self.inner;
        inner
            .endpoints
            .get_or_init(|| discovery::endpoints(&inner.auth, &inner.http))
            .await
            .as_ref()
            .map_err(|message| failed(kind, message.clone()))
    }

    /// The OAuth client, if the target file configures one.
    async fn client(&self, kind: TokenKind) -> Result<Client<'_>, TokenError> {
        let inner = &self.inner;
        if inner.auth.token_url.is_none() && inner.auth.openid_configuration_url.is_none() {
            return Err(TokenError::NotConfigured {
                key: "auth.token_url",
            });
        }
        let credentials = inner
            .credentials
            .as_ref()
            .ok_or(TokenError::NotConfigured {
                key: "auth.client_secret_env",
            })?;
        let token_url =
            self.endpoints(kind)
                .await?
                .token
                .as_deref()
                .ok_or(TokenError::NotConfigured {
                    key: "auth.token_url",
                })?;
        Ok(Client {
            http: &inner.http,
            token_url,
            credentials,
        })
    }

    /// The client, CIBA endpoint and login hint for device-bound tokens.
    async fn ciba_client(&self) -> Result<(Client<'_>, &str, &str), TokenError> {
        let kind = TokenKind::DeviceBound;
        let auth = &self.inner.auth;
        if auth.ciba_url.is_none() && auth.device_login_hint.is_none() {
            return Err(TokenError::NotConfigured {
                key: "auth.ciba_url",
            });
        }
        let hint = required(&auth.device_login_hint, "auth.device_login_hint")?;
        let client = self.client(kind).await?;
        let url = self
            .endpoints(kind)
            .await?
            .ciba
            .as_deref()
            .ok_or(TokenError::NotConfigured {
                key: "auth.ciba_url",
            })?;
        Ok((client, url, hint))
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

/// A failure to get a token of `kind`.
fn failed(kind: TokenKind, message: String) -> TokenError {
    TokenError::Failed { kind, message }
}

/// The value of an optional setting, or `NotConfigured` naming its key.
fn required<'a>(value: &'a Option<String>, key: &'static str) -> Result<&'a str, TokenError> {
    value.as_deref().ok_or(TokenError::NotConfigured { key })
}
