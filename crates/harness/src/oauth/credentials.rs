//! How each request to an OAuth endpoint proves the client: a Basic header, form
//! fields, or a fresh signed client assertion (RFC 7523, `private_key_jwt`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use crate::form;
use crate::jose::{self, Algorithm, PrivateKey};
use crate::redact::Redactor;
use crate::target_file::{AssertionSettings, AuthSettings, ClientAuth, Secret};

pub(crate) use reachability_contract::oauth::JWT_BEARER;

/// A deliberate defect in a client assertion, to check that the server refuses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssertionFlaw {
    /// Signed by a fresh EC P-256 key the server cannot know (with the configured `kid`).
    UnknownKey,
    /// `exp` one minute in the past.
    Expired,
    /// Valid for 600 s, more than the 300 s the profile allows.
    TooLongLived,
    /// `aud` names another server.
    WrongAudience,
    /// `iss` is not the client id (`sub` still is).
    WrongIssuer,
}

/// The client authentication of every request.
pub(super) enum Credentials {
    /// A whole `Authorization` header value.
    Header(Secret),
    /// `client_id` and `client_secret` form fields.
    Form { client_id: String, secret: Secret },
    /// A fresh client assertion per request.
    Assertion {
        client_id: String,
        settings: AssertionSettings,
    },
}

impl Credentials {
    /// The credentials `auth` configures, if any.
    pub fn from_settings(auth: &AuthSettings) -> Option<Credentials> {
        if let Some(header) = &auth.authorization {
            return Some(Credentials::Header(header.clone()));
        }
        let client_id = auth.client_id.clone()?;
        match (auth.client_auth, &auth.client_secret, &auth.assertion) {
            (ClientAuth::PrivateKeyJwt, _, Some(settings)) => Some(Credentials::Assertion {
                client_id,
                settings: settings.clone(),
            }),
            (ClientAuth::ClientSecretPost, Some(secret), _) => Some(Credentials::Form {
                client_id,
                secret: secret.clone(),
            }),
            (ClientAuth::ClientSecretBasic, Some(secret), _) => Some(Credentials::Header(
                Secret::new(basic(&client_id, secret.expose())),
            )),
            _ => None,
        }
    }

    /// The secret this sends on every request (a header or a form field), if fixed.
    pub fn fixed_secret(&self) -> Option<&Secret> {
        match self {
            Credentials::Header(secret) | Credentials::Form { secret, .. } => Some(secret),
            Credentials::Assertion { .. } => None,
        }
    }

    /// Adds the client authentication to a request: an `Authorization` header, or form
    /// fields. `token_url` is the default audience of assertions; each assertion made is
    /// registered with `redactor`.
    pub fn apply(
        &self,
        token_url: &str,
        redactor: &Redactor,
        headers: &mut Vec<(String, String)>,
        form: &mut Vec<(String, String)>,
    ) -> Result<(), String> {
        match self {
            Credentials::Header(value) => {
                headers.push(("authorization".to_owned(), value.expose().to_owned()));
            }
            Credentials::Form { client_id, secret } => {
                form.push(("client_id".to_owned(), client_id.clone()));
                form.push(("client_secret".to_owned(), secret.expose().to_owned()));
            }
            Credentials::Assertion { .. } => {
                let assertion = self.assertion(token_url, None, redactor)?;
                add_assertion(form, &assertion);
            }
        }
        Ok(())
    }

    /// A fresh client assertion for `token_url` (or the configured audience), with
    /// `flaw` if given, registered with `redactor`. Only for `private_key_jwt` clients.
    pub fn assertion(
        &self,
        token_url: &str,
        flaw: Option<AssertionFlaw>,
        redactor: &Redactor,
    ) -> Result<Secret, String> {
        let Credentials::Assertion {
            client_id,
            settings,
        } = self
        else {
            return Err("the client does not authenticate with private_key_jwt".to_owned());
        };
        let audience = settings.audience.as_deref().unwrap_or(token_url);
        let token = sign_assertion(client_id, settings, audience, flaw)?;
        redactor.add(&token);
        Ok(Secret::new(token))
    }
}

/// Adds `client_assertion_type` and `client_assertion` to a form.
pub(super) fn add_assertion(form: &mut Vec<(String, String)>, assertion: &Secret) {
    form.push(("client_assertion_type".to_owned(), JWT_BEARER.to_owned()));
    form.push(("client_assertion".to_owned(), assertion.expose().to_owned()));
}

/// Signs the assertion claims: `iss` = `sub` = the client id, `aud`, `iat`, `exp` and a
/// fresh `jti` (UUID v4), distorted by `flaw`.
fn sign_assertion(
    client_id: &str,
    settings: &AssertionSettings,
    audience: &str,
    flaw: Option<AssertionFlaw>,
) -> Result<String, String> {
    let now = unix_now();
    let lifetime = match flaw {
        Some(AssertionFlaw::TooLongLived) => Duration::from_secs(600),
        _ => settings.lifetime,
    }
    .as_secs();
    let lifetime = i64::try_from(lifetime).unwrap_or(i64::MAX);
    let iat = match flaw {
        Some(AssertionFlaw::Expired) => now - 60 - lifetime,
        _ => now,
    };
    let issuer = match flaw {
        Some(AssertionFlaw::WrongIssuer) => format!("{client_id}-impostor"),
        _ => client_id.to_owned(),
    };
    let audience = match flaw {
        Some(AssertionFlaw::WrongAudience) => "https://another-server.invalid/token",
        _ => audience,
    };
    let claims = json!({
        "iss": issuer,
        "sub": client_id,
        "aud": audience,
        "iat": iat,
        "exp": iat.saturating_add(lifetime),
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    let kid = settings.key_id.as_deref();
    if flaw == Some(AssertionFlaw::UnknownKey) {
        let stranger = PrivateKey::generate_p256()?;
        return jose::encode(&stranger, Algorithm::Es256, "JWT", kid, &claims);
    }
    jose::encode(&settings.key, settings.algorithm, "JWT", kid, &claims)
}

/// Seconds since the Unix epoch.
fn unix_now() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
}

/// The HTTP Basic client authentication header (RFC 6749 §2.3.1: id and secret
/// form-encoded first).
fn basic(client_id: &str, client_secret: &str) -> String {
    let pair = format!(
        "{}:{}",
        form::encode(client_id),
        form::encode(client_secret)
    );
    format!("Basic {}", STANDARD.encode(pair))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_encodes_id_and_secret() {
        // base64("demo-client:s%3Acret")
        assert_eq!(
            basic("demo-client", "s:cret"),
            "Basic ZGVtby1jbGllbnQ6cyUzQWNyZXQ="
        );
    }
}
