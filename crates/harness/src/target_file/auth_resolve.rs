//! Validation of the `[auth]` table: which credentials, which client authentication
//! method, the private key of `private_key_jwt`, and the endpoints (or discovery).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::file::RawAuth;
use super::resolve::Resolver;
use super::{
    AssertionSettings, AuthSettings, ClientAuth, DEFAULT_ASSERTION_LIFETIME,
    MAX_ASSERTION_LIFETIME, Secret, TargetError,
};
use crate::jose::{Algorithm, PrivateKey};

/// What to set when no token can be had.
const WAYS_TO_A_TOKEN: &str = "set auth.client_secret_env (with auth.client_id and auth.token_url), \
     auth.authorization_env (with auth.token_url), client_auth = \"private_key_jwt\" (with \
     auth.client_id, auth.private_key_file and auth.token_url) or auth.access_token_env";

impl Resolver<'_> {
    /// Checks the `[auth]` table and resolves its secrets and private key.
    pub(super) fn auth(&self, raw: RawAuth) -> Result<AuthSettings, TargetError> {
        let method = self.client_auth_method(&raw)?;
        let client_auth = raw.client_secret_env.is_some()
            || raw.authorization_env.is_some()
            || method == ClientAuth::PrivateKeyJwt;
        if !client_auth && raw.access_token_env.is_none() {
            return Err(self.error("auth", "no way to get an access token", WAYS_TO_A_TOKEN));
        }
        if raw.client_secret_env.is_some() && raw.client_id.is_none() {
            return Err(self.error(
                "auth.client_id",
                "required with auth.client_secret_env",
                "add the OAuth client id",
            ));
        }
        if client_auth && raw.token_url.is_none() && raw.openid_configuration_url.is_none() {
            return Err(self.error(
                "auth.token_url",
                "required with client credentials",
                "add the URL of the OAuth token endpoint, or auth.openid_configuration_url",
            ));
        }
        let needs_client = [
            ("auth.no_scope_scope", raw.no_scope_scope.is_some()),
            ("auth.revocation_url", raw.revocation_url.is_some()),
            ("auth.ciba_url", raw.ciba_url.is_some()),
        ];
        if let Some((key, _)) = needs_client.iter().find(|(_, set)| *set && !client_auth) {
            return Err(self.error(
                key,
                "needs client credentials",
                "set auth.client_secret_env (with auth.client_id), auth.authorization_env or \
                 client_auth = \"private_key_jwt\", and auth.token_url",
            ));
        }
        self.check_ciba(&raw)?;
        let assertion = match method {
            ClientAuth::PrivateKeyJwt => Some(self.assertion(&raw)?),
            _ => None,
        };
        let url = |key: &str, value: Option<String>| value.map(|u| self.url(key, &u)).transpose();
        let client = raw.client_id.as_deref().unwrap_or_default();
        Ok(AuthSettings {
            token_url: url("auth.token_url", raw.token_url)?,
            revocation_url: url("auth.revocation_url", raw.revocation_url)?,
            ciba_url: url("auth.ciba_url", raw.ciba_url)?,
            openid_configuration_url: url(
                "auth.openid_configuration_url",
                raw.openid_configuration_url,
            )?,
            client_auth: method,
            assertion,
            client_secret: self.secret(
                "auth.client_secret_env",
                raw.client_secret_env,
                &format!("export it with the client secret of client {client:?}"),
            )?,
            authorization: self.authorization(raw.authorization_env)?,
            access_token: self.secret(
                "auth.access_token_env",
                raw.access_token_env,
                "export it with a valid access token for the API",
            )?,
            expired_token: self.secret(
                "auth.expired_token_env",
                raw.expired_token_env,
                "export it with an expired access token, or remove auth.expired_token_env",
            )?,
            client_id: raw.client_id,
            scope: raw.scope,
            no_scope_scope: raw.no_scope_scope,
            device_login_hint: raw.device_login_hint,
        })
    }

    /// `auth.client_auth`, or the method today's keys imply, and the keys each method
    /// needs or forbids.
    fn client_auth_method(&self, raw: &RawAuth) -> Result<ClientAuth, TargetError> {
        let key = "auth.client_auth";
        let method = match &raw.client_auth {
            None => ClientAuth::ClientSecretBasic,
            Some(name) => name.parse().map_err(|e: String| {
                self.error(
                    key,
                    e,
                    "fix the value, e.g. client_auth = \"private_key_jwt\"",
                )
            })?,
        };
        let assertion_keys = [
            ("auth.private_key_file", raw.private_key_file.is_some()),
            ("auth.private_key_env", raw.private_key_env.is_some()),
            ("auth.key_id", raw.key_id.is_some()),
            ("auth.algorithm", raw.algorithm.is_some()),
            ("auth.assertion_audience", raw.assertion_audience.is_some()),
            (
                "auth.assertion_lifetime_s",
                raw.assertion_lifetime_s.is_some(),
            ),
        ];
        let secret_keys = [
            ("auth.client_secret_env", raw.client_secret_env.is_some()),
            ("auth.authorization_env", raw.authorization_env.is_some()),
        ];
        let first_set =
            |keys: &[(&'static str, bool)]| keys.iter().find(|(_, set)| *set).map(|(k, _)| *k);
        match method {
            ClientAuth::PrivateKeyJwt => {
                if let Some(conflict) = first_set(&secret_keys) {
                    return Err(self.error(
                        conflict,
                        "not used with client_auth = \"private_key_jwt\"",
                        "remove it: the client authenticates with its private key",
                    ));
                }
                if raw.client_id.is_none() {
                    return Err(self.error(
                        "auth.client_id",
                        "required with client_auth = \"private_key_jwt\"",
                        "add the OAuth client id (the iss and sub of the client assertions)",
                    ));
                }
            }
            other => {
                if let Some(key) = first_set(&assertion_keys) {
                    return Err(self.error(
                        key,
                        "only used with client_auth = \"private_key_jwt\"",
                        "add client_auth = \"private_key_jwt\" or remove it",
                    ));
                }
                if raw.client_auth.is_some() && raw.client_secret_env.is_none() {
                    let also = if other == ClientAuth::ClientSecretBasic {
                        " (or auth.authorization_env)"
                    } else {
                        ""
                    };
                    return Err(self.error(
                        "auth.client_secret_env",
                        format!("required with client_auth = \"{other}\""),
                        format!("name the variable that holds the client secret{also}"),
                    ));
                }
                if other == ClientAuth::ClientSecretPost && raw.authorization_env.is_some() {
                    return Err(self.error(
                        "auth.authorization_env",
                        "not used with client_auth = \"client_secret_post\"",
                        "remove it: the secret is sent as a form field",
                    ));
                }
            }
        }
        Ok(method)
    }

    /// CIBA needs a login hint, and a login hint needs a CIBA endpoint (given or discovered).
    fn check_ciba(&self, raw: &RawAuth) -> Result<(), TargetError> {
        let key = "auth.device_login_hint";
        match (&raw.ciba_url, &raw.device_login_hint) {
            (Some(_), None) => Err(self.error(
                key,
                "required with auth.ciba_url",
                "set the CIBA login hint of a test device, e.g. \"tel:+33612345678\"",
            )),
            (None, Some(_)) if raw.openid_configuration_url.is_none() => Err(self.error(
                key,
                "only used with auth.ciba_url (or auth.openid_configuration_url)",
                "add auth.ciba_url or remove it",
            )),
            _ => Ok(()),
        }
    }

    /// The `private_key_jwt` settings: the key, the algorithm it signs with, the audience
    /// and the lifetime of assertions.
    fn assertion(&self, raw: &RawAuth) -> Result<AssertionSettings, TargetError> {
        let (key_name, key) = match (&raw.private_key_file, &raw.private_key_env) {
            (Some(_), Some(_)) => {
                return Err(self.error(
                    "auth.private_key_env",
                    "conflicts with auth.private_key_file",
                    "keep only one of them",
                ));
            }
            (None, None) => {
                return Err(self.error(
                    "auth.private_key_file",
                    "required with client_auth = \"private_key_jwt\"",
                    "name the PEM file of the client's private key (or auth.private_key_env)",
                ));
            }
            (Some(file), None) => ("auth.private_key_file", self.key_from_file(file)?),
            (None, Some(var)) => ("auth.private_key_env", self.key_from_env(var)?),
        };
        let algorithm = match &raw.algorithm {
            None => key.default_algorithm(),
            Some(name) => {
                let algorithm: Algorithm = name.parse().map_err(|e: String| {
                    self.error(
                        "auth.algorithm",
                        e,
                        "fix the value, e.g. algorithm = \"RS256\"",
                    )
                })?;
                if !key.supports(algorithm) {
                    return Err(self.error(
                        "auth.algorithm",
                        format!(
                            "{algorithm} cannot sign with the {} key of {key_name}",
                            key.kind()
                        ),
                        format!(
                            "use {} or a key of type {}",
                            key.default_algorithm(),
                            algorithm.key_type()
                        ),
                    ));
                }
                algorithm
            }
        };
        let lifetime = match raw.assertion_lifetime_s {
            None => DEFAULT_ASSERTION_LIFETIME,
            Some(0) => {
                return Err(self.error(
                    "auth.assertion_lifetime_s",
                    "must be at least 1",
                    "set the seconds a client assertion is valid, e.g. 60",
                ));
            }
            Some(s) if s > MAX_ASSERTION_LIFETIME.as_secs() => {
                return Err(self.error(
                    "auth.assertion_lifetime_s",
                    format!(
                        "{s} s is longer than the {} s the CAMARA security profile allows",
                        MAX_ASSERTION_LIFETIME.as_secs()
                    ),
                    "use a short lifetime, e.g. 60",
                ));
            }
            Some(s) => Duration::from_secs(s),
        };
        let audience = raw
            .assertion_audience
            .as_deref()
            .map(|aud| self.url("auth.assertion_audience", aud))
            .transpose()?;
        Ok(AssertionSettings {
            key: Arc::new(key),
            algorithm,
            key_id: raw.key_id.clone(),
            audience,
            lifetime,
        })
    }

    /// The key in the PEM file `file`, relative to the target file's folder.
    fn key_from_file(&self, file: &str) -> Result<PrivateKey, TargetError> {
        let key = "auth.private_key_file";
        let base = Path::new(self.origin).parent().unwrap_or(Path::new(""));
        let path = base.join(file);
        let shown = path.display();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            self.error(
                key,
                format!("cannot read {shown} ({e})"),
                "check the path (relative to the target file) and the file's permissions",
            )
        })?;
        PrivateKey::from_pem(&text).map_err(|why| {
            self.error(
                key,
                format!("{shown} is unusable: {why}"),
                "give an unencrypted PEM private key (RSA or EC P-256)",
            )
        })
    }

    /// The key in the PEM held by the environment variable `var`.
    fn key_from_env(&self, var: &str) -> Result<PrivateKey, TargetError> {
        let key = "auth.private_key_env";
        let pem = self.secret(
            key,
            Some(var.to_owned()),
            "export it with the PEM text of the client's private key",
        )?;
        PrivateKey::from_pem(pem.as_ref().map_or("", Secret::expose)).map_err(|why| {
            self.error(
                key,
                format!("environment variable {var} is unusable: {why}"),
                "export an unencrypted PEM private key (RSA or EC P-256)",
            )
        })
    }
}
