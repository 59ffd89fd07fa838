//! How the OAuth client authenticates: the `auth.client_auth` methods, and the client
//! assertions of `private_key_jwt`.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::jose::{Algorithm, PrivateKey};

/// Default lifetime of a client assertion (`auth.assertion_lifetime_s`).
pub const DEFAULT_ASSERTION_LIFETIME: Duration = Duration::from_secs(60);

/// Longest lifetime of a client assertion the CAMARA security profile allows.
pub const MAX_ASSERTION_LIFETIME: Duration = Duration::from_secs(300);

/// Client authentication at the token, CIBA and revocation endpoints (`auth.client_auth`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret (or the ready `authorization_env` header).
    #[default]
    ClientSecretBasic,
    /// `client_id` and `client_secret` form fields.
    ClientSecretPost,
    /// A signed client assertion (RFC 7523), as CAMARA's security profile requires.
    PrivateKeyJwt,
}

impl ClientAuth {
    /// Every method.
    pub const ALL: [ClientAuth; 3] = [
        ClientAuth::ClientSecretBasic,
        ClientAuth::ClientSecretPost,
        ClientAuth::PrivateKeyJwt,
    ];

    /// The name used in target files and OpenID discovery documents.
    pub fn name(self) -> &'static str {
        match self {
            ClientAuth::ClientSecretBasic => "client_secret_basic",
            ClientAuth::ClientSecretPost => "client_secret_post",
            ClientAuth::PrivateKeyJwt => "private_key_jwt",
        }
    }
}

impl fmt::Display for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ClientAuth {
    type Err = String;

    /// Parses a method name; the error lists the names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ClientAuth::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown client authentication method {s:?}; use client_secret_basic, \
                     client_secret_post or private_key_jwt"
                )
            })
    }
}

/// How `private_key_jwt` client assertions are made.
#[derive(Clone, Debug)]
pub struct AssertionSettings {
    /// The client's private key (its `Debug` shows only the kind of key).
    pub key: Arc<PrivateKey>,
    /// The signing algorithm (`auth.algorithm`; by default RS256 for RSA, ES256 for EC).
    pub algorithm: Algorithm,
    /// The JWS `kid` header (`auth.key_id`), when set.
    pub key_id: Option<String>,
    /// The `aud` claim (`auth.assertion_audience`); the token endpoint URL when unset.
    pub audience: Option<String>,
    /// Time from `iat` to `exp` (`auth.assertion_lifetime_s`).
    pub lifetime: Duration,
}
