//! The OAuth clients the mock knows, and how a request proves it is one of them.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use uuid::Uuid;

use super::API_SCOPE;
use super::errors::OAuthError;
use crate::jose::{Algorithm, JwkSet, PrivateKey};
use reachability_contract::oauth::SUBSCRIPTION_SCOPES;

/// Id of the key-based client (`private_key_jwt`).
pub const JWT_CLIENT_ID: &str = "jwt-client";
/// `kid` of the key registered for [`JWT_CLIENT_ID`].
pub const JWT_CLIENT_KEY_ID: &str = "jwt-client-key-1";

/// How a registered client proves who it is.
#[derive(Clone)]
enum Credential {
    /// A client secret (`client_secret_basic` or `client_secret_post`).
    Secret(String),
    /// Registered public keys (`private_key_jwt`), and the private key the mock hands
    /// to its own target file.
    Keys {
        jwks: JwkSet,
        private_key: Arc<PrivateKey>,
    },
}

/// An OAuth client registered in a mock, with a secret or a key pair generated at start.
#[derive(Clone)]
pub struct MockClient {
    client_id: &'static str,
    credential: Credential,
    allowed_scopes: &'static [&'static str],
    default_scopes: &'static [&'static str],
}

impl PartialEq for MockClient {
    fn eq(&self, other: &Self) -> bool {
        self.client_id == other.client_id
    }
}

impl Eq for MockClient {}

impl fmt::Debug for MockClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credential = match &self.credential {
            Credential::Secret(_) => "client secret",
            Credential::Keys { .. } => "private_key_jwt",
        };
        f.debug_struct("MockClient")
            .field("client_id", &self.client_id)
            .field("credential", &credential)
            .field("allowed_scopes", &self.allowed_scopes)
            .field("default_scopes", &self.default_scopes)
            .finish()
    }
}

/// What a client subscribed to the APIs may ask for: the status API's scope, every
/// subscriptions scope, and `openid`.
const SUBSCRIBED_SCOPES: &[&str] = &[
    API_SCOPE,
    SUBSCRIPTION_SCOPES[0],
    SUBSCRIPTION_SCOPES[1],
    SUBSCRIPTION_SCOPES[2],
    SUBSCRIPTION_SCOPES[3],
    SUBSCRIPTION_SCOPES[4],
    "openid",
];

impl MockClient {
    /// The clients of a mock: `demo-client` (subscribed to the APIs: may ask for the API
    /// scope, the subscriptions scopes and `openid`, gets the API scope by default), `partner-client` (not
    /// subscribed: only `openid`, so its tokens are refused with 403), both with a
    /// secret, and [`JWT_CLIENT_ID`] (subscribed like `demo-client`, authenticated by
    /// `private_key_jwt` with a fresh EC P-256 key registered under [`JWT_CLIENT_KEY_ID`]).
    pub(crate) fn registered() -> Result<Vec<MockClient>, String> {
        let secret = || Credential::Secret(Uuid::new_v4().simple().to_string());
        let key = PrivateKey::generate_p256()?;
        let jwks = JwkSet {
            keys: vec![key.public_jwk(Some(JWT_CLIENT_KEY_ID), Algorithm::Es256)],
        };
        Ok(vec![
            MockClient {
                client_id: "demo-client",
                credential: secret(),
                allowed_scopes: SUBSCRIBED_SCOPES,
                default_scopes: &[API_SCOPE],
            },
            MockClient {
                client_id: "partner-client",
                credential: secret(),
                allowed_scopes: &["openid"],
                default_scopes: &["openid"],
            },
            MockClient {
                client_id: JWT_CLIENT_ID,
                credential: Credential::Keys {
                    jwks,
                    private_key: Arc::new(key),
                },
                allowed_scopes: SUBSCRIBED_SCOPES,
                default_scopes: &[API_SCOPE],
            },
        ])
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        self.client_id
    }

    /// The client secret, for a secret-based client (a secret: never log it).
    pub fn client_secret(&self) -> Option<&str> {
        match &self.credential {
            Credential::Secret(secret) => Some(secret),
            Credential::Keys { .. } => None,
        }
    }

