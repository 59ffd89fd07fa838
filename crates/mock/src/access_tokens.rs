//! Self-contained JWT access tokens (RFC 9068 style), signed RS256 with the mock's
//! published test key, and their signature check.

use serde_json::Value;

use crate::jose::{self, Algorithm, JwkSet, Jwt, PrivateKey};

/// `kid` of the access-token signing key.
pub(crate) const ACCESS_TOKEN_KEY_ID: &str = "mock-access-token-key-1";
/// The `aud` of access tokens: the API they are for.
pub(crate) const ACCESS_TOKEN_AUDIENCE: &str = "device-reachability-status";
/// The signing key: a test-only RSA key published with the source.
const KEY_PEM: &str = include_str!("access_token_key.pem");

/// Signs and checks the JWT access tokens of one mock.
pub(crate) struct AccessTokenSigner {
    key: PrivateKey,
    jwks: JwkSet,
    issuer: String,
}

/// What the signature check says about a presented token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JwtCheck {
    /// Not a JWT of this mock: bad syntax, signature, issuer or audience.
    Invalid,
    /// Signed by this mock, past its `exp`.
    Expired,
    /// Signed by this mock and not expired (revocation is the store's business).
    Good,
}

impl AccessTokenSigner {
    /// The signer for tokens of `issuer`.
    pub(crate) fn new(issuer: &str) -> Result<Self, String> {
        let key = PrivateKey::from_pem(KEY_PEM)
            .map_err(|e| format!("the access-token signing key is unusable: {e}"))?;
        let jwks = JwkSet {
            keys: vec![key.public_jwk(Some(ACCESS_TOKEN_KEY_ID), Algorithm::Rs256)],
        };
        Ok(Self {
            key,
            jwks,
            issuer: issuer.to_owned(),
        })
    }

    /// The public keys, as served at `/.well-known/jwks.json`.
    pub(crate) fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    /// The issuer named in the tokens.
    pub(crate) fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Signs the claims of an access token (`typ` `at+jwt`).
    pub(crate) fn sign(&self, claims: &Value) -> Result<String, String> {
        jose::encode(
            &self.key,
            Algorithm::Rs256,
            "at+jwt",
            Some(ACCESS_TOKEN_KEY_ID),
            claims,
        )
    }

    /// Checks the signature, `iss`, `aud` and `exp` of `token` at `now` (Unix seconds).
    pub(crate) fn check(&self, token: &str, now: i64) -> JwtCheck {
        let Ok(jwt) = Jwt::parse(token) else {
            return JwtCheck::Invalid;
        };
        let ours = jwt.verified_by(&self.jwks)
            && jwt.str_claim("iss") == Some(self.issuer.as_str())
            && jwt.str_claim("aud") == Some(ACCESS_TOKEN_AUDIENCE);
        match jwt.time_claim("exp") {
            _ if !ours => JwtCheck::Invalid,
            Some(exp) if exp > now => JwtCheck::Good,
            Some(_) => JwtCheck::Expired,
            None => JwtCheck::Invalid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn checks_signature_issuer_and_expiry() {
        let signer = AccessTokenSigner::new("http://127.0.0.1:1").unwrap();
        let claims =
            |iss: &str, exp: i64| json!({"iss": iss, "aud": ACCESS_TOKEN_AUDIENCE, "exp": exp});
        let good = signer.sign(&claims("http://127.0.0.1:1", 100)).unwrap();
        assert_eq!(signer.check(&good, 50), JwtCheck::Good);
        assert_eq!(signer.check(&good, 100), JwtCheck::Expired);
        let other = signer.sign(&claims("http://elsewhere", 100)).unwrap();
        assert_eq!(signer.check(&other, 50), JwtCheck::Invalid);
        assert_eq!(signer.check("abc", 50), JwtCheck::Invalid);
        let parts = |t: &str| t.split('.').map(str::to_owned).collect::<Vec<_>>();
        let (good_parts, other_parts) = (parts(&good), parts(&other));
        let forged = format!("{}.{}.{}", good_parts[0], other_parts[1], good_parts[2]);
        assert_eq!(signer.check(&forged, 50), JwtCheck::Invalid);
        assert_eq!(
            signer.jwks().keys[0].kid.as_deref(),
            Some(ACCESS_TOKEN_KEY_ID)
        );
    }
}