    /// A ready `Authorization` header value, `Basic base64(id:secret)`, for a
    /// secret-based client (a secret too).
    pub fn basic_authorization(&self) -> Option<String> {
        let secret = self.client_secret()?;
        Some(format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{secret}", self.client_id))
        ))
    }

    /// The registered public keys, for a key-based client.
    pub fn jwks(&self) -> Option<&JwkSet> {
        match &self.credential {
            Credential::Keys { jwks, .. } => Some(jwks),
            Credential::Secret(_) => None,
        }
    }

    /// The private key of a key-based client, which the mock hands to its own target
    /// file (a secret: never log it).
    pub fn private_key(&self) -> Option<&PrivateKey> {
        match &self.credential {
            Credential::Keys { private_key, .. } => Some(private_key),
            Credential::Secret(_) => None,
        }
    }

    /// Scopes this client may ask for.
    pub fn allowed_scopes(&self) -> &[&'static str] {
        self.allowed_scopes
    }

    /// The scopes to grant for a request's `scope` parameter: the default when absent
    /// or empty, otherwise every asked scope, each of which must be allowed.
    pub(crate) fn grant_scopes(&self, asked: Option<&str>) -> Result<Vec<String>, OAuthError> {
        let asked: Vec<&str> = asked
            .map(|s| s.split_whitespace().collect())
            .unwrap_or_default();
        let asked = if asked.is_empty() {
            self.default_scopes.to_vec()
        } else {
            asked
        };
        let mut granted: Vec<String> = Vec::new();
        for scope in asked {
            if !self.allowed_scopes.contains(&scope) {
                return Err(OAuthError::bad_request(
                    "invalid_scope",
                    format!(
                        "scope {scope:?} is not allowed for client {}; allowed: {}",
                        self.client_id,
                        self.allowed_scopes.join(" ")
                    ),
                ));
            }
            if !granted.iter().any(|g| g == scope) {
                granted.push(scope.to_owned());
            }
        }
        Ok(granted)
    }
}

/// Finds the secret-based client a request authenticates as, by HTTP Basic
/// (`client_secret_basic`) or by `client_id`/`client_secret` form fields
/// (`client_secret_post`), never both.
pub(crate) fn authenticate<'a>(
    clients: &'a [MockClient],
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<&'a MockClient, OAuthError> {
    let (id, secret) = match headers.get(header::AUTHORIZATION) {
        Some(value) => {
            if form.contains_key("client_secret") {
                return Err(OAuthError::invalid_request(
                    "use one client authentication method: the Basic header or client_secret, not both",
                ));
            }
            basic_credentials(value.to_str().unwrap_or(""))?
        }
        None => match (form.get("client_id"), form.get("client_secret")) {
            (Some(id), Some(secret)) => (id.clone(), secret.clone()),
            _ => {
                return Err(OAuthError::invalid_client(
                    "client authentication missing: send HTTP Basic credentials, client_id and client_secret, or a client_assertion",
                ));
            }
        },
    };
    let client = clients
        .iter()
        .find(|c| c.client_id == id)
        .ok_or_else(|| OAuthError::invalid_client("unknown client or wrong client secret"))?;
    match client.client_secret() {
        Some(expected) if expected == secret => Ok(client),
        Some(_) => Err(OAuthError::invalid_client(
            "unknown client or wrong client secret",
        )),
        None => Err(OAuthError::invalid_client(format!(
            "client {id} authenticates with private_key_jwt: send client_assertion_type and client_assertion"
        ))),
    }
}

/// Reads `Basic base64(id:secret)`.
fn basic_credentials(value: &str) -> Result<(String, String), OAuthError> {
    let malformed = || {
        OAuthError::invalid_client(
            "the Authorization header is not `Basic base64(client_id:client_secret)`",
        )
    };
    let (scheme, encoded) = value.split_once(' ').ok_or_else(malformed)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(malformed());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let text = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = text.split_once(':').ok_or_else(malformed)?;
    Ok((id.to_owned(), secret.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn authenticates_by_basic_or_form_but_not_both() {
        let clients = MockClient::registered().unwrap();
        let demo = &clients[0];
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&demo.basic_authorization().unwrap()).unwrap(),
        );
        let none = HashMap::new();
        assert_eq!(
            authenticate(&clients, &headers, &none).map(|c| c.client_id()),
            Ok("demo-client")
        );
        let form: HashMap<String, String> = [
            ("client_id", "partner-client"),
            ("client_secret", clients[1].client_secret().unwrap()),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .into();
        assert_eq!(
            authenticate(&clients, &HeaderMap::new(), &form).map(|c| c.client_id()),
            Ok("partner-client")
        );
        assert!(authenticate(&clients, &headers, &form).is_err());
        assert!(authenticate(&clients, &HeaderMap::new(), &none).is_err());
    }

    #[test]
    fn grants_default_or_allowed_scopes_only() {
        let clients = MockClient::registered().unwrap();
        assert_eq!(
            clients[0].grant_scopes(None),
            Ok(vec![API_SCOPE.to_owned()])
        );
        assert_eq!(
            clients[0].grant_scopes(Some("openid openid")),
            Ok(vec!["openid".to_owned()])
        );
        assert!(clients[1].grant_scopes(Some(API_SCOPE)).is_err());
        assert!(!format!("{:?}", clients[0]).contains(clients[0].client_secret().unwrap()));
    }
}
